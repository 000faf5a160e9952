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

static const char *tls_config_file;
static const char *tls_config_name;
static const char *tls_high_cipherlist;
static const char *tls_medium_cipherlist;
static const char *tls_low_cipherlist;
static const char *tls_export_cipherlist;
static const char *tls_null_cipherlist;
static const char *tls_eecdh_auto_curves;
static const char *tls_eecdh_strong_curve;
static const char *tls_eecdh_ultra_curve;
static const char *tls_disable_workarounds;
static const char *tls_ssl_options;
static const char *tls_dane_digests;
static const char *tls_session_ticket_cipher;
static int tls_daemon_random_bytes;
static int tls_preempt_cipherlist;
static int tls_wildcard_matches_multiple_labels;
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
    {CONF_STR, "tls_eecdh_strong_curve", "prime256v1", &tls_eecdh_strong_curve,
     0, 0},
    {CONF_STR, "tls_eecdh_ultra_curve", "secp384r1", &tls_eecdh_ultra_curve, 0,
     0},
    {CONF_STR, "tls_disable_workarounds", "", &tls_disable_workarounds, 0, 0},
    {CONF_STR, "tls_ssl_options", "", &tls_ssl_options, 0, 0},
    {CONF_STR, "tls_dane_digests", "sha512 sha256", &tls_dane_digests, 1, 0},
    {CONF_STR, "tls_session_ticket_cipher", "aes-256-cbc",
     &tls_session_ticket_cipher, 0, 0},
    {CONF_INT, "tls_daemon_random_bytes", "32", &tls_daemon_random_bytes, 1, 0},
    {CONF_BOOL, "tls_preempt_cipherlist", "no", &tls_preempt_cipherlist, 0, 0},
    {CONF_BOOL, "tls_wildcard_matches_multiple_labels", "yes",
     &tls_wildcard_matches_multiple_labels, 0, 0},
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

/* tlsproxy's own TLS_CLIENT_PARAMS, to compare with each client's. */
static struct tlsp_mismatch *
tlsproxy_mismatch_create(void)
{
	char num[5][16];
	const struct tlsp_mismatch_param ours[] = {
	    {"config_file", tls_config_file},
	    {"config_name", tls_config_name},
	    {"tls_high_cipherlist", tls_high_cipherlist},
	    {"tls_medium_cipherlist", tls_medium_cipherlist},
	    {"tls_low_cipherlist", tls_low_cipherlist},
	    {"tls_export_cipherlist", tls_export_cipherlist},
	    {"tls_null_cipherlist", tls_null_cipherlist},
	    {"tls_eecdh_auto_curves", tls_eecdh_auto_curves},
	    {"tls_eecdh_strong_curve", tls_eecdh_strong_curve},
	    {"tls_eecdh_ultra_curve", tls_eecdh_ultra_curve},
	    {"tls_disable_workarounds", tls_disable_workarounds},
	    {"tls_ssl_options", tls_ssl_options},
	    {"tls_dane_digests", tls_dane_digests},
	    {"tlsmgr_service_name", tlsmgr_service_name},
	    {"tls_session_ticket_cipher", tls_session_ticket_cipher},
	    {"tls_daemon_random_bytes", num[0]},
	    {"tls_append_default_CA", num[1]},
	    {"tls_legacy_public_key_fingerprints", num[2]},
	    {"tls_preempt_cipherlist", num[3]},
	    {"tls_wildcard_matches_multiple_labels", num[4]},
	};

	(void)snprintf(num[0], sizeof(num[0]), "%d", tls_daemon_random_bytes);
	(void)snprintf(num[1], sizeof(num[1]), "%d", tls_append_default_CA);
	(void)snprintf(num[2], sizeof(num[2]), "%d",
	               tls_legacy_public_key_fingerprints);
	(void)snprintf(num[3], sizeof(num[3]), "%d", tls_preempt_cipherlist);
	(void)snprintf(num[4], sizeof(num[4]), "%d",
	               tls_wildcard_matches_multiple_labels);
	return tlsp_mismatch_create(ours, sizeof(ours) / sizeof(ours[0]));
}

static void
tlsproxy_pre_jail(void *ctx)
{
	struct tlsp_tls_params *p = &tlsproxy_tls_params;
	struct buf path;

	(void)ctx;
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
	/* Server role first, as stock. */
	tlsproxy_session_config.server =
	    tlsp_server_daemon_create(p, tlsproxy_tlsmgr);
	tlsproxy_ctx_cache = tlsp_ctx_cache_create();
	(void)tlsp_prejail_load(tlsproxy_ctx_cache, p, tlsproxy_tlsmgr);
	tlsproxy_session_config.ctx_cache = tlsproxy_ctx_cache;
	tlsproxy_session_config.tlsmgr = tlsproxy_tlsmgr;
	tlsproxy_session_config.mismatch = tlsproxy_mismatch_create();
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
