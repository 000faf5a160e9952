/*
 * check_tlsp_settings.c - each request's global TLS settings, in effect
 *
 * The captured requests of every release in tests/data (smtp(8) with
 * that release's defaults, and with a transport that overrides global
 * TLS settings in master.cf) are parsed, turned into engine settings and
 * used for a handshake with a test server. Nothing may be logged as a
 * warning, and what OpenSSL reports for the connection must be what the
 * request asked for: the cipher list of its grade and exclusions, the
 * groups the server sees offered, the options.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/objects.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "capture.h"
#include "runner.h"
#include "client_role/tlsp_ctx.h"
#include "client_role/tlsp_settings.h"
#include "tlsp_golden.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"
#include "tlsp_request.h"

Suite *tlsp_settings_suite(void);

/* --- the settings cache ------------------------------------------------ */

START_TEST(settings_are_resolved_once_per_distinct_set)
{
	struct tlsp_settings_cache *cache = tlsp_settings_cache_create();
	struct tlsp_tls_params p = tlsp_hs_defaults;
	const struct tlsp_settings *a, *b;

	p.tls_disable_workarounds = "bogus TLSEXT_PADDING";
	p.tls_ssl_options = "NO_TICKET";
	capture_start();
	a = tlsp_settings_get(cache, &p);
	ck_assert(a->options & SSL_OP_NO_TICKET);
	ck_assert(a->options & SSL_OP_NO_RENEGOTIATION);
	ck_assert(a->options & SSL_OP_IGNORE_UNEXPECTED_EOF);
	ck_assert(!(a->options & SSL_OP_TLSEXT_PADDING));
	ck_assert_str_eq(a->groups,
	                 "X25519:X448:prime256v1:secp521r1:secp384r1");
	b = tlsp_settings_get(cache, &p);
	ck_assert_ptr_eq(a, b);
	/* Warned once, as a stock smtp(8) warns once when it starts. */
	ck_assert_int_eq(capture_count("unknown tls_disable_workarounds"), 1);

	p.tls_ffdhe_auto_groups = "ffdhe3072";
	b = tlsp_settings_get(cache, &p);
	ck_assert_str_eq(
	    b->groups, "X25519:X448:prime256v1:secp521r1:secp384r1:ffdhe3072");
	tlsp_settings_cache_free(cache);
	tlsp_settings_cache_free(NULL);
}
END_TEST

START_TEST(settings_cache_is_bounded)
{
	struct tlsp_settings_cache *cache = tlsp_settings_cache_create();
	struct tlsp_tls_params p = tlsp_hs_defaults;
	const struct tlsp_settings *first;
	char name[TLSP_SETTINGS_CACHE_LIMIT + 1][16];
	int i;

	for (i = 0; i <= TLSP_SETTINGS_CACHE_LIMIT; i++) {
		snprintf(name[i], sizeof(name[i]), "0x%x", i);
		p.tls_ssl_options = name[i];
		first = tlsp_settings_get(cache, &p);
		ck_assert_ptr_nonnull(first);
	}
	/* One past the limit reused the oldest slot: set 0 is new again. */
	p.tls_ssl_options = name[0];
	capture_start();
	ck_assert_ptr_nonnull(tlsp_settings_get(cache, &p));
	tlsp_settings_cache_free(cache);
}
END_TEST

/* --- captured requests of each release ---------------------------------- */

static const char *const release_requests[] = {
    "tlsp-3.6.4-client-request.bin",
    "tlsp-3.6.20-client-request.bin",
    "tlsp-3.6.20-client-request-override.bin",
    "tlsp-3.7.11-client-request.bin",
    "tlsp-3.8.6-client-request.bin",
    "tlsp-3.8.20-client-request.bin",
    "tlsp-3.8.20-client-request-override.bin",
    "tlsp-3.9.14-client-request.bin",
    "tlsp-3.9.14-client-request-override.bin",
    "tlsp-3.10.13-client-request.bin",
    "tlsp-3.10.13-client-request-override.bin",
    "tlsp-3.11.6-client-request.bin",
    "tlsp-3.11.6-client-request-override.bin",
    "tlsp-3.12-20260821-client-request.bin",
    "tlsp-3.12-20260821-client-request-override.bin",
};

static void
setup(void)
{
	tlsp_hs_params = tlsp_hs_defaults;
}

/* The parsed request of tests/data/<file>; owned by the caller. */
static struct tlsp_request *
parse_request(const char *file)
{
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr, body;

	tlsp_tlist_golden(&hdr, file, 0);
	tlsp_tlist_golden(&body, file, 1);
	ck_assert_msg(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)) ==
	                  0,
	              "%s: %s", file, tlsp_request_reason(req));
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
	              "%s: %s", file, tlsp_request_reason(req));
	tlsp_tlist_free(&hdr);
	tlsp_tlist_free(&body);
	return req;
}

/* What OpenSSL makes of the request's own list for its grade. */
static void
expected_ciphers(const struct tlsp_request *req, struct buf *out)
{
	const struct tlsp_params *p = &req->params;
	const char *grade = req->client_start.cipher_grade;
	const char *base =
	    strcasecmp(grade, "high") == 0   ? p->tls_high_cipherlist
	    : strcasecmp(grade, "null") == 0 ? p->tls_null_cipherlist
	                                     : p->tls_medium_cipherlist;
	SSL_CTX *ref = SSL_CTX_new(TLS_client_method());
	struct buf list;
	char *excl = strdup(req->client_start.cipher_exclusions);
	char *tok, *save = NULL;
	const char *name;
	SSL *ssl;
	int i;

	ck_assert_str_eq(grade,
	                 strcasecmp(grade, "high") == 0 ? "high" : "medium");
	buf_init(&list);
	buf_puts(&list, base);
	for (tok = strtok_r(excl, " ,:", &save); tok;
	     tok = strtok_r(NULL, " ,:", &save))
		buf_printf(&list, ":!%s", tok);
	ck_assert_int_eq(SSL_CTX_set_cipher_list(ref, buf_str(&list)), 1);
	ssl = SSL_new(ref);
	for (i = 0; (name = SSL_get_cipher_list(ssl, i)) != NULL; i++)
		buf_printf(out, "%s%s", i ? ":" : "", name);
	SSL_free(ssl);
	SSL_CTX_free(ref);
	buf_free(&list);
	free(excl);
}

/* The group NIDs the request's lists name, in order, once each. */
static int
expected_groups(const struct tlsp_request *req, int *nid, int max)
{
	const char *lists[2] = {req->params.tls_eecdh_auto_curves,
	                        req->params.tls_ffdhe_auto_groups};
	int n = 0, i, j, id;
	char *copy, *tok, *save;

	for (i = 0; i < 2 && lists[i] != NULL; i++) {
		copy = strdup(lists[i]);
		save = NULL;
		for (tok = strtok_r(copy, " ,:", &save); tok && n < max;
		     tok = strtok_r(NULL, " ,:", &save)) {
			if ((id = OBJ_sn2nid(tok)) == NID_undef)
				continue;
			for (j = 0; j < n && nid[j] != id; j++)
				;
			if (j == n)
				nid[n++] = id;
		}
		free(copy);
	}
	return n;
}

static int
mentions(const char *list, const char *word)
{
	return list != NULL && strstr(list, word) != NULL;
}

START_TEST(release_request_is_served_with_its_own_settings)
{
	const char *file = release_requests[_i];
	struct tlsp_request *req = parse_request(file);
	struct tlsp_settings_cache *cache = tlsp_settings_cache_create();
	struct tlsp_hs_server srv = {.cert = TLSP_PKI_RSA_GOOD};
	struct tlsp_client_start start = req->client_start;
	struct tlsp_tls_init init = req->client_init;
	struct tlsp_tls_params params;
	struct tlsp_tls_result res = {0};
	struct tlsp_ctx *ctx;
	struct buf want, key, init_key;
	int nid[32], n, i;

	capture_start();
	tlsp_request_tls_params(req, &tlsp_hs_defaults, &params);
	/* The captured CA file was the capture instance's. */
	init.CAfile = tlsp_pki_get(TLSP_PKI_CA)->certfile;
	ck_assert_ptr_nonnull(ctx = tlsp_ctx_create(NULL, &params, &init));
	start.params = &params;
	start.settings = tlsp_settings_get(cache, &params);
	ck_assert_msg(tlsp_hs_run_ctx(ctx, &start, &srv, &res, 0, 0) == 1,
	              "%s: no handshake", file);
	ck_assert_msg(capture_count("warning:") == 0, "%s: logged %s", file,
	              capture_text());

	buf_init(&want);
	expected_ciphers(req, &want);
	ck_assert_msg(strcmp(srv.client_ciphers, buf_str(&want)) == 0,
	              "%s: ciphers %s, want %s", file, srv.client_ciphers,
	              buf_str(&want));
	n = expected_groups(req, nid, 32);
	ck_assert_msg(srv.peer_group_count == n, "%s: %d groups, want %d", file,
	              srv.peer_group_count, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(srv.peer_groups[i] == nid[i],
		              "%s: group %d is %s, want %s", file, i,
		              OBJ_nid2sn(srv.peer_groups[i]),
		              OBJ_nid2sn(nid[i]));
	ck_assert(srv.client_options & SSL_OP_NO_RENEGOTIATION);
	ck_assert_int_eq(!!(srv.client_options & SSL_OP_NO_TICKET),
	                 mentions(req->params.tls_ssl_options, "NO_TICKET"));
	ck_assert_int_eq(
	    !(srv.client_options & SSL_OP_TLSEXT_PADDING),
	    mentions(req->params.tls_disable_workarounds, "TLSEXT_PADDING"));

	/* What needs a context of its own is in its key. */
	buf_init(&init_key);
	buf_init(&key);
	buf_puts(&init_key, "");
	tlsp_ctx_key(&key, buf_str(&init_key), &params);
	buf_reset(&want);
	buf_printf(&want,
	           "tls_dane_digests=%s\ntls_append_default_CA=%d\n"
	           "tls_config_file=%s\ntls_config_name=%s\n",
	           req->params.tls_dane_digests ? req->params.tls_dane_digests
	                                        : "sha512 sha256",
	           req->params.tls_append_default_CA > 0,
	           req->params.config_file ? req->params.config_file
	                                   : "default",
	           req->params.config_name ? req->params.config_name : "");
	ck_assert_str_eq(buf_str(&key), buf_str(&want));
	ck_assert_int_eq(params.tls_legacy_public_key_fingerprints,
	                 req->params.tls_legacy_public_key_fingerprints > 0);

	buf_free(&key);
	buf_free(&init_key);
	buf_free(&want);
	tlsp_tls_result_free(&res);
	tlsp_ctx_free(ctx);
	tlsp_settings_cache_free(cache);
	tlsp_request_free(req);
}
END_TEST

START_TEST(overrides_differ_from_the_defaults)
{
	/* The override captures really carry other values than ours. */
	struct tlsp_request *req =
	    parse_request("tlsp-3.12-20260821-client-request-override.bin");

	ck_assert_str_eq(req->params.tls_high_cipherlist,
	                 "ECDHE+AESGCM:!AES256");
	ck_assert_str_eq(req->params.tls_eecdh_auto_curves, "secp384r1");
	ck_assert_str_eq(req->params.tls_ffdhe_auto_groups, "ffdhe3072");
	ck_assert_str_eq(req->client_start.cipher_grade, "high");
	tlsp_request_free(req);
}
END_TEST

Suite *
tlsp_settings_suite(void)
{
	Suite *s = suite_create("tlsp_settings");
	TCase *tc = tcase_create("cache");
	TCase *rel = tcase_create("releases");

	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, settings_are_resolved_once_per_distinct_set);
	tcase_add_test(tc, settings_cache_is_bounded);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(rel, setup, NULL);
	tcase_set_timeout(rel, 30);
	tcase_add_loop_test(
	    rel, release_request_is_served_with_its_own_settings, 0,
	    (int)(sizeof(release_requests) / sizeof(release_requests[0])));
	tcase_add_test(rel, overrides_differ_from_the_defaults);
	suite_add_tcase(s, rel);
	return s;
}

RUNNER_SUITE(tlsp_settings_suite)
