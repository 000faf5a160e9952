/*
 * tlsp_prejail.h - client contexts loaded before the privilege drop
 *
 * smtp(8) and lmtp(8) send their own TLS_CLIENT_INIT_PROPS; the files
 * they name (CA, certificates, keys) may be readable by root only, and
 * after the drop to mail_owner (and chroot) a context built lazily from
 * them could fail. So before the drop tlsproxy builds the contexts those
 * transports will ask for: main.cf's smtp_tls_* and lmtp_tls_*, and each
 * smtp or lmtp service of master.cf with its -o overrides, as the
 * transport itself would evaluate them, together with the transport's
 * tls_dane_digests, tls_append_default_CA, tls_config_file and
 * tls_config_name, which a context is keyed by too (tlsp_ctx_key()); the
 * last two name the OpenSSL configuration it is made in, which is loaded
 * now as well (tlsp_libconf.h): a request cannot get one later.
 * Requests whose props match none of them are still served, built lazily.
 *
 * A configuration is loaded only when the transport can use TLS: its
 * <prefix>_tls_security_level is set and not "none", or
 * <prefix>_use_tls / _enforce_tls is yes, or it has policy maps or a
 * per-site table.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_PREJAIL_H
#define TLSREUSE_TLSPROXY_TLSP_PREJAIL_H

#include <stddef.h>

#include "buf.h"
#include "client_role/tlsp_ctx.h"
#include "tlsp_libconf.h"
#include "tlsp_request.h"
#include "tlsp_tlsmgr.h"

/* Most contexts pinned by the pre-jail step (the rest come lazily). */
#define TLSP_PREJAIL_MAX 16

/* Most -o options kept for one master.cf service. */
#define TLSP_PREJAIL_OPTS_MAX 64

/* One transport configuration: a prefix and its -o name=value options. */
struct tlsp_prejail_conf {
	const char *prefix;      /* "smtp" or "lmtp" */
	const char *const *opts; /* "name=value", opt_count of them */
	size_t opt_count;
};

/*
 * Fills *out (owned strings, also when 0 is returned; release them with
 * tlsp_prejail_props_free, which -1 has already done) with the init props
 * the transport described by conf sends, evaluating its parameters as
 * Postfix does: -o option, else main.cf (conf_lookup), else the built-in
 * default, then $name expansion. Returns 1 when the transport can use
 * TLS, 0 when it cannot, -1 with why set on a bad value.
 */
int tlsp_prejail_props(const struct tlsp_prejail_conf *conf,
                       struct tlsp_tls_init *out, struct buf *why);
void tlsp_prejail_props_free(struct tlsp_tls_init *props);

/* A transport's global settings that choose its context. */
struct tlsp_prejail_globals {
	char *tls_dane_digests;
	int tls_append_default_CA;
	char *tls_config_file;
	char *tls_config_name;
};

/*
 * Fills *out (owned strings: tlsp_prejail_globals_free()) with the
 * transport's settings as it evaluates them. 0, or -1 with why (then
 * nothing is left to free).
 */
int tlsp_prejail_globals(const struct tlsp_prejail_conf *conf,
                         struct tlsp_prejail_globals *out, struct buf *why);
void tlsp_prejail_globals_free(struct tlsp_prejail_globals *globals);

typedef void (*tlsp_prejail_conf_fn)(const struct tlsp_prejail_conf *conf,
                                     void *ctx);

/*
 * Calls fn for every service in master.cf text (len bytes) whose command
 * is smtp or lmtp, with its -o options (up to TLSP_PREJAIL_OPTS_MAX; the
 * "-o { name = value }" form is not recognised). Returns the number of
 * such services. Pure apart from fn.
 */
size_t tlsp_prejail_master_cf(const char *text, size_t len,
                              tlsp_prejail_conf_fn fn, void *ctx);

/*
 * Builds and pins into cache a context for main.cf's smtp and lmtp
 * settings and for every smtp/lmtp service of master.cf in the
 * configuration directory, up to TLSP_PREJAIL_MAX distinct ones, each in
 * the OpenSSL configuration its transport names, loaded into libconf
 * (even past that limit; a configuration that fails has no context).
 * Logs a warning for each context that fails ("TLS client initialization
 * failed" after the engine's own warnings); each new context gets
 * tlsmgr's session cache policy (tlsp_client_tlsmgr_enable; mgr NULL:
 * none). Returns the number of contexts pinned.
 */
size_t tlsp_prejail_load(struct tlsp_ctx_cache *cache,
                         struct tlsp_libconf *libconf,
                         const struct tlsp_tls_params *params,
                         struct tlsp_tlsmgr *mgr);

#endif
