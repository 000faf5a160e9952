/*
 * tlsp_settings.c - a request's global TLS settings, resolved once
 *
 * Each smtp(8)/lmtp(8) transport sends its own global TLS settings; the
 * ones OpenSSL takes per connection (options, groups) are resolved here
 * once per distinct set, kept in a small cache keyed by the settings
 * themselves, and applied to each connection's SSL. Cipher lists are
 * applied per connection by tlsp_policy.c; what needs an SSL_CTX of its
 * own (DANE digests, default CAs) is part of the context key.
 *
 * Limits: TLSP_SETTINGS_CACHE_LIMIT distinct sets.
 * See also: tls/tlsp_groups.c, tls/tlsp_sslopt.c, tlsp_policy.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "tls/tlsp_groups.h"
#include "tls/tlsp_sslopt.h"
#include "tlsp_settings.h"

struct tlsp_settings_entry {
	char *key;
	struct tlsp_settings s;
};

struct tlsp_settings_cache {
	struct tlsp_settings_entry entry[TLSP_SETTINGS_CACHE_LIMIT];
	size_t next; /* ring position of the next entry to (re)use */
};

struct tlsp_settings_cache *
tlsp_settings_cache_create(void)
{
	return xcalloc(1, sizeof(struct tlsp_settings_cache));
}

static void
tlsp_settings_entry_clear(struct tlsp_settings_entry *e)
{
	free(e->key);
	free(e->s.groups);
	memset(e, 0, sizeof(*e));
}

void
tlsp_settings_cache_free(struct tlsp_settings_cache *cache)
{
	size_t i;

	if (cache == NULL)
		return;
	for (i = 0; i < TLSP_SETTINGS_CACHE_LIMIT; i++)
		tlsp_settings_entry_clear(&cache->entry[i]);
	free(cache);
}

/* One line per setting that counts; "(none)" tells NULL from "". */
static void
tlsp_settings_key(struct buf *key, const struct tlsp_tls_params *p)
{
	buf_printf(key, "%s\n%s\n%s\n%s\n",
	           p->tls_eecdh_auto_curves ? p->tls_eecdh_auto_curves : "",
	           p->tls_ffdhe_auto_groups ? p->tls_ffdhe_auto_groups
	                                    : "(none)",
	           p->tls_disable_workarounds ? p->tls_disable_workarounds : "",
	           p->tls_ssl_options ? p->tls_ssl_options : "");
}

/*
 * Postfix's options for a client: every bug workaround not disabled,
 * the named extras, no renegotiation (which 3.8 and later always set,
 * and which only costs a peer's CPU attack), and a peer's missing
 * close_notify is not an error.
 */
static uint64_t
tlsp_settings_options(const struct tlsp_tls_params *p)
{
	return (uint64_t)tlsp_sslopt_bits(p->tls_disable_workarounds,
	                                  p->tls_ssl_options) |
	       SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF;
}

const struct tlsp_settings *
tlsp_settings_get(struct tlsp_settings_cache *cache,
                  const struct tlsp_tls_params *params)
{
	struct tlsp_settings_entry *e;
	struct buf key;
	size_t i;

	buf_init(&key);
	tlsp_settings_key(&key, params);
	for (i = 0; i < TLSP_SETTINGS_CACHE_LIMIT; i++) {
		e = &cache->entry[i];
		if (e->key != NULL && strcmp(e->key, buf_str(&key)) == 0) {
			buf_free(&key);
			return &e->s;
		}
	}
	e = &cache->entry[cache->next];
	cache->next = (cache->next + 1) % TLSP_SETTINGS_CACHE_LIMIT;
	tlsp_settings_entry_clear(e);
	e->key = xstrdup(buf_str(&key));
	e->s.options = tlsp_settings_options(params);
	e->s.groups = tlsp_groups_resolve(params->tls_eecdh_auto_curves,
	                                  params->tls_ffdhe_auto_groups);
	buf_free(&key);
	return &e->s;
}

int
tlsp_settings_apply(const struct tlsp_settings *s, SSL *ssl)
{
	SSL_set_options(ssl, s->options);
	return tlsp_groups_apply(ssl, s->groups);
}
