/*
 * check_tlsp_groups.c - key-exchange groups from a client's settings
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_groups.h"

Suite *tlsp_groups_suite(void);

static const struct groups_case {
	const char *name;
	const char *eecdh, *ffdhe; /* ffdhe NULL: a 3.6/3.7 request */
	const char *want;          /* NULL: OpenSSL's defaults */
	const char *log;
} groups_cases[] = {
    {"3.6 defaults", "X25519 X448 prime256v1 secp521r1 secp384r1", 0,
     "X25519:X448:prime256v1:secp521r1:secp384r1", ""},
    {"3.10 defaults", "X25519 X448 prime256v1 secp384r1 secp521r1 ",
     "ffdhe2048 ffdhe3072 ",
     "X25519:X448:prime256v1:secp384r1:secp521r1:ffdhe2048:ffdhe3072", ""},
    {"3.7 curve by NIST name, commas", "P-384,X25519", 0, "secp384r1:X25519",
     ""},
    {"3.7 takes any group OpenSSL names", "ffdhe2048 secp384r1", 0,
     "ffdhe2048:secp384r1", ""},
    {"3.7 nothing usable keeps OpenSSL's", "bogus", 0, 0,
     "warning: ignoring unknown ECDHE curve \"bogus\"\n"},
    {"3.7 empty keeps OpenSSL's, quietly", "", 0, 0, ""},
    {"3.8 override, colons and duplicates", "secp384r1:SECP384R1", "ffdhe3072",
     "secp384r1:ffdhe3072", ""},
    {"3.8 unknown names skipped quietly", "bogus secp384r1", "", "secp384r1",
     ""},
    {"3.8 none usable falls back to Postfix's", "bogus", "",
     "X25519:X448:prime256v1:secp384r1:secp521r1:ffdhe2048:ffdhe3072",
     "warning: none of the configured key exchange groups are supported\n"
     "warning: using Postfix default key exchange groups instead\n"},
    {"3.8 both empty keeps OpenSSL's, quietly", "", "", 0, ""},
};

START_TEST(groups_resolve_as_the_release_does)
{
	const struct groups_case *c = &groups_cases[_i];
	char *got;

	capture_start();
	got = tlsp_groups_resolve(c->eecdh, c->ffdhe);
	if (c->want == 0)
		ck_assert_msg(got == 0, "%s: got %s", c->name, got);
	else
		ck_assert_msg(got != 0 && strcmp(got, c->want) == 0,
		              "%s: got %s", c->name, got ? got : "(null)");
	ck_assert_msg(strcmp(capture_text(), c->log) == 0, "%s: logged %s",
	              c->name, capture_text());
	free(got);
}
END_TEST

START_TEST(groups_apply_warns_when_refused)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = SSL_new(ctx);

	ck_assert_int_eq(tlsp_groups_apply(ssl, "secp384r1:ffdhe3072"), 0);
	/* What the peer then sees is checked in check_tlsp_settings. */
	capture_start();
	ck_assert_int_eq(tlsp_groups_apply(ssl, "bogus"), -1);
	ck_assert_int_eq(capture_count("failed to set up the key exchange "
	                               "groups \"bogus\""),
	                 1);
	ck_assert_int_eq(tlsp_groups_apply(ssl, 0), 0);
	ck_assert_int_eq(tlsp_groups_apply_ctx(ctx, "X25519"), 0);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}
END_TEST

Suite *
tlsp_groups_suite(void)
{
	Suite *s = suite_create("tlsp_groups");
	TCase *tc = tcase_create("resolve");

	tcase_add_loop_test(
	    tc, groups_resolve_as_the_release_does, 0,
	    (int)(sizeof(groups_cases) / sizeof(groups_cases[0])));
	tcase_add_test(tc, groups_apply_warns_when_refused);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_groups_suite)
