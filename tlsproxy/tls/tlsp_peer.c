/*
 * tlsp_peer.c - what a finished handshake says about the peer, either role
 *
 * One report for both engines, so that smtp(8) and the logs see the
 * client role's and the server role's handshakes alike: the same result
 * fields, the same reuse, untrusted-certificate and summary lines. What
 * differs stays with the role: which status bits a certificate earns
 * (only the client role matches names) and the wording of the
 * certificate line.
 *
 * Errors: none; a name or fingerprint that cannot be had is left "" (a
 * malformed name after Postfix's warning).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "buf.h"
#include "msg.h"
#include "tlsp_certname.h"
#include "tlsp_fprint.h"
#include "tlsp_pktdump.h"
#include "tlsp_result.h"
#include "tlsp_sigparams.h"
#include "tlsp_summary.h"
#include "tlsp_peer.h"

void
tlsp_peer_begin(const struct tlsp_conn *c, const char *note,
                struct tlsp_tls_result *res)
{
	if (!(c->verify.log_mask & TLSP_LOG_ALLPKTS))
		tlsp_pktdump_enable(c->ssl, 0);
	tlsp_result_init(res);
	res->session_reused = SSL_session_reused(c->ssl);
	if ((c->verify.log_mask & TLSP_LOG_CACHE) && res->session_reused)
		msg_info("%s: Reusing old session%s", c->namaddr, note);
}

void
tlsp_peer_cert(const struct tlsp_conn *c, X509 *cert, const char *peername,
               int legacy, struct tlsp_tls_result *res)
{
	res->peer_status = TLSP_PEER_PRESENT;
	if (SSL_get_verify_result(c->ssl) == X509_V_OK)
		res->peer_status |= TLSP_PEER_TRUSTED;
	/* Stock's client reads the issuer first, its server the subject. */
	if (c->verify.am_server)
		tlsp_result_adopt(
		    &res->peer_CN,
		    tlsp_certname_subject(cert, peername, c->namaddr));
	tlsp_result_adopt(&res->issuer_CN,
	                  tlsp_certname_issuer(cert, c->namaddr));
	if (!c->verify.am_server)
		tlsp_result_adopt(
		    &res->peer_CN,
		    tlsp_certname_subject(cert, peername, c->namaddr));
	tlsp_result_adopt(&res->peer_fingerprint,
	                  tlsp_fprint_cert(cert, c->mdalg));
	tlsp_result_adopt(&res->peer_pubkey_fingerprint,
	                  tlsp_fprint_pkey(cert, c->mdalg, legacy));
}

void
tlsp_peer_untrusted(const struct tlsp_conn *c, int reused, const char *namaddr)
{
	if (!(c->verify.log_mask & TLSP_LOG_UNTRUSTED))
		return;
	if (!reused)
		tlsp_verify_log_error(&c->verify);
	else
		msg_info("%s: re-using session with untrusted certificate, "
		         "look for details earlier in the log",
		         namaddr);
}

/* The negotiated protocol and cipher. */
static void
tlsp_peer_cipher(SSL *ssl, struct tlsp_tls_result *res)
{
	const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);

	tlsp_result_set(&res->cipher_protocol, SSL_get_version(ssl));
	if (cipher == 0)
		return;
	tlsp_result_set(&res->cipher_name, SSL_CIPHER_get_name(cipher));
	res->cipher_usebits = SSL_CIPHER_get_bits(cipher, &res->cipher_algbits);
}

void
tlsp_peer_end(const struct tlsp_conn *c, const char *sni,
              struct tlsp_tls_result *res)
{
	struct buf line;

	tlsp_result_set(&res->namaddr, c->namaddr);
	tlsp_peer_cipher(c->ssl, res);
	tlsp_sigparams_get(c->ssl, res);
	if (!(c->verify.log_mask & TLSP_LOG_SUMMARY))
		return;
	buf_init(&line);
	tlsp_summary_format(&line, res, 0, c->verify.am_server ? "from" : "to",
	                    sni);
	msg_info("%s", buf_str(&line));
	buf_free(&line);
}
