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
static struct tlsp_libconf *tlsproxy_libconf;
static struct tlsp_server_daemon *tlsproxy_server;
static struct tlsp_session_config tlsproxy_session_config;

static void
tlsproxy_pre_jail(void *ctx)
{
	const struct tlsp_tls_params *p = &tlsproxy_tls;
	const struct tlsp_libctx *own;
	struct buf path;

	(void)ctx;
	/* Before anything else touches OpenSSL. */
	tlsproxy_libconf =
	    tlsp_libconf_create(p->tls_config_file, p->tls_config_name);
	own = tlsp_libconf_own(tlsproxy_libconf);
	buf_init(&path);
	buf_printf(&path, "private/%s", tlsmgr_service_name);
	tlsproxy_tlsmgr = tlsp_tlsmgr_create(buf_str(&path));
	buf_free(&path);
	tlsproxy_ctx_cache = tlsp_ctx_cache_create();
	/* Server role first, as stock; no TLS without the library. */
	if (own != NULL) {
		tlsproxy_server =
		    tlsp_server_daemon_create(p, own, tlsproxy_tlsmgr);
		(void)tlsp_prejail_load(tlsproxy_ctx_cache, tlsproxy_libconf, p,
		                        tlsproxy_tlsmgr);
	}
	tlsproxy_session_config.server = tlsproxy_server;
	tlsproxy_session_config.ctx_cache = tlsproxy_ctx_cache;
	tlsproxy_session_config.settings = tlsp_settings_cache_create();
	tlsproxy_session_config.tlsmgr = tlsproxy_tlsmgr;
	tlsproxy_session_config.libconf = tlsproxy_libconf;
	tlsproxy_session_config.tls_params = p;
	tlsproxy_session_config.disconnect = server_disconnect;
}

/*
 * Session updates held for a lookup still reach tlsmgr. Then the
 * contexts go before the OpenSSL configurations they were made in;
 * sessions still alive (a drained parent) keep theirs to the exit.
 */
static void
tlsproxy_exit(void *ctx)
{
	(void)ctx;
	tlsp_tlsmgr_flush(tlsproxy_tlsmgr);
	if (tlsp_session_count() > 0)
		return;
	tlsp_ctx_cache_free(tlsproxy_ctx_cache);
	tlsp_server_daemon_free(tlsproxy_server);
	tlsp_libconf_free(tlsproxy_libconf);
	tlsproxy_ctx_cache = NULL;
	tlsproxy_server = NULL;
	tlsproxy_libconf = NULL;
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
	    .on_exit = tlsproxy_exit,
	};

	server_main(argc, argv, SERVER_MODE_EVENT, &ops);
}
