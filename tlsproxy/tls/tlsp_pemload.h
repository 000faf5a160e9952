/*
 * tlsp_pemload.h - keys and certificate chains from PEM files
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_PEMLOAD_H
#define TLSREUSE_TLSPROXY_TLSP_PEMLOAD_H

#include <openssl/ssl.h>

/*
 * Loads chain_files (names split on space, tab, CR, LF, comma) read as
 * one PEM stream of "key, leaf certificate, issuer certificates" groups
 * into ctx. Returns 0, or -1 after Postfix's warnings. As in Postfix 3.7,
 * a file that cannot be opened only warns and ends the loading early.
 */
int tlsp_pemload_chain_files(SSL_CTX *ctx, const char *chain_files);

/*
 * Loads a single file holding one key anywhere and its chain (the first
 * certificate, or the first after the key, is the leaf). 0 or -1.
 */
int tlsp_pemload_mixed(SSL_CTX *ctx, const char *file);

/* Room for "SNI data for " and a 255-byte host name. */
#define TLSP_PEMLOAD_ORIGIN_MAX 300

/*
 * Loads the NUL-terminated PEM text of an SNI map entry (same rules as
 * chain files) into ssl, naming it "SNI data for <sni>" in warnings.
 * 0, or -1 after Postfix's warnings ending "aborting TLS handshake".
 */
int tlsp_pemload_sni(SSL *ssl, const char *pem, const char *sni);

#endif
