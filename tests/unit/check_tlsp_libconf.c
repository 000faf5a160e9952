/*
 * check_tlsp_libconf.c - the OpenSSL configurations requests may ask for
 *
 * Each test runs in its own (forked) process, so each sees OpenSSL not
 * yet initialised, as tlsproxy at start-up does. OPENSSL_CONF stands in
 * for OpenSSL's default file. Which configuration a context follows is
 * read from the first cipher of an SSL_CTX made in it (each file puts
 * its own TLS 1.3 cipher first).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "capture.h"
#include "runner.h"
#include "tlsp_libconf.h"

Suite *tlsp_libconf_suite(void);

#define CHACHA "TLS_CHACHA20_POLY1305_SHA256"
#define AES128 "TLS_AES_128_GCM_SHA256"
#define AES256 "TLS_AES_256_GCM_SHA384" /* OpenSSL's first */

/* OpenSSL's default file (openssl_conf) and a transport's (strict). */
static const char default_text[] = "openssl_conf = main\n"
                                   "[main]\nssl_conf = main_ssl\n"
                                   "[main_ssl]\nsystem_default = main_sys\n"
                                   "[main_sys]\nCiphersuites = " CHACHA "\n";
static const char strict_text[] = "strict = strict_app\n"
                                  "[strict_app]\nssl_conf = strict_ssl\n"
                                  "[strict_ssl]\nsystem_default = sys\n"
                                  "[sys]\nCiphersuites = " AES128 "\n";

static char default_path[] = "/tmp/check_tlsp_libconf.XXXXXX";
static char strict_path[] = "/tmp/check_tlsp_libconf.XXXXXX";

static void
write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
setup(void)
{
	write_file(default_path, default_text);
	write_file(strict_path, strict_text);
	ck_assert_int_eq(setenv("OPENSSL_CONF", default_path, 1), 0);
}

static void
teardown(void)
{
	unlink(default_path);
	unlink(strict_path);
}

/* The first cipher of a client context of lc. */
static const char *
first_cipher(const struct tlsp_libctx *lc)
{
	static char name[64];
	SSL_CTX *ctx = tlsp_libctx_ssl_ctx(lc, 0);

	ck_assert_ptr_nonnull(ctx);
	snprintf(name, sizeof(name), "%s",
	         SSL_CIPHER_get_name(
	             sk_SSL_CIPHER_value(SSL_CTX_get_ciphers(ctx), 0)));
	SSL_CTX_free(ctx);
	return name;
}

START_TEST(own_configuration_serves_its_pair)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "");
	const struct tlsp_libctx *own = tlsp_libconf_own(lc);

	capture_start();
	ck_assert_ptr_nonnull(own);
	ck_assert_str_eq(first_cipher(own), CHACHA);
	ck_assert_ptr_eq(tlsp_libconf_find(lc, "default", ""), own);
	/* A release that sends no pair has the defaults. */
	ck_assert_ptr_eq(tlsp_libconf_find(lc, NULL, NULL), own);
	ck_assert_ptr_eq(tlsp_libconf_load(lc, "default", ""), own);
	ck_assert_str_eq(capture_text(), "");
	tlsp_libconf_free(lc);
}
END_TEST

/*
 * A transport's pair gets its own context; the process's own one keeps
 * its settings, and so does OpenSSL's default SSL_CTX_new().
 */
START_TEST(transport_configuration_has_its_own_context)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "");
	const struct tlsp_libctx *own = tlsp_libconf_own(lc), *strict;

	capture_start();
	ck_assert_ptr_nonnull(strict =
	                          tlsp_libconf_load(lc, strict_path, "strict"));
	ck_assert_ptr_ne(strict, own);
	ck_assert_ptr_eq(tlsp_libconf_load(lc, strict_path, "strict"), strict);
	ck_assert_ptr_eq(tlsp_libconf_find(lc, strict_path, "strict"), strict);
	ck_assert_str_eq(first_cipher(strict), AES128);
	ck_assert_str_eq(first_cipher(own), CHACHA);
	ck_assert_str_eq(first_cipher(NULL), AES256);
	ck_assert_str_eq(capture_text(), "");
	tlsp_libconf_free(lc);
}
END_TEST

START_TEST(unloaded_configuration_is_refused_once)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "");
	int i;

	capture_start();
	for (i = 0; i < 3; i++)
		ck_assert_ptr_null(
		    tlsp_libconf_find(lc, strict_path, "strict"));
	ck_assert_ptr_null(tlsp_libconf_find(lc, "default", "postfix"));
	ck_assert_int_eq(capture_count("warning: client request refused"), 2);
	ck_assert_int_eq(
	    capture_count("it asks for OpenSSL configuration "
	                  "tls_config_file=default tls_config_name=postfix, "
	                  "which no smtp or lmtp transport of main.cf or "
	                  "master.cf named when this process started; run "
	                  "\"postfix reload\" after adding the transport "
	                  "that uses it"),
	    1);
	tlsp_libconf_free(lc);
}
END_TEST

START_TEST(failed_configuration_is_refused)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "");

	capture_start();
	ck_assert_ptr_null(tlsp_libconf_load(lc, strict_path, "lax"));
	ck_assert_int_eq(capture_count("warning: error loading the 'lax' "
	                               "settings from the "),
	                 1);
	capture_start();
	ck_assert_ptr_null(tlsp_libconf_load(lc, strict_path, "lax"));
	ck_assert_str_eq(capture_text(), "");
	ck_assert_ptr_null(tlsp_libconf_find(lc, strict_path, "lax"));
	ck_assert_ptr_null(tlsp_libconf_find(lc, strict_path, "lax"));
	ck_assert_int_eq(capture_count("which could not be loaded at start-up "
	                               "(see the warnings then)"),
	                 1);
	ck_assert_int_eq(capture_count("warning:"), 1);
	tlsp_libconf_free(lc);
}
END_TEST

START_TEST(failed_own_configuration_refuses_everything)
{
	struct tlsp_libconf *lc;

	capture_start();
	lc = tlsp_libconf_create("/nonexistent.cnf", "");
	ck_assert_ptr_null(tlsp_libconf_own(lc));
	ck_assert_int_eq(capture_count("warning: error loading the 'global' "
	                               "settings from the /nonexistent.cnf "
	                               "OpenSSL configuration file, disabling "
	                               "TLS support"),
	                 1);
	capture_start();
	ck_assert_ptr_null(tlsp_libconf_find(lc, "/nonexistent.cnf", ""));
	ck_assert_ptr_null(tlsp_libconf_find(lc, "default", ""));
	ck_assert_int_eq(capture_count("warning: client request refused: the "
	                               "OpenSSL library of this process could "
	                               "not be initialised (see the warnings "
	                               "at start-up)"),
	                 2);
	tlsp_libconf_free(lc);
	tlsp_libconf_free(NULL);
}
END_TEST

START_TEST(configurations_are_bounded)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "");
	char name[16];
	int i;

	capture_start();
	/* The own one and TLSP_LIBCONF_MAX - 1 more ("none" needs no file). */
	for (i = 1; i < TLSP_LIBCONF_MAX; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		ck_assert_ptr_nonnull(tlsp_libconf_load(lc, "none", name));
	}
	ck_assert_str_eq(capture_text(), "");
	ck_assert_ptr_null(tlsp_libconf_load(lc, "none", "one-past"));
	ck_assert_ptr_null(tlsp_libconf_load(lc, "none", "one-past"));
	ck_assert_int_eq(
	    capture_count("warning: more than 16 distinct OpenSSL "
	                  "configurations; tls_config_file=none "
	                  "tls_config_name=one-past is not loaded, and its "
	                  "requests are refused"),
	    1);
	ck_assert_ptr_nonnull(tlsp_libconf_find(lc, "none", "n1"));
	tlsp_libconf_free(lc);
}
END_TEST

Suite *
tlsp_libconf_suite(void)
{
	Suite *s = suite_create("tlsp_libconf");
	TCase *tc = tcase_create("registry");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, own_configuration_serves_its_pair);
	tcase_add_test(tc, transport_configuration_has_its_own_context);
	tcase_add_test(tc, unloaded_configuration_is_refused_once);
	tcase_add_test(tc, failed_configuration_is_refused);
	tcase_add_test(tc, failed_own_configuration_refuses_everything);
	tcase_add_test(tc, configurations_are_bounded);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_libconf_suite)
