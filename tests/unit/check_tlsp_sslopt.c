/*
 * check_tlsp_sslopt.c - tls_disable_workarounds and tls_ssl_options
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>

#include <openssl/ssl.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_sslopt.h"

Suite *tlsp_sslopt_suite(void);

#define ALL ((long)SSL_OP_ALL)

START_TEST(defaults_enable_every_workaround)
{
	ck_assert(tlsp_sslopt_bits("", "") == ALL);
	ck_assert(tlsp_sslopt_bits(0, 0) == ALL);
}
END_TEST

START_TEST(named_workarounds_are_disabled_with_safari)
{
	capture_start();
	ck_assert(tlsp_sslopt_bits("tlsext_padding, CVE-2010-4180", "") ==
	          (ALL & ~(long)(SSL_OP_TLSEXT_PADDING |
	                         SSL_OP_SAFARI_ECDHE_ECDSA_BUG)));
	ck_assert(tlsp_sslopt_bits("0x4", "") ==
	          (ALL & ~(long)(0x4 | SSL_OP_SAFARI_ECDHE_ECDSA_BUG)));
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(unknown_names_warn_and_are_skipped)
{
	capture_start();
	ck_assert(tlsp_sslopt_bits("bogus 0x 4 CRYPTOPRO_TLSEXT_BUG", "") ==
	          (ALL & ~(long)(SSL_OP_CRYPTOPRO_TLSEXT_BUG |
	                         SSL_OP_SAFARI_ECDHE_ECDSA_BUG)));
	ck_assert_str_eq(
	    capture_text(),
	    "warning: unknown tls_disable_workarounds value \"bogus\" in "
	    "\"bogus 0x 4 CRYPTOPRO_TLSEXT_BUG\"\n"
	    "warning: unknown tls_disable_workarounds value \"0x\" in "
	    "\"bogus 0x 4 CRYPTOPRO_TLSEXT_BUG\"\n"
	    "warning: unknown tls_disable_workarounds value \"4\" in "
	    "\"bogus 0x 4 CRYPTOPRO_TLSEXT_BUG\"\n");
}
END_TEST

START_TEST(ssl_options_add_only_unmanaged_bits)
{
	capture_start();
	ck_assert(tlsp_sslopt_bits("", "no_ticket NO_COMPRESSION") ==
	          (ALL | (long)(SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION)));
	/* Protocol exclusions are Postfix's business: masked out. */
	ck_assert(tlsp_sslopt_bits("", "0x20000000") == ALL);
	ck_assert(tlsp_sslopt_bits("", "NO_TLSv1_3") == ALL);
	ck_assert_str_eq(capture_text(),
	                 "warning: unknown tls_ssl_options "
	                 "value \"NO_TLSv1_3\" in \"NO_TLSv1_3\"\n");
}
END_TEST

Suite *
tlsp_sslopt_suite(void)
{
	Suite *s = suite_create("tlsp_sslopt");
	TCase *tc = tcase_create("bits");

	tcase_add_test(tc, defaults_enable_every_workaround);
	tcase_add_test(tc, named_workarounds_are_disabled_with_safari);
	tcase_add_test(tc, unknown_names_warn_and_are_skipped);
	tcase_add_test(tc, ssl_options_add_only_unmanaged_bits);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_sslopt_suite)
