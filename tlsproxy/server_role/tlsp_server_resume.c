/*
 * tlsp_server_resume.c - server session cache and tickets through tlsmgr
 *
 * Resumption must interoperate with smtpd(8): the same session-id
 * context ("Postfix/TLS" plus its NUL), the same cache ids
 * (HEX(id)&s=<serverid>&l=<OpenSSL version>) in tlsmgr's "smtpd" cache,
 * and ticket keys from tlsmgr, kept in a two-slot local cache (current
 * encryption key and its predecessor) like Postfix's. The tlsmgr I/O is
 * behind struct tlsp_server_cache_ops.
 *
 * Errors: a failed lookup is a miss; a failed update is ignored; no key
 * for a new ticket fails the handshake (OpenSSL's callback contract,
 * and stock's behaviour while tlsmgr is down).
 * See also: doc/tlsproxy-protocol.md section 4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_server_int.h"

/* tlsmgr's keybuf layout (doc/tlsproxy-protocol.md section 4), LP64. */
_Static_assert(offsetof(struct tlsp_tktkey, tout) == 80 &&
                   sizeof(struct tlsp_tktkey) == 88,
               "tlsp_tktkey differs from keybuf");

/* The session-id context, NUL included, as smtpd(8) sets it. */
static const char tlsp_server_resume_sid_ctx[] = "Postfix/TLS";

/*
 * Ticket callback results (OpenSSL's contract). Without a key to encrypt
 * with (tlsmgr(8) down or stalled, no key cached yet), stock fails the
 * handshake; a ticket only saves the next client a full handshake, so
 * this proxy issues none and goes on (OpenSSL then sends no ticket).
 */
#define TLSP_TKT_NOKEYS 0
#define TLSP_TKT_STALE 0
#define TLSP_TKT_ACCEPT 1

/* The tlsmgr cache id of a session id. */
static void
tlsp_server_resume_id(struct buf *id, const unsigned char *sid,
                      unsigned int len, const char *serverid)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf_printf(id, "%02X", sid[i]);
	buf_printf(id, "&s=%s&l=%lu", serverid,
	           (unsigned long)OpenSSL_version_num());
}

/* Session lookup callback: tlsmgr "lookup", then DER decoding. */
static SSL_SESSION *
tlsp_server_resume_get_cb(SSL *ssl, const unsigned char *sid, int len,
                          int *copy)
{
	struct tlsp_server_conn *conn = tlsp_server_conn_of(ssl);
	struct tlsp_server_ctx *ctx = conn->ctx;
	SSL_SESSION *session = 0;
	const unsigned char *p;
	struct buf id;
	struct buf der;

	*copy = 0;
	buf_init(&id);
	buf_init(&der);
	tlsp_server_resume_id(&id, sid, (unsigned int)len, conn->serverid);
	if (conn->tls.verify.log_mask & TLSP_LOG_CACHE)
		msg_info("%s: looking up session %s in %s cache",
		         conn->tls.namaddr, buf_str(&id), ctx->cache_type);
	if (ctx->ops.lookup &&
	    ctx->ops.lookup(ctx->ops.context, ctx->cache_type, buf_str(&id),
	                    &der) == 0) {
		p = (const unsigned char *)der.data;
		session = d2i_SSL_SESSION(0, &p, (long)der.len);
		if (session && (conn->tls.verify.log_mask & TLSP_LOG_CACHE))
			msg_info("%s: reloaded session %s from %s cache",
			         conn->tls.namaddr, buf_str(&id),
			         ctx->cache_type);
	}
	buf_free(&id);
	buf_free(&der);
	return session;
}

/* New-session callback: DER encoding, then tlsmgr "update". */
static int
tlsp_server_resume_new_cb(SSL *ssl, SSL_SESSION *session)
{
	struct tlsp_server_conn *conn = tlsp_server_conn_of(ssl);
	struct tlsp_server_ctx *ctx = conn->ctx;
	unsigned char *der = 0;
	unsigned int sid_len;
	const unsigned char *sid = SSL_SESSION_get_id(session, &sid_len);
	struct buf id;
	int len;

	buf_init(&id);
	tlsp_server_resume_id(&id, sid, sid_len, conn->serverid);
	if (conn->tls.verify.log_mask & TLSP_LOG_CACHE)
		msg_info("%s: save session %s to %s cache", conn->tls.namaddr,
		         buf_str(&id), ctx->cache_type);
	if ((len = i2d_SSL_SESSION(session, &der)) > 0 && ctx->ops.update)
		ctx->ops.update(ctx->ops.context, ctx->cache_type, buf_str(&id),
		                der, (size_t)len);
	OPENSSL_free(der);
	buf_free(&id);
	return 0; /* we kept no reference */
}

/* A usable key from the local slots, else NULL (Postfix's rules). */
static struct tlsp_tktkey *
tlsp_server_resume_key_cached(struct tlsp_server_ctx *ctx,
                              const unsigned char *name, time_t now,
                              int timeout)
{
	int i;

	if (name == 0)
		return ctx->keys[0] && ctx->keys[0]->tout > now ? ctx->keys[0]
		                                                : 0;
	for (i = 0; i < 2 && ctx->keys[i]; i++) {
		if (memcmp(name, ctx->keys[i]->name, TLSP_TKTKEY_NAMELEN) != 0)
			continue;
		return ctx->keys[i]->tout + timeout > now ? ctx->keys[i] : 0;
	}
	return 0;
}

/* Stores a key from tlsmgr, keeping the later expiry in slot 0. */
static struct tlsp_tktkey *
tlsp_server_resume_key_store(struct tlsp_server_ctx *ctx,
                             const struct tlsp_tktkey *key)
{
	struct tlsp_tktkey *slot = ctx->keys[1];

	if (slot == 0)
		slot = xmalloc(sizeof(*slot));
	*slot = *key;
	ctx->keys[1] = slot;
	if (ctx->keys[0] == 0 || ctx->keys[0]->tout < slot->tout) {
		ctx->keys[1] = ctx->keys[0];
		ctx->keys[0] = slot;
	}
	return slot;
}

/* The key for a new (name NULL) or presented ticket, else NULL. */
static struct tlsp_tktkey *
tlsp_server_resume_key(struct tlsp_server_ctx *ctx, const unsigned char *name,
                       int timeout)
{
	struct tlsp_tktkey *key;
	struct tlsp_tktkey fresh;

	if (timeout <= 0)
		return 0;
	if ((key = tlsp_server_resume_key_cached(ctx, name, time(0),
	                                         timeout)) != 0)
		return key;
	if (ctx->ops.tktkey == 0 ||
	    ctx->ops.tktkey(ctx->ops.context, name, &fresh) < 0)
		return 0;
	key = tlsp_server_resume_key_store(ctx, &fresh);
	OPENSSL_cleanse(&fresh, sizeof(fresh));
	return key;
}

/* HMAC-SHA256 with the key's MAC secret; 1 on success. */
static int
tlsp_server_resume_ticket_mac(EVP_MAC_CTX *hctx, struct tlsp_tktkey *key)
{
	static char digest[] = "SHA256";
	OSSL_PARAM params[3];

	params[0] =
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_MAC_PARAM_KEY, key->hmac, TLSP_TKTKEY_MACLEN);
	params[2] = OSSL_PARAM_construct_end();
	return EVP_MAC_CTX_set_params(hctx, params);
}

/* The session ticket key callback (encrypt when enc, else decrypt). */
static int
tlsp_server_resume_ticket_cb(SSL *ssl, unsigned char *name, unsigned char *iv,
                             EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	struct tlsp_server_conn *conn = tlsp_server_conn_of(ssl);
	struct tlsp_server_ctx *ctx = conn->ctx;
	int timeout = (int)SSL_CTX_get_timeout(SSL_get_SSL_CTX(ssl)) / 2;
	struct tlsp_tktkey *key;
	int fail = enc ? TLSP_TKT_NOKEYS : TLSP_TKT_STALE;

	if ((key = tlsp_server_resume_key(ctx, enc ? 0 : name, timeout)) == 0 ||
	    (enc && RAND_bytes(iv, TLSP_TKTKEY_IVLEN) <= 0) ||
	    !tlsp_server_resume_ticket_mac(hctx, key))
		return fail;
	if (enc) {
		if (!EVP_EncryptInit_ex(cctx, ctx->tkt_cipher, 0, key->bits,
		                        iv))
			return fail;
		memcpy(name, key->name, TLSP_TKTKEY_NAMELEN);
	} else if (!EVP_DecryptInit_ex(cctx, ctx->tkt_cipher, 0, key->bits,
	                               iv)) {
		return fail;
	}
	if (conn->tls.verify.log_mask & TLSP_LOG_CACHE)
		msg_info("%s: %s session ticket, key expiration: %ld",
		         conn->tls.namaddr, enc ? "Issuing" : "Decrypting",
		         (long)key->tout);
	conn->ticketed = 1;
	return TLSP_TKT_ACCEPT;
}

/* The configured ticket cipher if it suits tickets; NULL (warned). */
static EVP_CIPHER *
tlsp_server_resume_ticket_cipher(const char *name)
{
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(0, name, 0);

	if (cipher && EVP_CIPHER_get_mode(cipher) == EVP_CIPH_CBC_MODE &&
	    EVP_CIPHER_get_iv_length(cipher) == TLSP_TKTKEY_IVLEN &&
	    EVP_CIPHER_get_key_length(cipher) >= TLSP_TKTKEY_IVLEN &&
	    EVP_CIPHER_get_key_length(cipher) <= TLSP_TKTKEY_KEYLEN)
		return cipher;
	EVP_CIPHER_free(cipher);
	msg_warn("tls_session_ticket_cipher: invalid value: %s; session "
	         "tickets disabled",
	         name);
	return 0;
}

long
tlsp_server_resume_tickets(struct tlsp_server_ctx *ctx,
                           const struct tlsp_server_init *init, long off,
                           int *timeout, int *cachable)
{
	const char *name = init->ticket_cipher ? init->ticket_cipher : "";

	if (ctx->ops.policy == 0 ||
	    ctx->ops.policy(ctx->ops.context, init->base.cache_type, cachable,
	                    timeout) < 0)
		*timeout = 0;
	if (*timeout <= 0)
		*cachable = 0;
	if (*cachable)
		ctx->cache_type = xstrdup(init->base.cache_type);
	if (*name == 0 || *timeout <= 0 || (off & SSL_OP_NO_TICKET) ||
	    (ctx->tkt_cipher = tlsp_server_resume_ticket_cipher(name)) == 0)
		return SSL_OP_NO_TICKET;
	SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx->ssl_ctx,
	                                     tlsp_server_resume_ticket_cb);
	SSL_CTX_set_num_tickets(ctx->ssl_ctx, 1);
	return 0;
}

void
tlsp_server_resume_sessions(struct tlsp_server_ctx *ctx, int cachable,
                            int ticketable, int set_sessid, int timeout)
{
	if (!(cachable || ticketable || set_sessid)) {
		SSL_CTX_set_session_cache_mode(ctx->ssl_ctx,
		                               SSL_SESS_CACHE_OFF);
		return;
	}
	SSL_CTX_sess_set_cache_size(ctx->ssl_ctx, 1);
	SSL_CTX_set_session_id_context(
	    ctx->ssl_ctx, (const unsigned char *)tlsp_server_resume_sid_ctx,
	    sizeof(tlsp_server_resume_sid_ctx));
	SSL_CTX_set_session_cache_mode(
	    ctx->ssl_ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL |
	                      SSL_SESS_CACHE_NO_AUTO_CLEAR);
	if (cachable) {
		SSL_CTX_sess_set_get_cb(ctx->ssl_ctx,
		                        tlsp_server_resume_get_cb);
		SSL_CTX_sess_set_new_cb(ctx->ssl_ctx,
		                        tlsp_server_resume_new_cb);
	}
	SSL_CTX_set_timeout(ctx->ssl_ctx, 2 * (long)timeout);
}

void
tlsp_server_resume_free(struct tlsp_server_ctx *ctx)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (ctx->keys[i])
			OPENSSL_cleanse(ctx->keys[i], sizeof(*ctx->keys[i]));
		free(ctx->keys[i]);
		ctx->keys[i] = 0;
	}
	EVP_CIPHER_free(ctx->tkt_cipher);
	ctx->tkt_cipher = 0;
}
