/*
 * watchdog.c - kill a process whose event loop stops turning
 *
 * See watchdog.h. A restart clears the trip count; it re-arms the alarm
 * (a system call) only if a second has passed since it last did, with
 * one second added to the first interval, so the end comes between
 * timeout and timeout + 1 s after the last restart, never before, and a
 * busy loop makes at most one alarm() call a second.
 *
 * The signal handler only touches sig_atomic_t state, alarm() and
 * write(); the fatal path follows Postfix in calling msg_fatal() from
 * the handler, with a plain SIGALRM 5 s later in case logging itself is
 * what hangs. The self-pipe wake-up is there because
 * event.h does not promise that a signal ends a loop iteration.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "msg.h"
#include "watchdog.h"

#define WATCHDOG_TRIPS 3
#define WATCHDOG_LAST_WORDS_SECS 5
/* A busy loop re-arms the alarm at most this often (whole seconds). */
#define WATCHDOG_REARM_MS 1000

static volatile sig_atomic_t watchdog_trips;
static unsigned watchdog_interval;
static int watchdog_pipe[2] = {-1, -1};
static uint64_t watchdog_armed_at; /* event time of the last re-arm */
static int watchdog_armed;

static void
watchdog_alarm(int sig)
{
	int saved_errno = errno;

	(void)sig;
	if (++watchdog_trips >= WATCHDOG_TRIPS) {
		signal(SIGALRM, SIG_DFL);
		alarm(WATCHDOG_LAST_WORDS_SECS);
		msg_fatal("watchdog timeout");
	}
	alarm(watchdog_interval);
	if (write(watchdog_pipe[1], "", 1) < 0) {
		/* Pipe full: the loop has a wake-up pending already. */
	}
	errno = saved_errno;
}

static void
watchdog_drain_event(int fd, unsigned events, void *ctx)
{
	char junk[64];

	while (read(fd, junk, sizeof(junk)) > 0)
		continue;
}

void
watchdog_start(int timeout_secs)
{
	struct sigaction sa;

	if (timeout_secs < WATCHDOG_TRIPS)
		msg_panic("%s: timeout %d too small", __func__, timeout_secs);
	if (watchdog_pipe[0] < 0) {
		if (pipe2(watchdog_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
			msg_fatal("%s: pipe: %m", __func__);
		event_set(watchdog_pipe[0], EVENT_READ, watchdog_drain_event,
		          NULL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		msg_fatal("%s: sigaction: %m", __func__);
	watchdog_interval = (unsigned)timeout_secs / WATCHDOG_TRIPS;
	watchdog_restart();
}

void
watchdog_restart(void)
{
	uint64_t now = event_now_refresh();

	watchdog_trips = 0;
	if (watchdog_armed && now - watchdog_armed_at < WATCHDOG_REARM_MS)
		return;
	watchdog_armed = 1;
	watchdog_armed_at = now;
	alarm(watchdog_interval + WATCHDOG_REARM_MS / 1000);
}

void
watchdog_stop(void)
{
	alarm(0);
	watchdog_armed = 0;
}
