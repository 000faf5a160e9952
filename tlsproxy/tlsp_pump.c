/*
 * tlsp_pump.c - the data path of an established proxied TLS session
 *
 * Two fixed ring buffers, one per direction, with a head offset and a
 * length: bytes are never moved, the plaintext side is read and written
 * with readv/sendmsg across the wrap, and SSL_write() gets up to one
 * full record (TLSP_PUMP_RECORD) of contiguous bytes. A retried
 * SSL_write() repeats the exact pointer and length (OpenSSL's rule): the
 * bytes stay at the ring's head until it succeeds.
 *
 * SSL_write() does not write the socket: the SSL's write BIO is the
 * pump's, which queues each record in a third ring, to_wire, and a turn
 * of the loop ends by sending all of it with one sendmsg() (a full ring
 * also sends at once, and a flush from OpenSSL, as after close_notify,
 * sends too). Where one write() per 16 KiB record was, one sendmsg() per
 * four records is: fewer system calls, fewer and fuller TCP segments,
 * for one more copy of the bytes in memory. Ciphertext on its way is
 * part of the session: TLS I/O ends (and close() may come) only once
 * to_wire is empty. With a TLS packet dump on, the socket BIO stays.
 *
 * Each of the four transfers (plaintext in, TLS out, TLS in, plaintext
 * out) runs until it blocks or its buffer is full or empty, in a loop
 * that stops when none moves a byte. A transfer that blocked waits for
 * its event: plaintext EAGAIN for the plaintext socket, SSL_ERROR_WANT_*
 * for the remote socket. tlsp_pump_arm() then maps those states and the
 * buffer levels to event interest, once per event, so a full buffer
 * silences the side that would fill it (backpressure) and nothing is
 * polled that cannot move.
 *
 * Read-ahead is on, so OpenSSL may hold whole records the socket no
 * longer shows: SSL_read is therefore retried whenever to_plain has room
 * and it did not last stop on SSL_ERROR_WANT_*, not only on events.
 *
 * One timer per session, due at the earliest of the inactivity deadline
 * and the idle release; it is re-armed lazily (only when it must fire
 * earlier), and its callback re-checks the real deadlines.
 *
 * Entry points: tlsp_pump_event() and tlsp_pump_timer_event(); each ends
 * with tlsp_pump_finish() or tlsp_pump_arm() and touches nothing after.
 * See also: doc/tlsproxy-protocol.md section 2.7.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "event.h"
#include "mem.h"
#include "msg.h"

#include "tlsp_heap.h"
#include "tlsp_pump.h"

/* Event interest not yet given to event.c. */
#define TLSP_PUMP_MASK_UNSET (~0u)

struct tlsp_ring {
	char *data;  /* size bytes, or NULL while released */
	size_t size; /* capacity, set once */
	size_t head; /* offset of the oldest byte */
	size_t len;  /* bytes held */
};

struct tlsp_pump {
	int plain_fd;
	int cipher_fd;
	SSL *ssl;
	unsigned timeout_ms;
	tlsp_pump_done_fn done;
	void *ctx;
	struct tlsp_ring to_remote; /* read from the client, for SSL_write */
	struct tlsp_ring to_plain;  /* from SSL_read, for the client */
	struct tlsp_ring to_wire;   /* records SSL_write made, for the socket */
	int wire_blocked;           /* sending to_wire gave EAGAIN */
	int shutdown_sent;          /* SSL_shutdown queued our close_notify */
	size_t write_len;           /* length of an SSL_write to retry */
	unsigned ssl_read_want;     /* EVENT_* that SSL_read waits for */
	unsigned ssl_write_want;    /* ... SSL_write */
	unsigned shutdown_want;     /* ... SSL_shutdown */
	int plain_read_blocked;     /* recv gave EAGAIN */
	int plain_write_blocked;    /* send gave EAGAIN */
	int plain_eof;              /* no more reading from the client */
	int plain_dead;             /* cannot write to the client: discard */
	int remote_done;            /* no more TLS I/O */
	int finished;               /* descriptors and SSL released */
	unsigned plain_mask;        /* interest last given to event.c */
	unsigned cipher_mask;
	uint64_t last_io;    /* event_now() when a byte last moved */
	uint64_t idle_since; /* when both buffers became empty, 0: busy */
	uint64_t timer_due;  /* when the timer runs, 0: not armed */
	char plain_why[100]; /* why the client side ended */
	char remote_why[100];
	struct tlsp_pump_stats stats;
};

static void tlsp_pump_event(int fd, unsigned events, void *ctx);
static void tlsp_pump_timer_event(void *ctx);

/* --- ring buffers */

/* Allocates the storage on first use or after a release. */
static void
tlsp_ring_need(struct tlsp_ring *r)
{
	if (r->data == NULL)
		r->data = xmalloc(r->size);
}

/* Frees the storage of an empty ring. */
static void
tlsp_ring_release(struct tlsp_ring *r)
{
	free(r->data);
	r->data = NULL;
	r->head = r->len = 0;
}

static size_t
tlsp_ring_room(const struct tlsp_ring *r)
{
	return r->size - r->len;
}

/* The held bytes as up to two pieces; returns the number of pieces. */
static int
tlsp_ring_data_iov(const struct tlsp_ring *r, struct iovec iov[2])
{
	size_t first = r->size - r->head;

	iov[0].iov_base = r->data + r->head;
	if (r->len <= first) {
		iov[0].iov_len = r->len;
		return 1;
	}
	iov[0].iov_len = first;
	iov[1].iov_base = r->data;
	iov[1].iov_len = r->len - first;
	return 2;
}

/* The free space as up to two pieces; returns the number of pieces. */
static int
tlsp_ring_room_iov(const struct tlsp_ring *r, struct iovec iov[2])
{
	size_t tail = (r->head + r->len) % r->size;
	size_t room = tlsp_ring_room(r);

	iov[0].iov_base = r->data + tail;
	if (tail + room <= r->size) {
		iov[0].iov_len = room;
		return 1;
	}
	iov[0].iov_len = r->size - tail;
	iov[1].iov_base = r->data;
	iov[1].iov_len = room - iov[0].iov_len;
	return 2;
}

static void
tlsp_ring_produce(struct tlsp_ring *r, size_t n)
{
	if (n > tlsp_ring_room(r))
		msg_panic("%s: %zu bytes, room for %zu", __func__, n,
		          tlsp_ring_room(r));
	r->len += n;
}

/* Drops n bytes from the head; an emptied ring starts over at 0. */
static void
tlsp_ring_consume(struct tlsp_ring *r, size_t n)
{
	if (n > r->len)
		msg_panic("%s: %zu bytes, only %zu held", __func__, n, r->len);
	r->len -= n;
	r->head = r->len == 0 ? 0 : (r->head + n) % r->size;
}

/* --- endings */

/* Records why the remote side ended; stops all TLS I/O. */
static void
tlsp_pump_remote_end(struct tlsp_pump *p, const char *why)
{
	p->remote_done = 1;
	p->ssl_read_want = p->ssl_write_want = p->shutdown_want = 0;
	p->write_len = 0;
	p->wire_blocked = 0;
	tlsp_ring_consume(&p->to_remote, p->to_remote.len);
	tlsp_ring_consume(&p->to_wire, p->to_wire.len);
	snprintf(p->remote_why, sizeof(p->remote_why), "%s", why);
}

/* Records a failed TLS call, naming what failed. */
static void
tlsp_pump_tls_fail(struct tlsp_pump *p, int err)
{
	unsigned long code = ERR_peek_error();
	const char *text;
	char why[100];

	if (err == SSL_ERROR_ZERO_RETURN) {
		tlsp_pump_remote_end(p, "remote close");
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	} else if (err == SSL_ERROR_SSL &&
	           ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		tlsp_pump_remote_end(p, "remote EOF");
#endif
	} else if (err == SSL_ERROR_SYSCALL && code == 0) {
		snprintf(why, sizeof(why), "TLS error: %s",
		         errno != 0 ? strerror(errno) : "unexpected EOF");
		tlsp_pump_remote_end(p, why);
	} else {
		text = code != 0 ? ERR_reason_error_string(code) : NULL;
		snprintf(why, sizeof(why), "TLS error: %s",
		         text != NULL ? text : "unknown");
		tlsp_pump_remote_end(p, why);
	}
	ERR_clear_error();
}

/* Records why the client side ended; an error also stops writing. */
static void
tlsp_pump_plain_end(struct tlsp_pump *p, int err)
{
	p->plain_eof = 1;
	if (err != 0) {
		p->plain_dead = 1;
		tlsp_ring_consume(&p->to_plain, p->to_plain.len);
	}
	if (p->plain_why[0] == 0)
		snprintf(p->plain_why, sizeof(p->plain_why), "%s%s",
		         err != 0 ? "plaintext error: " : "plaintext EOF",
		         err != 0 ? strerror(err) : "");
}

/* Maps an SSL_ERROR_WANT_* to the event it waits for, else 0. */
static unsigned
tlsp_pump_want(int err)
{
	if (err == SSL_ERROR_WANT_READ)
		return EVENT_READ;
	if (err == SSL_ERROR_WANT_WRITE)
		return EVENT_WRITE;
	return 0;
}

/* --- records to the wire */

/*
 * Sends what to_wire holds. Returns 1 if all of it went (or there was
 * nothing), 0 if the socket is full (wire_blocked), -1 after a send
 * error, with errno.
 */
static int
tlsp_pump_wire_send(struct tlsp_pump *p)
{
	struct tlsp_ring *r = &p->to_wire;
	struct msghdr msg = {0};
	struct iovec iov[2];
	ssize_t n;

	while (r->len > 0) {
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)tlsp_ring_data_iov(r, iov);
		do
			n = sendmsg(p->cipher_fd, &msg, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			p->wire_blocked = 1;
			return 0;
		}
		if (n < 0)
			return -1;
		p->stats.wire_sends++;
		tlsp_ring_consume(r, (size_t)n);
		p->last_io = event_now();
	}
	return 1;
}

/* BIO write: queues a record OpenSSL made; sends when the ring is full. */
static int
tlsp_pump_bio_write(BIO *bio, const char *data, int len)
{
	struct tlsp_pump *p = BIO_get_data(bio);
	struct tlsp_ring *r = &p->to_wire;
	struct iovec iov[2];
	size_t n, done = 0;
	int cnt, i;

	BIO_clear_retry_flags(bio);
	tlsp_ring_need(r);
	if (tlsp_ring_room(r) < (size_t)len) {
		if (p->wire_blocked || tlsp_pump_wire_send(p) < 0) {
			if (p->wire_blocked)
				BIO_set_retry_write(bio);
			return -1;
		}
	}
	cnt = tlsp_ring_room_iov(r, iov);
	for (i = 0; i < cnt && done < (size_t)len; i++) {
		n = (size_t)len - done < iov[i].iov_len ? (size_t)len - done
		                                         : iov[i].iov_len;
		memcpy(iov[i].iov_base, data + done, n);
		done += n;
	}
	tlsp_ring_produce(r, done);
	return (int)done;
}

/* BIO ctrl: a flush sends; the rest is what a sink BIO answers. */
static long
tlsp_pump_bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
	struct tlsp_pump *p = BIO_get_data(bio);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		BIO_clear_retry_flags(bio);
		if (p->wire_blocked) {
			BIO_set_retry_write(bio);
			return 0;
		}
		switch (tlsp_pump_wire_send(p)) {
		case 1:
			return 1;
		case 0:
			BIO_set_retry_write(bio);
			return 0;
		default:
			return -1;
		}
	case BIO_CTRL_WPENDING:
		return (long)p->to_wire.len;
	case BIO_CTRL_PENDING:
		return 0;
	case BIO_CTRL_DUP:
	case BIO_CTRL_PUSH:
	case BIO_CTRL_POP:
		return 1;
	default:
		return 0;
	}
}

/* The method of the pump's write BIO, made once per process. */
static const BIO_METHOD *
tlsp_pump_bio_method(void)
{
	static BIO_METHOD *method;

	if (method == NULL &&
	    ((method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
	                            "tlsproxy pump")) == NULL ||
	     !BIO_meth_set_write(method, tlsp_pump_bio_write) ||
	     !BIO_meth_set_ctrl(method, tlsp_pump_bio_ctrl)))
		msg_fatal("%s: cannot make a BIO method", __func__);
	return method;
}

/*
 * Puts the pump's BIO between SSL_write and the remote socket, so that
 * the records of one run leave in one sendmsg() (up to TLSP_PUMP_WIRE
 * bytes) rather than one write() each. Not while TLS packets are dumped
 * (a callback on the socket BIO): those writes go to the socket as
 * before, and are dumped as stock dumps them. Not when the kernel does
 * the records (kernel TLS, which OpenSSL's configuration can turn on
 * with Options = KTLS): the socket BIO must then get the plaintext.
 */
static void
tlsp_pump_bio_attach(struct tlsp_pump *p)
{
	BIO *wbio = SSL_get_wbio(p->ssl), *bio;

	if (BIO_get_callback_ex(wbio) != NULL || BIO_get_ktls_send(wbio))
		return;
	if ((bio = BIO_new(tlsp_pump_bio_method())) == NULL)
		msg_fatal("%s: cannot make a BIO", __func__);
	BIO_set_data(bio, p);
	BIO_set_init(bio, 1);
	SSL_set0_wbio(p->ssl, bio);
}

/* to_wire to the socket; 1 if its state changed. */
static int
tlsp_pump_wire_out(struct tlsp_pump *p)
{
	char why[100];

	if (p->remote_done || p->wire_blocked || p->to_wire.len == 0)
		return 0;
	if (tlsp_pump_wire_send(p) >= 0)
		return 1;
	snprintf(why, sizeof(why), "TLS error: %s", strerror(errno));
	tlsp_pump_remote_end(p, why);
	return 1;
}

/* --- the four transfers; each returns 1 if its state changed */

/* Client to to_remote. */
static int
tlsp_pump_plain_in(struct tlsp_pump *p)
{
	struct iovec iov[2];
	ssize_t n;
	int cnt;

	if (p->plain_eof || p->remote_done || p->plain_read_blocked ||
	    tlsp_ring_room(&p->to_remote) == 0)
		return 0;
	tlsp_ring_need(&p->to_remote);
	cnt = tlsp_ring_room_iov(&p->to_remote, iov);
	do
		n = readv(p->plain_fd, iov, cnt);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		p->plain_read_blocked = 1;
		return 0;
	}
	if (n <= 0) {
		tlsp_pump_plain_end(p, n < 0 ? errno : 0);
		return 1;
	}
	tlsp_ring_produce(&p->to_remote, (size_t)n);
	p->last_io = event_now();
	return 1;
}

/* to_remote to SSL_write, one record at most per call. */
static int
tlsp_pump_tls_out(struct tlsp_pump *p)
{
	struct tlsp_ring *r = &p->to_remote;
	size_t len = p->write_len;
	int n, err;

	if (p->remote_done || p->ssl_write_want != 0 || r->len == 0)
		return 0;
	if (len == 0) {
		len = r->size - r->head;
		if (len > r->len)
			len = r->len;
		if (len > TLSP_PUMP_RECORD)
			len = TLSP_PUMP_RECORD;
	}
	ERR_clear_error();
	n = SSL_write(p->ssl, r->data + r->head, (int)len);
	if (n > 0) {
		p->write_len = 0;
		tlsp_ring_consume(r, (size_t)n);
		p->stats.to_remote += (uint64_t)n;
		p->last_io = event_now();
		return 1;
	}
	err = SSL_get_error(p->ssl, n);
	if ((p->ssl_write_want = tlsp_pump_want(err)) != 0) {
		p->write_len = len;
		return 0;
	}
	tlsp_pump_tls_fail(p, err);
	return 1;
}

/* SSL_read to to_plain. */
static int
tlsp_pump_tls_in(struct tlsp_pump *p)
{
	struct tlsp_ring *r = &p->to_plain;
	struct iovec iov[2];
	size_t n;
	int err;

	if (p->remote_done || p->ssl_read_want != 0 || tlsp_ring_room(r) == 0)
		return 0;
	tlsp_ring_need(r);
	(void)tlsp_ring_room_iov(r, iov);
	ERR_clear_error();
	if (SSL_read_ex(p->ssl, iov[0].iov_base, iov[0].iov_len, &n) == 1) {
		tlsp_ring_produce(r, n);
		p->last_io = event_now();
		return 1;
	}
	err = SSL_get_error(p->ssl, 0);
	if ((p->ssl_read_want = tlsp_pump_want(err)) != 0)
		return 0;
	tlsp_pump_tls_fail(p, err);
	return 1;
}

/* to_plain to the client (discarded once the client is gone). */
static int
tlsp_pump_plain_out(struct tlsp_pump *p)
{
	struct tlsp_ring *r = &p->to_plain;
	struct msghdr msg = {0};
	struct iovec iov[2];
	ssize_t n;

	if (r->len == 0 || p->plain_write_blocked)
		return 0;
	if (p->plain_dead) {
		tlsp_ring_consume(r, r->len);
		return 1;
	}
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)tlsp_ring_data_iov(r, iov);
	do
		n = sendmsg(p->plain_fd, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		p->plain_write_blocked = 1;
		return 0;
	}
	if (n < 0) {
		tlsp_pump_plain_end(p, errno);
		return 1;
	}
	tlsp_ring_consume(r, (size_t)n);
	p->stats.to_plain += (uint64_t)n;
	p->last_io = event_now();
	return 1;
}

/* --- strategy */

/*
 * Returns the reason once the session is over, else NULL. A finished
 * client side waits for to_remote to drain, then sends one close_notify
 * and ends all TLS I/O. Once TLS I/O has ended, for either reason, the
 * session waits for to_plain to drain (a client that only half-closed
 * still gets what the remote had sent).
 */
static const char *
tlsp_pump_ending(struct tlsp_pump *p)
{
	int ret;

	if (!p->remote_done && p->plain_eof && p->to_remote.len == 0 &&
	    p->shutdown_want == 0) {
		if (!p->shutdown_sent) {
			ERR_clear_error();
			ret = SSL_shutdown(p->ssl);
			if (ret < 0 && (p->shutdown_want = tlsp_pump_want(
			                    SSL_get_error(p->ssl, ret))) != 0)
				return NULL;
			ERR_clear_error();
			p->shutdown_sent = 1;
		}
		/* What SSL_write queued, close_notify last, must reach the
		 * socket before TLS I/O ends. */
		if (tlsp_pump_wire_out(p), p->to_wire.len > 0 && !p->remote_done)
			return NULL;
		if (!p->remote_done)
			tlsp_pump_remote_end(p, p->plain_why);
	}
	if (p->remote_done)
		return p->to_plain.len == 0 ? p->remote_why : NULL;
	return NULL;
}

/* Moves bytes until nothing moves; returns the reason once over. */
static const char *
tlsp_pump_run(struct tlsp_pump *p)
{
	int moved;

	do {
		moved = tlsp_pump_plain_in(p);
		/* Whole buffers per turn: fewer, larger socket calls. */
		while (tlsp_pump_tls_out(p))
			moved = 1;
		moved |= tlsp_pump_wire_out(p);
		while (tlsp_pump_tls_in(p))
			moved = 1;
		moved |= tlsp_pump_plain_out(p);
	} while (moved);
	return tlsp_pump_ending(p);
}

/* Sets fd's interest to mask unless it already is. */
static void
tlsp_pump_interest(struct tlsp_pump *p, int fd, unsigned *cur, unsigned mask)
{
	if (*cur != mask) {
		event_set(fd, mask, tlsp_pump_event, p);
		*cur = mask;
	}
}

/*
 * The one place that turns transfer states into event interest (a full
 * buffer silences the side that fills it), and keeps the timer due at
 * the inactivity deadline or the idle release, whichever comes first.
 */
static void
tlsp_pump_arm(struct tlsp_pump *p)
{
	unsigned plain = 0, cipher = 0;
	uint64_t due;

	if (p->plain_read_blocked && !p->plain_eof && !p->remote_done &&
	    tlsp_ring_room(&p->to_remote) > 0)
		plain |= EVENT_READ;
	if (p->plain_write_blocked && p->to_plain.len > 0)
		plain |= EVENT_WRITE;
	if (tlsp_ring_room(&p->to_plain) > 0)
		cipher |= p->ssl_read_want;
	cipher |= p->ssl_write_want | p->shutdown_want;
	if (p->wire_blocked && p->to_wire.len > 0)
		cipher |= EVENT_WRITE;
	tlsp_pump_interest(p, p->plain_fd, &p->plain_mask, plain);
	tlsp_pump_interest(p, p->cipher_fd, &p->cipher_mask, cipher);

	due = p->last_io + p->timeout_ms;
	if (p->to_remote.len == 0 && p->to_plain.len == 0 &&
	    p->to_wire.len == 0 &&
	    (p->to_remote.data != NULL || p->to_plain.data != NULL ||
	     p->to_wire.data != NULL)) {
		if (p->idle_since == 0)
			p->idle_since = event_now();
		if (p->idle_since + TLSP_PUMP_RELEASE_MS < due)
			due = p->idle_since + TLSP_PUMP_RELEASE_MS;
	} else {
		p->idle_since = 0;
	}
	if (p->timer_due == 0 || due < p->timer_due) {
		p->timer_due = due;
		event_timer_set(tlsp_pump_timer_event, p,
		                due > event_now() ? due - event_now() : 0);
	}
}

/*
 * Discards client bytes that nobody will read (at most one buffer's
 * worth): closing a UNIX-domain socket with unread input makes the peer
 * read ECONNRESET instead of EOF.
 */
static void
tlsp_pump_drain_plain(struct tlsp_pump *p)
{
	char junk[4096];
	size_t total = 0;
	ssize_t n;

	while (total < TLSP_PUMP_BUFFER &&
	       (n = recv(p->plain_fd, junk, sizeof(junk), MSG_DONTWAIT)) > 0)
		total += (size_t)n;
}

/* Releases descriptors, SSL, buffers, events and the timer. */
static void
tlsp_pump_release(struct tlsp_pump *p)
{
	event_clear(p->plain_fd);
	event_clear(p->cipher_fd);
	if (!p->plain_eof)
		tlsp_pump_drain_plain(p);
	(void)close(p->plain_fd);
	(void)close(p->cipher_fd);
	SSL_free(p->ssl);
	p->ssl = NULL;
	tlsp_ring_release(&p->to_remote);
	tlsp_ring_release(&p->to_plain);
	tlsp_ring_release(&p->to_wire);
	(void)event_timer_cancel(tlsp_pump_timer_event, p);
	p->finished = 1;
}

/* Ends the session and tells the owner; p may be gone afterwards. */
static void
tlsp_pump_finish(struct tlsp_pump *p, const char *reason)
{
	tlsp_pump_release(p);
	p->done(p, reason, p->ctx);
}

/* --- entry points */

/* I/O callback: unblock what the event serves, move bytes, re-arm. */
static void
tlsp_pump_event(int fd, unsigned events, void *ctx)
{
	struct tlsp_pump *p = ctx;
	const char *reason;

	p->stats.wakeups++;
	if (fd == p->plain_fd) {
		if (events & EVENT_READ)
			p->plain_read_blocked = 0;
		if (events & EVENT_WRITE)
			p->plain_write_blocked = 0;
	} else {
		if (events & EVENT_WRITE)
			p->wire_blocked = 0;
		if (p->ssl_read_want & events)
			p->ssl_read_want = 0;
		if (p->ssl_write_want & events)
			p->ssl_write_want = 0;
		if (p->shutdown_want & events)
			p->shutdown_want = 0;
	}
	if ((reason = tlsp_pump_run(p)) != NULL)
		tlsp_pump_finish(p, reason);
	else
		tlsp_pump_arm(p);
}

/*
 * Timer callback: the inactivity limit, the idle release, and the first
 * run after create (due at once, for bytes OpenSSL already holds).
 */
static void
tlsp_pump_timer_event(void *ctx)
{
	struct tlsp_pump *p = ctx;
	uint64_t now = event_now();
	const char *reason;

	p->timer_due = 0;
	if (now >= p->last_io + p->timeout_ms) {
		/* One close_notify attempt, as for a client EOF; no waiting. */
		if (!p->remote_done) {
			ERR_clear_error();
			(void)SSL_shutdown(p->ssl);
			ERR_clear_error();
		}
		tlsp_pump_finish(p, "timeout");
		return;
	}
	if (p->idle_since != 0 && now >= p->idle_since + TLSP_PUMP_RELEASE_MS) {
		tlsp_ring_release(&p->to_remote);
		tlsp_ring_release(&p->to_plain);
		tlsp_ring_release(&p->to_wire);
		(void)SSL_free_buffers(p->ssl);
		p->idle_since = 0;
		tlsp_heap_trim_soon();
	}
	if ((reason = tlsp_pump_run(p)) != NULL)
		tlsp_pump_finish(p, reason);
	else
		tlsp_pump_arm(p);
}

/* --- public */

/* Makes fd non-blocking; fatal if the kernel refuses (not peer input). */
static void
tlsp_pump_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || ((flags & O_NONBLOCK) == 0 &&
	                  fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0))
		msg_fatal("%s: fcntl fd %d: %m", __func__, fd);
}

struct tlsp_pump *
tlsp_pump_create(int plain_fd, SSL *ssl, int cipher_fd, unsigned timeout_ms,
                 tlsp_pump_done_fn done, void *ctx)
{
	struct tlsp_pump *p;

	if (plain_fd < 0 || cipher_fd < 0 || plain_fd == cipher_fd ||
	    ssl == NULL || done == NULL || timeout_ms == 0)
		msg_panic("%s: bad arguments", __func__);
	tlsp_pump_nonblock(plain_fd);
	tlsp_pump_nonblock(cipher_fd);
	p = xcalloc(1, sizeof(*p));
	p->plain_fd = plain_fd;
	p->cipher_fd = cipher_fd;
	p->ssl = ssl;
	p->to_remote.size = p->to_plain.size = TLSP_PUMP_BUFFER;
	p->to_wire.size = TLSP_PUMP_WIRE;
	/* One read() per record instead of header and body apart. */
	SSL_set_read_ahead(ssl, 1);
	tlsp_pump_bio_attach(p);
	p->timeout_ms = timeout_ms;
	p->done = done;
	p->ctx = ctx;
	p->plain_mask = p->cipher_mask = TLSP_PUMP_MASK_UNSET;
	p->last_io = event_now_refresh();
	/* The first run comes from the loop, never from inside create. */
	p->timer_due = p->last_io;
	event_timer_set(tlsp_pump_timer_event, p, 0);
	return p;
}

void
tlsp_pump_free(struct tlsp_pump *p)
{
	if (p == NULL)
		return;
	if (!p->finished)
		tlsp_pump_release(p);
	free(p);
}

void
tlsp_pump_stats(const struct tlsp_pump *p, struct tlsp_pump_stats *stats)
{
	*stats = p->stats;
	stats->buffered = (p->to_remote.data != NULL ? TLSP_PUMP_BUFFER : 0) +
	                  (p->to_plain.data != NULL ? TLSP_PUMP_BUFFER : 0) +
	                  (p->to_wire.data != NULL ? TLSP_PUMP_WIRE : 0);
}
