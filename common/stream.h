/*
 * stream.h - non-blocking buffered stream over an IPC socket
 *
 * For attribute-list conversations on the event loop (scache requests,
 * tlsproxy request/status/context, the tlsmgr client). The owner gets
 * one callback with a small vocabulary and never blocks: input arrives
 * in a bounded buffer, output is queued and flushed as the socket allows,
 * and a stalled peer produces STREAM_TIMEOUT instead of a blocked
 * process. Every read goes through fdpass_read(), so a descriptor the
 * peer passes is kept for the owner to take, never swallowed.
 *
 * The callback may call anything here, including stream_free() on its
 * own stream; event interest is recomputed once, after it returns.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_STREAM_H
#define TLSREUSE_COMMON_STREAM_H

#include <stddef.h>

/* Unconsumed input a stream holds; a message must fit in it. */
#define STREAM_INPUT_LIMIT 65536

enum stream_event {
	STREAM_DATA,    /* new input (and maybe a descriptor) is buffered */
	STREAM_FLUSHED, /* all queued output has been written */
	STREAM_EOF,     /* the peer closed; no more input will come */
	STREAM_ERROR,   /* see stream_errno(); the stream is dead */
	STREAM_TIMEOUT, /* no I/O progress within the timeout */
};

struct stream;

typedef void (*stream_fn)(struct stream *s, enum stream_event ev, void *ctx);

/*
 * Takes ownership of the connected socket fd, makes it nonblocking and
 * starts reading. fn(s, event, ctx) is called from the event loop.
 */
struct stream *stream_create(int fd, stream_fn fn, void *ctx);

/*
 * Stops events and the timeout, closes the socket and any descriptor
 * held or queued, and frees s (NULL is fine). Inside the callback the
 * release is deferred until it returns; no further event is delivered.
 */
void stream_free(struct stream *s);

/* The socket, still owned by the stream. */
int stream_fd(const struct stream *s);

/*
 * The unconsumed input: *len bytes at the returned address, borrowed
 * until the next call on s or return to the event loop.
 */
const void *stream_data(const struct stream *s, size_t *len);

/* Drops the first n bytes of input; n beyond the input panics. */
void stream_consume(struct stream *s, size_t n);

/*
 * Returns the descriptor received with the input, now owned by the
 * caller, or -1, or FDPASS_FD_LOST (fdpass.h) if one came that this
 * process had no room for. A second descriptor arriving before the first
 * is taken is STREAM_ERROR (EBADMSG).
 */
int stream_take_fd(struct stream *s);

/* Queues len bytes for writing (copied). */
void stream_write(struct stream *s, const void *data, size_t len);

/*
 * Queues fd to be passed (fdpass_send) once the bytes queued so far are
 * written; takes ownership and closes it once sent. One at a time: a
 * second one queued before the first is sent panics.
 */
void stream_send_fd(struct stream *s, int fd);

/* Bytes still queued for writing. */
size_t stream_pending(const struct stream *s);

/*
 * Arms a timeout: when timeout_ms pass without a byte read or written,
 * the owner gets STREAM_TIMEOUT (once; calling this again re-arms it).
 * Every byte of progress restarts the clock. 0 disarms.
 */
void stream_set_timeout(struct stream *s, unsigned timeout_ms);

/*
 * Arms a deadline instead: STREAM_TIMEOUT timeout_ms from now, whatever
 * the progress (a peer that trickles bytes cannot move it); calling this
 * again, or stream_set_timeout(), replaces it. 0 disarms.
 */
void stream_set_deadline(struct stream *s, unsigned timeout_ms);

/*
 * Backpressure: while more than limit bytes of output are queued, no
 * input is read, so a peer that sends and never reads is held by its own
 * socket buffers, not by our memory. 0 (the default): no limit.
 */
void stream_set_output_limit(struct stream *s, size_t limit);

/*
 * After STREAM_ERROR: the errno value. EMSGSIZE: the owner left
 * STREAM_INPUT_LIMIT bytes unconsumed; EBADMSG: malformed control data
 * or a second descriptor; otherwise the recvmsg/send error. 0 if none.
 */
int stream_errno(const struct stream *s);

#endif
