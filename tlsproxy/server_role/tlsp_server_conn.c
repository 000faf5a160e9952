/*
 * tlsp_server_conn.c - one server-role TLS connection: setup, SNI, results
 *
 * The connection state is attached to its SSL so OpenSSL's callbacks (SNI,
 * session cache, tickets, verification) can find it. After the
 * handshake the results are reported in the same struct as the client
 * role's, with the server's log lines: the client certificate (if any)
 * is PRESENT, and TRUSTED when it verified; never MATCHED or SECURED.
 *
 * Errors: setup failures warn and yield no connection; an SNI name that is
 * malformed or unknown keeps the default chain; a map error or an
 * unloadable SNI chain fails the handshake with internal_error, as stock.
 * See also: spec tlsproxy-tls.md sections 5.4, 5.5, 6.4, 6.8.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tls/tlsp_certname.h"
#include "tls/tlsp_cipher.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_pemload.h"
#include "tls/tlsp_pktdump.h"
#include "tls/tlsp_result.h"
#include "tls/tlsp_sigparams.h"
#include "tls/tlsp_summary.h"
#include "tls/tlsp_tlserr.h"
#include "tlsp_server_int.h"

/*
 * The ex-data slot linking an SSL to its server connection: a process-wide
 * OpenSSL registration, made once and never changed afterwards.
 */
static int tlsp_server_index = -1;

struct tlsp_server_conn *
tlsp_server_conn_of(const SSL *ssl)
{
	struct tlsp_server_conn *conn =
	    tlsp_server_index < 0 ? 0 : SSL_get_ex_data(ssl, tlsp_server_index);

	if (conn == 0)
		msg_panic("%s: SSL without server connection state", __func__);
	return conn;
}

/* A lower-cased copy. */
static char *
tlsp_server_lower(const char *s)
{
	char *copy = xstrdup(s ? s : "");
	char *cp;

	for (cp = copy; *cp; cp++)
		*cp = (char)tolower((unsigned char)*cp);
	return copy;
}

/* Attaches conn (and its verify state) to its SSL; 0 or -1. */
static int
tlsp_server_attach(struct tlsp_server_conn *conn)
{
	if (tlsp_server_index < 0)
		tlsp_server_index = SSL_get_ex_new_index(0, 0, 0, 0, 0);
	if (tlsp_server_index < 0 ||
	    !SSL_set_ex_data(conn->ssl, tlsp_server_index, conn) ||
	    tlsp_verify_attach(conn->ssl, &conn->verify) < 0) {
		msg_warn("Could not set application data for "
		         "'TLScontext->con'");
		tlsp_tlserr_log();
		return -1;
	}
	return 0;
}

/* The cipher list for props on the SSL; 0 or -1 (warned). */
static int
tlsp_server_ciphers(struct tlsp_server_conn *conn,
                    const struct tlsp_server_start *props)
{
	char *list = tlsp_cipher_list(conn->ctx->params, props->cipher_grade,
	                              props->cipher_exclusions, conn->namaddr);
	int ret = 0;

	if (list == 0)
		return -1;
	ERR_clear_error();
	if (SSL_set_cipher_list(conn->ssl, list) == 0) {
		msg_warn("%s: error setting cipher grade: \"%s\"",
		         conn->namaddr,
		         props->cipher_grade ? props->cipher_grade : "");
		tlsp_tlserr_log();
		ret = -1;
	} else if (conn->verify.log_mask & TLSP_LOG_VERBOSE) {
		msg_info("%s: TLS cipher list \"%s\"", props->namaddr, list);
	}
	free(list);
	return ret;
}

/* Per-session entropy top-up; failure is ignored, as stock. */
static void
tlsp_server_reseed(const struct tlsp_server_ctx *ctx)
{
	unsigned char buf[TLSP_SERVER_SEED_BYTES];

	if (ctx->ops.seed &&
	    ctx->ops.seed(ctx->ops.context, buf, sizeof(buf)) == 0)
		RAND_seed(buf, sizeof(buf));
	OPENSSL_cleanse(buf, sizeof(buf));
}

/* The SSL and its settings; 0 or -1 (warned). */
static int
tlsp_server_setup(struct tlsp_server_conn *conn,
                  const struct tlsp_server_start *props, int fd)
{
	ERR_clear_error();
	if ((conn->ssl = SSL_new(conn->ctx->ssl_ctx)) == 0) {
		msg_warn("Could not allocate 'TLScontext->con' with SSL_new()");
		tlsp_tlserr_log();
		return -1;
	}
	if (tlsp_server_ciphers(conn, props) < 0 ||
	    tlsp_server_attach(conn) < 0)
		return -1;
	if (props->requirecert)
		SSL_set_security_level(conn->ssl, 1);
	tlsp_server_reseed(conn->ctx);
	if (SSL_set_fd(conn->ssl, fd) != 1) {
		msg_info("SSL_set_fd error to %s", props->namaddr);
		tlsp_tlserr_log();
		return -1;
	}
	if (conn->verify.log_mask & TLSP_LOG_TLSPKTS)
		tlsp_pktdump_enable(conn->ssl, 1);
	return 0;
}

struct tlsp_server_conn *
tlsp_server_start(struct tlsp_server_ctx *ctx,
                  const struct tlsp_server_start *props, int fd)
{
	struct tlsp_server_conn *conn = xcalloc(1, sizeof(*conn));
	int log_mask = ctx->log_mask;

	if (props->requirecert)
		log_mask |= TLSP_LOG_UNTRUSTED;
	if (log_mask & TLSP_LOG_VERBOSE)
		msg_info("setting up TLS connection from %s", props->namaddr);
	conn->ctx = ctx;
	conn->namaddr = tlsp_server_lower(props->namaddr);
	conn->serverid = xstrdup(props->serverid ? props->serverid : "");
	conn->mdalg = xstrdup(props->mdalg ? props->mdalg : "");
	tlsp_verify_init(&conn->verify, log_mask, conn->namaddr);
	conn->verify.am_server = 1;
	if (tlsp_server_setup(conn, props, fd) < 0) {
		tlsp_server_free(conn);
		return 0;
	}
	return conn;
}

SSL *
tlsp_server_ssl(const struct tlsp_server_conn *conn)
{
	return conn->ssl;
}

const char *
tlsp_server_sni(const struct tlsp_server_conn *conn)
{
	return conn->peer_sni;
}

void
tlsp_server_free(struct tlsp_server_conn *conn)
{
	if (conn == 0)
		return;
	SSL_free(conn->ssl);
	tlsp_verify_clear(&conn->verify);
	free(conn->namaddr);
	free(conn->serverid);
	free(conn->mdalg);
	free(conn->peer_sni);
	free(conn);
}

/* A repeated servername callback (after HelloRetryRequest). */
static int
tlsp_server_sni_again(struct tlsp_server_conn *conn, const char *sni)
{
	if (strcmp(sni, conn->peer_sni) == 0)
		return SSL_TLSEXT_ERR_OK;
	msg_warn("TLS SNI changed from %s initially %s, %s after hello retry",
	         conn->namaddr, conn->peer_sni, sni);
	return SSL_TLSEXT_ERR_NOACK;
}

int
tlsp_server_sni_callback(SSL *ssl, int *alert, void *arg)
{
	struct tlsp_server_ctx *ctx = arg;
	struct tlsp_server_conn *conn = tlsp_server_conn_of(ssl);
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	const char *pem;
	int error;

	if (ctx->sni_map == 0 || sni == 0 || *sni == 0)
		return SSL_TLSEXT_ERR_NOACK;
	if (!tlsp_sni_valid_hostname(sni)) {
		msg_warn("TLS SNI from %s is invalid: %s", conn->namaddr, sni);
		return SSL_TLSEXT_ERR_NOACK;
	}
	if (conn->peer_sni)
		return tlsp_server_sni_again(conn, sni);
	if ((pem = tlsp_sni_map_find(ctx->sni_map, sni, &error)) == 0) {
		if (!error) {
			msg_info("TLS SNI %s from %s not matched, using "
			         "default chain",
			         sni, conn->namaddr);
			return SSL_TLSEXT_ERR_NOACK;
		}
		msg_warn("tls_server_sni_maps: %s map lookup problem", sni);
		*alert = SSL_AD_INTERNAL_ERROR;
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	}
	SSL_set_SSL_CTX(ssl, ctx->sni_ctx);
	if (tlsp_pemload_sni(ssl, pem, sni) != 0) {
		*alert = SSL_AD_INTERNAL_ERROR;
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	}
	conn->peer_sni = xstrdup(sni);
	return SSL_TLSEXT_ERR_OK;
}

/* VERBOSE "subject=" and "issuer=" lines of the client certificate. */
static void
tlsp_server_log_names(X509 *cert)
{
	char buf[TLSP_VERIFY_NAMELEN];

	tlsp_verify_oneline(X509_get_subject_name(cert), buf, sizeof(buf));
	msg_info("subject=%s", buf);
	tlsp_verify_oneline(X509_get_issuer_name(cert), buf, sizeof(buf));
	msg_info("issuer=%s", buf);
}

/* Status bits, names and fingerprints of the client certificate. */
static void
tlsp_server_peer(struct tlsp_server_conn *conn, X509 *cert,
                 struct tlsp_tls_result *res)
{
	int log_mask = conn->verify.log_mask;

	res->peer_status = TLSP_PEER_PRESENT;
	if (SSL_get_verify_result(conn->ssl) == X509_V_OK)
		res->peer_status |= TLSP_PEER_TRUSTED;
	if (log_mask & TLSP_LOG_VERBOSE)
		tlsp_server_log_names(cert);
	tlsp_result_adopt(&res->peer_CN,
	                  tlsp_certname_subject(cert, 0, conn->namaddr));
	tlsp_result_adopt(&res->issuer_CN,
	                  tlsp_certname_issuer(cert, conn->namaddr));
	tlsp_result_adopt(&res->peer_fingerprint,
	                  tlsp_fprint_cert(cert, conn->mdalg));
	tlsp_result_adopt(
	    &res->peer_pubkey_fingerprint,
	    tlsp_fprint_pkey(
	        cert, conn->mdalg,
	        conn->ctx->params->tls_legacy_public_key_fingerprints));
	if (log_mask & (TLSP_LOG_VERBOSE | TLSP_LOG_PEERCERT))
		msg_info("%s: subject_CN=%s, issuer=%s, fingerprint=%s, "
		         "pkey_fingerprint=%s",
		         conn->namaddr, res->peer_CN, res->issuer_CN,
		         res->peer_fingerprint, res->peer_pubkey_fingerprint);
	if ((res->peer_status & TLSP_PEER_TRUSTED) ||
	    !(log_mask & TLSP_LOG_UNTRUSTED))
		return;
	if (!res->session_reused)
		tlsp_verify_log_error(&conn->verify);
	else
		msg_info("%s: re-using session with untrusted certificate, "
		         "look for details earlier in the log",
		         conn->namaddr);
}

void
tlsp_server_post_accept(struct tlsp_server_conn *conn,
                        struct tlsp_tls_result *res)
{
	int log_mask = conn->verify.log_mask;
	struct buf line;
	X509 *cert;

	if (!(log_mask & TLSP_LOG_ALLPKTS))
		tlsp_pktdump_enable(conn->ssl, 0);
	tlsp_result_init(res);
	res->session_reused = SSL_session_reused(conn->ssl);
	if ((log_mask & TLSP_LOG_CACHE) && res->session_reused)
		msg_info("%s: Reusing old session%s", conn->namaddr,
		         conn->ticketed ? " (RFC 5077 session ticket)" : "");
	if ((cert = SSL_get0_peer_certificate(conn->ssl)) != 0)
		tlsp_server_peer(conn, cert, res);
	tlsp_result_set(&res->namaddr, conn->namaddr);
	tlsp_result_cipher(conn->ssl, res);
	tlsp_sigparams_get(conn->ssl, res);
	if (log_mask & TLSP_LOG_SUMMARY) {
		buf_init(&line);
		tlsp_summary_format(&line, res, 0, "from", conn->peer_sni);
		msg_info("%s", buf_str(&line));
		buf_free(&line);
	}
}
