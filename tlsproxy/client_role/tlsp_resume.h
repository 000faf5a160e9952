/*
 * tlsp_resume.h - client session caching: cache key, reload, save
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_RESUME_H
#define TLSREUSE_TLSPROXY_TLSP_RESUME_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "tlsp_client.h"
#include "tlsp_client_conn.h"

/* What a session-cache key is computed from. */
struct tlsp_resume_key {
	const char *serverid;    /* smtp(8)'s prefix */
	const char *helo;        /* peer EHLO name, NULL = "" */
	long openssl_version;    /* OpenSSL_version_num() */
	const char *protocols;   /* as received, unparsed */
	const char *cipher_list; /* as applied */
	int must_fail;
	int level;                    /* effective level */
	const struct tlsp_tlsa *tlsa; /* keyed only above encrypt */
	size_t tlsa_count;
	const char *sni;   /* keyed only above encrypt */
	const char *mdalg; /* fallback if SHA-256 is missing */
};

/*
 * "<serverid>&<HEX>": the upper-case hex SHA-256 (else mdalg) digest of
 * the key fields laid out byte for byte as Postfix 3.7 does (native int
 * and long, strings with their NUL, TLSA records sorted), so that
 * smtp(8) and tlsproxy share cached sessions. Owned; NULL only if no
 * digest is usable. Pure.
 */
char *tlsp_resume_key_format(const struct tlsp_resume_key *key);

/*
 * The session-cache key of a session set up from props: props->serverid,
 * "&", then the upper-case hex SHA-256 (else mdalg) digest of the helo
 * name, OpenSSL's version number, the protocol list, the applied cipher
 * list, must_fail, the sorted TLSA records (levels above encrypt) and the
 * SNI name (levels above encrypt), laid out byte for byte as Postfix 3.7
 * does so that smtp(8) and tlsproxy share cached sessions. Owned; NULL
 * only if no digest is usable.
 */
char *tlsp_resume_cache_id(const struct tlsp_client_conn *conn,
                           const struct tlsp_client_start *props);

/* Links conn to its SSL for the new-session callback; 0 or -1. */
int tlsp_resume_attach(struct tlsp_client_conn *conn);

/*
 * The SSL_CTX new-session callback: hands each new session (DER) to the
 * conn's save function (tlsmgr "update"). Logs "save session ..." with
 * TLSP_LOG_CACHE.
 */
int tlsp_resume_new_session(SSL *ssl, SSL_SESSION *session);

/*
 * The cache to look in before the handshake, NULL when conn's context
 * does not cache sessions; logs "looking for session <id> in <type>
 * cache" with TLSP_LOG_CACHE. The key is tlsp_policy_cache_id(conn).
 */
const char *tlsp_resume_lookup(const struct tlsp_client_conn *conn);

/*
 * Offers a cached session (DER, as tlsmgr returns it) for resumption.
 * Returns 0 ("reloaded session ..." logged with TLSP_LOG_CACHE), or -1
 * after logging OpenSSL's errors for an undecodable blob; the handshake
 * then simply negotiates a new session.
 */
int tlsp_resume_load(struct tlsp_client_conn *conn, const unsigned char *der,
                     size_t len);

#endif
