/*
 * tlsp_eval.c - after the handshake: trust, match and session details
 *
 * The peer_status bits decide whether smtp(8) delivers: TRUSTED when
 * OpenSSL's verification (chain, DANE, host names, as configured by
 * tlsp_policy.c) succeeded; MATCHED and SECURED in addition at must-match
 * levels, except that half-dane is never SECURED. Nothing here looks at
 * names or digests itself, so the answer is OpenSSL's verdict under
 * Postfix's settings.
 *
 * See also: tls/tlsp_peer.c (the report both roles share).
 *
 * SPDX-License-Identifier: EPL-2.0
 */

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "msg.h"
#include "tls/tlsp_peer.h"
#include "tlsp_client_conn.h"
#include "tlsp_dane.h"
#include "tlsp_eval.h"

#define TLSP_EVAL_PEER_LOG                                                     \
	(TLSP_LOG_CERTMATCH | TLSP_LOG_VERBOSE | TLSP_LOG_PEERCERT)

/*
 * MATCHED and SECURED for a TRUSTED peer at a must-match level; no bit
 * at all under a forced failure, even for a resumed session.
 */
static void
tlsp_eval_match(struct tlsp_client_conn *conn, struct tlsp_tls_result *res)
{
	const char *peername;

	if (!(res->peer_status & TLSP_PEER_TRUSTED))
		return;
	/* A forced failure comes from the request: fail closed, never panic. */
	if (conn->forced_failure_type != 0) {
		res->peer_status &= ~TLSP_PEER_TRUSTED;
		return;
	}
	if (conn->tls.verify.must_fail)
		msg_panic("%s: cert valid despite trust init failure",
		          conn->tls.namaddr);
	if (!TLSP_LEV_MUST_MATCH(conn->level))
		return;
	if (conn->level != TLSP_LEV_HALF_DANE)
		res->peer_status |= TLSP_PEER_SECURED;
	res->peer_status |= TLSP_PEER_MATCHED;
	if (!(conn->tls.verify.log_mask & TLSP_EVAL_PEER_LOG))
		return;
	if ((peername = SSL_get0_peername(conn->tls.ssl)) != 0)
		msg_info("%s: matched peername: %s", conn->tls.namaddr,
		         peername);
	tlsp_dane_log(conn->tls.ssl, conn->level, conn->tls.namaddr);
}

/* Names, fingerprints and status bits of the peer certificate. */
static void
tlsp_eval_peer(struct tlsp_client_conn *conn, X509 *cert,
               struct tlsp_tls_result *res)
{
	tlsp_peer_cert(&conn->tls, cert, SSL_get0_peername(conn->tls.ssl),
	               conn->legacy_fprint, res);
	tlsp_eval_match(conn, res);
	if (!(res->peer_status & TLSP_PEER_MATCHED))
		tlsp_peer_untrusted(&conn->tls, res->session_reused,
		                    conn->props_namaddr);
	if (conn->tls.verify.log_mask & TLSP_EVAL_PEER_LOG)
		msg_info("%s: subject_CN=%s, issuer_CN=%s, fingerprint=%s, "
		         "pkey_fingerprint=%s",
		         conn->props_namaddr, res->peer_CN, res->issuer_CN,
		         res->peer_fingerprint, res->peer_pubkey_fingerprint);
}

void
tlsp_eval_result(struct tlsp_client_conn *conn, struct tlsp_tls_result *res)
{
	X509 *cert;

	tlsp_peer_begin(&conn->tls, "", res);
	if ((cert = SSL_get0_peer_certificate(conn->tls.ssl)) != 0)
		tlsp_eval_peer(conn, cert, res);
	res->level = conn->level;
	tlsp_peer_end(&conn->tls, 0, res);
}
