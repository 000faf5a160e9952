/*
 * tlsp_server_conn.c - one server-role TLS connection: setup, results
 *
 * The connection state is attached to its SSL so OpenSSL's callbacks (SNI,
 * session cache, tickets, verification) can find it. After the
 * handshake the results are reported in the same struct as the client
 * role's, with the server's log lines: the client certificate (if any)
 * is PRESENT, and TRUSTED when it verified; never MATCHED or SECURED.
 *
 * Errors: setup failures warn and yield no connection.
 * See also: tlsp_server_sni.c; tls/tlsp_peer.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"
#include "tls/tlsp_cipher.h"
#include "tls/tlsp_peer.h"
#include "tls/tlsp_pktdump.h"
#include "tls/tlsp_tlserr.h"
#include "tlsp_server_int.h"
#include "tlsp_server_conn.h"

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

/* Attaches conn (and its verify state) to its SSL; 0 or -1. */
static int
tlsp_server_attach(struct tlsp_server_conn *conn)
{
	if (tlsp_server_index < 0)
		tlsp_server_index = SSL_get_ex_new_index(0, 0, 0, 0, 0);
	if (tlsp_server_index < 0 ||
	    !SSL_set_ex_data(conn->tls.ssl, tlsp_server_index, conn) ||
	    tlsp_verify_attach(conn->tls.ssl, &conn->tls.verify) < 0) {
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
	char *list = tlsp_cipher_apply(
	    &conn->tls, conn->ctx->params, props->cipher_grade,
	    props->cipher_exclusions, props->namaddr);

	if (list == 0)
		return -1;
	free(list);
	return 0;
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
	if ((conn->tls.ssl = SSL_new(conn->ctx->ssl_ctx)) == 0) {
		msg_warn("Could not allocate 'TLScontext->con' with SSL_new()");
		tlsp_tlserr_log();
		return -1;
	}
	if (tlsp_server_ciphers(conn, props) < 0 ||
	    tlsp_server_attach(conn) < 0)
		return -1;
	if (props->requirecert)
		SSL_set_security_level(conn->tls.ssl, 1);
	tlsp_server_reseed(conn->ctx);
	if (SSL_set_fd(conn->tls.ssl, fd) != 1) {
		msg_info("SSL_set_fd error to %s", props->namaddr);
		tlsp_tlserr_log();
		return -1;
	}
	if (conn->tls.verify.log_mask & TLSP_LOG_TLSPKTS)
		tlsp_pktdump_enable(conn->tls.ssl, 1);
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
	tlsp_conn_init(&conn->tls, props->namaddr, props->mdalg, log_mask, 1);
	conn->ctx = ctx;
	conn->serverid = xstrdup(props->serverid ? props->serverid : "");
	if (tlsp_server_setup(conn, props, fd) < 0) {
		tlsp_server_free(conn);
		return 0;
	}
	return conn;
}

SSL *
tlsp_server_ssl(const struct tlsp_server_conn *conn)
{
	return conn->tls.ssl;
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
	tlsp_conn_clear(&conn->tls);
	free(conn->serverid);
	free(conn->peer_sni);
	free(conn);
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
	int log_mask = conn->tls.verify.log_mask;

	if (log_mask & TLSP_LOG_VERBOSE)
		tlsp_server_log_names(cert);
	tlsp_peer_cert(&conn->tls, cert, 0,
	               conn->ctx->params->tls_legacy_public_key_fingerprints,
	               res);
	if (log_mask & (TLSP_LOG_VERBOSE | TLSP_LOG_PEERCERT))
		msg_info("%s: subject_CN=%s, issuer=%s, fingerprint=%s, "
		         "pkey_fingerprint=%s",
		         conn->tls.namaddr, res->peer_CN, res->issuer_CN,
		         res->peer_fingerprint, res->peer_pubkey_fingerprint);
	if (!(res->peer_status & TLSP_PEER_TRUSTED))
		tlsp_peer_untrusted(&conn->tls, res->session_reused,
		                    conn->tls.namaddr);
}

void
tlsp_server_post_accept(struct tlsp_server_conn *conn,
                        struct tlsp_tls_result *res)
{
	X509 *cert;

	tlsp_peer_begin(&conn->tls,
	                conn->ticketed ? " (RFC 5077 session ticket)" : "",
	                res);
	if ((cert = SSL_get0_peer_certificate(conn->tls.ssl)) != 0)
		tlsp_server_peer(conn, cert, res);
	tlsp_peer_end(&conn->tls, conn->peer_sni, res);
}
