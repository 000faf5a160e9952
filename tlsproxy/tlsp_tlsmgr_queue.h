/*
 * tlsp_tlsmgr_queue.h - the order in which tlsmgr(8) requests go out
 *
 * The requests of the asynchronous tlsmgr client (tlsp_tlsmgr.c) wait
 * here; one at a time is on the wire. A lookup holds up a handshake; an
 * update or delete ("a write") holds up nobody, but costs tlsmgr the most
 * (it writes and syncs its database) and so delays whatever comes next.
 * Hence, within the rule that tlsmgr's cache ends up as it would with
 * every request sent in order:
 *
 *   a request other than a write goes ahead of the writes still waiting,
 *     unless it is a lookup of an entry one of them deletes (it then
 *     waits behind, and lets the writes go);
 *   writes are held until a lookup has been answered (tlsmgr then has the
 *     time of that handshake to do them) or the client lets them go (its
 *     timer, TLSP_TLSMGR_WRITE_DELAY_MS);
 *   an update nobody waits for replaces the one waiting for the same
 *     entry that nobody waits for either (tlsmgr would overwrite it: a
 *     TLS 1.3 server sends two tickets in a row);
 *   a lookup of an entry whose last queued request is an update can be
 *     answered with that update's session, without asking tlsmgr
 *     (tlsp_tlsmgr_queue_cached()).
 *
 * Pure: no I/O, no timers, no logging. Session blobs are wiped when a
 * call is freed.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_TLSMGR_QUEUE_H
#define TLSREUSE_TLSPROXY_TLSP_TLSMGR_QUEUE_H

#include <stddef.h>

#include "buf.h"
#include "tlsp_tlsmgr_wire.h"

/* One request, from the API call to its reply. */
struct tlsp_tlsmgr_call {
	struct tlsp_tlsmgr_call *next;
	enum tlsp_tlsmgr_kind kind;
	tlsp_tlsmgr_fn fn; /* NULL: nobody waits for the reply */
	void *ctx;
	int cancelled;      /* the caller no longer wants the reply */
	struct buf req;     /* the encoded request */
	char *entry;        /* lookup, update, delete: "type\0id", else NULL */
	size_t entry_len;   /* bytes of entry, both NULs but the last */
	struct buf session; /* update: the session sent (DER) */
};

struct tlsp_tlsmgr_queue {
	struct tlsp_tlsmgr_call *head, *tail;
	int sent;      /* the head is on the wire */
	int writes_go; /* waiting writes may be sent */
};

/*
 * A call, its request still to be encoded into req; entry calls also get
 * their entry (and an update its session) from tlsp_tlsmgr_call_entry().
 */
struct tlsp_tlsmgr_call *tlsp_tlsmgr_call_create(enum tlsp_tlsmgr_kind kind,
                                                 tlsp_tlsmgr_fn fn, void *ctx);

/* Records the entry (and the session, for an update) of a call. */
void tlsp_tlsmgr_call_entry(struct tlsp_tlsmgr_call *call,
                            const char *cache_type, const char *cache_id,
                            const void *session, size_t len);

/* Wipes a buffer that may hold a secret (a session, keys), frees it. */
void tlsp_tlsmgr_queue_wipe(struct buf *b);

/* Wipes and frees a call (NULL is fine). */
void tlsp_tlsmgr_call_free(struct tlsp_tlsmgr_call *call);

/*
 * Places call by the rules above and returns the call that carries it:
 * call itself, or the waiting update it was merged into (call is freed).
 */
struct tlsp_tlsmgr_call *tlsp_tlsmgr_queue_put(struct tlsp_tlsmgr_queue *q,
                                               struct tlsp_tlsmgr_call *call);

/*
 * The session of the last queued update of call's entry (on the wire or
 * not), if no delete of the entry is queued after it; else NULL.
 * Borrowed until the queue changes.
 */
const struct buf *tlsp_tlsmgr_queue_cached(const struct tlsp_tlsmgr_queue *q,
                                           const struct tlsp_tlsmgr_call *call);

/*
 * The call to write now, marked sent; NULL when one is on the wire, the
 * queue is empty, or only held writes wait (see _holding()). Cancelled
 * calls that never went out are freed on the way.
 */
struct tlsp_tlsmgr_call *tlsp_tlsmgr_queue_next(struct tlsp_tlsmgr_queue *q);

/* True if writes wait for a lookup or for _release_writes(). */
int tlsp_tlsmgr_queue_holding(const struct tlsp_tlsmgr_queue *q);

/* Lets the waiting writes go (a lookup was answered, or a timer ran). */
void tlsp_tlsmgr_queue_release_writes(struct tlsp_tlsmgr_queue *q);

/*
 * The reply to the call on the wire is in: takes it off and returns it
 * (the caller frees it). A lookup lets the waiting writes go. NULL, and
 * no change, if nothing was on the wire.
 */
struct tlsp_tlsmgr_call *tlsp_tlsmgr_queue_done(struct tlsp_tlsmgr_queue *q);

/* Empties the queue and returns its calls as a list, for an outage. */
struct tlsp_tlsmgr_call *tlsp_tlsmgr_queue_take_all(struct tlsp_tlsmgr_queue *q);

#endif
