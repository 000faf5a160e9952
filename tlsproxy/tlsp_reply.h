/*
 * tlsp_reply.h - what tlsproxy writes back: announcement, status, context
 *
 * Encoders for the lists tlsproxy sends on the plaintext socket (spec
 * tlsproxy-protocol.md sections 4.2, 4.5, 4.9) and for the plain-format
 * key of the client SSL_CTX cache (spec tlsproxy-tls.md section 2.2).
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
#include "tlsp_request.h"

/*
 * The TLS results sent after the handshake. Strings are borrowed; NULL is
 * sent as "" (as the stock daemon does). Fields newer than the peer's
 * family are not sent.
 */
struct tlsp_sess_state {
	const char *peer_CN;
	const char *issuer_CN;
	const char *peer_fingerprint;
	const char *peer_pubkey_fingerprint;
	int level;
	int peer_status;
	const char *cipher_protocol;
	const char *cipher_name;
	int cipher_usebits;
	int cipher_algbits;
	const char *key_exchange;
	const char *key_exchange_curve;
	int key_exchange_bits;
	int ctos_rpk; /* 3.9+ */
	int stoc_rpk; /* 3.9+ */
	const char *clnt_signature;
	const char *clnt_signature_curve;
	int clnt_signature_bits;
	const char *clnt_signature_digest;
	const char *srvr_signature;
	const char *srvr_signature_curve;
	int srvr_signature_bits;
	const char *srvr_signature_digest;
	const char *namaddr;
	int rpt_reported;     /* 3.10+ */
	int trace_size_limit; /* 3.12-HEAD */
};

/* Appends the 28-byte greeting: protocol = tlsproxy_protocol. */
void tlsp_reply_announce(struct buf *out);

/* Appends the status list (1: the role's TLS engine is available). */
void tlsp_reply_status(struct buf *out, int status);

/* Appends TLS_SESS_STATE in the layout of peer (see above). */
void tlsp_reply_sess_state(struct buf *out, const struct tlsp_sess_state *st,
                           enum tlsp_peer_version peer);

/*
 * Appends the SSL_CTX cache key of init: its 14 pairs as name=value lines
 * in wire order, then an empty line. The strings come from the parser,
 * which refuses '\n' in any value.
 */
void tlsp_reply_init_key(struct buf *out,
                         const struct tlsp_client_init_props *init);

#endif
