/*
 * tlsp_certkey.h - trust anchors and own certificates into an SSL_CTX
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_CERTKEY_H
#define TLSREUSE_TLSPROXY_TLSP_CERTKEY_H

#include <openssl/ssl.h>

#include "tlsp_tls.h"

/*
 * Loads CAfile/CApath ("" = absent; neither = no trust anchors at all,
 * append_default is then ignored), plus OpenSSL's default paths when
 * append_default. Returns 0, or -1 after Postfix's "cannot load
 * Certification Authority data, ..." line (logged as info, as stock).
 */
int tlsp_certkey_ca(SSL_CTX *ctx, const char *CAfile, const char *CApath,
                    int append_default);

/*
 * Loads the client's own keys and chains: chain_files alone if non-empty,
 * else each of the RSA, DSA and ECDSA cert/key pairs whose cert name is
 * non-empty. Returns 0, or -1 after Postfix's warnings.
 */
int tlsp_certkey_own(SSL_CTX *ctx, const struct tlsp_tls_init *init);

#endif
