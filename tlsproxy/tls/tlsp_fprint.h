/*
 * tlsp_fprint.h - certificate and public-key fingerprints
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_FPRINT_H
#define TLSREUSE_TLSPROXY_TLSP_FPRINT_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/*
 * The digest named mdalg if it can actually be used (a digest context
 * initialises), else NULL. Logs nothing.
 */
const EVP_MD *tlsp_fprint_md(const char *mdalg);

/*
 * Fingerprint of the DER certificate, or of its public key: the DER
 * SubjectPublicKeyInfo, or with legacy != 0 the raw key BIT STRING
 * (tls_legacy_public_key_fingerprints). NULL if mdalg is unusable;
 * otherwise the caller owns the string.
 */
char *tlsp_fprint_cert(X509 *cert, const char *mdalg);
char *tlsp_fprint_pkey(X509 *cert, const char *mdalg, int legacy);

#endif
