/*
 * tlsp_settings.h - a request's global TLS settings, resolved once
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_CLIENT_ROLE_TLSP_SETTINGS_H
#define TLSREUSE_TLSPROXY_CLIENT_ROLE_TLSP_SETTINGS_H

#include <stdint.h>

#include <openssl/ssl.h>

#include "tls/tlsp_tls.h"

/* At most this many distinct settings are remembered. */
#define TLSP_SETTINGS_CACHE_LIMIT 32

/*
 * What one distinct set of global settings comes to on a connection:
 * the SSL options (bug workarounds, tls_ssl_options, and what Postfix
 * always sets) and the key-exchange groups. Resolving names logs
 * Postfix's warnings for unknown ones, so each set is resolved once per
 * process, as a stock smtp(8) process does once at start.
 */
struct tlsp_settings {
	uint64_t options;
	char *groups; /* for tlsp_groups_apply(); NULL: OpenSSL's defaults */
};

struct tlsp_settings_cache;

/* An empty cache, owned by the caller; _free() is NULL-safe. */
struct tlsp_settings_cache *tlsp_settings_cache_create(void);
void tlsp_settings_cache_free(struct tlsp_settings_cache *cache);

/*
 * The settings params resolve to, from the cache or resolved now (when
 * TLSP_SETTINGS_CACHE_LIMIT sets are cached, the oldest is dropped).
 * Borrowed: valid until the next call on cache.
 */
const struct tlsp_settings *
tlsp_settings_get(struct tlsp_settings_cache *cache,
                  const struct tlsp_tls_params *params);

/* Puts s in effect on ssl: options and groups; -1 (warned) on failure. */
int tlsp_settings_apply(const struct tlsp_settings *s, SSL *ssl);

#endif
