/*
 * tlsp_tlsmgr.c - asynchronous client of tlsmgr(8)
 *
 * Requests wait in a queue; the head one is written once tlsmgr has
 * announced itself ("protocol=tlsmgr_protocol") and the previous reply
 * is in, so the byte stream is the one stock tlsproxy writes. Replies are
 * attr0 lists, decoded by name with small limits, one per request.
 * The bytes themselves are tlsp_tlsmgr_wire.c's; the stream (stream.c)
 * bounds each wait with its timeout.
 *
 * Which request goes next is tlsp_tlsmgr_queue.c's: lookups, which hold
 * up a handshake, before updates, which hold up nobody; updates wait
 * until a lookup was answered (or TLSP_TLSMGR_WRITE_DELAY_MS passed), so
 * that tlsmgr syncs its database while the handshake that needed the
 * lookup runs, not while the next one waits; repeated updates of one
 * entry merge. A lookup of an entry whose update is still queued (or on
 * the wire) is answered with that update's session from a zero-delay
 * timer, as tlsmgr would answer once it stored it.
 *
 * The synchronous variants use a second, blocking-with-deadline
 * connection (poll() on the remaining time), so they never interleave
 * with the queue; an outage seen there is shared with the queue's
 * hold-off, but pending asynchronous callers are left to their own
 * timeout rather than called back from inside an OpenSSL callback.
 *
 * A kept connection that worked may have outlived its tlsmgr (master(8)
 * restarts a tlsmgr that died, and a postfix reload restarts it): when
 * it ends (EOF, error) with requests waiting, they go once more on a
 * fresh connection, and only a failure there is an outage. A request on
 * the wire is sent again only if the connection had answered before (a
 * request that ends a fresh connection is not worth a second try). A
 * timeout is not retried: that tlsmgr is there but stalled, and a second
 * wait would only double the stall.
 *
 * Any other failure (connect, EOF or error on a fresh connection,
 * timeout, malformed or unexpected reply) goes through
 * tlsp_tlsmgr_down(): one warning per outage, every pending caller told
 * TLSP_TLSMGR_UNAVAILABLE, then a hold-off during which requests are
 * refused without trying - except after a connect that found no free
 * descriptor (EMFILE, ENFILE): that shortage is the process's own and
 * passes as clients leave, so the next request tries again.
 *
 * Secrets (session blobs, ticket keys) are wiped from our buffers with
 * OPENSSL_cleanse() before release.
 * See also: doc/tlsproxy-protocol.md section 4; the captured bytes in
 * tests/data/tlsmgr_golden.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "attr_dec.h"
#include "buf.h"
#include "event.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"

#include "tlsp_tlsmgr_queue.h"
#include "tlsp_tlsmgr_wire.h"
#include "tlsp_tlsmgr.h"

struct tlsp_tlsmgr {
	char *name; /* for the log */
	tlsp_tlsmgr_connect_fn connect;
	void *connect_ctx;
	char *path; /* for the default connector */
	struct stream *stream;
	struct attr_dec *dec;
	int ready;       /* the announcement is in */
	int answered;    /* replies that came on this connection */
	int reconnected; /* retried on a fresh connection; none answered since */
	struct tlsp_tlsmgr_queue queue;
	struct tlsp_tlsmgr_call *answers; /* lookups answered from the queue */
	uint64_t down_until; /* requests refused before this time */
	int fd_shortage;     /* the last connect lacked a descriptor */
	int warned;          /* an outage was logged and not yet over */
	struct buf value;    /* the decoded DATA value of a reply */
	int sync_fd;         /* the synchronous calls' connection, or -1 */
	struct attr_dec *sync_dec;
	struct buf sync_value; /* DATA of the last synchronous reply */
};

static void tlsp_tlsmgr_event(struct stream *s, enum stream_event ev,
                              void *ctx);
static void tlsp_tlsmgr_idle_event(void *ctx);
static void tlsp_tlsmgr_write_event(void *ctx);
static void tlsp_tlsmgr_answer_event(void *ctx);

/* --- calls */

/* Tells a caller its answer, unless it cancelled. */
static void
tlsp_tlsmgr_call_reply(struct tlsp_tlsmgr_call *call,
                       const struct tlsp_tlsmgr_reply *reply)
{
	if (call->fn != NULL && !call->cancelled)
		call->fn(reply, call->ctx);
}

/*
 * Ends each call of a detached list: tells it reply (NULL: nothing) and
 * frees it. Detached first, because a callback may queue or cancel.
 */
static void
tlsp_tlsmgr_calls_end(struct tlsp_tlsmgr_call *call,
                      const struct tlsp_tlsmgr_reply *reply)
{
	struct tlsp_tlsmgr_call *next;

	for (; call != NULL; call = next) {
		next = call->next;
		if (reply != NULL)
			tlsp_tlsmgr_call_reply(call, reply);
		tlsp_tlsmgr_call_free(call);
	}
}

/* --- connection */

/* The default connector: a non-blocking UNIX-domain connect. */
static int
tlsp_tlsmgr_connect_unix(void *ctx)
{
	const char *path = ctx;
	struct sockaddr_un sun = {0};
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		err = errno;
		(void)close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Closes the synchronous connection, if open. */
static void
tlsp_tlsmgr_sync_close(struct tlsp_tlsmgr *mgr)
{
	if (mgr->sync_fd >= 0)
		(void)close(mgr->sync_fd);
	mgr->sync_fd = -1;
}

/*
 * Logs an outage once and refuses requests for the hold-off. A connect
 * that failed for want of a descriptor is this process's shortage, not
 * tlsmgr's outage, and descriptors come back as clients leave: no
 * hold-off then, the next request tries again.
 */
static void
tlsp_tlsmgr_outage(struct tlsp_tlsmgr *mgr, const char *why)
{
	if (!mgr->warned)
		msg_warn("%s; TLS continues without the session cache", why);
	mgr->warned = 1;
	mgr->down_until = mgr->fd_shortage
	                      ? 0
	                      : event_now_refresh() + TLSP_TLSMGR_HOLDOFF_MS;
}

/* The connector, remembering whether it failed for want of a descriptor. */
static int
tlsp_tlsmgr_connect(struct tlsp_tlsmgr *mgr)
{
	int fd = mgr->connect(mgr->connect_ctx);

	mgr->fd_shortage = fd < 0 && (errno == EMFILE || errno == ENFILE);
	return fd;
}

/* A good reply: an outage that was logged is over. */
static void
tlsp_tlsmgr_answered(struct tlsp_tlsmgr *mgr)
{
	if (mgr->warned)
		msg_info("%s: tlsmgr answers again", mgr->name);
	mgr->warned = 0;
	mgr->down_until = 0;
	mgr->reconnected = 0;
}

/* True while requests are refused. */
static int
tlsp_tlsmgr_is_down(const struct tlsp_tlsmgr *mgr)
{
	return mgr->down_until != 0 && event_now() < mgr->down_until;
}

/*
 * An outage on the asynchronous connection: drops it and tells every
 * pending caller.
 */
static void __attribute__((format(printf, 2, 3)))
tlsp_tlsmgr_down(struct tlsp_tlsmgr *mgr, const char *fmt, ...)
{
	const struct tlsp_tlsmgr_reply reply = {.status =
	                                            TLSP_TLSMGR_UNAVAILABLE};
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	tlsp_tlsmgr_outage(mgr, why);
	stream_free(mgr->stream);
	mgr->stream = NULL;
	(void)event_timer_cancel(tlsp_tlsmgr_idle_event, mgr);
	(void)event_timer_cancel(tlsp_tlsmgr_write_event, mgr);
	tlsp_tlsmgr_calls_end(tlsp_tlsmgr_queue_take_all(&mgr->queue), &reply);
}

/* Connects and waits for the announcement; 0, or -1 (logged). */
static int
tlsp_tlsmgr_open(struct tlsp_tlsmgr *mgr)
{
	int fd = tlsp_tlsmgr_connect(mgr);

	if (fd < 0) {
		tlsp_tlsmgr_down(mgr, "connect to %s: %s", mgr->name,
		                 strerror(errno));
		return -1;
	}
	mgr->stream = stream_create(fd, tlsp_tlsmgr_event, mgr);
	stream_set_timeout(mgr->stream, TLSP_TLSMGR_TIMEOUT_MS);
	mgr->ready = mgr->answered = 0;
	attr_dec_reset(mgr->dec);
	return 0;
}

/*
 * The kept connection ended with requests waiting: retries them on a
 * fresh connection if the rules in the header allow. Returns 1 if it
 * did, or if that reconnect failed (the outage is then declared); 0 if
 * the caller must declare the outage.
 */
static int
tlsp_tlsmgr_reconnect(struct tlsp_tlsmgr *mgr)
{
	if (mgr->reconnected || !mgr->ready ||
	    (mgr->queue.sent && mgr->answered == 0))
		return 0;
	mgr->reconnected = 1;
	mgr->queue.sent = 0; /* the request on the wire goes again */
	stream_free(mgr->stream);
	mgr->stream = NULL;
	(void)tlsp_tlsmgr_open(mgr);
	return 1;
}

/*
 * Writes the next request; or, with only held writes waiting, makes sure
 * they go within TLSP_TLSMGR_WRITE_DELAY_MS; or lets an idle connection
 * time out.
 */
static void
tlsp_tlsmgr_kick(struct tlsp_tlsmgr *mgr)
{
	struct tlsp_tlsmgr_call *call;

	if (mgr->stream == NULL || !mgr->ready || mgr->queue.sent)
		return;
	if ((call = tlsp_tlsmgr_queue_next(&mgr->queue)) != NULL) {
		(void)event_timer_cancel(tlsp_tlsmgr_idle_event, mgr);
		stream_write(mgr->stream, call->req.data, call->req.len);
		stream_set_timeout(mgr->stream, TLSP_TLSMGR_TIMEOUT_MS);
		return;
	}
	stream_set_timeout(mgr->stream, 0);
	if (!tlsp_tlsmgr_queue_holding(&mgr->queue))
		event_timer_set(tlsp_tlsmgr_idle_event, mgr,
		                TLSP_TLSMGR_IDLE_MS);
	else if (event_timer_left(tlsp_tlsmgr_write_event, mgr) < 0)
		event_timer_set(tlsp_tlsmgr_write_event, mgr,
		                TLSP_TLSMGR_WRITE_DELAY_MS);
}

/* Timer: held writes have waited long enough for a lookup. */
static void
tlsp_tlsmgr_write_event(void *ctx)
{
	struct tlsp_tlsmgr *mgr = ctx;

	tlsp_tlsmgr_queue_release_writes(&mgr->queue);
	tlsp_tlsmgr_kick(mgr);
}

/* Queues a call; returns its handle, or NULL (and frees it) while down. */
static struct tlsp_tlsmgr_call *
tlsp_tlsmgr_submit(struct tlsp_tlsmgr *mgr, struct tlsp_tlsmgr_call *call)
{
	if (tlsp_tlsmgr_is_down(mgr) ||
	    (mgr->stream == NULL && tlsp_tlsmgr_open(mgr) < 0)) {
		tlsp_tlsmgr_call_free(call);
		return NULL;
	}
	mgr->down_until = 0;
	call = tlsp_tlsmgr_queue_put(&mgr->queue, call);
	tlsp_tlsmgr_kick(mgr);
	return call;
}

/* Timer: tells the lookups answered from the queue their answer. */
static void
tlsp_tlsmgr_answer_event(void *ctx)
{
	struct tlsp_tlsmgr *mgr = ctx;
	struct tlsp_tlsmgr_call *call = mgr->answers, *next;
	struct tlsp_tlsmgr_reply reply = {.status = TLSP_TLSMGR_OK};

	/* Detach first: a callback may make another lookup. */
	mgr->answers = NULL;
	for (; call != NULL; call = next) {
		next = call->next;
		reply.data = call->session.data;
		reply.len = call->session.len;
		tlsp_tlsmgr_call_reply(call, &reply);
		tlsp_tlsmgr_call_free(call);
	}
}

/*
 * Answers a lookup with the session of a queued update of its entry, if
 * there is one (from the loop, as tlsmgr's answer would come); the
 * waiting writes may go now. Returns the call, or NULL (call untouched).
 */
static struct tlsp_tlsmgr_call *
tlsp_tlsmgr_answer(struct tlsp_tlsmgr *mgr, struct tlsp_tlsmgr_call *call)
{
	const struct buf *session = tlsp_tlsmgr_queue_cached(&mgr->queue, call);
	struct tlsp_tlsmgr_call **link = &mgr->answers;

	if (session == NULL)
		return NULL;
	buf_append(&call->session, session->data, session->len);
	while (*link != NULL)
		link = &(*link)->next;
	*link = call;
	event_timer_set(tlsp_tlsmgr_answer_event, mgr, 0);
	tlsp_tlsmgr_queue_release_writes(&mgr->queue);
	tlsp_tlsmgr_kick(mgr);
	return call;
}

/* Handles one whole list; returns -1 after an outage was declared. */
static int
tlsp_tlsmgr_list(struct tlsp_tlsmgr *mgr, const struct attr_list *list)
{
	struct tlsp_tlsmgr_call *call;
	struct tlsp_tlsmgr_reply reply;

	if (!mgr->ready) {
		if (tlsp_tlsmgr_wire_hello(list) < 0) {
			tlsp_tlsmgr_down(mgr, "%s: unexpected announcement",
			                 mgr->name);
			return -1;
		}
		mgr->ready = 1;
		return 0;
	}
	if (!mgr->queue.sent) {
		tlsp_tlsmgr_down(mgr, "%s: unexpected reply", mgr->name);
		return -1;
	}
	call = mgr->queue.head;
	if (tlsp_tlsmgr_wire_decode(call->kind, list, &mgr->value, &reply) <
	    0) {
		tlsp_tlsmgr_down(mgr, "%s: malformed reply", mgr->name);
		return -1;
	}
	tlsp_tlsmgr_answered(mgr);
	mgr->answered++;
	(void)tlsp_tlsmgr_queue_done(&mgr->queue);
	tlsp_tlsmgr_call_reply(call, &reply);
	tlsp_tlsmgr_call_free(call);
	tlsp_tlsmgr_queue_wipe(&mgr->value);
	return 0;
}

/* Feeds the buffered input to the decoder, list by list. */
static void
tlsp_tlsmgr_input(struct tlsp_tlsmgr *mgr)
{
	const void *data;
	size_t len, used;

	while ((data = stream_data(mgr->stream, &len)), len > 0) {
		switch (attr_dec_feed(mgr->dec, data, len, &used)) {
		case ATTR_DEC_NEED_MORE:
			stream_consume(mgr->stream, used);
			return;
		case ATTR_DEC_BAD:
			tlsp_tlsmgr_down(mgr, "%s: malformed reply: %s",
			                 mgr->name, attr_dec_reason(mgr->dec));
			return;
		case ATTR_DEC_OK:
			stream_consume(mgr->stream, used);
			if (tlsp_tlsmgr_list(mgr, attr_dec_list(mgr->dec)) < 0)
				return;
			attr_dec_reset(mgr->dec);
			tlsp_tlsmgr_kick(mgr);
			if (mgr->stream == NULL)
				return;
			break;
		}
	}
}

/* Stream callback: replies in, or the end of the connection. */
static void
tlsp_tlsmgr_event(struct stream *s, enum stream_event ev, void *ctx)
{
	struct tlsp_tlsmgr *mgr = ctx;

	switch (ev) {
	case STREAM_DATA:
		tlsp_tlsmgr_input(mgr);
		break;
	case STREAM_FLUSHED:
		break;
	case STREAM_EOF:
	case STREAM_ERROR:
		/* tlsmgr may drop an idle connection; that is no outage. */
		if (mgr->queue.head == NULL) {
			tlsp_tlsmgr_idle_event(mgr);
			break;
		}
		if (tlsp_tlsmgr_reconnect(mgr))
			break;
		tlsp_tlsmgr_down(mgr, "problem talking to server %s: %s",
		                 mgr->name,
		                 ev == STREAM_EOF ? "connection closed"
		                                  : strerror(stream_errno(s)));
		break;
	case STREAM_TIMEOUT:
		tlsp_tlsmgr_down(mgr,
		                 "problem talking to server %s: "
		                 "timeout after %d ms",
		                 mgr->name, TLSP_TLSMGR_TIMEOUT_MS);
		break;
	}
}

/* Timer: nothing asked for a while; let tlsmgr have its slot back. */
static void
tlsp_tlsmgr_idle_event(void *ctx)
{
	struct tlsp_tlsmgr *mgr = ctx;

	if (mgr->queue.head == NULL) {
		stream_free(mgr->stream);
		mgr->stream = NULL;
	}
}

/* --- public */

struct tlsp_tlsmgr *
tlsp_tlsmgr_create_with(const char *name, tlsp_tlsmgr_connect_fn connect,
                        void *ctx)
{
	struct tlsp_tlsmgr *mgr = xcalloc(1, sizeof(*mgr));

	mgr->name = xstrdup(name);
	mgr->connect = connect;
	mgr->connect_ctx = ctx;
	mgr->dec = attr_dec_create(&tlsp_tlsmgr_wire_limits);
	buf_init(&mgr->value);
	mgr->sync_fd = -1;
	mgr->sync_dec = attr_dec_create(&tlsp_tlsmgr_wire_limits);
	buf_init(&mgr->sync_value);
	return mgr;
}

struct tlsp_tlsmgr *
tlsp_tlsmgr_create(const char *path)
{
	char *copy = xstrdup(path);
	struct tlsp_tlsmgr *mgr =
	    tlsp_tlsmgr_create_with(path, tlsp_tlsmgr_connect_unix, copy);

	mgr->path = copy;
	return mgr;
}

void
tlsp_tlsmgr_free(struct tlsp_tlsmgr *mgr)
{
	if (mgr == NULL)
		return;
	stream_free(mgr->stream);
	(void)event_timer_cancel(tlsp_tlsmgr_idle_event, mgr);
	(void)event_timer_cancel(tlsp_tlsmgr_write_event, mgr);
	(void)event_timer_cancel(tlsp_tlsmgr_answer_event, mgr);
	tlsp_tlsmgr_calls_end(tlsp_tlsmgr_queue_take_all(&mgr->queue), NULL);
	tlsp_tlsmgr_calls_end(mgr->answers, NULL);
	attr_dec_free(mgr->dec);
	tlsp_tlsmgr_queue_wipe(&mgr->value);
	tlsp_tlsmgr_sync_close(mgr);
	attr_dec_free(mgr->sync_dec);
	tlsp_tlsmgr_queue_wipe(&mgr->sync_value);
	free(mgr->name);
	free(mgr->path);
	free(mgr);
}

void
tlsp_tlsmgr_cancel(struct tlsp_tlsmgr_call *call)
{
	call->cancelled = 1;
}

/* --- synchronous calls */

/* Milliseconds left before deadline, at least 0. */
static int
tlsp_tlsmgr_left(uint64_t deadline)
{
	uint64_t now = event_now_refresh();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* Waits until fd is ready for events; 0, or -1 (errno ETIMEDOUT). */
static int
tlsp_tlsmgr_wait(int fd, short events, uint64_t deadline)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int n;

	do
		n = poll(&pfd, 1, tlsp_tlsmgr_left(deadline));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

/*
 * Reads one whole list into sync_dec through chunk; 0, or -1 with a
 * reason in why.
 * Bytes are peeked, then only those of this list are taken, so a list
 * that arrives right behind (the reply behind the announcement) waits.
 */
static int
tlsp_tlsmgr_sync_fill(struct tlsp_tlsmgr *mgr, uint64_t deadline, char *chunk,
                      size_t chunk_len, char *why, size_t why_len)
{
	enum attr_dec_status st;
	size_t used;
	ssize_t n;

	attr_dec_reset(mgr->sync_dec);
	do {
		if (tlsp_tlsmgr_wait(mgr->sync_fd, POLLIN, deadline) < 0 ||
		    (n = recv(mgr->sync_fd, chunk, chunk_len, MSG_PEEK)) < 0) {
			snprintf(why, why_len,
			         "problem talking to server %s: %s", mgr->name,
			         strerror(errno));
			return -1;
		}
		if (n == 0) {
			snprintf(why, why_len,
			         "problem talking to server %s: "
			         "connection closed",
			         mgr->name);
			return -1;
		}
		st = attr_dec_feed(mgr->sync_dec, chunk, (size_t)n, &used);
		if (st == ATTR_DEC_BAD) {
			snprintf(why, why_len, "%s: malformed reply: %s",
			         mgr->name, attr_dec_reason(mgr->sync_dec));
			return -1;
		}
		/* Take what the decoder kept; it came from the peek. */
		(void)recv(mgr->sync_fd, chunk, used, 0);
	} while (st == ATTR_DEC_NEED_MORE);
	return 0;
}

/* The same, wiping the bytes it saw (they may be a session or keys). */
static int
tlsp_tlsmgr_sync_read(struct tlsp_tlsmgr *mgr, uint64_t deadline, char *why,
                      size_t why_len)
{
	char chunk[4096];
	int ret;

	ret = tlsp_tlsmgr_sync_fill(mgr, deadline, chunk, sizeof(chunk), why,
	                            why_len);
	OPENSSL_cleanse(chunk, sizeof(chunk));
	return ret;
}

/* Connects the synchronous connection; 0, or -1 with a reason. */
static int
tlsp_tlsmgr_sync_open(struct tlsp_tlsmgr *mgr, uint64_t deadline, char *why,
                      size_t why_len)
{
	if ((mgr->sync_fd = tlsp_tlsmgr_connect(mgr)) < 0) {
		snprintf(why, why_len, "connect to %s: %s", mgr->name,
		         strerror(errno));
		return -1;
	}
	if (tlsp_tlsmgr_sync_read(mgr, deadline, why, why_len) < 0)
		return -1;
	if (tlsp_tlsmgr_wire_hello(attr_dec_list(mgr->sync_dec)) < 0) {
		snprintf(why, why_len, "%s: unexpected announcement",
		         mgr->name);
		return -1;
	}
	return 0;
}

/* Writes the request and reads the reply; 0, or -1 with a reason. */
static int
tlsp_tlsmgr_sync_exchange(struct tlsp_tlsmgr *mgr,
                          const struct tlsp_tlsmgr_call *call,
                          uint64_t deadline, char *why, size_t why_len)
{
	size_t off = 0;
	ssize_t n;

	while (off < call->req.len) {
		if (tlsp_tlsmgr_wait(mgr->sync_fd, POLLOUT, deadline) < 0 ||
		    (n = send(mgr->sync_fd, call->req.data + off,
		              call->req.len - off, MSG_NOSIGNAL)) < 0) {
			snprintf(why, why_len,
			         "problem talking to server %s: %s", mgr->name,
			         strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return tlsp_tlsmgr_sync_read(mgr, deadline, why, why_len);
}

/*
 * Writes call and reads its reply on the synchronous connection, opened
 * if need be; on a kept connection that fails, once more on a fresh
 * one (see the header), within the same deadline: after a timeout no
 * time is left for the second try. 0, or -1 with a reason in why.
 */
static int
tlsp_tlsmgr_sync_call(struct tlsp_tlsmgr *mgr,
                      const struct tlsp_tlsmgr_call *call, uint64_t deadline,
                      char *why, size_t why_len)
{
	int kept = mgr->sync_fd >= 0;

	if (!kept && tlsp_tlsmgr_sync_open(mgr, deadline, why, why_len) < 0)
		return -1;
	if (tlsp_tlsmgr_sync_exchange(mgr, call, deadline, why, why_len) == 0)
		return 0;
	if (!kept)
		return -1;
	tlsp_tlsmgr_sync_close(mgr);
	if (tlsp_tlsmgr_sync_open(mgr, deadline, why, why_len) < 0)
		return -1;
	return tlsp_tlsmgr_sync_exchange(mgr, call, deadline, why, why_len);
}

/*
 * Runs call on the synchronous connection within TLSP_TLSMGR_SYNC_MS
 * and frees it. Returns the status; *reply is valid until the next call.
 * A failure starts the hold-off; with quiet set (process exit), it is
 * not logged.
 */
static int
tlsp_tlsmgr_sync(struct tlsp_tlsmgr *mgr, struct tlsp_tlsmgr_call *call,
                 struct tlsp_tlsmgr_reply *reply, int quiet)
{
	uint64_t deadline = event_now_refresh() + TLSP_TLSMGR_SYNC_MS;
	char why[200];
	int ok;

	memset(reply, 0, sizeof(*reply));
	reply->status = TLSP_TLSMGR_UNAVAILABLE;
	tlsp_tlsmgr_queue_wipe(&mgr->sync_value);
	if (tlsp_tlsmgr_is_down(mgr)) {
		tlsp_tlsmgr_call_free(call);
		return reply->status;
	}
	ok = tlsp_tlsmgr_sync_call(mgr, call, deadline, why, sizeof(why)) == 0;
	if (ok &&
	    tlsp_tlsmgr_wire_decode(call->kind, attr_dec_list(mgr->sync_dec),
	                            &mgr->sync_value, reply) < 0) {
		snprintf(why, sizeof(why), "%s: malformed reply", mgr->name);
		ok = 0;
	}
	tlsp_tlsmgr_call_free(call);
	if (ok) {
		tlsp_tlsmgr_answered(mgr);
		return reply->status;
	}
	tlsp_tlsmgr_sync_close(mgr);
	reply->status = TLSP_TLSMGR_UNAVAILABLE;
	if (quiet)
		mgr->down_until = event_now_refresh() + TLSP_TLSMGR_HOLDOFF_MS;
	else
		tlsp_tlsmgr_outage(mgr, why);
	return reply->status;
}

void
tlsp_tlsmgr_flush(struct tlsp_tlsmgr *mgr)
{
	uint64_t deadline = event_now_refresh() + TLSP_TLSMGR_SYNC_MS;
	struct tlsp_tlsmgr_call *call, *next, *sent;
	struct tlsp_tlsmgr_reply reply;

	if (mgr == NULL)
		return;
	sent = mgr->queue.sent ? mgr->queue.head : NULL;
	call = tlsp_tlsmgr_queue_take_all(&mgr->queue);
	for (; call != NULL; call = next) {
		next = call->next;
		/* The one on the wire is tlsmgr's already; the rest waits. */
		if (call != sent &&
		    (call->kind == TLSP_TLSMGR_UPDATE ||
		     call->kind == TLSP_TLSMGR_DELETE) &&
		    event_now_refresh() < deadline)
			(void)tlsp_tlsmgr_sync(mgr, call, &reply, 1);
		else
			tlsp_tlsmgr_call_free(call);
	}
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_seed(struct tlsp_tlsmgr *mgr, int size, tlsp_tlsmgr_fn fn,
                 void *ctx)
{
	struct tlsp_tlsmgr_call *call =
	    tlsp_tlsmgr_call_create(TLSP_TLSMGR_SEED, fn, ctx);

	tlsp_tlsmgr_wire_seed(&call->req, size);
	return tlsp_tlsmgr_submit(mgr, call);
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_policy(struct tlsp_tlsmgr *mgr, const char *cache_type,
                   tlsp_tlsmgr_fn fn, void *ctx)
{
	struct tlsp_tlsmgr_call *call =
	    tlsp_tlsmgr_call_create(TLSP_TLSMGR_POLICY, fn, ctx);

	tlsp_tlsmgr_wire_policy(&call->req, cache_type);
	return tlsp_tlsmgr_submit(mgr, call);
}

/* A lookup, update or delete call. */
static struct tlsp_tlsmgr_call *
tlsp_tlsmgr_entry_call(enum tlsp_tlsmgr_kind kind, const char *cache_type,
                       const char *cache_id, const void *session, size_t len,
                       tlsp_tlsmgr_fn fn, void *ctx)
{
	struct tlsp_tlsmgr_call *call = tlsp_tlsmgr_call_create(kind, fn, ctx);

	tlsp_tlsmgr_wire_entry(&call->req, kind, cache_type, cache_id, session,
	                       len);
	tlsp_tlsmgr_call_entry(call, cache_type, cache_id, session, len);
	return call;
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_lookup(struct tlsp_tlsmgr *mgr, const char *cache_type,
                   const char *cache_id, tlsp_tlsmgr_fn fn, void *ctx)
{
	struct tlsp_tlsmgr_call *call = tlsp_tlsmgr_entry_call(
	    TLSP_TLSMGR_LOOKUP, cache_type, cache_id, NULL, 0, fn, ctx);

	if (tlsp_tlsmgr_is_down(mgr)) {
		tlsp_tlsmgr_call_free(call);
		return NULL;
	}
	if (tlsp_tlsmgr_answer(mgr, call) != NULL)
		return call;
	return tlsp_tlsmgr_submit(mgr, call);
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_update(struct tlsp_tlsmgr *mgr, const char *cache_type,
                   const char *cache_id, const void *session, size_t len,
                   tlsp_tlsmgr_fn fn, void *ctx)
{
	return tlsp_tlsmgr_submit(
	    mgr, tlsp_tlsmgr_entry_call(TLSP_TLSMGR_UPDATE, cache_type,
	                                cache_id, session, len, fn, ctx));
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_delete(struct tlsp_tlsmgr *mgr, const char *cache_type,
                   const char *cache_id, tlsp_tlsmgr_fn fn, void *ctx)
{
	return tlsp_tlsmgr_submit(
	    mgr, tlsp_tlsmgr_entry_call(TLSP_TLSMGR_DELETE, cache_type,
	                                cache_id, NULL, 0, fn, ctx));
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_tktkey(struct tlsp_tlsmgr *mgr, const void *keyname, size_t len,
                   tlsp_tlsmgr_fn fn, void *ctx)
{
	struct tlsp_tlsmgr_call *call =
	    tlsp_tlsmgr_call_create(TLSP_TLSMGR_TKTKEY, fn, ctx);

	tlsp_tlsmgr_wire_tktkey(&call->req, keyname, len);
	return tlsp_tlsmgr_submit(mgr, call);
}

int
tlsp_tlsmgr_policy_sync(struct tlsp_tlsmgr *mgr, const char *cache_type,
                        struct tlsp_tlsmgr_reply *reply)
{
	struct tlsp_tlsmgr_call *call =
	    tlsp_tlsmgr_call_create(TLSP_TLSMGR_POLICY, NULL, NULL);

	tlsp_tlsmgr_wire_policy(&call->req, cache_type);
	return tlsp_tlsmgr_sync(mgr, call, reply, 0);
}

int
tlsp_tlsmgr_lookup_sync(struct tlsp_tlsmgr *mgr, const char *cache_type,
                        const char *cache_id, struct tlsp_tlsmgr_reply *reply)
{
	struct tlsp_tlsmgr_call *call = tlsp_tlsmgr_entry_call(
	    TLSP_TLSMGR_LOOKUP, cache_type, cache_id, NULL, 0, NULL, NULL);
	const struct buf *session = tlsp_tlsmgr_queue_cached(&mgr->queue, call);

	if (session == NULL || tlsp_tlsmgr_is_down(mgr))
		return tlsp_tlsmgr_sync(mgr, call, reply, 0);
	/* An update of the entry is still queued: its session is the answer. */
	tlsp_tlsmgr_call_free(call);
	tlsp_tlsmgr_queue_wipe(&mgr->sync_value);
	buf_append(&mgr->sync_value, session->data, session->len);
	memset(reply, 0, sizeof(*reply));
	reply->status = TLSP_TLSMGR_OK;
	reply->data = mgr->sync_value.data;
	reply->len = mgr->sync_value.len;
	return reply->status;
}

int
tlsp_tlsmgr_tktkey_sync(struct tlsp_tlsmgr *mgr, const void *keyname,
                        size_t len, struct tlsp_tlsmgr_reply *reply)
{
	struct tlsp_tlsmgr_call *call =
	    tlsp_tlsmgr_call_create(TLSP_TLSMGR_TKTKEY, NULL, NULL);

	tlsp_tlsmgr_wire_tktkey(&call->req, keyname, len);
	return tlsp_tlsmgr_sync(mgr, call, reply, 0);
}
