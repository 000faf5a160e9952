/*
 * watchdog.h - kill a process whose event loop stops turning
 *
 * Postfix semantics: an alarm every timeout/3 seconds; each alarm without
 * an intervening watchdog_restart() is a trip, and the third consecutive
 * trip ends the process with "fatal: watchdog timeout" (a 5 s alarm
 * backs up a msg_fatal() that hangs). Each alarm also wakes the event
 * loop through a self-pipe, so a daemon that restarts the watchdog once
 * per loop iteration is never killed just for being idle.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_WATCHDOG_H
#define TLSREUSE_COMMON_WATCHDOG_H

/* Arms the watchdog (panics if timeout_secs < 3); registers its pipe. */
void watchdog_start(int timeout_secs);

/*
 * The loop made progress: clear the trip count (and re-arm the alarm, at
 * most once a second, so the process ends between timeout_secs and
 * timeout_secs + 1 after the last call).
 */
void watchdog_restart(void);

/* Disarms the alarm (the pipe stays registered). */
void watchdog_stop(void);

#endif
