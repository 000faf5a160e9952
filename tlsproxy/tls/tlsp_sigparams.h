/*
 * tlsp_sigparams.h - TLS 1.3 key-exchange and signature details
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SIGPARAMS_H
#define TLSREUSE_TLSPROXY_TLSP_SIGPARAMS_H

#include <openssl/ssl.h>

#include "tlsp_tls.h"

/*
 * For a TLS 1.3 session, fills res's key_exchange* fields and the
 * srvr_signature* / clnt_signature* fields of each end that signed (a
 * client's own certificate only when it was used); leaves them alone for
 * older protocols. Works for either role (SSL_is_server()).
 * Names: X25519/X448 (short name), ECDHE + group, DHE + bits; RSA-PSS +
 * bits, ECDSA + group, else the key type's short name; the digest is the
 * handshake signature's (empty on resumption and for EdDSA).
 */
void tlsp_sigparams_get(SSL *ssl, struct tlsp_tls_result *res);

#endif
