/*
 * tlsp_server_ctx.h - the server-role engine: its SSL_CTX pair
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SERVER_CTX_H
#define TLSREUSE_TLSPROXY_TLSP_SERVER_CTX_H

#include <openssl/ssl.h>

#include "tls/tlsp_tls.h"
#include "tlsp_server.h"

struct tlsp_server_ctx;

/*
 * Builds the server engine from init, reading every file now (call
 * before the jail): protocols, ex-data, digest, seed, the main and SNI
 * SSL_CTXs with options, CA, own keys, DH, groups, client-cert request,
 * SNI maps, session cache and tickets (through ops, copied; ops may be
 * NULL). params and what ops->context points to must outlive the
 * engine. Returns NULL after Postfix's warnings when TLS cannot work.
 */
struct tlsp_server_ctx *
tlsp_server_ctx_create(const struct tlsp_tls_params *params,
                       const struct tlsp_server_init *init,
                       const struct tlsp_server_cache_ops *ops);

/* NULL-safe. Its connections must be freed first. */
void tlsp_server_ctx_free(struct tlsp_server_ctx *ctx);

/* The main SSL_CTX, borrowed. */
SSL_CTX *tlsp_server_ctx_ssl_ctx(const struct tlsp_server_ctx *ctx);

#endif
