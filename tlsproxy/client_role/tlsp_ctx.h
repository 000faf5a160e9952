/*
 * tlsp_ctx.h - client SSL_CTX from init props, and their cache
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_CTX_H
#define TLSREUSE_TLSPROXY_TLSP_CTX_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "buf.h"
#include "tls/tlsp_libctx.h"
#include "tlsp_client.h"

struct tlsp_ctx;
struct tlsp_ctx_cache;

/* At most this many contexts are cached; see tlsp_ctx_cache_get(). */
#define TLSP_CTX_CACHE_LIMIT 32

/*
 * Builds a client context in lib, the OpenSSL configuration that
 * params->tls_config_file and tls_config_name name (NULL: OpenSSL's
 * own, for tests; lib must outlive the context), from init and the
 * context-wide settings of params (tls_dane_digests,
 * tls_append_default_CA; the rest of params applies per connection and
 * is not kept). Files are read now, so this is the pre-jail step for the
 * configurations master.cf names. Returns NULL after logging Postfix's
 * warning(s) when anything fails: unusable mdalg, CA data,
 * certificate/key files, DANE setup.
 */
struct tlsp_ctx *tlsp_ctx_create(const struct tlsp_libctx *lib,
                                 const struct tlsp_tls_params *params,
                                 const struct tlsp_tls_init *init);

/* NULL-safe. Sessions already started keep their own SSL_CTX reference. */
void tlsp_ctx_free(struct tlsp_ctx *ctx);

/* Borrowed views, valid while ctx lives. */
SSL_CTX *tlsp_ctx_ssl_ctx(const struct tlsp_ctx *ctx);
int tlsp_ctx_log_mask(const struct tlsp_ctx *ctx);
const char *tlsp_ctx_cache_type(const struct tlsp_ctx *ctx);

/*
 * Turns on client session caching (tlsmgr's "policy" reply was cachable
 * with timeout > 0): OpenSSL keeps no sessions itself, each new session
 * of a session started afterwards goes to fn(arg, ...), and sessions
 * expire after 2 x timeout seconds. fn and arg must outlive every
 * session started from ctx.
 */
void tlsp_ctx_enable_cache(struct tlsp_ctx *ctx, long timeout,
                           tlsp_client_save_fn fn, void *arg);

/* The save function (NULL when not caching) and its argument. */
tlsp_client_save_fn tlsp_ctx_saver(const struct tlsp_ctx *ctx, void **arg);

/* An empty cache, owned by the caller. */
struct tlsp_ctx_cache *tlsp_ctx_cache_create(void);

/* Frees every cached context; NULL-safe. */
void tlsp_ctx_cache_free(struct tlsp_ctx_cache *cache);

/*
 * The context cached under key (tlsp_ctx_key(); exact string match),
 * else a new one built in lib from params and init (tlsp_ctx_create())
 * and cached. A failed build is not cached (the next request retries and
 * warns again) and yields NULL. pin != 0 marks the entry as never evicted (the pre-jail
 * context, whose files cannot be read again after chroot). When
 * TLSP_CTX_CACHE_LIMIT entries are cached, the oldest unpinned one is
 * freed to make room. The result is borrowed: valid until the entry is
 * evicted, so use it at once (start a session) rather than keep it.
 */
struct tlsp_ctx *tlsp_ctx_cache_get(struct tlsp_ctx_cache *cache,
                                    const char *key,
                                    const struct tlsp_libctx *lib,
                                    const struct tlsp_tls_params *params,
                                    const struct tlsp_tls_init *init, int pin);

/*
 * The cache key of a context: the plain serialisation of init (init_key,
 * as the stock daemon keys its contexts) followed by the context-wide
 * settings of params, the OpenSSL configuration included. Appended to
 * key.
 */
void tlsp_ctx_key(struct buf *key, const char *init_key,
                  const struct tlsp_tls_params *params);

/* The context cached under key, or NULL; never builds. Borrowed. */
struct tlsp_ctx *tlsp_ctx_cache_find(const struct tlsp_ctx_cache *cache,
                                     const char *key);

/* Number of cached contexts. */
size_t tlsp_ctx_cache_size(const struct tlsp_ctx_cache *cache);

#endif
