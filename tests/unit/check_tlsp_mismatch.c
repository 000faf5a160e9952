/*
 * check_tlsp_mismatch.c - tests for tlsproxy/tlsp_mismatch.c
 *
 * The golden 3.7.11 request's TLS_CLIENT_PARAMS equal postconf -d, so
 * they raise nothing; one changed value gives stock's three warnings with
 * the "(server) ... != (client) ..." line, once per distinct difference
 * (also after TLSP_MISMATCH_SEEN_MAX others, oldest forgotten); names one
 * side lacks are not compared.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "runner.h"
#include "tlsp_golden.h"
#include "tlsp_mismatch.h"
#include "tlsp_request.h"

Suite *tlsp_mismatch_suite(void);

/* postconf -d, as the golden capture's smtp(8) sent them. */
static const struct tlsp_mismatch_param defaults[] = {
    {"config_file", "default"},
    {"config_name", ""},
    {"tls_high_cipherlist", TLSP_TLS_DEF_HIGH_CIPHERLIST},
    {"tls_medium_cipherlist", TLSP_TLS_DEF_MEDIUM_CIPHERLIST},
    {"tls_low_cipherlist", TLSP_TLS_DEF_LOW_CIPHERLIST},
    {"tls_export_cipherlist", TLSP_TLS_DEF_EXPORT_CIPHERLIST},
    {"tls_null_cipherlist", TLSP_TLS_DEF_NULL_CIPHERLIST},
    {"tls_eecdh_auto_curves", TLSP_TLS_DEF_EECDH_AUTO_CURVES},
    {"tls_eecdh_strong_curve", "prime256v1"},
    {"tls_eecdh_ultra_curve", "secp384r1"},
    {"tls_disable_workarounds", ""},
    {"tls_ssl_options", ""},
    {"tls_dane_digests", "sha512 sha256"},
    {"tlsmgr_service_name", "tlsmgr"},
    {"tls_session_ticket_cipher", "aes-256-cbc"},
    {"tls_daemon_random_bytes", "32"},
    {"tls_append_default_CA", "0"},
    {"tls_legacy_public_key_fingerprints", "0"},
    {"tls_preempt_cipherlist", "0"},
    {"tls_wildcard_matches_multiple_labels", "1"},
};

#define NDEFAULTS (sizeof(defaults) / sizeof(defaults[0]))

static struct tlsp_request *
golden_request(void)
{
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr, body;

	tlsp_tlist_golden(&hdr, "tlsp-3.7.11-client-request.bin", 0);
	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	ck_assert_int_eq(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)),
	                 0);
	ck_assert_int_eq(tlsp_request_parse_body(req, tlsp_tlist_list(&body)),
	                 0);
	tlsp_tlist_free(&hdr);
	tlsp_tlist_free(&body);
	return req;
}

START_TEST(test_tlsp_mismatch_golden_request_matches_defaults)
{
	struct tlsp_mismatch *m = tlsp_mismatch_create(defaults, NDEFAULTS);
	struct tlsp_request *req = golden_request();

	capture_start();
	ck_assert_int_eq(tlsp_mismatch_check(m, &req->params), 0);
	ck_assert_str_eq(capture_text(), "");
	tlsp_request_free(req);
	tlsp_mismatch_free(m);
}
END_TEST

START_TEST(test_tlsp_mismatch_warns_once_per_difference)
{
	struct tlsp_mismatch_param ours[NDEFAULTS];
	struct tlsp_mismatch *m;
	struct tlsp_request *req = golden_request();

	memcpy(ours, defaults, sizeof(ours));
	ours[2].value = "HIGH";
	ours[16].value = "1";
	m = tlsp_mismatch_create(ours, NDEFAULTS);
	capture_start();
	ck_assert_int_eq(tlsp_mismatch_check(m, &req->params), 1);
	ck_assert_int_eq(capture_count("warning: "), 3);
	ck_assert_int_eq(capture_count("warning: request from tlsproxy client "
	                               "with unexpected settings"),
	                 1);
	ck_assert_int_eq(
	    capture_count("warning: (server) 'tls_high_cipherlist=HIGH' != "
	                  "(client) 'tls_high_cipherlist=aNULL:-aNULL:HIGH:"
	                  "@STRENGTH'; (server) 'tls_append_default_CA=1' != "
	                  "(client) 'tls_append_default_CA=0'"),
	    1);
	ck_assert_int_eq(capture_count("warning: to avoid this warning, 1) "
	                               "identify the tlsproxy client"),
	                 1);
	/* The same difference again: still different, but quiet. */
	ck_assert_int_eq(tlsp_mismatch_check(m, &req->params), 1);
	ck_assert_int_eq(capture_count("warning: "), 3);
	tlsp_request_free(req);
	tlsp_mismatch_free(m);
}
END_TEST

START_TEST(test_tlsp_mismatch_compares_only_shared_names)
{
	static const struct tlsp_mismatch_param ours[] = {
	    {"tls_ffdhe_auto_groups", "ffdhe2048"},
	    {"tls_fast_shutdown_enable", "1"},
	};
	struct tlsp_mismatch *m = tlsp_mismatch_create(ours, 2);
	struct tlsp_request *req = golden_request();

	/* A 3.7 client sends neither (NULL / -1): nothing to compare. */
	capture_start();
	ck_assert_ptr_null(req->params.tls_ffdhe_auto_groups);
	ck_assert_int_lt(req->params.tls_fast_shutdown_enable, 0);
	ck_assert_int_eq(tlsp_mismatch_check(m, &req->params), 0);
	ck_assert_str_eq(capture_text(), "");
	tlsp_request_free(req);
	tlsp_mismatch_free(m);
}
END_TEST

START_TEST(test_tlsp_mismatch_forgets_oldest_past_limit)
{
	static const struct tlsp_mismatch_param ours[] = {
	    {"tls_daemon_random_bytes", "32"},
	};
	struct tlsp_mismatch *m = tlsp_mismatch_create(ours, 1);
	struct tlsp_params client;
	int i;

	memset(&client, 0, sizeof(client));
	capture_start();
	for (i = 0; i < TLSP_MISMATCH_SEEN_MAX; i++) {
		client.tls_daemon_random_bytes = 100 + i;
		ck_assert_int_eq(tlsp_mismatch_check(m, &client), 1);
	}
	ck_assert_int_eq(capture_count("unexpected settings"),
	                 TLSP_MISMATCH_SEEN_MAX);
	/* All remembered: no new warning. */
	client.tls_daemon_random_bytes = 100;
	ck_assert_int_eq(tlsp_mismatch_check(m, &client), 1);
	ck_assert_int_eq(capture_count("unexpected settings"),
	                 TLSP_MISMATCH_SEEN_MAX);
	/* One more pushes out the oldest (100), which then warns again. */
	client.tls_daemon_random_bytes = 99;
	(void)tlsp_mismatch_check(m, &client);
	client.tls_daemon_random_bytes = 100;
	(void)tlsp_mismatch_check(m, &client);
	ck_assert_int_eq(capture_count("unexpected settings"),
	                 TLSP_MISMATCH_SEEN_MAX + 2);
	tlsp_mismatch_free(m);
}
END_TEST

Suite *
tlsp_mismatch_suite(void)
{
	Suite *s = suite_create("tlsp_mismatch");
	TCase *tc = tcase_create("params");

	tcase_add_test(tc, test_tlsp_mismatch_golden_request_matches_defaults);
	tcase_add_test(tc, test_tlsp_mismatch_warns_once_per_difference);
	tcase_add_test(tc, test_tlsp_mismatch_compares_only_shared_names);
	tcase_add_test(tc, test_tlsp_mismatch_forgets_oldest_past_limit);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_mismatch_suite)
