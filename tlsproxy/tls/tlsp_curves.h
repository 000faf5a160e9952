/*
 * tlsp_curves.h - key-exchange groups from tls_eecdh_auto_curves
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_CURVES_H
#define TLSREUSE_TLSPROXY_TLSP_CURVES_H

#include <openssl/ssl.h>

/*
 * Sets ctx's groups to those of curves (names split on space, tab, CR,
 * LF, comma; NIST, short or long names) that this OpenSSL supports, in
 * the configured order. Unknown names and failures only warn; with no
 * usable name OpenSSL's defaults stay.
 */
void tlsp_curves_set(SSL_CTX *ctx, const char *curves);

#endif
