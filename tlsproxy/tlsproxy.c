/*
 * tlsproxy.c - main() of tlsproxy(8), the drop-in TLS proxy
 *
 * The parameter table and the skeleton callbacks; the conversation lives
 * in tlsp_session.c, the TLS engines in client_role/ and server_role/,
 * the pre-jail loading in tlsp_prejail.c (client role) and
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

/* tlsproxy's own global TLS settings, as the table below reads them. */
static struct tlsp_tls_params tlsproxy_tls;
static const char *tlsmgr_service_name;
static int tlsproxy_watchdog_timeout;

static const struct conf_param tlsproxy_params[] = {
    {CONF_STR, "tls_config_file", TLSP_TLS_DEF_CONFIG_FILE,
     &tlsproxy_tls.tls_config_file, 0, 0},
    {CONF_STR, "tls_config_name", TLSP_TLS_DEF_CONFIG_NAME,
     &tlsproxy_tls.tls_config_name, 0, 0},
    {CONF_STR, "tls_high_cipherlist", TLSP_TLS_DEF_HIGH_CIPHERLIST,
     &tlsproxy_tls.tls_high_cipherlist, 1, 0},
    {CONF_STR, "tls_medium_cipherlist", TLSP_TLS_DEF_MEDIUM_CIPHERLIST,
     &tlsproxy_tls.tls_medium_cipherlist, 1, 0},
    {CONF_STR, "tls_low_cipherlist", TLSP_TLS_DEF_LOW_CIPHERLIST,
     &tlsproxy_tls.tls_low_cipherlist, 1, 0},
    {CONF_STR, "tls_export_cipherlist", TLSP_TLS_DEF_EXPORT_CIPHERLIST,
     &tlsproxy_tls.tls_export_cipherlist, 1, 0},
    {CONF_STR, "tls_null_cipherlist", TLSP_TLS_DEF_NULL_CIPHERLIST,
     &tlsproxy_tls.tls_null_cipherlist, 1, 0},
    {CONF_STR, "tls_eecdh_auto_curves", TLSP_TLS_DEF_EECDH_AUTO_CURVES,
     &tlsproxy_tls.tls_eecdh_auto_curves, 0, 0},
    {CONF_STR, "tls_disable_workarounds", "",
     &tlsproxy_tls.tls_disable_workarounds, 0, 0},
    {CONF_STR, "tls_ssl_options", "", &tlsproxy_tls.tls_ssl_options, 0, 0},
    {CONF_STR, "tls_dane_digests", TLSP_TLS_DEF_DANE_DIGESTS,
     &tlsproxy_tls.tls_dane_digests, 1, 0},
    {CONF_STR, "tls_session_ticket_cipher", TLSP_TLS_DEF_SESSION_TICKET_CIPHER,
     &tlsproxy_tls.tls_session_ticket_cipher, 0, 0},
    {CONF_BOOL, "tls_preempt_cipherlist", "no",
     &tlsproxy_tls.tls_preempt_cipherlist, 0, 0},
    {CONF_BOOL, "tls_append_default_CA", "no",
     &tlsproxy_tls.tls_append_default_CA, 0, 0},
    {CONF_BOOL, "tls_legacy_public_key_fingerprints", "no",
     &tlsproxy_tls.tls_legacy_public_key_fingerprints, 0, 0},
    {CONF_STR, "tlsmgr_service_name", "tlsmgr", &tlsmgr_service_name, 1, 0},
    {CONF_TIME, "tlsproxy_watchdog_timeout", "10s", &tlsproxy_watchdog_timeout,
     10, 0},
    {CONF_STR, NULL, NULL, NULL, 0, 0},
};

static struct tlsp_ctx_cache *tlsproxy_ctx_cache;
static struct tlsp_tlsmgr *tlsproxy_tlsmgr;
static struct tlsp_session_config tlsproxy_session_config;

static void
tlsproxy_pre_jail(void *ctx)
{
	const struct tlsp_tls_params *p = &tlsproxy_tls;
	struct buf path;
	int lib_ok;

	(void)ctx;
	/* Before anything else touches OpenSSL, which reads it only once. */
	lib_ok = tlsp_libinit(p->tls_config_file, p->tls_config_name) == 0;
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
	tlsproxy_session_config.libconf = tlsp_libconf_create(
	    p->tls_config_file, p->tls_config_name, lib_ok);
	tlsproxy_session_config.tls_params = p;
	tlsproxy_session_config.disconnect = server_disconnect;
}

static void
tlsproxy_accept(int fd, void *ctx)
{
	(void)ctx;
	(void)tlsp_session_create(fd, &tlsproxy_session_config);
}

/* Session updates held for a lookup still reach tlsmgr. */
static void
tlsproxy_exit(void *ctx)
{
	(void)ctx;
	tlsp_tlsmgr_flush(tlsproxy_tlsmgr);
}

int
main(int argc, char **argv)
{
	static const struct server_ops ops = {
	    .params = tlsproxy_params,
	    .watchdog_secs = &tlsproxy_watchdog_timeout,
	    .pre_jail = tlsproxy_pre_jail,
	    .on_accept = tlsproxy_accept,
	    .on_exit = tlsproxy_exit,
	};

	server_main(argc, argv, SERVER_MODE_EVENT, &ops);
}
