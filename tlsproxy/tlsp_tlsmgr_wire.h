/*
 * tlsp_tlsmgr_wire.h - tlsmgr(8) requests and replies as attr0 lists
 *
 * The wire half of the tlsmgr client, pure: encoders append one whole
 * request list (terminator included) to a buf, exactly as stock
 * tlsproxy writes it; the decoder reads one reply list by name, so extra
 * attributes from another tlsmgr version are ignored. No I/O, no
 * logging. See doc/tlsproxy-protocol.md section 4; the captured bytes are
 * in tests/data/tlsmgr_golden.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_TLSMGR_WIRE_H
#define TLSREUSE_TLSPROXY_TLSP_TLSMGR_WIRE_H

#include <stddef.h>

#include "attr_dec.h"
#include "buf.h"

/* Reply status values (tlsmgr sends them printed unsigned). */
#define TLSP_TLSMGR_OK 0
#define TLSP_TLSMGR_ERR (-1) /* not found, or failed */
#define TLSP_TLSMGR_BAD (-2) /* tlsmgr rejected the request */

/* Most pairs in one reply list, bytes in one value, bytes in one list. */
#define TLSP_TLSMGR_PAIRS_MAX 8
#define TLSP_TLSMGR_VALUE_MAX 65536
#define TLSP_TLSMGR_LIST_MAX (TLSP_TLSMGR_VALUE_MAX + 4096)

/* One decoded reply; data points into the caller's buffer. */
struct tlsp_tlsmgr_reply {
	int status;       /* TLSP_TLSMGR_* or what tlsmgr sent */
	int cachable;     /* policy: a cache database is configured */
	int timeout;      /* policy: cache timeout in seconds */
	const void *data; /* seed, session or keybuf; borrowed */
	size_t len;
};

/*
 * Called once per request from the event loop. reply is borrowed for the
 * duration of the call; data is set only with status TLSP_TLSMGR_OK. The
 * callback may make or cancel requests, but not free the client.
 */
typedef void (*tlsp_tlsmgr_fn)(const struct tlsp_tlsmgr_reply *reply,
                               void *ctx);

enum tlsp_tlsmgr_kind {
	TLSP_TLSMGR_SEED,
	TLSP_TLSMGR_POLICY,
	TLSP_TLSMGR_LOOKUP,
	TLSP_TLSMGR_UPDATE,
	TLSP_TLSMGR_DELETE,
	TLSP_TLSMGR_TKTKEY,
};

/* Reply limits: TLSP_TLSMGR_PAIRS_MAX, _VALUE_MAX, _LIST_MAX. */
extern const struct attr_limits tlsp_tlsmgr_wire_limits;

/* request=seed, size. */
void tlsp_tlsmgr_wire_seed(struct buf *out, int size);

/* request=policy, cache_type. */
void tlsp_tlsmgr_wire_policy(struct buf *out, const char *cache_type);

/*
 * request=lookup|update|delete (kind), cache_type, cache_id, and for
 * update the session (DATA); session is ignored for the other kinds.
 * Any other kind panics.
 */
void tlsp_tlsmgr_wire_entry(struct buf *out, enum tlsp_tlsmgr_kind kind,
                            const char *cache_type, const char *cache_id,
                            const void *session, size_t len);

/* request=tktkey, keyname (DATA, empty for the current key). */
void tlsp_tlsmgr_wire_tktkey(struct buf *out, const void *keyname, size_t len);

/* 0 if list is exactly the announcement protocol=tlsmgr_protocol, else -1. */
int tlsp_tlsmgr_wire_hello(const struct attr_list *list);

/*
 * Decodes the reply to a request of this kind: status, for policy
 * cachable and timeout, for seed/lookup/tktkey the DATA value (decoded
 * into value; reply->data points there only when the status is OK).
 * Returns 0, or -1 when a required attribute is missing or malformed.
 */
int tlsp_tlsmgr_wire_decode(enum tlsp_tlsmgr_kind kind,
                            const struct attr_list *list, struct buf *value,
                            struct tlsp_tlsmgr_reply *reply);

#endif
