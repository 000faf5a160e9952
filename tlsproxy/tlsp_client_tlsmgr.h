/*
 * tlsp_client_tlsmgr.h - client TLS session caching through tlsmgr(8)
 *
 * Connects the engine's per-context session cache (tlsp_ctx.h,
 * tlsp_resume.h) to tlsmgr(8) (tlsp_tlsmgr.h), as stock tlsproxy does
 * for the client role: when a
 * context is built, tlsmgr's "policy" for its cache type decides whether
 * sessions are cached and for how long; new sessions are then stored with
 * "update", and before each handshake "lookup" offers a cached one.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_CLIENT_TLSMGR_H
#define TLSREUSE_TLSPROXY_TLSP_CLIENT_TLSMGR_H

#include "client_role/tlsp_ctx.h"
#include "tlsp_tlsmgr.h"

/*
 * Asks tlsmgr (synchronously, bounded by TLSP_TLSMGR_SYNC_MS) for the
 * cache policy of ctx's cache type; if the cache is usable (cachable,
 * timeout > 0), turns session caching on for ctx with new sessions going
 * to tlsmgr "update". Otherwise ctx stays without a cache, as stock does
 * when tlsmgr cannot be asked. mgr must outlive ctx. mgr NULL: no-op.
 */
void tlsp_client_tlsmgr_enable(struct tlsp_tlsmgr *mgr, struct tlsp_ctx *ctx);

#endif
