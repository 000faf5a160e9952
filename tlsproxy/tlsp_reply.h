/*
 * tlsp_reply.h - what tlsproxy writes back: announcement, status, context
 *
 * Encoders for the lists tlsproxy sends on the plaintext socket
 * (doc/tlsproxy-protocol.md sections 2.1, 2.4, 2.6) and for the
 * plain-format key of the client SSL_CTX cache (section 1 there).
 * Each appends to a buf; none fails.
 *
 * The TLS_SESS_STATE layout depends on the peer's release family, which
 * parses it strictly; tlsp_reply_sess_state() emits exactly the pairs, in
 * the order, that family expects:
 *   3.6-3.8    22 pairs, peer_CN ... namaddr
 *   3.9        24: ctos_rpk, stoc_rpk after key_exchange_bits
 *   3.10-3.11  25: as 3.9, then rpt_reported after namaddr
 *   3.12-HEAD  26: as 3.10, then trace_size_limit
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_REPLY_H
#define TLSREUSE_TLSPROXY_TLSP_REPLY_H

#include "buf.h"
#include "tls/tlsp_tls.h"
#include "tlsp_request.h"

/* Appends the 28-byte greeting: protocol = tlsproxy_protocol. */
void tlsp_reply_announce(struct buf *out);

/* Appends the status list (1: the role's TLS engine is available). */
void tlsp_reply_status(struct buf *out, int status);

/*
 * Appends TLS_SESS_STATE from an engine's result in the layout of peer
 * (see above). NULL strings are sent as "", as the stock daemon does;
 * fields newer than the peer's family are not sent.
 */
void tlsp_reply_sess_state(struct buf *out, const struct tlsp_tls_result *res,
                           enum tlsp_peer_version peer);

/*
 * Appends the SSL_CTX cache key of init: its 14 pairs as name=value lines
 * in wire order, then an empty line. The strings come from the parser,
 * which refuses '\n' in any value.
 */
void tlsp_reply_init_key(struct buf *out, const struct tlsp_tls_init *init);

#endif
