/*
 * tlsp_server_tlsmgr.c - the server engine's tlsmgr(8) service, for real
 *
 * Plugs tlsp_tlsmgr.c into struct tlsp_server_cache_ops. OpenSSL calls
 * the session lookup and ticket-key callbacks in the middle of a
 * handshake and needs the answer before they return, so those (and the
 * policy, asked once before the jail) use tlsmgr's synchronous calls;
 * a new session is handed over with the asynchronous update.
 *
 * Errors: any status but OK, a missing reply, or a keybuf of the wrong
 * length is "not available" (-1); tlsp_tlsmgr.c logs outages.
 * See also: doc/tlsproxy-protocol.md section 4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "tlsp_server_tlsmgr.h"

static int
tlsp_server_tlsmgr_policy(void *context, const char *cache_type, int *cachable,
                          int *timeout)
{
	struct tlsp_tlsmgr_reply reply;

	if (tlsp_tlsmgr_policy_sync(context, cache_type, &reply) !=
	    TLSP_TLSMGR_OK)
		return -1;
	*cachable = reply.cachable;
	*timeout = reply.timeout;
	return 0;
}

static int
tlsp_server_tlsmgr_lookup(void *context, const char *cache_type,
                          const char *cache_id, struct buf *session)
{
	struct tlsp_tlsmgr_reply reply;

	if (tlsp_tlsmgr_lookup_sync(context, cache_type, cache_id, &reply) !=
	        TLSP_TLSMGR_OK ||
	    reply.len == 0)
		return -1;
	buf_reset(session);
	buf_append(session, reply.data, reply.len);
	return 0;
}

static void
tlsp_server_tlsmgr_update(void *context, const char *cache_type,
                          const char *cache_id, const unsigned char *session,
                          size_t len)
{
	(void)tlsp_tlsmgr_update(context, cache_type, cache_id, session, len,
	                         NULL, NULL);
}

static int
tlsp_server_tlsmgr_tktkey(void *context, const unsigned char *name,
                          struct tlsp_tktkey *key)
{
	struct tlsp_tlsmgr_reply reply;

	/* No name: tlsmgr's current encryption key. */
	if (tlsp_tlsmgr_tktkey_sync(context, name ? (const void *)name : "",
	                            name ? TLSP_TKTKEY_NAMELEN : 0,
	                            &reply) != TLSP_TLSMGR_OK ||
	    reply.len != sizeof(*key))
		return -1;
	memcpy(key, reply.data, sizeof(*key));
	return 0;
}

void
tlsp_server_tlsmgr_ops(struct tlsp_tlsmgr *mgr,
                       struct tlsp_server_cache_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	if (mgr == NULL)
		return;
	ops->context = mgr;
	ops->policy = tlsp_server_tlsmgr_policy;
	ops->lookup = tlsp_server_tlsmgr_lookup;
	ops->update = tlsp_server_tlsmgr_update;
	ops->tktkey = tlsp_server_tlsmgr_tktkey;
}
