/*
 * server_status.c - the status channel from a daemon to master(8)
 *
 * See server_status.h. One record is sent without blocking; EAGAIN turns
 * on write interest and the next writable event sends whatever is
 * wanted by then. A record is sent whole or not at all (12 bytes on a
 * stream socket); a short write would corrupt master's view of every
 * sibling, so it is fatal.
 *
 * See also: server.c; master(8) reads the records.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "event.h"
#include "msg.h"

#include "server_status.h"

struct server_status_record {
	int pid;
	unsigned gen;
	int avail;
};

_Static_assert(sizeof(struct server_status_record) == SERVER_STATUS_SIZE,
               "master(8) reads a 12-byte status record");

static void server_status_event(int fd, unsigned events, void *ctx);

void
server_status_encode(unsigned char out[SERVER_STATUS_SIZE], pid_t pid,
                     unsigned gen, int avail)
{
	struct server_status_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.pid = (int)pid;
	rec.gen = gen;
	rec.avail = avail;
	memcpy(out, &rec, sizeof(rec));
}

void
server_status_start(struct server_status *st, int fd, pid_t pid, unsigned gen,
                    void (*gone)(void *), void *ctx)
{
	memset(st, 0, sizeof(*st));
	st->fd = fd;
	st->pid = pid;
	st->gen = gen;
	st->sent = st->want = SERVER_STAT_AVAIL;
	st->gone = gone;
	st->ctx = ctx;
	event_set(fd, EVENT_READ, server_status_event, st);
}

/* Sends one record; 0, or -1 with errno. */
static int
server_status_send(struct server_status *st, int avail)
{
	unsigned char rec[SERVER_STATUS_SIZE];
	ssize_t n;

	server_status_encode(rec, st->pid, st->gen, avail);
	do {
		n = send(st->fd, rec, sizeof(rec), MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(rec)) {
		st->sent = avail;
		if (avail == SERVER_STAT_TAKEN)
			st->use_unsent = 0;
		return 0;
	}
	if (n >= 0)
		msg_fatal("%s: short write %zd on status socket", __func__, n);
	return -1;
}

/* Sends what master lacks (see the header); 0, or -1 with errno. */
static int
server_status_flush(struct server_status *st)
{
	if (st->use_unsent && st->want == SERVER_STAT_AVAIL &&
	    server_status_send(st, SERVER_STAT_TAKEN) < 0)
		return -1;
	if (st->want == st->sent)
		return 0;
	return server_status_send(st, st->want);
}

/* Sends now, or waits for room when the socket is full. */
static int
server_status_try(struct server_status *st)
{
	if (server_status_flush(st) == 0)
		return 0;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return -1;
	if (msg_verbose)
		msg_info("status socket full: state %d sent when it drains",
		         st->want);
	st->blocked = 1;
	event_set(st->fd, EVENT_READ | EVENT_WRITE, server_status_event, st);
	return 0;
}

int
server_status_set(struct server_status *st, int avail)
{
	if (st->gone == NULL)
		return 0;
	if (avail == SERVER_STAT_TAKEN && st->sent == SERVER_STAT_AVAIL)
		st->use_unsent = 1;
	st->want = avail;
	if (st->blocked)
		return 0;
	return server_status_try(st);
}

void
server_status_stop(struct server_status *st)
{
	if (st->gone == NULL)
		return;
	event_clear(st->fd);
	memset(st, 0, sizeof(*st));
	st->fd = -1;
}

static void
server_status_event(int fd, unsigned events, void *ctx)
{
	struct server_status *st = ctx;

	/* master never writes here: readable is its end of file. */
	if (events & EVENT_READ) {
		st->gone(st->ctx);
		return;
	}
	st->blocked = 0;
	event_set(st->fd, EVENT_READ, server_status_event, st);
	(void)server_status_try(st);
}
