/*
 * server_accept.c - accepting clients on master's listen sockets
 *
 * See server_accept.h. A pause takes the listen sockets out of the event
 * set (event_set with mask 0) and arms one timer, keyed by the struct,
 * that puts them back; the kernel keeps the waiting connections in the
 * listen queue, and master(8) forks no extra process for them unless
 * the daemon says it is busy (an EVENT-mode daemon does, see server.c).
 *
 * See also: server.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event.h"
#include "msg.h"

#include "server_accept.h"

static void server_accept_event(int fd, unsigned events, void *ctx);
static void server_accept_retry_event(void *ctx);

/* Watches (1) or stops watching (0) every listen socket. */
static void
server_accept_watch(struct server_accept *sa, int on)
{
	int fd;

	for (fd = sa->first; fd < sa->first + sa->count; fd++)
		event_set(fd, on ? EVENT_READ : 0, server_accept_event, sa);
}

void
server_accept_start(struct server_accept *sa, int first, int count,
                    void (*on_client)(int, void *), int (*on_shortage)(void *),
                    void (*on_pause)(int, void *), void *ctx)
{
	memset(sa, 0, sizeof(*sa));
	sa->first = first;
	sa->count = count;
	sa->on_client = on_client;
	sa->on_shortage = on_shortage;
	sa->on_pause = on_pause;
	sa->ctx = ctx;
	server_accept_watch(sa, 1);
}

static void
server_accept_set_paused(struct server_accept *sa, int paused)
{
	sa->paused = paused;
	server_accept_watch(sa, !paused);
	if (sa->on_pause)
		sa->on_pause(paused, sa->ctx);
}

void
server_accept_resume(struct server_accept *sa)
{
	if (!sa->paused)
		return;
	(void)event_timer_cancel(server_accept_retry_event, sa);
	server_accept_set_paused(sa, 0);
}

void
server_accept_stop(struct server_accept *sa)
{
	int fd;

	(void)event_timer_cancel(server_accept_retry_event, sa);
	for (fd = sa->first; fd < sa->first + sa->count; fd++)
		event_clear(fd);
	sa->paused = 0;
	sa->count = 0;
}

static void
server_accept_retry_event(void *ctx)
{
	server_accept_resume(ctx);
}

/* Moves a client fd to >= SERVER_CLIENT_FD_MIN, as stock daemons do. */
static int
server_accept_move_fd(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, SERVER_CLIENT_FD_MIN);

	if (high < 0)
		return fd;
	(void)close(fd);
	return high;
}

static int
server_accept_short_of_fds(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM;
}

/* No descriptor to accept with: pause, and say so now and then. */
static void
server_accept_pause(struct server_accept *sa, int err)
{
	uint64_t now = event_now();

	server_accept_set_paused(sa, 1);
	event_timer_set(server_accept_retry_event, sa, SERVER_ACCEPT_PAUSE_MS);
	if (sa->warned && now < sa->warn_after) {
		sa->missed++;
		return;
	}
	if (sa->missed > 0)
		msg_warn("accept connection: %s; not accepting new connections "
		         "for %d ms (%u more pauses since the last warning)",
		         strerror(err), SERVER_ACCEPT_PAUSE_MS, sa->missed);
	else
		msg_warn("accept connection: %s; not accepting new connections "
		         "for %d ms",
		         strerror(err), SERVER_ACCEPT_PAUSE_MS);
	sa->warned = 1;
	sa->warn_after = now + SERVER_ACCEPT_WARN_MS;
	sa->missed = 0;
}

static void
server_accept_event(int lfd, unsigned events, void *ctx)
{
	struct server_accept *sa = ctx;
	int fd, err;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0 && server_accept_short_of_fds(errno) && sa->on_shortage &&
	    sa->on_shortage(sa->ctx))
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0) {
		sa->on_client(server_accept_move_fd(fd), sa->ctx);
		return;
	}
	err = errno;
	if (server_accept_short_of_fds(err))
		server_accept_pause(sa, err);
	else if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR &&
	         err != ECONNABORTED)
		msg_error("accept connection: %s", strerror(err));
}
