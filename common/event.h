/*
 * event.h - the epoll event loop and its timers
 *
 * One loop per process. Descriptors get one callback each, with an
 * interest mask (read, write, or both); timers are keyed by (fn, ctx) as
 * in Postfix: setting an existing timer reschedules it, cancelling a
 * missing one is harmless, and a timer is unlinked before it runs. Time
 * is the monotonic clock, read once per loop iteration and cached.
 *
 * A callback may change or remove any registration, including its own,
 * and close any descriptor it removed: a stale event for a removed
 * descriptor is never delivered. Calling event_loop() from a callback
 * panics.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_EVENT_H
#define TLSREUSE_COMMON_EVENT_H

#include <stdint.h>

#define EVENT_READ  1u /* readable, or EOF/hang-up/error pending */
#define EVENT_WRITE 2u /* writable, or error pending */

typedef void (*event_fn)(int fd, unsigned events, void *ctx);
typedef void (*event_timer_fn)(void *ctx);

/*
 * Sets the interest of fd to mask (EVENT_READ|EVENT_WRITE) with callback
 * fn; replaces any earlier registration of fd. mask 0 keeps fn registered
 * but silent. Fatal if epoll refuses the descriptor.
 */
void event_set(int fd, unsigned mask, event_fn fn, void *ctx);

/* Forgets fd (call before close). Harmless if fd is not registered. */
void event_clear(int fd);

/* Runs fn(ctx) once, delay_ms from now; replaces a pending (fn, ctx). */
void event_timer_set(event_timer_fn fn, void *ctx, uint64_t delay_ms);

/* Returns 1 if a pending (fn, ctx) timer was cancelled, else 0. */
int event_timer_cancel(event_timer_fn fn, void *ctx);

/* Milliseconds left before timer (fn, ctx) runs, or -1 if none. */
int64_t event_timer_left(event_timer_fn fn, void *ctx);

/*
 * One iteration: waits for I/O or the next timer, at most max_wait_ms
 * (-1: no limit), then runs due timers and ready callbacks.
 */
void event_loop(int max_wait_ms);

/*
 * 1 if the batch of events being dispatched still holds one for fd that
 * has not been delivered yet (the kernel reported fd ready in the same
 * epoll_wait() as the event now being handled); 0 otherwise. Costs no
 * system call.
 */
int event_ready(int fd);

/* The cached monotonic time in milliseconds (refreshed by event_loop). */
uint64_t event_now(void);

/* Re-reads the clock now (for code that runs outside the loop). */
uint64_t event_now_refresh(void);

/*
 * Replaces the clock with fn (milliseconds, never decreasing); NULL goes
 * back to CLOCK_MONOTONIC. For tests that move time instead of sleeping.
 */
typedef uint64_t (*event_clock_fn)(void);
void event_clock_set(event_clock_fn fn);

/*
 * In a forked child: drop the parent's epoll instance and start empty (no
 * descriptors, no timers). Safe from inside a callback: the rest of the
 * current batch is then discarded.
 */
void event_fork(void);

#endif
