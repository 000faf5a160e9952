/*
 * tlsp_cipher.h - cipher grade and exclusions to an OpenSSL cipher list
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_CIPHER_H
#define TLSREUSE_TLSPROXY_TLSP_CIPHER_H

#include "tlsp_conn.h"
#include "tlsp_tls.h"

/*
 * Returns the cipher list for grade (high, medium, low, export, null;
 * case-insensitive) taken from params, with ":!TOKEN" appended for each
 * exclusion (tokens split on space, tab, CR, LF, comma, colon). The
 * caller owns the result. On an unknown grade or an exclusion starting
 * with one of "!+-@", logs Postfix's warning naming namaddr and returns
 * NULL. Does not check the list against OpenSSL.
 */
char *tlsp_cipher_list(const struct tlsp_tls_params *params, const char *grade,
                       const char *exclusions, const char *namaddr);

/*
 * Sets that list on c's SSL (either role). Returns the list as applied,
 * owned by the caller, or NULL after Postfix's warnings naming
 * c->namaddr (bad grade or exclusion, or OpenSSL refusing the list).
 * With TLSP_LOG_VERBOSE logs "<log_namaddr>: TLS cipher list \"...\"".
 */
char *tlsp_cipher_apply(const struct tlsp_conn *c,
                        const struct tlsp_tls_params *params, const char *grade,
                        const char *exclusions, const char *log_namaddr);

#endif
