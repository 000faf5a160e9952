/*
 * tlsp_client_conn.h - one client TLS session's engine state (TLS files only)
 *
 * Built by tlsp_policy_start(), read by tlsp_eval.c after the handshake,
 * released by tlsp_policy_free(). Callers outside the TLS files treat
 * struct tlsp_client_conn as opaque (see tlsp_policy.h).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_CLIENT_ROLE_TLSP_CLIENT_CONN_H
#define TLSREUSE_TLSPROXY_CLIENT_ROLE_TLSP_CLIENT_CONN_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "tls/tlsp_conn.h"
#include "tlsp_client.h"

struct tlsp_client_conn {
	struct tlsp_conn tls;        /* SSL, verification (must_fail), peer */
	int level;                   /* effective (after DANE fallback) */
	char *props_namaddr;         /* as received (some log lines) */
	int legacy_fprint;           /* tls_legacy_public_key_fingerprints */
	char *cipher_list;           /* as applied, for the cache key */
	char *sni;                   /* SNI name sent, NULL if none */
	char *cache_id;              /* session cache key */
	char *cache_type;            /* NULL unless the context caches */
	char *forced_failure_type;   /* NULL unless the request forces one */
	tlsp_client_save_fn save_fn; /* stores new sessions */
	void *save_arg;
};

#endif
