/*
 * tlsp_server_ctx.h - tlsproxy's server-role TLS engine
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SERVER_CTX_H
#define TLSREUSE_TLSPROXY_TLSP_SERVER_CTX_H

#include <stddef.h>
#include <time.h>

#include <openssl/ssl.h>

#include "buf.h"
#include "tls/tlsp_tls.h"
#include "tlsp_server_conf.h"

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

struct tlsp_server_ctx;
struct tlsp_server_conn;

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

/* NULL-safe. Sessions must be freed first. */
void tlsp_server_ctx_free(struct tlsp_server_ctx *ctx);

/* Borrowed views. */
SSL_CTX *tlsp_server_ctx_ssl_ctx(const struct tlsp_server_ctx *ctx);
int tlsp_server_ctx_log_mask(const struct tlsp_server_ctx *ctx);

/* One connection's settings (tlsproxy: fixed per process + the request). */
struct tlsp_server_start {
	int requirecert;      /* logs untrusted certs; never enforced */
	const char *serverid; /* request serverid, e.g. "smtpd" */
	const char *namaddr;  /* remote endpoint "[addr]:port" */
	const char *cipher_grade;
	const char *cipher_exclusions;
	const char *mdalg; /* client-cert fingerprint digest */
};

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
