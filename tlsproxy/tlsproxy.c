/*
 * tlsproxy.c - main() of tlsproxy(8), the drop-in TLS proxy
 *
 * The parameter table and the skeleton callbacks; the conversation lives
 * in tlsp_session.c, the TLS engine in tlsp_ctx.c/tlsp_policy.c, the
 * pre-jail loading in tlsp_prejail.c (client role) and
 * tlsp_server_daemon.c (server role, postscreen). master.cf:
 *
 *   tlsproxy unix - - n - 0 tlsreuse/tlsproxy
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>

#include "buf.h"
#include "conf.h"
#include "server.h"
#include "client_role/tlsp_ctx.h"
#include "client_role/tlsp_settings.h"
#include "tls/tlsp_libinit.h"
#include "tls/tlsp_tls.h"
#include "tlsp_libconf.h"
#include "tlsp_prejail.h"
#include "tlsp_server_daemon.h"
#include "tlsp_session.h"
#include "tlsp_tlsmgr.h"

static const char *tls_config_file;
static const char *tls_config_name;
static const char *tls_high_cipherlist;
static const char *tls_medium_cipherlist;
static const char *tls_low_cipherlist;
static const char *tls_export_cipherlist;
static const char *tls_null_cipherlist;
static const char *tls_eecdh_auto_curves;
static const char *tls_disable_workarounds;
static const char *tls_ssl_options;
static const char *tls_dane_digests;
static int tls_append_default_CA;
static int tls_legacy_public_key_fingerprints;
static int tlsproxy_watchdog_timeout;
static const char *tlsmgr_service_name;

static const struct conf_param tlsproxy_params[] = {
    {CONF_STR, "tls_config_file", "default", &tls_config_file, 0, 0},
    {CONF_STR, "tls_config_name", "", &tls_config_name, 0, 0},
    {CONF_STR, "tls_high_cipherlist", "aNULL:-aNULL:HIGH:@STRENGTH",
     &tls_high_cipherlist, 1, 0},
    {CONF_STR, "tls_medium_cipherlist",
     "aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH", &tls_medium_cipherlist, 1, 0},
    {CONF_STR, "tls_low_cipherlist",
     "aNULL:-aNULL:HIGH:MEDIUM:LOW:+RC4:@STRENGTH", &tls_low_cipherlist, 1, 0},
    {CONF_STR, "tls_export_cipherlist",
     "aNULL:-aNULL:HIGH:MEDIUM:LOW:EXPORT:+RC4:@STRENGTH",
     &tls_export_cipherlist, 1, 0},
    {CONF_STR, "tls_null_cipherlist", "eNULL:!aNULL", &tls_null_cipherlist, 1,
     0},
    {CONF_STR, "tls_eecdh_auto_curves",
     "X25519 X448 prime256v1 secp521r1 secp384r1", &tls_eecdh_auto_curves, 0,
     0},
    {CONF_STR, "tls_disable_workarounds", "", &tls_disable_workarounds, 0, 0},
    {CONF_STR, "tls_ssl_options", "", &tls_ssl_options, 0, 0},
    {CONF_STR, "tls_dane_digests", "sha512 sha256", &tls_dane_digests, 1, 0},
    {CONF_BOOL, "tls_append_default_CA", "no", &tls_append_default_CA, 0, 0},
    {CONF_BOOL, "tls_legacy_public_key_fingerprints", "no",
     &tls_legacy_public_key_fingerprints, 0, 0},
    {CONF_STR, "tlsmgr_service_name", "tlsmgr", &tlsmgr_service_name, 1, 0},
    {CONF_TIME, "tlsproxy_watchdog_timeout", "10s", &tlsproxy_watchdog_timeout,
     10, 0},
    {CONF_STR, NULL, NULL, NULL, 0, 0},
};

static struct tlsp_tls_params tlsproxy_tls_params;
static struct tlsp_ctx_cache *tlsproxy_ctx_cache;
static struct tlsp_tlsmgr *tlsproxy_tlsmgr;
static struct tlsp_session_config tlsproxy_session_config;

static void
tlsproxy_pre_jail(void *ctx)
{
	struct tlsp_tls_params *p = &tlsproxy_tls_params;
	struct buf path;
	int lib_ok;

	(void)ctx;
	/* Before anything else touches OpenSSL, which reads it only once. */
	lib_ok = tlsp_libinit(tls_config_file, tls_config_name) == 0;
	p->tls_high_cipherlist = tls_high_cipherlist;
	p->tls_medium_cipherlist = tls_medium_cipherlist;
	p->tls_low_cipherlist = tls_low_cipherlist;
	p->tls_export_cipherlist = tls_export_cipherlist;
	p->tls_null_cipherlist = tls_null_cipherlist;
	p->tls_eecdh_auto_curves = tls_eecdh_auto_curves;
	p->tls_dane_digests = tls_dane_digests;
	p->tls_disable_workarounds = tls_disable_workarounds;
	p->tls_ssl_options = tls_ssl_options;
	p->tls_append_default_CA = tls_append_default_CA;
	p->tls_legacy_public_key_fingerprints =
	    tls_legacy_public_key_fingerprints;
	buf_init(&path);
	buf_printf(&path, "private/%s", tlsmgr_service_name);
	tlsproxy_tlsmgr = tlsp_tlsmgr_create(buf_str(&path));
	buf_free(&path);
	tlsproxy_ctx_cache = tlsp_ctx_cache_create();
	/* Server role first, as stock; no TLS without the library. */
	if (lib_ok) {
		tlsproxy_session_config.server =
		    tlsp_server_daemon_create(p, tlsproxy_tlsmgr);
		(void)tlsp_prejail_load(tlsproxy_ctx_cache, p, tlsproxy_tlsmgr);
	}
	tlsproxy_session_config.ctx_cache = tlsproxy_ctx_cache;
	tlsproxy_session_config.settings = tlsp_settings_cache_create();
	tlsproxy_session_config.tlsmgr = tlsproxy_tlsmgr;
	tlsproxy_session_config.libconf =
	    tlsp_libconf_create(tls_config_file, tls_config_name, lib_ok);
	tlsproxy_session_config.tls_params = p;
	tlsproxy_session_config.disconnect = server_disconnect;
}

static void
tlsproxy_accept(int fd, void *ctx)
{
	(void)ctx;
	(void)tlsp_session_create(fd, &tlsproxy_session_config);
}

int
main(int argc, char **argv)
{
	static const struct server_ops ops = {
	    .params = tlsproxy_params,
	    .watchdog_secs = &tlsproxy_watchdog_timeout,
	    .pre_jail = tlsproxy_pre_jail,
	    .on_accept = tlsproxy_accept,
	};

	server_main(argc, argv, SERVER_MODE_EVENT, &ops);
}
