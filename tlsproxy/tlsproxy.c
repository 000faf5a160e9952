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
#include <stdio.h>

#include "buf.h"
#include "conf.h"
#include "server.h"
#include "client_role/tlsp_ctx.h"
#include "tls/tlsp_tls.h"
#include "tlsp_mismatch.h"
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
    {CONF_STR, "tls_eecdh_strong_curve", TLSP_TLS_DEF_EECDH_STRONG_CURVE,
     &tlsproxy_tls.tls_eecdh_strong_curve, 0, 0},
    {CONF_STR, "tls_eecdh_ultra_curve", TLSP_TLS_DEF_EECDH_ULTRA_CURVE,
     &tlsproxy_tls.tls_eecdh_ultra_curve, 0, 0},
    {CONF_STR, "tls_disable_workarounds", "",
     &tlsproxy_tls.tls_disable_workarounds, 0, 0},
    {CONF_STR, "tls_ssl_options", "", &tlsproxy_tls.tls_ssl_options, 0, 0},
    {CONF_STR, "tls_dane_digests", TLSP_TLS_DEF_DANE_DIGESTS,
     &tlsproxy_tls.tls_dane_digests, 1, 0},
    {CONF_STR, "tls_session_ticket_cipher", TLSP_TLS_DEF_SESSION_TICKET_CIPHER,
     &tlsproxy_tls.tls_session_ticket_cipher, 0, 0},
    {CONF_INT, "tls_daemon_random_bytes", "32",
     &tlsproxy_tls.tls_daemon_random_bytes, 1, 0},
    {CONF_BOOL, "tls_preempt_cipherlist", "no",
     &tlsproxy_tls.tls_preempt_cipherlist, 0, 0},
    {CONF_BOOL, "tls_wildcard_matches_multiple_labels", "yes",
     &tlsproxy_tls.tls_wildcard_matches_multiple_labels, 0, 0},
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

/* tlsproxy's own TLS_CLIENT_PARAMS, to compare with each client's. */
static struct tlsp_mismatch *
tlsproxy_mismatch_create(void)
{
	const struct tlsp_tls_params *p = &tlsproxy_tls;
	char num[5][16];
	const struct tlsp_mismatch_param ours[] = {
	    {"config_file", p->tls_config_file},
	    {"config_name", p->tls_config_name},
	    {"tls_high_cipherlist", p->tls_high_cipherlist},
	    {"tls_medium_cipherlist", p->tls_medium_cipherlist},
	    {"tls_low_cipherlist", p->tls_low_cipherlist},
	    {"tls_export_cipherlist", p->tls_export_cipherlist},
	    {"tls_null_cipherlist", p->tls_null_cipherlist},
	    {"tls_eecdh_auto_curves", p->tls_eecdh_auto_curves},
	    {"tls_eecdh_strong_curve", p->tls_eecdh_strong_curve},
	    {"tls_eecdh_ultra_curve", p->tls_eecdh_ultra_curve},
	    {"tls_disable_workarounds", p->tls_disable_workarounds},
	    {"tls_ssl_options", p->tls_ssl_options},
	    {"tls_dane_digests", p->tls_dane_digests},
	    {"tlsmgr_service_name", tlsmgr_service_name},
	    {"tls_session_ticket_cipher", p->tls_session_ticket_cipher},
	    {"tls_daemon_random_bytes", num[0]},
	    {"tls_append_default_CA", num[1]},
	    {"tls_legacy_public_key_fingerprints", num[2]},
	    {"tls_preempt_cipherlist", num[3]},
	    {"tls_wildcard_matches_multiple_labels", num[4]},
	};

	(void)snprintf(num[0], sizeof(num[0]), "%d",
	               p->tls_daemon_random_bytes);
	(void)snprintf(num[1], sizeof(num[1]), "%d", p->tls_append_default_CA);
	(void)snprintf(num[2], sizeof(num[2]), "%d",
	               p->tls_legacy_public_key_fingerprints);
	(void)snprintf(num[3], sizeof(num[3]), "%d", p->tls_preempt_cipherlist);
	(void)snprintf(num[4], sizeof(num[4]), "%d",
	               p->tls_wildcard_matches_multiple_labels);
	return tlsp_mismatch_create(ours, sizeof(ours) / sizeof(ours[0]));
}

static void
tlsproxy_pre_jail(void *ctx)
{
	struct buf path;

	(void)ctx;
	buf_init(&path);
	buf_printf(&path, "private/%s", tlsmgr_service_name);
	tlsproxy_tlsmgr = tlsp_tlsmgr_create(buf_str(&path));
	buf_free(&path);
	/* Server role first, as stock. */
	tlsproxy_session_config.server =
	    tlsp_server_daemon_create(&tlsproxy_tls, tlsproxy_tlsmgr);
	tlsproxy_ctx_cache = tlsp_ctx_cache_create();
	(void)tlsp_prejail_load(tlsproxy_ctx_cache, &tlsproxy_tls,
	                        tlsproxy_tlsmgr);
	tlsproxy_session_config.ctx_cache = tlsproxy_ctx_cache;
	tlsproxy_session_config.tlsmgr = tlsproxy_tlsmgr;
	tlsproxy_session_config.mismatch = tlsproxy_mismatch_create();
	tlsproxy_session_config.tls_params = &tlsproxy_tls;
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
