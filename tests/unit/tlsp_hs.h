/*
 * tlsp_hs.h - run one client TLS session of the engine against a test
 * server, for the tlsproxy TLS tests
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_TLSP_HS_H
#define TLSREUSE_TESTS_TLSP_HS_H

#include <stdint.h>

#include "client_role/tlsp_client.h"
#include "client_role/tlsp_ctx.h"
#include "tlsp_pki.h"

/* Defaults as smtp(8) and postconf -d would send them. */
extern const struct tlsp_tls_params tlsp_hs_defaults;
extern struct tlsp_tls_params tlsp_hs_params; /* what runs use */
void tlsp_hs_init_props(struct tlsp_tls_init *init);
void tlsp_hs_start_props(struct tlsp_client_start *start, int level);

/*
 * start as a run uses it: copied into copy, with tlsp_hs_params if it
 * names no global settings, and those settings resolved (as tlsproxy
 * does per request). Returns copy.
 */
const struct tlsp_client_start *
tlsp_hs_settle(const struct tlsp_client_start *start,
               struct tlsp_client_start *copy);

/* Server-side options for one run. */
struct tlsp_hs_server {
	enum tlsp_pki_which cert;
	SSL_CTX *ctx; /* reused if set (session tickets) */
	int ask_client_cert;
	int max_version; /* 0 = library maximum */
	char sni[256];   /* what the server saw ("" = none) */
	/* After a completed handshake: what the client offered and had. */
	int peer_groups[32]; /* the client's groups, as the server saw them */
	int peer_group_count;
	char client_ciphers[8192]; /* the client SSL's cipher list, ':' */
	uint64_t client_options;   /* SSL_get_options() of the client */
};

/*
 * Builds the client context from init, starts the session from start,
 * handshakes with a server presenting srv->cert and fills res. Returns 1
 * on a completed handshake (res filled), 0 if the session did not start,
 * -1 if the handshake failed.
 */
int tlsp_hs_run(const struct tlsp_tls_init *init,
                const struct tlsp_client_start *start,
                struct tlsp_hs_server *srv, struct tlsp_tls_result *res);

/*
 * As tlsp_hs_run() with a caller-owned client context; offers the DER
 * session resume (if not NULL) before the handshake, and reads once
 * after it so TLS 1.3 tickets reach the new-session callback.
 */
int tlsp_hs_run_ctx(struct tlsp_ctx *ctx, const struct tlsp_client_start *start,
                    struct tlsp_hs_server *srv, struct tlsp_tls_result *res,
                    const unsigned char *resume, size_t resume_len);

#endif
