/*
 * tlsp_server_int.h - state shared by the server-role engine's files
 *
 * Only the engine's own files include this; everyone else sees the
 * opaque types of tlsp_server_ctx.h and tlsp_server_conn.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SERVER_INT_H
#define TLSREUSE_TLSPROXY_TLSP_SERVER_INT_H

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "tls/tlsp_conn.h"
#include "tlsp_server.h"
#include "tlsp_sni_map.h"

/* Postfix's tls_daemon_random_bytes default: seed bytes from tlsmgr. */
#define TLSP_SERVER_SEED_BYTES 32

struct tlsp_server_ctx {
	SSL_CTX *ssl_ctx; /* main: own keys, cache, tickets */
	SSL_CTX *sni_ctx; /* switched to when an SNI name matches */
	int log_mask;
	char *cache_type; /* set when tlsmgr caches sessions */
	const struct tlsp_tls_params *params;
	struct tlsp_server_cache_ops ops;
	struct tlsp_sni_map *sni_map; /* NULL: SNI ignored */
	EVP_CIPHER *tkt_cipher;       /* NULL: no session tickets */
	struct tlsp_tktkey *keys[2];  /* newest expiry first */
};

struct tlsp_server_conn {
	struct tlsp_conn tls; /* SSL, verification, peer */
	struct tlsp_server_ctx *ctx;
	char *serverid;
	char *peer_sni; /* SNI that selected a chain */
	int ticketed;   /* the ticket callback accepted */
};

/* The connection attached to ssl; panics if there is none. */
struct tlsp_server_conn *tlsp_server_conn_of(const SSL *ssl);

/*
 * Session tickets on ctx->ssl_ctx (tlsp_server_resume.c): tlsmgr
 * "policy" for the cache type (*timeout, *cachable), then the ticket
 * cipher check and callback unless off (the options so far) already
 * has NO_TICKET. Returns the SSL_OP_* bits the caller must add
 * (NO_TICKET or 0). Call before options are copied to sni_ctx.
 */
long tlsp_server_resume_tickets(struct tlsp_server_ctx *ctx,
                                const struct tlsp_server_init *init, long off,
                                int *timeout, int *cachable);

/* Session-id context and the get/new callbacks, or caching off. */
void tlsp_server_resume_sessions(struct tlsp_server_ctx *ctx, int cachable,
                                 int ticketable, int set_sessid, int timeout);

/* Frees the cached ticket keys. */
void tlsp_server_resume_free(struct tlsp_server_ctx *ctx);

/* The SNI servername callback (tlsp_server_sni.c), installed by
 * tlsp_server_ctx.c when SNI maps are configured. */
int tlsp_server_sni_callback(SSL *ssl, int *alert, void *arg);

#endif
