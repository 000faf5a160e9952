/*
 * tlsp_client.h - what the client-role engine is given, and its hooks
 *
 * smtp(8) and lmtp(8) ask tlsproxy to be the TLS client towards a remote
 * SMTP server. Besides the init props (tls/tlsp_tls.h) each request
 * carries the start props of one session: its security level, the names
 * and TLSA records to match, protocols and ciphers. The engine is split
 * by abstraction:
 *   tlsp_ctx.c      SSL_CTX from init props, plus the per-process cache
 *   tlsp_settings.c the request's options and groups, resolved once
 *   tlsp_policy.c   per-session SSL setup from start props
 *   tlsp_names.c    the reference names of the match list
 *   tlsp_dane.c     DANE matching types and TLSA records
 *   tlsp_resume.c   tlsmgr session-cache key, reload and save
 *   tlsp_eval.c     after the handshake: the verdict on the peer
 *
 * Call sequence:
 *   pre-jail:    lib = tlsp_libctx_create(params.tls_config_file, ...);
 *                cache = tlsp_ctx_cache_create();
 *                ctx = tlsp_ctx_cache_get(cache, key, lib, &params, &init,
 *                                         1);
 *                if tlsmgr "policy" says cachable:
 *                    tlsp_ctx_enable_cache(ctx, timeout, save_fn, arg);
 *   per request: ctx = tlsp_ctx_cache_find() or _get() (same caching);
 *                start.settings = tlsp_settings_get(scache, start.params);
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
#ifndef TLSREUSE_TLSPROXY_CLIENT_ROLE_TLSP_CLIENT_H
#define TLSREUSE_TLSPROXY_CLIENT_ROLE_TLSP_CLIENT_H

#include <stddef.h>

#include "tls/tlsp_tls.h"

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

struct tlsp_settings;

/*
 * TLS_CLIENT_START_PROPS: one connection's policy, with every attribute
 * Postfix 3.6 to 3.12 sends (the request parser fills this struct and
 * owns its strings and arrays), and the request's global settings
 * (TLS_CLIENT_PARAMS), which the daemon adds, borrowed: params for the
 * cipher lists and fingerprints, settings (tlsp_settings.h) for options
 * and groups. The engine reads the first group; the daemon reads the
 * second (TLSRPT), the rest is carried for the record.
 */
struct tlsp_client_start {
	const struct tlsp_tls_params *params;
	const struct tlsp_settings *settings;
	int tls_level; /* TLSP_LEV_* */
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
	const struct tlsp_tlsa *tlsa; /* tlsa_count records, in wire order */
	size_t tlsa_count;
	/* 3.10+: an external (MTA-STS) policy failed; "" or NULL if not */
	const char *forced_failure_type;
	/* read by the daemon: TLSRPT (3.10+ built with it) */
	int tlsrpt;                /* 1 with the TLSRPT group */
	int tlsrpt_skip_reused_hs; /* its skip_reused_hs */
	int tlsrpt_flags;          /* its flags (tlsp_request.h) */
	/* not used */
	const char *log_param; /* 3.12 only, else NULL */
	const char *log_level; /* 3.12 only, else NULL */
	int timeout;           /* smtp(8)'s own handshake timeout */
	int enable_rpk;        /* 3.9+, else 0 */
	int trace_size_limit;  /* 3.12, else 0 */
	const char *trace_peer; /* 3.12, else NULL */
};

/*
 * Stores a new session's DER under cache_id in the cache of cache_type
 * (tlsmgr "update"); see tlsp_ctx_enable_cache().
 */
typedef void (*tlsp_client_save_fn)(void *arg, const char *cache_type,
                                    const char *cache_id,
                                    const unsigned char *der, size_t len);

#endif
