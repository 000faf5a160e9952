/*
 * tlsp_certkey.c - trust anchors and own certificates into an SSL_CTX
 *
 * CAfile is read at once; CApath is consulted during verification, i.e.
 * after chroot. Own keys come from chain_files (preferred) or the legacy
 * per-algorithm cert/key pairs; a pair naming one file for both is read
 * in one pass (tlsp_pemload.c), so a key roll-over cannot tear it.
 *
 * Errors: Postfix's texts (the CA ones are info, as stock), then -1.
 * See also: tlsp_pemload.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "msg.h"
#include "tlsp_pemload.h"
#include "tlsp_tlserr.h"
#include "tlsp_certkey.h"

int
tlsp_certkey_ca(SSL_CTX *ctx, const char *CAfile, const char *CApath,
                int append_default)
{
	const char *file = *CAfile ? CAfile : 0;
	const char *path = *CApath ? CApath : 0;

	if (file == 0 && path == 0)
		return 0;
	if (!SSL_CTX_load_verify_locations(ctx, file, path)) {
		msg_info("cannot load Certification Authority data, "
		         "%s%s%s%s%s%s: disabling TLS support",
		         file ? "CAfile=\"" : "", file ? file : "",
		         file ? (path ? "\", " : "\"") : "",
		         path ? "CApath=\"" : "", path ? path : "",
		         path ? "\"" : "");
		tlsp_tlserr_log();
		return -1;
	}
	if (append_default && !SSL_CTX_set_default_verify_paths(ctx)) {
		msg_info("cannot set default OpenSSL certificate verification "
		         "paths: disabling TLS support");
		tlsp_tlserr_log();
		return -1;
	}
	return 0;
}

/* One legacy cert/key pair of the given type name; 0 or -1. */
static int
tlsp_certkey_pair(SSL_CTX *ctx, const char *type, const char *cert,
                  const char *key)
{
	if (strcmp(cert, key) == 0)
		return tlsp_pemload_mixed(ctx, cert);
	ERR_clear_error();
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) <= 0) {
		msg_warn("cannot get %s certificate from file \"%s\": "
		         "disabling TLS support",
		         type, cert);
		tlsp_tlserr_log();
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) <= 0) {
		msg_warn("cannot get %s private key from file \"%s\": "
		         "disabling TLS support",
		         type, key);
		tlsp_tlserr_log();
		return -1;
	}
	if (!SSL_CTX_check_private_key(ctx)) {
		msg_warn("%s private key in %s does not match public key in "
		         "%s: disabling TLS support",
		         type, key, cert);
		return -1;
	}
	return 0;
}

/* The pair if its certificate is configured; 0 or -1. */
static int
tlsp_certkey_optional(SSL_CTX *ctx, const char *type, const char *cert,
                      const char *key)
{
	if (cert == 0 || *cert == 0)
		return 0;
	return tlsp_certkey_pair(ctx, type, cert, key ? key : "");
}

int
tlsp_certkey_own(SSL_CTX *ctx, const struct tlsp_tls_init *init)
{
	if (init->chain_files && *init->chain_files)
		return tlsp_pemload_chain_files(ctx, init->chain_files);
	if (tlsp_certkey_optional(ctx, "RSA", init->cert_file, init->key_file) <
	    0)
		return -1;
	if (tlsp_certkey_optional(ctx, "DSA", init->dcert_file,
	                          init->dkey_file) < 0)
		return -1;
	return tlsp_certkey_optional(ctx, "ECDSA", init->eccert_file,
	                             init->eckey_file);
}
