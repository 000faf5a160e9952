/*
 * tlsp_server_tlsmgr.h - the server engine's tlsmgr(8) service, for real
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SERVER_TLSMGR_H
#define TLSREUSE_TLSPROXY_TLSP_SERVER_TLSMGR_H

#include "server_role/tlsp_server.h"
#include "tlsp_tlsmgr.h"

/*
 * Fills *ops so that the server engine's cache policy, session lookups
 * and ticket keys are synchronous requests to mgr (bounded by
 * TLSP_TLSMGR_SYNC_MS each), and session updates asynchronous ones whose
 * reply is ignored. A ticket key is accepted only when tlsmgr's keybuf is
 * exactly sizeof(struct tlsp_tktkey) bytes. There is no seed service
 * (OpenSSL 3 seeds itself; stock's per-session seed is only a top-up).
 * mgr is borrowed and must outlive every engine built from *ops; mgr
 * NULL leaves every service unavailable (all members NULL).
 */
void tlsp_server_tlsmgr_ops(struct tlsp_tlsmgr *mgr,
                            struct tlsp_server_cache_ops *ops);

#endif
