/*
 * tlsp_server_conn.h - one connection of the server-role engine
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_SERVER_ROLE_TLSP_SERVER_CONN_H
#define TLSREUSE_TLSPROXY_SERVER_ROLE_TLSP_SERVER_CONN_H

#include <openssl/ssl.h>

#include "tlsp_server.h"

struct tlsp_server_ctx; /* tlsp_server_ctx.h */
struct tlsp_server_conn;

/*
 * Creates the SSL for fd (not taken over) from ctx and props. Returns
 * NULL after Postfix's warning (bad grade or exclusion, OpenSSL
 * failure). The caller runs SSL_accept() on tlsp_server_ssl().
 */
struct tlsp_server_conn *
tlsp_server_start(struct tlsp_server_ctx *ctx,
                  const struct tlsp_server_start *props, int fd);

/* The connection's SSL, borrowed. */
SSL *tlsp_server_ssl(const struct tlsp_server_conn *conn);

/* The SNI name that selected a certificate, or NULL. Borrowed. */
const char *tlsp_server_sni(const struct tlsp_server_conn *conn);

/*
 * After SSL_accept() succeeded: fills *res (release with
 * tlsp_tls_result_free()) and logs as Postfix does for the log mask:
 * reuse, client certificate details, untrusted-certificate reasons with
 * requirecert, and the summary "<status> TLS connection established
 * from <namaddr>[ to <sni>]: ...".
 */
void tlsp_server_post_accept(struct tlsp_server_conn *conn,
                             struct tlsp_tls_result *res);

/* NULL-safe; frees the SSL (does not close fd). */
void tlsp_server_free(struct tlsp_server_conn *conn);

#endif
