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
 * See also: spec tlsproxy-tls.md sections 2.6, 2.8, 2.11.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "buf.h"
#include "msg.h"
#include "tls/tlsp_certname.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_pktdump.h"
#include "tls/tlsp_result.h"
#include "tls/tlsp_sigparams.h"
#include "tls/tlsp_summary.h"
#include "tlsp_client_conn.h"
#include "tlsp_dane.h"
#include "tlsp_eval.h"

#define TLSP_EVAL_PEER_LOG                                                     \
	(TLSP_LOG_CERTMATCH | TLSP_LOG_VERBOSE | TLSP_LOG_PEERCERT)

/* TRUSTED, MATCHED, SECURED from the verify result and the level. */
static int
tlsp_eval_status(struct tlsp_client_conn *conn)
{
	int status = TLSP_PEER_PRESENT;
	const char *peername;

	if (SSL_get_verify_result(conn->ssl) != X509_V_OK)
		return status;
	/* A forced failure comes from the request: fail closed, never panic. */
	if (conn->forced_failure_type != 0)
		return status;
	status |= TLSP_PEER_TRUSTED;
	if (conn->verify.must_fail)
		msg_panic("%s: cert valid despite trust init failure",
		          conn->namaddr);
	if (!TLSP_LEV_MUST_MATCH(conn->level))
		return status;
	if (conn->level != TLSP_LEV_HALF_DANE)
		status |= TLSP_PEER_SECURED;
	status |= TLSP_PEER_MATCHED;
	if (!(conn->verify.log_mask & TLSP_EVAL_PEER_LOG))
		return status;
	if ((peername = SSL_get0_peername(conn->ssl)) != 0)
		msg_info("%s: matched peername: %s", conn->namaddr, peername);
	tlsp_dane_log(conn->ssl, conn->level, conn->namaddr);
	return status;
}

/* Names, fingerprints and status bits of the peer certificate. */
static void
tlsp_eval_peer(struct tlsp_client_conn *conn, X509 *cert, int reused,
               struct tlsp_tls_result *res)
{
	tlsp_result_adopt(&res->peer_fingerprint,
	                  tlsp_fprint_cert(cert, conn->mdalg));
	tlsp_result_adopt(
	    &res->peer_pubkey_fingerprint,
	    tlsp_fprint_pkey(cert, conn->mdalg, conn->legacy_fprint));
	tlsp_result_adopt(&res->issuer_CN,
	                  tlsp_certname_issuer(cert, conn->namaddr));
	tlsp_result_adopt(&res->peer_CN, tlsp_certname_subject(
	                                     cert, SSL_get0_peername(conn->ssl),
	                                     conn->namaddr));
	res->peer_status = tlsp_eval_status(conn);
	if (!(res->peer_status & TLSP_PEER_MATCHED) &&
	    (conn->verify.log_mask & TLSP_LOG_UNTRUSTED)) {
		if (!reused)
			tlsp_verify_log_error(&conn->verify);
		else
			msg_info(
			    "%s: re-using session with untrusted "
			    "certificate, look for details earlier in the log",
			    conn->props_namaddr);
	}
	if (conn->verify.log_mask & TLSP_EVAL_PEER_LOG)
		msg_info("%s: subject_CN=%s, issuer_CN=%s, fingerprint=%s, "
		         "pkey_fingerprint=%s",
		         conn->props_namaddr, res->peer_CN, res->issuer_CN,
		         res->peer_fingerprint, res->peer_pubkey_fingerprint);
}

/* The summary line, when the log mask asks for it. */
static void
tlsp_eval_summary(const struct tlsp_client_conn *conn,
                  const struct tlsp_tls_result *res)
{
	struct buf line;

	if (!(conn->verify.log_mask & TLSP_LOG_SUMMARY))
		return;
	buf_init(&line);
	tlsp_summary_format(&line, res, 0, "to", 0);
	msg_info("%s", buf_str(&line));
	buf_free(&line);
}

void
tlsp_eval_result(struct tlsp_client_conn *conn, struct tlsp_tls_result *res)
{
	X509 *cert;

	tlsp_result_init(res);
	if (!(conn->verify.log_mask & TLSP_LOG_ALLPKTS))
		tlsp_pktdump_enable(conn->ssl, 0);
	res->session_reused = SSL_session_reused(conn->ssl);
	if ((conn->verify.log_mask & TLSP_LOG_CACHE) && res->session_reused)
		msg_info("%s: Reusing old session", conn->namaddr);
	if ((cert = SSL_get0_peer_certificate(conn->ssl)) != 0)
		tlsp_eval_peer(conn, cert, res->session_reused, res);
	res->level = conn->level;
	tlsp_result_set(&res->namaddr, conn->namaddr);
	tlsp_result_cipher(conn->ssl, res);
	tlsp_sigparams_get(conn->ssl, res);
	tlsp_eval_summary(conn, res);
}
