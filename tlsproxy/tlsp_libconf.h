/*
 * tlsp_libconf.h - the OpenSSL configurations requests may ask for
 *
 * smtp(8) and lmtp(8) load their tls_config_file/tls_config_name in
 * their own process; through tlsproxy, each request names its pair
 * (Postfix 3.6.10, 3.7.6, 3.8.1 and later) and gets it here: the
 * process's own pair lives in OpenSSL's default library context, every
 * other one a transport of main.cf or master.cf names in a library
 * context of its own (tls/tlsp_libctx.h), all loaded before the jail,
 * while the files are readable. A pair that was not loaded then, or
 * that failed to load, is refused rather than served with settings the
 * client did not ask for.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_LIBCONF_H
#define TLSREUSE_TLSPROXY_TLSP_LIBCONF_H

#include "tls/tlsp_libctx.h"

/* Most configurations a process loads, its own included. */
#define TLSP_LIBCONF_MAX 16

/* Refusals remembered, so that each is logged once. */
#define TLSP_LIBCONF_SEEN_MAX 32

struct tlsp_libconf;

/*
 * Before the jail, before any other OpenSSL use: initialises OpenSSL
 * (tlsp_libctx_init()) and loads the process's own pair into its
 * default library context. Always returns the registry (owned by the
 * caller); tlsp_libconf_own() is NULL when that failed (warned), and TLS
 * is then off. _free() is NULL-safe; every SSL_CTX made from one of its
 * contexts must be freed first.
 */
struct tlsp_libconf *tlsp_libconf_create(const char *tls_config_file,
                                         const char *tls_config_name);
void tlsp_libconf_free(struct tlsp_libconf *lc);

/* The process's own configuration, or NULL. Borrowed. */
const struct tlsp_libctx *tlsp_libconf_own(const struct tlsp_libconf *lc);

/*
 * Before the jail: the context of a transport's pair (NULL file or name:
 * "default", ""), loaded now unless it was before. NULL when it failed
 * (tls/'s warnings, once, when it was tried) or when TLSP_LIBCONF_MAX
 * pairs are loaded (one warning per pair). Borrowed, valid while lc
 * lives.
 */
const struct tlsp_libctx *tlsp_libconf_load(struct tlsp_libconf *lc,
                                            const char *tls_config_file,
                                            const char *tls_config_name);

/*
 * A request's pair: its context, or NULL after a warning (once per pair,
 * the last TLSP_LIBCONF_SEEN_MAX remembered) when it failed to load or
 * was not loaded before the jail. Never loads. Borrowed.
 */
const struct tlsp_libctx *tlsp_libconf_find(struct tlsp_libconf *lc,
                                            const char *tls_config_file,
                                            const char *tls_config_name);

#endif
