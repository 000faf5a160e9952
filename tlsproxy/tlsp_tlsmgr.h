/*
 * tlsp_tlsmgr.h - asynchronous client of tlsmgr(8)
 *
 * Session cache lookups and updates, PRNG seed, cache policy and session
 * ticket keys come from tlsmgr(8) over private/$tlsmgr_service_name
 * (doc/tlsproxy-protocol.md section 4). Stock tlsproxy asks synchronously
 * and can stall every session of the process; here each request is queued on a
 * non-blocking stream and its reply comes back through a callback from
 * the event loop. One request is in flight at a time (as stock sends
 * them), each bounded by TLSP_TLSMGR_TIMEOUT_MS. The order differs from
 * the order of the calls only where that makes lookups (which hold up a
 * handshake) wait less, never in what tlsmgr's cache ends up holding:
 * updates and deletes wait until a lookup was answered, or at most
 * TLSP_TLSMGR_WRITE_DELAY_MS, and repeated updates of one entry merge
 * (tlsp_tlsmgr_queue.h); a lookup of an entry whose update is still
 * queued is answered with that update's session, as tlsmgr would (also
 * by tlsp_tlsmgr_lookup_sync(), without any I/O).
 *
 * A tlsmgr that cannot be reached, stalls or answers garbage is logged
 * with one warning; pending requests get TLSP_TLSMGR_UNAVAILABLE, and
 * for TLSP_TLSMGR_HOLDOFF_MS new requests are refused at once (NULL), so
 * TLS carries on without a session cache. The next request after that
 * tries again; success after a warning is logged once as info.
 *
 * The connection is kept between requests and closed after
 * TLSP_TLSMGR_IDLE_MS without one (stock: ipc_idle). For OpenSSL
 * callbacks that cannot wait for the loop there are synchronous variants
 * on a second connection, each bounded by TLSP_TLSMGR_SYNC_MS.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_TLSMGR_H
#define TLSREUSE_TLSPROXY_TLSP_TLSMGR_H

#include <stddef.h>

#include "tlsp_tlsmgr_wire.h"

/* The status of a request no usable reply came for (the values tlsmgr
 * itself sends are in tlsp_tlsmgr_wire.h). */
#define TLSP_TLSMGR_UNAVAILABLE (-100)

/* Longest wait for the announcement or one reply (milliseconds). */
#define TLSP_TLSMGR_TIMEOUT_MS 2000

/* After a failure, requests are refused this long (milliseconds). */
#define TLSP_TLSMGR_HOLDOFF_MS 30000

/* Longest one synchronous request may block (milliseconds). */
#define TLSP_TLSMGR_SYNC_MS 500

/* An idle connection is closed after this long (milliseconds). */
#define TLSP_TLSMGR_IDLE_MS 5000

/* Longest an update or delete waits for a lookup to go first (ms). */
#define TLSP_TLSMGR_WRITE_DELAY_MS 500

/* Returns a connected socket to tlsmgr, or -1 with errno. */
typedef int (*tlsp_tlsmgr_connect_fn)(void *ctx);

struct tlsp_tlsmgr;
struct tlsp_tlsmgr_call;

/*
 * A client of the UNIX-domain socket at path (e.g. "private/tlsmgr",
 * relative to the queue directory). Connects on the first request.
 */
struct tlsp_tlsmgr *tlsp_tlsmgr_create(const char *path);

/* The same with another way to connect (tests); name is for the log. */
struct tlsp_tlsmgr *tlsp_tlsmgr_create_with(const char *name,
                                            tlsp_tlsmgr_connect_fn connect,
                                            void *ctx);

/* Closes the connection; pending callbacks never run. Accepts NULL. */
void tlsp_tlsmgr_free(struct tlsp_tlsmgr *mgr);

/*
 * Requests. Each returns a handle, or NULL while tlsmgr is known to be
 * down (fn is then never called). fn may be NULL to ignore the reply.
 * Strings and data are copied. The handle is valid until fn runs. An
 * update with fn NULL that was merged into a waiting one returns that
 * one's handle.
 */
struct tlsp_tlsmgr_call *tlsp_tlsmgr_seed(struct tlsp_tlsmgr *mgr, int size,
                                          tlsp_tlsmgr_fn fn, void *ctx);
struct tlsp_tlsmgr_call *tlsp_tlsmgr_policy(struct tlsp_tlsmgr *mgr,
                                            const char *cache_type,
                                            tlsp_tlsmgr_fn fn, void *ctx);
struct tlsp_tlsmgr_call *tlsp_tlsmgr_lookup(struct tlsp_tlsmgr *mgr,
                                            const char *cache_type,
                                            const char *cache_id,
                                            tlsp_tlsmgr_fn fn, void *ctx);
struct tlsp_tlsmgr_call *tlsp_tlsmgr_update(struct tlsp_tlsmgr *mgr,
                                            const char *cache_type,
                                            const char *cache_id,
                                            const void *session, size_t len,
                                            tlsp_tlsmgr_fn fn, void *ctx);
struct tlsp_tlsmgr_call *tlsp_tlsmgr_delete(struct tlsp_tlsmgr *mgr,
                                            const char *cache_type,
                                            const char *cache_id,
                                            tlsp_tlsmgr_fn fn, void *ctx);
struct tlsp_tlsmgr_call *tlsp_tlsmgr_tktkey(struct tlsp_tlsmgr *mgr,
                                            const void *keyname, size_t len,
                                            tlsp_tlsmgr_fn fn, void *ctx);

/*
 * For process exit: sends the updates and deletes still waiting (held
 * for a lookup), each as a synchronous call, while TLSP_TLSMGR_SYNC_MS
 * lasts in all; drops every other pending request without calling back.
 * Best effort: a tlsmgr that is going away too (postfix reload) is not
 * logged. Accepts NULL.
 */
void tlsp_tlsmgr_flush(struct tlsp_tlsmgr *mgr);

/*
 * Forgets the callback of a pending request (e.g. its session ended).
 * The request itself may still reach tlsmgr; its reply is discarded.
 */
void tlsp_tlsmgr_cancel(struct tlsp_tlsmgr_call *call);

/*
 * Synchronous variants, for OpenSSL callbacks that must answer before
 * they return (session-ticket keys, a server's session lookup, a new
 * SSL_CTX's policy). They use a connection of their own and block the
 * process at most TLSP_TLSMGR_SYNC_MS; failures follow the outage rules
 * above, and while tlsmgr is down they return at once. Each returns the
 * status (TLSP_TLSMGR_UNAVAILABLE without a reply) and fills *reply,
 * whose data stays valid until the next synchronous call on mgr.
 */
int tlsp_tlsmgr_policy_sync(struct tlsp_tlsmgr *mgr, const char *cache_type,
                            struct tlsp_tlsmgr_reply *reply);
int tlsp_tlsmgr_lookup_sync(struct tlsp_tlsmgr *mgr, const char *cache_type,
                            const char *cache_id,
                            struct tlsp_tlsmgr_reply *reply);
int tlsp_tlsmgr_tktkey_sync(struct tlsp_tlsmgr *mgr, const void *keyname,
                            size_t len, struct tlsp_tlsmgr_reply *reply);

#endif
