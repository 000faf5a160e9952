/*
 * tlsp_resume.c - client session caching: cache key, reload, save
 *
 * Sessions live in tlsmgr(8)'s cache, shared with smtp(8)'s own TLS
 * client, so the lookup key must be computed exactly as Postfix does:
 * the digest binds a cached session to everything that decided whether
 * its peer was trusted (trust settings, must_fail, SNI), because a
 * resumed session is not verified again.
 *
 * Limits: TLSA data longer than 65535 bytes cannot be keyed (the stock
 * layout has a 16-bit length); tlsp_policy.c refuses such records.
 * See also: doc/tlsproxy-protocol.md section 4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_tlserr.h"
#include "tlsp_resume.h"

/* The ex-data slot linking an SSL to its conn (set once per process). */
static int tlsp_resume_index = -1;

/* Orders TLSA records by usage, selector, mtype, length, then data. */
static int
tlsp_resume_tlsa_cmp(const void *a, const void *b)
{
	const struct tlsp_tlsa *p = *(const struct tlsp_tlsa *const *)a;
	const struct tlsp_tlsa *q = *(const struct tlsp_tlsa *const *)b;

	if (p->usage != q->usage)
		return (int)p->usage - (int)q->usage;
	if (p->selector != q->selector)
		return (int)p->selector - (int)q->selector;
	if (p->mtype != q->mtype)
		return (int)p->mtype - (int)q->mtype;
	if (p->len != q->len)
		return p->len < q->len ? -1 : 1;
	return memcmp(p->data, q->data, p->len);
}

/* The record count (native int) and the sorted records. */
static int
tlsp_resume_digest_tlsa(EVP_MD_CTX *md, const struct tlsp_tlsa *tlsa,
                        size_t count)
{
	const struct tlsp_tlsa **sorted;
	int n = (int)count;
	uint16_t len;
	int ok;
	int i;

	sorted = xcalloc(count ? count : 1, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = &tlsa[i];
	qsort(sorted, count, sizeof(*sorted), tlsp_resume_tlsa_cmp);
	ok = EVP_DigestUpdate(md, &n, sizeof(n));
	for (i = 0; ok && i < n; i++) {
		len = (uint16_t)sorted[i]->len;
		ok = EVP_DigestUpdate(md, &sorted[i]->usage, 1) &&
		     EVP_DigestUpdate(md, &sorted[i]->selector, 1) &&
		     EVP_DigestUpdate(md, &sorted[i]->mtype, 1) &&
		     EVP_DigestUpdate(md, &len, sizeof(len)) &&
		     EVP_DigestUpdate(md, sorted[i]->data, sorted[i]->len);
	}
	free(sorted);
	return ok;
}

/* A string and its terminating NUL. */
static int
tlsp_resume_digest_str(EVP_MD_CTX *md, const char *s)
{
	s = s ? s : "";
	return EVP_DigestUpdate(md, s, strlen(s) + 1);
}

/* Feeds the key fields in Postfix's order; 1 on success. */
static int
tlsp_resume_digest(EVP_MD_CTX *md, const struct tlsp_resume_key *k)
{
	int authenticated = TLSP_LEV_MUST_MATCH(k->level);
	int none = 0;

	if (!tlsp_resume_digest_str(md, k->helo) ||
	    !EVP_DigestUpdate(md, &k->openssl_version,
	                      sizeof(k->openssl_version)) ||
	    !tlsp_resume_digest_str(md, k->protocols) ||
	    !tlsp_resume_digest_str(md, k->cipher_list) ||
	    !EVP_DigestUpdate(md, &k->must_fail, sizeof(k->must_fail)))
		return 0;
	if (authenticated && k->tlsa_count > 0) {
		if (!tlsp_resume_digest_tlsa(md, k->tlsa, k->tlsa_count))
			return 0;
	} else if (!EVP_DigestUpdate(md, &none, sizeof(none))) {
		return 0;
	}
	return tlsp_resume_digest_str(md, authenticated ? k->sni : "");
}

char *
tlsp_resume_key_format(const struct tlsp_resume_key *k)
{
	const EVP_MD *alg = tlsp_fprint_md("sha256");
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	struct buf id;
	char *result;
	EVP_MD_CTX *md;
	unsigned int i;
	int ok;

	if (alg == 0 && (alg = tlsp_fprint_md(k->mdalg)) == 0)
		return 0;
	if ((md = EVP_MD_CTX_new()) == 0)
		return 0;
	ok = EVP_DigestInit_ex(md, alg, 0) && tlsp_resume_digest(md, k) &&
	     EVP_DigestFinal_ex(md, digest, &len);
	EVP_MD_CTX_free(md);
	if (!ok)
		return 0;
	buf_init(&id);
	buf_printf(&id, "%s&", k->serverid ? k->serverid : "");
	for (i = 0; i < len; i++)
		buf_printf(&id, "%02X", digest[i]);
	result = xstrdup(buf_str(&id));
	buf_free(&id);
	return result;
}

char *
tlsp_resume_cache_id(const struct tlsp_client_conn *conn,
                     const struct tlsp_client_start *props)
{
	struct tlsp_resume_key k = {
	    .serverid = props->serverid,
	    .helo = props->helo,
	    .openssl_version = (long)OpenSSL_version_num(),
	    .protocols = props->protocols,
	    .cipher_list = conn->cipher_list,
	    .must_fail = conn->tls.verify.must_fail,
	    .level = conn->level,
	    .tlsa = props->dane ? props->tlsa : 0,
	    .tlsa_count = props->dane ? props->tlsa_count : 0,
	    .sni = conn->sni,
	    .mdalg = props->mdalg,
	};

	return tlsp_resume_key_format(&k);
}

int
tlsp_resume_attach(struct tlsp_client_conn *conn)
{
	if (tlsp_resume_index < 0)
		tlsp_resume_index = SSL_get_ex_new_index(0, 0, 0, 0, 0);
	if (tlsp_resume_index < 0 ||
	    !SSL_set_ex_data(conn->tls.ssl, tlsp_resume_index, conn))
		return -1;
	return 0;
}

int
tlsp_resume_new_session(SSL *ssl, SSL_SESSION *session)
{
	struct tlsp_client_conn *conn =
	    tlsp_resume_index < 0 ? 0 : SSL_get_ex_data(ssl, tlsp_resume_index);
	unsigned char *der = 0;
	int len;

	if (conn == 0 || conn->save_fn == 0)
		return 0;
	if (conn->tls.verify.log_mask & TLSP_LOG_CACHE)
		msg_info("save session %s to %s cache", conn->cache_id,
		         conn->cache_type);
	if ((len = i2d_SSL_SESSION(session, &der)) <= 0) {
		msg_warn("%s: i2d_SSL_SESSION failed: unable to cache session",
		         "tls_session_passivate");
		SSL_SESSION_free(session);
		return 1;
	}
	conn->save_fn(conn->save_arg, conn->cache_type, conn->cache_id, der,
	              (size_t)len);
	OPENSSL_clear_free(der, (size_t)len);
	SSL_SESSION_free(session);
	return 1;
}

const char *
tlsp_resume_lookup(const struct tlsp_client_conn *conn)
{
	if (conn->cache_type == 0)
		return 0;
	if (conn->tls.verify.log_mask & TLSP_LOG_CACHE)
		msg_info("looking for session %s in %s cache", conn->cache_id,
		         conn->cache_type);
	return conn->cache_type;
}

int
tlsp_resume_load(struct tlsp_client_conn *conn, const unsigned char *der,
                 size_t len)
{
	const unsigned char *p = der;
	SSL_SESSION *session;
	int ok;

	if (len > LONG_MAX ||
	    (session = d2i_SSL_SESSION(0, &p, (long)len)) == 0) {
		tlsp_tlserr_log();
		return -1;
	}
	if (conn->tls.verify.log_mask & TLSP_LOG_CACHE)
		msg_info("reloaded session %s from %s cache", conn->cache_id,
		         conn->cache_type ? conn->cache_type : "");
	ok = SSL_set_session(conn->tls.ssl, session);
	SSL_SESSION_free(session);
	return ok ? 0 : -1;
}
