/*
 * tlsp_peer.h - what a finished handshake says about the peer, either role
 *
 * Both engines report a completed handshake in a struct tlsp_tls_result
 * and log it as Postfix does; what they share is here, called in this
 * order: tlsp_peer_begin(), tlsp_peer_cert() when the peer sent a
 * certificate (then the role adds its own status bits and lines, and
 * tlsp_peer_untrusted() if the certificate did not satisfy it), and
 * tlsp_peer_end(). Each reads the connection's common part (tlsp_conn.h),
 * whose verification state also records the role: it picks the
 * summary's direction and the order in which stock reads the
 * certificate's names.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLS_TLSP_PEER_H
#define TLSREUSE_TLSPROXY_TLS_TLSP_PEER_H

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tlsp_conn.h"
#include "tlsp_tls.h"

/*
 * Starts *res for c's completed handshake (release it with
 * tlsp_tls_result_free()): stops packet dumps unless c's log mask has
 * TLSP_LOG_ALLPKTS, notes session reuse and, with TLSP_LOG_CACHE, logs
 * "<namaddr>: Reusing old session<note>" (note: "" or the server's
 * " (RFC 5077 session ticket)").
 */
void tlsp_peer_begin(const struct tlsp_conn *c, const char *note,
                     struct tlsp_tls_result *res);

/*
 * The peer certificate into *res: peer_CN (its subject CN, else
 * peername: the DNS-ID OpenSSL matched, NULL for none), issuer_CN, the
 * certificate and public-key fingerprints with c's digest (legacy:
 * tls_legacy_public_key_fingerprints), and peer_status PRESENT, plus
 * TRUSTED when OpenSSL's verification succeeded. A malformed name is
 * refused with Postfix's warning naming c->namaddr.
 */
void tlsp_peer_cert(const struct tlsp_conn *c, X509 *cert, const char *peername,
                    int legacy, struct tlsp_tls_result *res);

/*
 * For a certificate that did not satisfy the role, when c's log mask has
 * TLSP_LOG_UNTRUSTED: logs the recorded verification error of a new
 * session, or for a resumed one (reused) "<namaddr>: re-using session
 * with untrusted certificate, look for details earlier in the log".
 */
void tlsp_peer_untrusted(const struct tlsp_conn *c, int reused,
                         const char *namaddr);

/*
 * Completes *res: namaddr (c's), the protocol and cipher, the TLS 1.3
 * key-exchange and signature details; then, with TLSP_LOG_SUMMARY, logs
 * the summary line, "... established to <namaddr>: ..." for the client
 * role, "... from <namaddr>[ to <sni>]: ..." for the server (sni: the
 * SNI name that chose the certificate, or NULL).
 */
void tlsp_peer_end(const struct tlsp_conn *c, const char *sni,
                   struct tlsp_tls_result *res);

#endif
