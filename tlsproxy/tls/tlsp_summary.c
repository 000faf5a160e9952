/*
 * tlsp_summary.c - the "<Status> TLS connection established ..." line
 *
 * Same grammar for tlsproxy's own line and for smtp(8)'s, which it
 * builds from the TLS_SESS_STATE we send, so the two must agree.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include "buf.h"
#include "tlsp_summary.h"

/* The leading word, from the peer_status bits. */
static const char *
tlsp_summary_status(int peer_status)
{
	if (!(peer_status & TLSP_PEER_PRESENT))
		return "Anonymous";
	if (peer_status & TLSP_PEER_SECURED)
		return "Verified";
	if (peer_status & TLSP_PEER_TRUSTED)
		return "Trusted";
	return "Untrusted";
}

/* " <label> <name>[ (<curve>)| (<n> bits)]" */
static void
tlsp_summary_alg(struct buf *out, const char *label, const char *name,
                 const char *curve, int bits)
{
	buf_printf(out, " %s %s", label, name);
	if (curve && *curve)
		buf_printf(out, " (%s)", curve);
	else if (bits > 0)
		buf_printf(out, " (%d bits)", bits);
}

/* A signature part with its optional digest, when name is non-empty. */
static void
tlsp_summary_sig(struct buf *out, const char *sig_label,
                 const char *digest_label, const char *name, const char *curve,
                 int bits, const char *digest)
{
	if (name == 0 || *name == 0)
		return;
	tlsp_summary_alg(out, sig_label, name, curve, bits);
	if (digest && *digest)
		buf_printf(out, " %s %s", digest_label, digest);
}

void
tlsp_summary_format(struct buf *out, const struct tlsp_tls_result *res,
                    int reused, const char *direction, const char *sni)
{
	int has_sni = sni && *sni;

	buf_printf(out,
	           "%s TLS connection %s %s %s%s%s: %s with cipher %s "
	           "(%d/%d bits)",
	           tlsp_summary_status(res->peer_status),
	           reused ? "reused" : "established", direction, res->namaddr,
	           has_sni ? " to " : "", has_sni ? sni : "",
	           res->cipher_protocol, res->cipher_name, res->cipher_usebits,
	           res->cipher_algbits);
	if (res->key_exchange && *res->key_exchange)
		tlsp_summary_alg(out, "key-exchange", res->key_exchange,
		                 res->key_exchange_curve,
		                 res->key_exchange_bits);
	tlsp_summary_sig(out, "server-signature", "server-digest",
	                 res->srvr_signature, res->srvr_signature_curve,
	                 res->srvr_signature_bits, res->srvr_signature_digest);
	tlsp_summary_sig(out, "client-signature", "client-digest",
	                 res->clnt_signature, res->clnt_signature_curve,
	                 res->clnt_signature_bits, res->clnt_signature_digest);
}
