/*
 * tlsp_server_sni.c - the certificate chain a client asks for by SNI name
 *
 * OpenSSL calls tlsp_server_sni_callback() with the name the client sent
 * in its ClientHello. A name found in tls_server_sni_maps switches the
 * connection to the SNI SSL_CTX (which shares the main context's trust
 * store and options) and loads that name's keys and chain into the
 * connection; any other name keeps the default chain.
 *
 * Errors: a malformed or unknown name keeps the default chain (logged);
 * a map that cannot be read, or a chain that does not load, fails the
 * handshake with an internal_error alert, as stock. A second callback
 * after a HelloRetryRequest must repeat the first name.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"
#include "tls/tlsp_pemload.h"
#include "tlsp_server_int.h"

/* A repeated servername callback (after HelloRetryRequest). */
static int
tlsp_server_sni_again(struct tlsp_server_conn *conn, const char *sni)
{
	if (strcmp(sni, conn->peer_sni) == 0)
		return SSL_TLSEXT_ERR_OK;
	msg_warn("TLS SNI changed from %s initially %s, %s after hello retry",
	         conn->tls.namaddr, conn->peer_sni, sni);
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
		msg_warn("TLS SNI from %s is invalid: %s", conn->tls.namaddr,
		         sni);
		return SSL_TLSEXT_ERR_NOACK;
	}
	if (conn->peer_sni)
		return tlsp_server_sni_again(conn, sni);
	if ((pem = tlsp_sni_map_find(ctx->sni_map, sni, &error)) == 0) {
		if (!error) {
			msg_info("TLS SNI %s from %s not matched, using "
			         "default chain",
			         sni, conn->tls.namaddr);
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
