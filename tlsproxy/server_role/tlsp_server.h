/*
 * tlsp_server.h - what the server-role engine is given, and its hooks
 *
 * postscreen(8) asks tlsproxy to be the TLS server towards a remote SMTP
 * client. The engine is built once per process from the tlsproxy_tls_*
 * parameters (tlsp_server_conf.h turns them into struct
 * tlsp_server_init) and reaches tlsmgr(8) only through the operations
 * below, which the daemon fills in. The engine is split by abstraction:
 *   tlsp_server_conf.c    the parameters, and whether the role is on
 *   tlsp_server_ctx.c     the SSL_CTX pair, built before the jail
 *   tlsp_server_conn.c    one connection: its SSL and its results
 *   tlsp_server_sni.c     the certificate chain chosen by SNI name
 *   tlsp_server_resume.c  session resumption: session cache, tickets
 *   tlsp_sni_map.c        tls_server_sni_maps
 *
 * Call sequence:
 *   pre-jail:    tlsp_server_conf_decide(); tlsp_server_conf_props();
 *                ctx = tlsp_server_ctx_create(&params, &init, &ops);
 *   per request: conn = tlsp_server_start(ctx, &start, fd);
 *                drive SSL_accept(tlsp_server_ssl(conn)) until done;
 *                tlsp_server_post_accept(conn, &res); send res;
 *                relay; tlsp_server_free(conn); tlsp_tls_result_free(&res).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_SERVER_ROLE_TLSP_SERVER_H
#define TLSREUSE_TLSPROXY_SERVER_ROLE_TLSP_SERVER_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "tls/tlsp_libctx.h"
#include "tls/tlsp_tls.h"

/*
 * What the server SSL_CTX is built from (Postfix's server init props).
 * base carries the fields the client role has too (log level, verify
 * depth, cache type, key/cert/CA files, fingerprint digest); strings
 * borrow from the conf and role. libctx is the OpenSSL configuration
 * the contexts are made in (tls_config_file, tls_config_name; NULL:
 * OpenSSL's own), borrowed for the engine's lifetime.
 */
struct tlsp_server_init {
	struct tlsp_tls_init base;
	const struct tlsp_libctx *libctx;
	int set_sessid;                /* issue session ids without a cache */
	const char *dh1024_param_file; /* "", "auto" or a PEM file */
	const char *protocols;
	int ask_ccert;
	int preempt_cipherlist;
	const char *ticket_cipher;
	const char *sni_maps;
};

/*
 * Session ticket key. Byte for byte the "keybuf" tlsmgr(8) returns for a
 * "tktkey" request (Postfix's TLS_TICKET_KEY: 88 bytes on LP64, tout at
 * offset 80), so a client may copy a reply of sizeof(struct tlsp_tktkey)
 * bytes into it and must refuse any other length.
 */
#define TLSP_TKTKEY_NAMELEN 16
#define TLSP_TKTKEY_KEYLEN 32
#define TLSP_TKTKEY_MACLEN 32
#define TLSP_TKTKEY_IVLEN 16

struct tlsp_tktkey {
	unsigned char name[TLSP_TKTKEY_NAMELEN];
	unsigned char bits[TLSP_TKTKEY_KEYLEN]; /* cipher key */
	unsigned char hmac[TLSP_TKTKEY_MACLEN]; /* HMAC-SHA256 key */
	time_t tout;                            /* last time it may encrypt */
};

/*
 * What the engine asks of tlsmgr(8); the tlsmgr client plugs in here.
 * Every member may be NULL (that service is then unavailable); context
 * is passed back unchanged. All calls are synchronous.
 */
struct tlsp_server_cache_ops {
	void *context;
	/* len random bytes into buf: 0, or -1 (TLS init then fails). */
	int (*seed)(void *context, unsigned char *buf, size_t len);
	/* "policy": 0 with *cachable and *timeout (seconds), or -1. */
	int (*policy)(void *context, const char *cache_type, int *cachable,
	              int *timeout);
	/* "lookup": 0 with the DER session in *session (replaced), or -1. */
	int (*lookup)(void *context, const char *cache_type,
	              const char *cache_id, struct buf *session);
	/* "update": store the DER session; failures are ignored. */
	void (*update)(void *context, const char *cache_type,
	               const char *cache_id, const unsigned char *session,
	               size_t len);
	/* "tktkey": name NULL = the current encryption key, else the key
	 * of that name (TLSP_TKTKEY_NAMELEN bytes); 0 filling *key, or -1. */
	int (*tktkey)(void *context, const unsigned char *name,
	              struct tlsp_tktkey *key);
};

/* One connection's settings (tlsproxy: fixed per process + the request). */
struct tlsp_server_start {
	int requirecert;      /* logs untrusted certs; never enforced */
	const char *serverid; /* request serverid, e.g. "smtpd" */
	const char *namaddr;  /* remote endpoint "[addr]:port" */
	const char *cipher_grade;
	const char *cipher_exclusions;
	const char *mdalg; /* client-cert fingerprint digest */
};

#endif
