/*
 * tlsp_ctx.c - client SSL_CTX from init props, and their cache
 *
 * One SSL_CTX per distinct TLS_CLIENT_INIT_PROPS and context-wide global
 * settings (tls_dane_digests, tls_append_default_CA, and the OpenSSL
 * configuration, tls_config_file and tls_config_name, whose library
 * context it is made in: tls/tlsp_libctx.c), built the way
 * Postfix's client init builds it: security level 0 (the session raises
 * it), verify depth + 1, DANE enabled with the requested matching types,
 * verification that never fails the handshake (tlsp_verify.c), CA and own
 * keys. Options, groups and ciphers are the connection's (tlsp_policy.c),
 * so transports that differ only in those share a context. Session
 * caching is switched on by the caller once tlsmgr said yes.
 *
 * Errors: each failing step logs Postfix's warning; the context is not
 * built. Limits: TLSP_CTX_CACHE_LIMIT cached contexts.
 * See also: tlsp_policy.c (per connection), tlsp_client_tlsmgr.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tls/tlsp_certkey.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_infocb.h"
#include "tls/tlsp_libctx.h"
#include "tls/tlsp_logmask.h"
#include "tls/tlsp_tlserr.h"
#include "tls/tlsp_verify.h"
#include "tlsp_dane.h"
#include "tlsp_resume.h"
#include "tlsp_ctx.h"

struct tlsp_ctx {
	SSL_CTX *ssl_ctx;
	int log_mask;
	char *cache_type;
	tlsp_client_save_fn save_fn; /* set when caching sessions */
	void *save_arg;
};

struct tlsp_ctx_entry {
	char *key;
	struct tlsp_ctx *ctx;
	int pinned;
};

struct tlsp_ctx_cache {
	struct tlsp_ctx_entry entry[TLSP_CTX_CACHE_LIMIT];
	size_t count;
};

/* A context of lib plus the settings that cannot fail. */
static SSL_CTX *
tlsp_ctx_new(const struct tlsp_libctx *lib, const struct tlsp_tls_init *init,
             int log_mask)
{
	SSL_CTX *ssl_ctx;

	if ((ssl_ctx = tlsp_libctx_ssl_ctx(lib, 0)) == 0) {
		msg_warn("cannot allocate client SSL_CTX: disabling TLS "
		         "support");
		tlsp_tlserr_log();
		return 0;
	}
	SSL_CTX_set_security_level(ssl_ctx, 0);
	SSL_CTX_set_verify_depth(ssl_ctx, init->verifydepth + 1);
	/* Each connection adds the options its request asks for. */
	SSL_CTX_set_options(ssl_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (log_mask & TLSP_LOG_DEBUG)
		SSL_CTX_set_info_callback(ssl_ctx, tlsp_infocb_callback);
	return ssl_ctx;
}

/* DANE, trust anchors, own keys, verification: 0 or -1. */
static int
tlsp_ctx_configure(SSL_CTX *ssl_ctx, const struct tlsp_tls_params *params,
                   const struct tlsp_tls_init *init, const EVP_MD *fpt_md)
{
	if (SSL_CTX_dane_enable(ssl_ctx) <= 0) {
		msg_warn("OpenSSL DANE initialization failed: disabling TLS "
		         "support");
		tlsp_tlserr_log();
		return -1;
	}
	tlsp_dane_digest_init(ssl_ctx, params->tls_dane_digests, fpt_md);
	if (tlsp_certkey_ca(ssl_ctx, tlsp_tls_str(init->CAfile),
	                    tlsp_tls_str(init->CApath),
	                    params->tls_append_default_CA) < 0)
		return -1;
	if (tlsp_certkey_own(ssl_ctx, init) < 0)
		return -1;
	SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, tlsp_verify_callback);
	return 0;
}

struct tlsp_ctx *
tlsp_ctx_create(const struct tlsp_libctx *lib,
                const struct tlsp_tls_params *params,
                const struct tlsp_tls_init *init)
{
	int log_mask = tlsp_logmask_parse(tlsp_tls_str(init->log_param),
	                                  tlsp_tls_str(init->log_level));
	const EVP_MD *fpt_md;
	struct tlsp_ctx *ctx;
	SSL_CTX *ssl_ctx;

	if (log_mask & TLSP_LOG_VERBOSE)
		msg_info("initializing the client-side TLS engine");
	if ((fpt_md = tlsp_fprint_md(init->mdalg)) == 0) {
		msg_warn("Digest algorithm \"%s\" not found",
		         tlsp_tls_str(init->mdalg));
		msg_warn("disabling TLS support");
		return 0;
	}
	if ((ssl_ctx = tlsp_ctx_new(lib, init, log_mask)) == 0)
		return 0;
	if (tlsp_ctx_configure(ssl_ctx, params, init, fpt_md) < 0) {
		SSL_CTX_free(ssl_ctx);
		return 0;
	}
	ctx = xcalloc(1, sizeof(*ctx));
	ctx->ssl_ctx = ssl_ctx;
	ctx->log_mask = log_mask;
	ctx->cache_type = xstrdup(tlsp_tls_str(init->cache_type));
	return ctx;
}

void
tlsp_ctx_free(struct tlsp_ctx *ctx)
{
	if (ctx == 0)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	free(ctx->cache_type);
	free(ctx);
}

SSL_CTX *
tlsp_ctx_ssl_ctx(const struct tlsp_ctx *ctx)
{
	return ctx->ssl_ctx;
}

int
tlsp_ctx_log_mask(const struct tlsp_ctx *ctx)
{
	return ctx->log_mask;
}

const char *
tlsp_ctx_cache_type(const struct tlsp_ctx *ctx)
{
	return ctx->cache_type;
}

void
tlsp_ctx_enable_cache(struct tlsp_ctx *ctx, long timeout,
                      tlsp_client_save_fn fn, void *arg)
{
	SSL_CTX_set_session_cache_mode(ctx->ssl_ctx,
	                               SSL_SESS_CACHE_CLIENT |
	                                   SSL_SESS_CACHE_NO_INTERNAL_STORE |
	                                   SSL_SESS_CACHE_NO_AUTO_CLEAR);
	SSL_CTX_sess_set_new_cb(ctx->ssl_ctx, tlsp_resume_new_session);
	SSL_CTX_set_timeout(ctx->ssl_ctx, 2 * timeout);
	ctx->save_fn = fn;
	ctx->save_arg = arg;
}

tlsp_client_save_fn
tlsp_ctx_saver(const struct tlsp_ctx *ctx, void **arg)
{
	*arg = ctx->save_arg;
	return ctx->save_fn;
}

struct tlsp_ctx_cache *
tlsp_ctx_cache_create(void)
{
	return xcalloc(1, sizeof(struct tlsp_ctx_cache));
}

/* Frees entry i and closes the gap, keeping insertion order. */
static void
tlsp_ctx_cache_drop(struct tlsp_ctx_cache *cache, size_t i)
{
	free(cache->entry[i].key);
	tlsp_ctx_free(cache->entry[i].ctx);
	memmove(&cache->entry[i], &cache->entry[i + 1],
	        (cache->count - i - 1) * sizeof(cache->entry[0]));
	cache->count--;
}

void
tlsp_ctx_cache_free(struct tlsp_ctx_cache *cache)
{
	if (cache == 0)
		return;
	while (cache->count > 0)
		tlsp_ctx_cache_drop(cache, cache->count - 1);
	free(cache);
}

size_t
tlsp_ctx_cache_size(const struct tlsp_ctx_cache *cache)
{
	return cache->count;
}

/* Makes room for one entry; -1 if every entry is pinned. */
static int
tlsp_ctx_cache_room(struct tlsp_ctx_cache *cache)
{
	size_t i;

	if (cache->count < TLSP_CTX_CACHE_LIMIT)
		return 0;
	for (i = 0; i < cache->count; i++) {
		if (!cache->entry[i].pinned) {
			tlsp_ctx_cache_drop(cache, i);
			return 0;
		}
	}
	return -1;
}

void
tlsp_ctx_key(struct buf *key, const char *init_key,
             const struct tlsp_tls_params *params)
{
	buf_printf(key,
	           "%stls_dane_digests=%s\ntls_append_default_CA=%d\n"
	           "tls_config_file=%s\ntls_config_name=%s\n",
	           init_key, tlsp_tls_str(params->tls_dane_digests),
	           params->tls_append_default_CA,
	           tlsp_tls_str(params->tls_config_file),
	           tlsp_tls_str(params->tls_config_name));
}

struct tlsp_ctx *
tlsp_ctx_cache_find(const struct tlsp_ctx_cache *cache, const char *key)
{
	size_t i;

	for (i = 0; i < cache->count; i++)
		if (strcmp(cache->entry[i].key, key) == 0)
			return cache->entry[i].ctx;
	return 0;
}

struct tlsp_ctx *
tlsp_ctx_cache_get(struct tlsp_ctx_cache *cache, const char *key,
                   const struct tlsp_libctx *lib,
                   const struct tlsp_tls_params *params,
                   const struct tlsp_tls_init *init, int pin)
{
	struct tlsp_ctx_entry *e;
	struct tlsp_ctx *ctx;

	if ((ctx = tlsp_ctx_cache_find(cache, key)) != 0)
		return ctx;
	if ((ctx = tlsp_ctx_create(lib, params, init)) == 0)
		return 0;
	if (tlsp_ctx_cache_room(cache) < 0)
		msg_panic("%s: all %d cached contexts are pinned", __func__,
		          TLSP_CTX_CACHE_LIMIT);
	e = &cache->entry[cache->count++];
	e->key = xstrdup(key);
	e->ctx = ctx;
	e->pinned = pin;
	return ctx;
}
