/*
 * tlsp_certname.h - peer and issuer common names for the TLS context
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_CERTNAME_H
#define TLSREUSE_TLSPROXY_TLSP_CERTNAME_H

#include <openssl/x509.h>

/* Longest name accepted, in bytes of UTF-8 (Postfix's CCERT_BUFSIZ - 1). */
#define TLSP_CERTNAME_MAX 255

/*
 * The subject CN of cert as UTF-8, else peername (the DNS-ID OpenSSL
 * matched, may be NULL), else "". Owned by the caller. A CN that is too
 * long, holds a NUL or non-printable ASCII is refused with Postfix's
 * "tls_text_name: <namaddr>: ..." warning.
 */
char *tlsp_certname_subject(X509 *cert, const char *peername,
                            const char *namaddr);

/* The issuer CN, else the issuer Organization, else "". Owned. */
char *tlsp_certname_issuer(X509 *cert, const char *namaddr);

#endif
