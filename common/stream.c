/*
 * stream.c - non-blocking buffered stream over an IPC socket
 *
 * One struct per connection, driven by event.c. Each event or timeout is
 * handled in a frame: the stream is marked busy while the owner's
 * callback runs, so stream_free() from inside only marks it dead; on
 * leaving the frame the stream is either released or its event interest
 * is recomputed once (read unless EOF or error, write while output is
 * queued), the idea of OpenSMTPD's io frames.
 *
 * Input: read with fdpass_read() in chunks into a buffer holding at most
 * STREAM_INPUT_LIMIT unconsumed bytes; if the owner leaves the buffer
 * full after STREAM_DATA, the message cannot fit and the stream fails
 * with EMSGSIZE. At most one received descriptor (or the news that one
 * was lost to a full descriptor table) is held for the owner.
 * Output: a queue flushed with send(MSG_NOSIGNAL) as the socket allows,
 * first when the frame that queued it closes, then (if the socket was
 * full) on writability; one queued descriptor is passed at its place in
 * the byte sequence. A write outside any frame of the stream (from
 * another stream's callback, a timer, the accept) that finds the queue
 * empty is tried on the socket at once, with no STREAM_FLUSHED for what
 * the socket took; what it does not take, and any error, is left to the
 * write event. The queue is reset whenever it drains (request/response
 * use). With an output limit, input is not read while the queue is above
 * it.
 *
 * Errors: peer trouble becomes STREAM_ERROR with an errno; misuse panics.
 * See also: fdpass.c, event.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "event.h"
#include "fdpass.h"
#include "mem.h"
#include "msg.h"

#include "stream.h"

/* Bytes asked of one recvmsg(). */
#define STREAM_READ_CHUNK 4096

/* Event interest not yet given to event.c. */
#define STREAM_MASK_UNSET (~0u)

struct stream {
	int fd;
	stream_fn fn;
	void *ctx;
	struct buf in; /* input; unconsumed part starts at in_start */
	size_t in_start;
	int in_fd;      /* received descriptor not yet taken, -1, or lost */
	struct buf out; /* output; unsent part starts at out_start */
	size_t out_start;
	int out_fd;          /* descriptor to pass, or -1 */
	size_t out_fd_at;    /* ... once out_start reaches this offset */
	unsigned timeout_ms; /* 0: no timeout armed */
	int deadline;        /* the timeout ignores progress */
	size_t out_limit;    /* no reading above this much output; 0: none */
	unsigned mask;       /* interest last given to event.c */
	int busy;            /* frames open on this stream */
	int out_blocked;     /* the socket was full: wait until writable */
	int dead;            /* stream_free() called inside a frame */
	int eof;
	int error;       /* errno of the failure, 0 if none */
	int write_error; /* errno of a failed direct write, for the event */
};

static void stream_io_event(int fd, unsigned events, void *ctx);
static void stream_timeout_event(void *ctx);

/* Releases everything the stream owns (the socket unless released). */
static void
stream_destroy(struct stream *s)
{
	if (s->fd >= 0) {
		event_clear(s->fd);
		(void)close(s->fd);
	}
	(void)event_timer_cancel(stream_timeout_event, s);
	if (s->in_fd >= 0)
		(void)close(s->in_fd);
	if (s->out_fd >= 0)
		(void)close(s->out_fd);
	buf_free(&s->in);
	buf_free(&s->out);
	free(s);
}

/* Input is wanted: not at end of file, not held back by output. */
static int
stream_wants_input(const struct stream *s)
{
	return !s->error && !s->eof && !s->dead &&
	       (s->out_limit == 0 || stream_pending(s) <= s->out_limit);
}

/* Gives event.c the interest the stream's state calls for. */
static void
stream_rearm(struct stream *s)
{
	unsigned mask = 0;

	if (s->busy > 0)
		return;
	if (stream_wants_input(s))
		mask |= EVENT_READ;
	if (!s->error && stream_pending(s) > 0)
		mask |= EVENT_WRITE;
	if (mask != s->mask) {
		event_set(s->fd, mask, stream_io_event, s);
		s->mask = mask;
	}
}

static void stream_flush(struct stream *s);

/*
 * Closes a frame: writes what the frame queued (a reply usually fits at
 * once, which saves a round through the event loop for writability),
 * then releases a dead stream or recomputes its interest.
 */
static void
stream_leave(struct stream *s)
{
	while (s->busy == 1 && !s->dead && !s->error && !s->out_blocked &&
	       stream_pending(s) > 0)
		stream_flush(s);
	if (--s->busy > 0)
		return;
	if (s->dead)
		stream_destroy(s);
	else
		stream_rearm(s);
}

/* Tells the owner, unless it already let go of the stream. */
static void
stream_notify(struct stream *s, enum stream_event ev)
{
	if (!s->dead)
		s->fn(s, ev, s->ctx);
}

/* Marks the stream failed, stops its timeout and tells the owner. */
static void
stream_fail(struct stream *s, int err)
{
	s->error = err;
	(void)event_timer_cancel(stream_timeout_event, s);
	stream_notify(s, STREAM_ERROR);
}

/* Restarts the timeout after a byte of progress (not a deadline). */
static void
stream_progress(struct stream *s)
{
	if (s->timeout_ms > 0 && !s->deadline)
		event_timer_set(stream_timeout_event, s, s->timeout_ms);
}

struct stream *
stream_create(int fd, stream_fn fn, void *ctx)
{
	struct stream *s;
	int flags;

	if (fd < 0 || fn == NULL)
		msg_panic("%s: bad descriptor %d or callback", __func__, fd);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || ((flags & O_NONBLOCK) == 0 &&
	                  fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0))
		msg_fatal("%s: fcntl fd %d: %m", __func__, fd);
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->fn = fn;
	s->ctx = ctx;
	s->in_fd = s->out_fd = -1;
	s->mask = STREAM_MASK_UNSET;
	buf_init(&s->in);
	buf_init(&s->out);
	stream_rearm(s);
	return s;
}

void
stream_free(struct stream *s)
{
	if (s == NULL)
		return;
	if (s->busy > 0)
		s->dead = 1;
	else
		stream_destroy(s);
}

int
stream_release(struct stream *s)
{
	int fd = s->fd;

	event_clear(fd);
	s->fd = -1;
	stream_free(s);
	return fd;
}

int
stream_fd(const struct stream *s)
{
	return s->fd;
}

const void *
stream_data(const struct stream *s, size_t *len)
{
	*len = s->in.len - s->in_start;
	return s->in.data == NULL ? "" : s->in.data + s->in_start;
}

void
stream_consume(struct stream *s, size_t n)
{
	if (n > s->in.len - s->in_start)
		msg_panic("%s: %zu bytes, only %zu buffered", __func__, n,
		          s->in.len - s->in_start);
	s->in_start += n;
	if (s->in_start == s->in.len) {
		buf_reset(&s->in);
		s->in_start = 0;
	}
}

int
stream_take_fd(struct stream *s)
{
	int fd = s->in_fd;

	s->in_fd = -1;
	return fd;
}

static ssize_t stream_write_step(struct stream *s);

/*
 * Sends queued output as far as the socket takes it; 0 once all of it
 * is out. Never calls the owner: an error is kept in write_error, a full
 * socket sets out_blocked; either way -1. Serves output written outside
 * any frame that found the queue empty, and the write event.
 */
static int
stream_write_now(struct stream *s)
{
	while (stream_pending(s) > 0) {
		if (stream_write_step(s) < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				s->write_error = errno;
			else
				s->out_blocked = 1;
			return -1;
		}
		stream_progress(s);
	}
	buf_reset(&s->out);
	s->out_start = 0;
	return 0;
}

void
stream_write(struct stream *s, const void *data, size_t len)
{
	int idle = stream_pending(s) == 0;

	buf_append(&s->out, data, len);
	/* Inside a frame, the frame's end writes it (stream_leave()). */
	if (idle && s->busy == 0 && !s->error && !s->write_error &&
	    !s->out_blocked)
		(void)stream_write_now(s);
	stream_rearm(s);
}

void
stream_send_fd(struct stream *s, int fd)
{
	if (fd < 0 || s->out_fd >= 0)
		msg_panic("%s: bad descriptor %d or one already queued",
		          __func__, fd);
	s->out_fd = fd;
	s->out_fd_at = s->out.len;
	stream_rearm(s);
}

size_t
stream_pending(const struct stream *s)
{
	return s->out.len - s->out_start + (s->out_fd >= 0 ? 1 : 0);
}

/* Arms (or with 0 disarms) the one timer both kinds of timeout use. */
static void
stream_arm(struct stream *s, unsigned timeout_ms, int deadline)
{
	s->timeout_ms = timeout_ms;
	s->deadline = deadline;
	if (timeout_ms > 0)
		event_timer_set(stream_timeout_event, s, timeout_ms);
	else
		(void)event_timer_cancel(stream_timeout_event, s);
}

void
stream_set_timeout(struct stream *s, unsigned timeout_ms)
{
	stream_arm(s, timeout_ms, 0);
}

void
stream_set_deadline(struct stream *s, unsigned timeout_ms)
{
	stream_arm(s, timeout_ms, 1);
}

void
stream_set_output_limit(struct stream *s, size_t limit)
{
	s->out_limit = limit;
	stream_rearm(s);
}

int
stream_errno(const struct stream *s)
{
	return s->error;
}

/* Writes one step: the bytes before the queued descriptor, or it. */
static ssize_t
stream_write_step(struct stream *s)
{
	size_t end = s->out_fd >= 0 ? s->out_fd_at : s->out.len;
	ssize_t n;

	if (s->out_fd >= 0 && s->out_start == s->out_fd_at) {
		if (fdpass_send(s->fd, s->out_fd) < 0)
			return -1;
		(void)close(s->out_fd);
		s->out_fd = -1;
		return 1;
	}
	do
		n = send(s->fd, s->out.data + s->out_start, end - s->out_start,
		         MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		s->out_start += (size_t)n;
	return n;
}

/* Writes as much queued output as the socket takes. */
static void
stream_flush(struct stream *s)
{
	if (s->write_error == 0 && stream_write_now(s) == 0)
		stream_notify(s, STREAM_FLUSHED);
	else if (s->write_error != 0)
		stream_fail(s, s->write_error);
}

/* Reads one chunk and hands it to the owner. */
static void
stream_fill(struct stream *s)
{
	size_t have = s->in.len - s->in_start, room;
	ssize_t n;
	int fd;

	/* Keep the unconsumed bytes at the front of the buffer. */
	if (s->in_start > 0) {
		memmove(s->in.data, s->in.data + s->in_start, have);
		s->in.len = have;
		s->in_start = 0;
	}
	room = STREAM_INPUT_LIMIT - have;
	if (room > STREAM_READ_CHUNK)
		room = STREAM_READ_CHUNK;
	n = fdpass_read(s->fd, buf_reserve(&s->in, room), room, &fd);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			stream_fail(s, errno);
		return;
	}
	if (n == 0) {
		s->eof = 1;
		stream_notify(s, STREAM_EOF);
		return;
	}
	s->in.len += (size_t)n;
	s->in.data[s->in.len] = 0;
	stream_progress(s);
	if (fd != -1 && s->in_fd != -1) {
		if (fd >= 0)
			(void)close(fd);
		stream_fail(s, EBADMSG);
		return;
	}
	if (fd != -1)
		s->in_fd = fd;
	stream_notify(s, STREAM_DATA);
	if (!s->dead && !s->error &&
	    s->in.len - s->in_start >= STREAM_INPUT_LIMIT)
		stream_fail(s, EMSGSIZE);
}

/* Event callback: flush, then read, in one frame. */
static void
stream_io_event(int fd, unsigned events, void *ctx)
{
	struct stream *s = ctx;

	s->busy++;
	if (events & EVENT_WRITE)
		s->out_blocked = 0;
	if ((events & EVENT_WRITE) && !s->error && stream_pending(s) > 0)
		stream_flush(s);
	if ((events & EVENT_READ) && stream_wants_input(s))
		stream_fill(s);
	stream_leave(s);
}

/* Timer callback: the peer made no progress in time. */
static void
stream_timeout_event(void *ctx)
{
	struct stream *s = ctx;

	s->busy++;
	s->timeout_ms = 0;
	stream_notify(s, STREAM_TIMEOUT);
	stream_leave(s);
}
