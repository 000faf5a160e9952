/*
 * tlsp_tls.h - inputs and outputs of tlsproxy's client-role TLS engine
 *
 * Plain structs, named after the wire attributes (tlsproxy-protocol.md
 * section 4.4) and the main.cf parameters they carry, so the request
 * parser can fill them without knowing OpenSSL. Every string field is a
 * borrowed, NUL-terminated pointer that must stay valid while the engine
 * call that receives it runs; NULL and "" mean the same thing.
 *
 * The engine itself is split by abstraction:
 *   tlsp_libinit.c OpenSSL initialisation (tls_config_file/_name)
 *   tlsp_ctx.c     SSL_CTX from init props, plus the per-process cache
 *   tlsp_policy.c  per-session SSL setup from start props
 *   tlsp_resume.c  tlsmgr session-cache key, reload and save
 *   tlsp_eval.c    post-handshake evaluation into struct tlsp_tls_result
 *   tlsp_summary.c the "... TLS connection established ..." line
 *
 * Call sequence (client role):
 *   pre-jail:    tlsp_libinit(); cache = tlsp_ctx_cache_create();
 *                ctx = tlsp_ctx_cache_get(cache, key, &params, &init, 1);
 *                if tlsmgr "policy" says cachable:
 *                    tlsp_ctx_enable_cache(ctx, timeout, save_fn, arg);
 *   per request: ctx = tlsp_ctx_cache_find() or _get() (same caching);
 *                conn = tlsp_policy_start(ctx, &start, fd);
 *                if ((type = tlsp_resume_lookup(conn)) != NULL) tlsmgr
 *                    "lookup" of tlsp_policy_cache_id(conn), and on a hit
 *                    tlsp_resume_load(conn, der, len);
 *                drive SSL_connect(tlsp_policy_ssl(conn)) until done;
 *                tlsp_eval_result(conn, &res); send res (TLS_SESS_STATE);
 *                relay; tlsp_policy_free(conn); tlsp_tls_result_free(&res).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_TLS_H
#define TLSREUSE_TLSPROXY_TLSP_TLS_H

#include <stddef.h>

/* Security levels as they travel on the wire (tls_level, level). */
#define TLSP_LEV_NONE 0
#define TLSP_LEV_MAY 1
#define TLSP_LEV_ENCRYPT 2
#define TLSP_LEV_FPRINT 3
#define TLSP_LEV_HALF_DANE 4
#define TLSP_LEV_DANE 5
#define TLSP_LEV_DANE_ONLY 6
#define TLSP_LEV_VERIFY 7
#define TLSP_LEV_SECURE 8

#define TLSP_LEV_MUST_MATCH(l) ((l) > TLSP_LEV_ENCRYPT)
#define TLSP_LEV_DANE_BASED(l)                                                 \
	((l) >= TLSP_LEV_HALF_DANE && (l) <= TLSP_LEV_DANE_ONLY)

/* peer_status bits (ALTNAME, 2, exists on the wire but is never set). */
#define TLSP_PEER_PRESENT 1
#define TLSP_PEER_ALTNAME 2
#define TLSP_PEER_TRUSTED 4
#define TLSP_PEER_MATCHED 8
#define TLSP_PEER_SECURED 16

/* TLS log mask bits (tlsp_logmask.c), as Postfix's TLS log levels. */
#define TLSP_LOG_NONE (1 << 0)
#define TLSP_LOG_SUMMARY (1 << 1)
#define TLSP_LOG_UNTRUSTED (1 << 2)
#define TLSP_LOG_PEERCERT (1 << 3)
#define TLSP_LOG_CERTMATCH (1 << 4)
#define TLSP_LOG_VERBOSE (1 << 5)
#define TLSP_LOG_CACHE (1 << 6)
#define TLSP_LOG_DEBUG (1 << 7)
#define TLSP_LOG_TLSPKTS (1 << 8)
#define TLSP_LOG_ALLPKTS (1 << 9)
#define TLSP_LOG_DANE (1 << 10)

/*
 * tlsproxy's own global TLS settings (main.cf), fixed for the process.
 * The copies a requester sends in TLS_CLIENT_PARAMS are never applied.
 */
struct tlsp_tls_params {
	const char *tls_high_cipherlist;
	const char *tls_medium_cipherlist;
	const char *tls_low_cipherlist;
	const char *tls_export_cipherlist;
	const char *tls_null_cipherlist;
	const char *tls_eecdh_auto_curves;
	const char *tls_dane_digests;
	const char *tls_disable_workarounds;
	const char *tls_ssl_options;
	int tls_append_default_CA;
	int tls_legacy_public_key_fingerprints;
};

/* TLS_CLIENT_INIT_PROPS: what one SSL_CTX is built from. */
struct tlsp_tls_init {
	const char *log_param;
	const char *log_level;
	int verifydepth;
	const char *cache_type;
	const char *chain_files;
	const char *cert_file;
	const char *key_file;
	const char *dcert_file;
	const char *dkey_file;
	const char *eccert_file;
	const char *eckey_file;
	const char *CAfile;
	const char *CApath;
	const char *mdalg;
};

/* Longest TLSA data a session accepts (the cache key has 16 bits). */
#define TLSP_TLSA_LEN_MAX 65535

/* One TLSA record (DANE, fingerprint or trust-anchor use). */
struct tlsp_tlsa {
	unsigned char usage;
	unsigned char selector;
	unsigned char mtype;
	const unsigned char *data;
	size_t len;
};

/* TLS_CLIENT_START_PROPS: one session's policy. */
struct tlsp_tls_start {
	int tls_level;
	const char *nexthop;
	const char *host;
	const char *namaddr;
	const char *sni;
	const char *serverid; /* session cache key prefix */
	const char *helo;     /* peer's EHLO name, for the cache key */
	const char *protocols;
	const char *cipher_grade;
	const char *cipher_exclusions;
	const char *const *match; /* matchargv; match_count entries */
	size_t match_count;
	const char *mdalg;
	int dane;                /* 1 = the DANE group was present */
	const char *dane_domain; /* TLSA base domain (SNI at DANE levels) */
	const struct tlsp_tlsa *tlsa; /* tlsa_count records */
	size_t tlsa_count;
};

/*
 * TLS_SESS_STATE, the 22 attributes sent back to smtp(8), in wire order.
 * Every string is owned by the struct and never NULL ("" when absent);
 * release with tlsp_tls_result_free().
 */
struct tlsp_tls_result {
	char *peer_CN;
	char *issuer_CN;
	char *peer_fingerprint;
	char *peer_pubkey_fingerprint;
	int level;
	int peer_status;
	char *cipher_protocol;
	char *cipher_name;
	int cipher_usebits;
	int cipher_algbits;
	char *key_exchange;
	char *key_exchange_curve;
	int key_exchange_bits;
	char *clnt_signature;
	char *clnt_signature_curve;
	int clnt_signature_bits;
	char *clnt_signature_digest;
	char *srvr_signature;
	char *srvr_signature_curve;
	int srvr_signature_bits;
	char *srvr_signature_digest;
	char *namaddr;
	int session_reused; /* not on the wire; for the summary */
};

/* Releases every string of *res (NULL-safe) and zeroes it. */
void tlsp_tls_result_free(struct tlsp_tls_result *res);

#endif
