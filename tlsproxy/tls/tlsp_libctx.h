/*
 * tlsp_libctx.h - one OpenSSL configuration (tls_config_file,
 * tls_config_name) in a library context of its own
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_LIBCTX_H
#define TLSREUSE_TLSPROXY_TLSP_LIBCTX_H

#include <openssl/ssl.h>

struct tlsp_libctx;

/*
 * Call once, before any other OpenSSL use: OpenSSL itself then loads no
 * configuration in this process. Its ssl_conf settings would otherwise
 * reach every SSL_CTX of every library context (OpenSSL keeps them in
 * one process-wide table), so they are this module's to apply. 0, or -1
 * after Postfix's warning ("error initializing the OpenSSL library,
 * disabling TLS support").
 */
int tlsp_libctx_init(void);

/*
 * Loads tls_config_file (NULL: "default") with the application name
 * tls_config_name (NULL or "": none, OpenSSL's "openssl_conf"), as
 * Postfix initialises OpenSSL:
 *   "none"         loads nothing;
 *   "default"      OpenSSL's default file, leniently: a missing file,
 *                  a missing section and errors are ignored unless the
 *                  file sets config_diagnostics; a name without a
 *                  section falls back to "openssl_conf";
 *   /absolute/path that file, strictly: an unreadable file, a module
 *                  that fails, and (where OpenSSL 3.0 is silent) a
 *                  missing application section or an SSL setting that
 *                  OpenSSL refuses all disable TLS;
 *   anything else  disables TLS, as a relative path does in Postfix.
 * process 1: into OpenSSL's default library context (the process's own
 * configuration; once per process), else into a new one. Every module
 * of the application section goes into that library context except
 * ssl_conf, whose "system_default" commands are kept here and applied
 * by tlsp_libctx_ssl_ctx(). Returns NULL after Postfix's warning
 * ("error loading the '<name>' settings from the <file> OpenSSL
 * configuration file, disabling TLS support"), a line saying why and
 * OpenSSL's errors.
 */
struct tlsp_libctx *tlsp_libctx_create(const char *tls_config_file,
                                       const char *tls_config_name,
                                       int process);

/*
 * NULL-safe. Every SSL_CTX made from lc must be freed first: they use
 * its library context.
 */
void tlsp_libctx_free(struct tlsp_libctx *lc);

/*
 * A new SSL_CTX of the client (server 0) or server role in lc's library
 * context, with lc's SSL settings applied as OpenSSL applies
 * "system_default" (a command of the other role only is skipped); owned
 * by the caller. lc NULL: SSL_CTX_new() with whatever OpenSSL loaded
 * itself (tests). NULL on failure, with OpenSSL's errors queued for the
 * caller's warning.
 */
SSL_CTX *tlsp_libctx_ssl_ctx(const struct tlsp_libctx *lc, int server);

#endif
