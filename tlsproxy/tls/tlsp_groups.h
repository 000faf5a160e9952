/*
 * tlsp_groups.h - key-exchange groups from tls_eecdh_auto_curves and
 * tls_ffdhe_auto_groups
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLS_TLSP_GROUPS_H
#define TLSREUSE_TLSPROXY_TLS_TLSP_GROUPS_H

#include <openssl/ssl.h>

/*
 * The groups a client offers, as a ':' list for SSL_set1_groups_list(),
 * or NULL for OpenSSL's own defaults; owned by the caller. ffdhe NULL
 * means a Postfix 3.6/3.7 client, which configures ECDHE curves only;
 * otherwise (3.8 and later) both lists count. Names this OpenSSL does not
 * support are skipped quietly, duplicates dropped, the order kept. Logs
 * the warnings of that Postfix release family for unknown names and
 * unusable lists (falling back, as it does, to Postfix's then OpenSSL's
 * defaults); never fails.
 */
char *tlsp_groups_resolve(const char *eecdh, const char *ffdhe);

/*
 * Apply a tlsp_groups_resolve() list (NULL: keep OpenSSL's defaults) to
 * one connection or to a context. -1 (warned) if OpenSSL refuses it; the
 * defaults then stay, as with Postfix.
 */
int tlsp_groups_apply(SSL *ssl, const char *list);
int tlsp_groups_apply_ctx(SSL_CTX *ctx, const char *list);

#endif
