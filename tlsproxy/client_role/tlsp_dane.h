/*
 * tlsp_dane.h - DANE matching types per SSL_CTX, TLSA records per SSL
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_DANE_H
#define TLSREUSE_TLSPROXY_TLSP_DANE_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "tlsp_client.h"

/*
 * Configures the matching types of a DANE-enabled ctx from digests (the
 * tls_dane_digests value: "name" or "name=number" tokens, most preferred
 * first): SHA2-256 is type 1, SHA2-512 type 2, others need a number in
 * 3..254; private type 255 always maps to fpt_md (the fingerprint digest)
 * and is most preferred. Bad tokens are skipped with Postfix's warnings.
 */
void tlsp_dane_digest_init(SSL_CTX *ctx, const char *digests,
                           const EVP_MD *fpt_md);

/*
 * Adds count records to a DANE-enabled ssl. Returns the number OpenSSL
 * accepted (each rejected one logs "<namaddr>: unusable TLSA RR: ..."), or
 * -1 after an internal OpenSSL error ("... error loading trust settings").
 */
int tlsp_dane_add(SSL *ssl, const char *namaddr, const struct tlsp_tlsa *tlsa,
                  size_t count);

/*
 * After a verified handshake, logs what DANE matched (nothing when DANE
 * did not authenticate): "Matched trust anchor at depth N" (verify,
 * secure), "Matched fingerprint: HEX" (fingerprint), else "Matched DANE
 * <what> at depth N: u s m HEX".
 */
void tlsp_dane_log(SSL *ssl, int level, const char *namaddr);

#endif
