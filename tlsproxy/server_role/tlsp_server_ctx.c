/*
 * tlsp_server_ctx.c - the server-role SSL_CTX pair, built before the jail
 *
 * As Postfix's server init: a main context holding our keys, the session
 * cache and ticket callbacks, and an SNI context that shares its trust
 * store and options and receives per-name chains at handshake time.
 * Keys, CAfile, DH parameters and SNI map files are all read here, while
 * tlsproxy still runs as root outside the chroot.
 *
 * Workarounds and tls_ssl_options, the DEBUG info callback, keys and
 * certificates come from tls/, shared with the client role, and so do the
 * contexts themselves: made in the library context of the process's own
 * OpenSSL configuration, with its SSL settings (tls/tlsp_libctx.c).
 *
 * Errors: Postfix's warnings, then no engine (server requests are then
 * refused). DH and client-CA-list problems only warn, as stock.
 * See also: tlsp_server_resume.c (cache and tickets).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"
#include "tls/tlsp_certkey.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_groups.h"
#include "tls/tlsp_infocb.h"
#include "tls/tlsp_libctx.h"
#include "tls/tlsp_logmask.h"
#include "tls/tlsp_protocols.h"
#include "tls/tlsp_sslopt.h"
#include "tls/tlsp_tlserr.h"
#include "tls/tlsp_verify.h"
#include "tlsp_server_int.h"
#include "tlsp_server_ctx.h"

/* Entropy from tlsmgr when a seed service is plugged in; 0 or -1. */
static int
tlsp_server_seed(const struct tlsp_server_cache_ops *ops)
{
	unsigned char buf[TLSP_SERVER_SEED_BYTES];

	if (ops->seed == 0)
		return 0;
	if (ops->seed(ops->context, buf, sizeof(buf)) < 0)
		return -1;
	RAND_seed(buf, sizeof(buf));
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

/* Digest, protocols and seed: what must hold before any SSL_CTX. */
static int
tlsp_server_ctx_precheck(const struct tlsp_server_init *init,
                         const struct tlsp_server_cache_ops *ops,
                         struct tlsp_protocols *proto)
{
	if (tlsp_protocols_parse(tlsp_tls_str(init->protocols), proto) < 0) {
		msg_warn("Invalid TLS protocol list \"%s\": disabling TLS "
		         "support",
		         tlsp_tls_str(init->protocols));
		return -1;
	}
	if (tlsp_fprint_md(init->base.mdalg) == 0) {
		msg_warn("Digest algorithm \"%s\" not found",
		         tlsp_tls_str(init->base.mdalg));
		msg_warn("disabling TLS support");
		return -1;
	}
	if (tlsp_server_seed(ops) < 0) {
		msg_warn("no entropy for TLS key generation: disabling TLS "
		         "support");
		return -1;
	}
	return 0;
}

/* One server SSL_CTX with the settings both contexts share. */
static SSL_CTX *
tlsp_server_ctx_new(const struct tlsp_server_init *init, const char *what)
{
	SSL_CTX *ssl_ctx;

	ERR_clear_error();
	if ((ssl_ctx = tlsp_libctx_ssl_ctx(init->libctx, 1)) == 0) {
		msg_warn("cannot allocate server %sSSL_CTX: disabling TLS "
		         "support",
		         what);
		tlsp_tlserr_log();
		return 0;
	}
	SSL_CTX_set_security_level(ssl_ctx, 0);
	SSL_CTX_set_verify_depth(ssl_ctx, init->base.verifydepth + 1);
	SSL_CTX_set_mode(ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ssl_ctx;
}

/* Options and protocol bounds; the SNI context gets a copy. */
static void
tlsp_server_ctx_options(struct tlsp_server_ctx *ctx,
                        const struct tlsp_server_init *init,
                        const struct tlsp_protocols *proto, long off)
{
	SSL_CTX_set_options(ctx->ssl_ctx, (uint64_t)off);
	if (proto->exclude)
		SSL_CTX_set_options(ctx->ssl_ctx,
		                    tlsp_protocols_ssl_options(proto->exclude));
	SSL_CTX_set_min_proto_version(ctx->ssl_ctx, proto->floor);
	SSL_CTX_set_max_proto_version(ctx->ssl_ctx, proto->ceiling);
	SSL_CTX_set_min_proto_version(ctx->sni_ctx, proto->floor);
	SSL_CTX_set_max_proto_version(ctx->sni_ctx, proto->ceiling);
	if (init->preempt_cipherlist)
		SSL_CTX_set_options(ctx->ssl_ctx,
		                    SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_clear_options(ctx->sni_ctx, ~(uint64_t)0);
	SSL_CTX_set_options(ctx->sni_ctx, SSL_CTX_get_options(ctx->ssl_ctx));
	if (ctx->log_mask & TLSP_LOG_DEBUG) {
		SSL_CTX_set_info_callback(ctx->ssl_ctx, tlsp_infocb_callback);
		SSL_CTX_set_info_callback(ctx->sni_ctx, tlsp_infocb_callback);
	}
}

/* Explicit DH parameters from file, NULL for "auto", empty or failure. */
static EVP_PKEY *
tlsp_server_dh_file(const char *path)
{
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *dh = 0;
	FILE *fp;

	if (*path == 0 || strcmp(path, "auto") == 0)
		return 0;
	if ((fp = fopen(path, "r")) == 0) {
		msg_warn("error opening DH parameter file \"%s\": %s -- using "
		         "compiled-in defaults",
		         path, strerror(errno));
		return 0;
	}
	dctx = OSSL_DECODER_CTX_new_for_pkey(
	    &dh, "PEM", 0, "DH", OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS, 0, 0);
	if (dctx == 0 || !OSSL_DECODER_from_fp(dctx, fp) || dh == 0) {
		msg_warn("error decoding DH parameters from file \"%s\" -- "
		         "using compiled-in defaults",
		         path);
		tlsp_tlserr_log();
	}
	OSSL_DECODER_CTX_free(dctx);
	fclose(fp);
	return dh;
}

/* Explicit parameters if loaded, else OpenSSL's automatic ffdhe. */
static void
tlsp_server_dh_set(SSL_CTX *ssl_ctx, EVP_PKEY *dh)
{
	EVP_PKEY *copy;

	if (dh == 0) {
		if (SSL_CTX_set_dh_auto(ssl_ctx, 1) <= 0) {
			msg_warn("error configuring auto DH parameters");
			tlsp_tlserr_log();
		}
		return;
	}
	if ((copy = EVP_PKEY_dup(dh)) != 0 &&
	    SSL_CTX_set0_tmp_dh_pkey(ssl_ctx, copy) > 0)
		return;
	EVP_PKEY_free(copy);
	msg_warn("error configuring explicit DH parameters");
	tlsp_tlserr_log();
}

/* DH and groups on both contexts. */
static void
tlsp_server_ctx_kex(struct tlsp_server_ctx *ctx,
                    const struct tlsp_server_init *init)
{
	EVP_PKEY *dh =
	    tlsp_server_dh_file(tlsp_tls_str(init->dh1024_param_file));
	char *groups = tlsp_groups_resolve(ctx->params->tls_eecdh_auto_curves,
	                                   ctx->params->tls_ffdhe_auto_groups);

	tlsp_server_dh_set(ctx->ssl_ctx, dh);
	tlsp_server_dh_set(ctx->sni_ctx, dh);
	EVP_PKEY_free(dh);
	(void)tlsp_groups_apply_ctx(ctx->ssl_ctx, groups);
	(void)tlsp_groups_apply_ctx(ctx->sni_ctx, groups);
	free(groups);
}

/* Client-certificate request and the CA names sent with it. */
static void
tlsp_server_ctx_ccert(struct tlsp_server_ctx *ctx,
                      const struct tlsp_server_init *init)
{
	int mode = init->ask_ccert ? SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE
	                           : SSL_VERIFY_NONE;
	const char *CAfile = tlsp_tls_str(init->base.CAfile);
	STACK_OF(X509_NAME) * names;

	SSL_CTX_set_verify(ctx->ssl_ctx, mode, tlsp_verify_callback);
	SSL_CTX_set_verify(ctx->sni_ctx, mode, tlsp_verify_callback);
	if (!init->ask_ccert || *CAfile == 0)
		return;
	if ((names = SSL_load_client_CA_file(CAfile)) == 0) {
		msg_warn("error loading client CA names from: %s", CAfile);
		tlsp_tlserr_log();
	}
	SSL_CTX_set_client_CA_list(ctx->ssl_ctx, names);
	if (names == 0 || sk_X509_NAME_num(names) <= 0)
		return;
	if ((names = SSL_dup_CA_list(names)) == 0) {
		msg_warn("error duplicating client CA names for SNI");
		tlsp_tlserr_log();
		return;
	}
	SSL_CTX_set_client_CA_list(ctx->sni_ctx, names);
}

/* Trust store (shared with the SNI context) and own keys; 0 or -1. */
static int
tlsp_server_ctx_keys(struct tlsp_server_ctx *ctx,
                     const struct tlsp_server_init *init)
{
	X509_STORE *store;

	if (tlsp_certkey_ca(ctx->ssl_ctx, tlsp_tls_str(init->base.CAfile),
	                    tlsp_tls_str(init->base.CApath),
	                    ctx->params->tls_append_default_CA) < 0)
		return -1;
	store = SSL_CTX_get_cert_store(ctx->ssl_ctx);
	X509_STORE_up_ref(store);
	SSL_CTX_set_cert_store(ctx->sni_ctx, store);
	return tlsp_certkey_own(ctx->ssl_ctx, &init->base);
}

/* SNI maps and the servername callback, when maps are configured. */
static void
tlsp_server_ctx_sni(struct tlsp_server_ctx *ctx,
                    const struct tlsp_server_init *init)
{
	if ((ctx->sni_map = tlsp_sni_map_open(init->sni_maps)) == 0)
		return;
	SSL_CTX_set_tlsext_servername_callback(ctx->ssl_ctx,
	                                       tlsp_server_sni_callback);
	SSL_CTX_set_tlsext_servername_arg(ctx->ssl_ctx, ctx);
}

/* Everything after the two contexts exist; 0 or -1. */
static int
tlsp_server_ctx_configure(struct tlsp_server_ctx *ctx,
                          const struct tlsp_server_init *init,
                          const struct tlsp_protocols *proto)
{
	long off = tlsp_sslopt_bits(ctx->params->tls_disable_workarounds,
	                            ctx->params->tls_ssl_options) |
	           SSL_OP_IGNORE_UNEXPECTED_EOF;
	int timeout = 0;
	int cachable = 0;

	off |= tlsp_server_resume_tickets(ctx, init, off, &timeout, &cachable);
	tlsp_server_ctx_options(ctx, init, proto, off);
	if (tlsp_server_ctx_keys(ctx, init) < 0)
		return -1;
	tlsp_server_ctx_kex(ctx, init);
	tlsp_server_ctx_ccert(ctx, init);
	tlsp_server_ctx_sni(ctx, init);
	tlsp_server_resume_sessions(ctx, cachable, ctx->tkt_cipher != 0,
	                            init->set_sessid, timeout);
	return 0;
}

struct tlsp_server_ctx *
tlsp_server_ctx_create(const struct tlsp_tls_params *params,
                       const struct tlsp_server_init *init,
                       const struct tlsp_server_cache_ops *ops)
{
	static const struct tlsp_server_cache_ops no_ops;
	int log_mask = tlsp_logmask_parse(tlsp_tls_str(init->base.log_param),
	                                  tlsp_tls_str(init->base.log_level));
	struct tlsp_server_ctx *ctx;
	struct tlsp_protocols proto;

	if (log_mask & TLSP_LOG_VERBOSE)
		msg_info("initializing the server-side TLS engine");
	if (ops == 0)
		ops = &no_ops;
	if (tlsp_server_ctx_precheck(init, ops, &proto) < 0)
		return 0;
	ctx = xcalloc(1, sizeof(*ctx));
	ctx->log_mask = log_mask;
	ctx->params = params;
	ctx->ops = *ops;
	if ((ctx->ssl_ctx = tlsp_server_ctx_new(init, "")) == 0 ||
	    (ctx->sni_ctx = tlsp_server_ctx_new(init, "SNI ")) == 0 ||
	    tlsp_server_ctx_configure(ctx, init, &proto) < 0) {
		tlsp_server_ctx_free(ctx);
		return 0;
	}
	return ctx;
}

void
tlsp_server_ctx_free(struct tlsp_server_ctx *ctx)
{
	if (ctx == 0)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	SSL_CTX_free(ctx->sni_ctx);
	tlsp_sni_map_free(ctx->sni_map);
	tlsp_server_resume_free(ctx);
	free(ctx->cache_type);
	free(ctx);
}

SSL_CTX *
tlsp_server_ctx_ssl_ctx(const struct tlsp_server_ctx *ctx)
{
	return ctx->ssl_ctx;
}
