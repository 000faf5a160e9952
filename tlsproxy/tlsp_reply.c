/*
 * tlsp_reply.c - encode tlsproxy's replies and the client SSL_CTX cache key
 *
 * TLS_SESS_STATE is one table in wire order; each row names the oldest
 * release family that expects it, so a peer gets exactly its own layout
 * (insertions in the middle included) and no unrequested extras.
 * Pure: appends to a buf, no I/O.
 *
 * See also: tlsp_request.c (which family a peer is);
 * doc/tlsproxy-protocol.md sections 2.1, 2.4, 2.6 and 5.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>

#include "attr_enc.h"
#include "attr_plain.h"
#include "buf.h"
#include "tlsp_reply.h"

enum tlsp_reply_type {
	TLSP_REPLY_STR,
	TLSP_REPLY_INT,
};

struct tlsp_reply_field {
	const char *name;
	enum tlsp_reply_type type;
	size_t offset;
	enum tlsp_peer_version since;
};

#define TLSP_REPLY_NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* clang-format off */
#define ST struct tlsp_tls_result
#define S(member, since)                                                   \
	{ #member, TLSP_REPLY_STR, offsetof(ST, member), since }
#define I(member, since)                                                   \
	{ #member, TLSP_REPLY_INT, offsetof(ST, member), since }
/* clang-format on */

static const struct tlsp_reply_field tlsp_reply_sess_fields[] = {
    S(peer_CN, TLSP_PEER_V36),
    S(issuer_CN, TLSP_PEER_V36),
    S(peer_fingerprint, TLSP_PEER_V36),
    S(peer_pubkey_fingerprint, TLSP_PEER_V36),
    I(level, TLSP_PEER_V36),
    I(peer_status, TLSP_PEER_V36),
    S(cipher_protocol, TLSP_PEER_V36),
    S(cipher_name, TLSP_PEER_V36),
    I(cipher_usebits, TLSP_PEER_V36),
    I(cipher_algbits, TLSP_PEER_V36),
    S(key_exchange, TLSP_PEER_V36),
    S(key_exchange_curve, TLSP_PEER_V36),
    I(key_exchange_bits, TLSP_PEER_V36),
    I(ctos_rpk, TLSP_PEER_V39),
    I(stoc_rpk, TLSP_PEER_V39),
    S(clnt_signature, TLSP_PEER_V36),
    S(clnt_signature_curve, TLSP_PEER_V36),
    I(clnt_signature_bits, TLSP_PEER_V36),
    S(clnt_signature_digest, TLSP_PEER_V36),
    S(srvr_signature, TLSP_PEER_V36),
    S(srvr_signature_curve, TLSP_PEER_V36),
    I(srvr_signature_bits, TLSP_PEER_V36),
    S(srvr_signature_digest, TLSP_PEER_V36),
    S(namaddr, TLSP_PEER_V36),
    I(rpt_reported, TLSP_PEER_V310),
    I(trace_size_limit, TLSP_PEER_HEAD),
};

#undef S
#undef I
#undef ST

void
tlsp_reply_announce(struct buf *out)
{
	attr_enc_str(out, "protocol", "tlsproxy_protocol");
	attr_enc_end(out);
}

void
tlsp_reply_status(struct buf *out, int status)
{
	attr_enc_int(out, "status", status);
	attr_enc_end(out);
}

void
tlsp_reply_sess_state(struct buf *out, const struct tlsp_tls_result *res,
                      enum tlsp_peer_version peer)
{
	const struct tlsp_reply_field *f;
	const char *member;
	const char *str;
	size_t i;

	for (i = 0; i < TLSP_REPLY_NELEM(tlsp_reply_sess_fields); i++) {
		f = tlsp_reply_sess_fields + i;
		if (f->since > peer)
			continue;
		member = (const char *)res + f->offset;
		if (f->type == TLSP_REPLY_INT) {
			attr_enc_int(out, f->name,
			             *(const int *)(const void *)member);
		} else {
			str = *(const char *const *)(const void *)member;
			attr_enc_str(out, f->name, str ? str : "");
		}
	}
	attr_enc_end(out);
}

void
tlsp_reply_init_key(struct buf *out, const struct tlsp_tls_init *init)
{
	attr_plain_str(out, "log_param", init->log_param);
	attr_plain_str(out, "log_level", init->log_level);
	attr_plain_int(out, "verifydepth", init->verifydepth);
	attr_plain_str(out, "cache_type", init->cache_type);
	attr_plain_str(out, "chain_files", init->chain_files);
	attr_plain_str(out, "cert_file", init->cert_file);
	attr_plain_str(out, "key_file", init->key_file);
	attr_plain_str(out, "dcert_file", init->dcert_file);
	attr_plain_str(out, "dkey_file", init->dkey_file);
	attr_plain_str(out, "eccert_file", init->eccert_file);
	attr_plain_str(out, "eckey_file", init->eckey_file);
	attr_plain_str(out, "CAfile", init->CAfile);
	attr_plain_str(out, "CApath", init->CApath);
	attr_plain_str(out, "mdalg", init->mdalg);
	attr_plain_end(out);
}
