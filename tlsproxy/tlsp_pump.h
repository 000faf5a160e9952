/*
 * tlsp_pump.h - the data path of an established proxied TLS session
 *
 * After the handshake, a pump moves plaintext between the local client's
 * socket (smtp(8), postscreen(8)) and an established SSL on the remote
 * socket, full duplex and non-blocking, on the event loop. It owns both
 * descriptors and the SSL from tlsp_pump_create() on, and releases all
 * three before it reports the end of the session:
 *
 *   plaintext EOF or error: what the client sent is written to the remote,
 *     then one close_notify (SSL_shutdown, not waiting for the peer's);
 *     what the pump already holds from the remote still goes to a client
 *     that only half-closed;
 *   remote close_notify, EOF or any TLS error: what the remote sent is
 *     written to the client, then the plaintext socket is closed, so a
 *     connection cache holding the client's end sees EOF and drops it;
 *   no byte moved either way for timeout_ms: the session ends.
 *
 * The process must ignore SIGPIPE, as master(8) children do. The SSL's
 * BIO must not close cipher_fd (SSL_set_fd() does not); read-ahead is
 * switched on, and the SSL's write BIO is replaced by the pump's own.
 *
 * Memory: two fixed buffers of TLSP_PUMP_BUFFER bytes, one per direction,
 * and one of TLSP_PUMP_WIRE bytes for the records on their way to the
 * remote socket, allocated on first use and released (with OpenSSL's own
 * record buffers)
 * when both have stayed empty for TLSP_PUMP_RELEASE_MS, as a connection
 * does while it waits in the cache; the next byte brings them back. The
 * release asks tlsp_heap.c to give the freed pages back.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_PUMP_H
#define TLSREUSE_TLSPROXY_TLSP_PUMP_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

/* Plaintext in one TLS record, and so the most one SSL_write() sends. */
#define TLSP_PUMP_RECORD 16384

/*
 * Bytes buffered per direction: four full records, so a busy session
 * reads and sends 64 KiB per system call (a loopback or LAN TCP segment
 * carries up to 64 KiB).
 */
#define TLSP_PUMP_BUFFER (4 * TLSP_PUMP_RECORD)

/* TLS record overhead allowed for (header, padding, tag, MAC), bytes. */
#define TLSP_PUMP_RECORD_OVERHEAD 256

/* Records queued for the remote socket: one buffer's worth. */
#define TLSP_PUMP_WIRE                                                         \
	(TLSP_PUMP_BUFFER / TLSP_PUMP_RECORD *                                 \
	 (TLSP_PUMP_RECORD + TLSP_PUMP_RECORD_OVERHEAD))

/*
 * Both buffers empty this long (milliseconds): release them. Long enough
 * to keep them through a burst (an SMTP transaction's exchanges follow
 * each other within a round trip), short enough that a connection parked
 * in the cache holds none: it waits there seconds.
 */
#define TLSP_PUMP_RELEASE_MS 100

struct tlsp_pump;

/*
 * Called once when the session has ended, after both descriptors are
 * closed and the SSL is freed. reason says why, for the log: "plaintext
 * EOF", "plaintext error: <errno text>", "remote close", "remote EOF",
 * "timeout", "TLS error: <text>"; borrowed, valid during the call. The
 * callback may call tlsp_pump_free() on the pump; the pump does nothing
 * after it returns.
 */
typedef void (*tlsp_pump_done_fn)(struct tlsp_pump *pump, const char *reason,
                                  void *ctx);

/*
 * Takes ownership of plain_fd (the local client), cipher_fd (the remote)
 * and ssl (established on cipher_fd), makes both sockets non-blocking and
 * starts pumping. timeout_ms > 0 is the inactivity limit. Never fails.
 */
struct tlsp_pump *tlsp_pump_create(int plain_fd, SSL *ssl, int cipher_fd,
                                   unsigned timeout_ms, tlsp_pump_done_fn done,
                                   void *ctx);

/*
 * Releases the pump. Before the done callback it also closes both
 * descriptors and frees the SSL without a close_notify, and the callback
 * never runs (for process exit). Accepts NULL.
 */
void tlsp_pump_free(struct tlsp_pump *pump);

struct tlsp_pump_stats {
	uint64_t to_remote; /* plaintext bytes accepted by SSL_write() */
	uint64_t to_plain;  /* plaintext bytes written to the client */
	uint64_t wakeups;   /* I/O events handled */
	uint64_t wire_sends; /* sendmsg() calls for records to the remote */
	size_t buffered;    /* bytes of pump buffers now allocated */
};

/* Fills *stats; valid at any time, also inside the done callback. */
void tlsp_pump_stats(const struct tlsp_pump *pump,
                     struct tlsp_pump_stats *stats);

#endif
