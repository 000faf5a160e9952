/*
 * tlsp_client_tlsmgr.c - client TLS session caching through tlsmgr(8)
 *
 * See tlsp_client_tlsmgr.h. The update is fire-and-forget: a lost update only
 * means a full handshake next time.
 *
 * See also: doc/tlsproxy-protocol.md section 4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>

#include "tlsp_client_tlsmgr.h"

/* tlsp_client_save_fn: hands a new session to tlsmgr. */
static void
tlsp_client_tlsmgr_save(void *arg, const char *cache_type, const char *cache_id,
                        const unsigned char *der, size_t len)
{
	(void)tlsp_tlsmgr_update(arg, cache_type, cache_id, der, len, NULL,
	                         NULL);
}

void
tlsp_client_tlsmgr_enable(struct tlsp_tlsmgr *mgr, struct tlsp_ctx *ctx)
{
	struct tlsp_tlsmgr_reply reply;
	const char *type = tlsp_ctx_cache_type(ctx);

	if (mgr == NULL || type == NULL || *type == 0)
		return;
	if (tlsp_tlsmgr_policy_sync(mgr, type, &reply) != TLSP_TLSMGR_OK)
		return;
	if (reply.cachable && reply.timeout > 0)
		tlsp_ctx_enable_cache(ctx, reply.timeout,
		                      tlsp_client_tlsmgr_save, mgr);
}
