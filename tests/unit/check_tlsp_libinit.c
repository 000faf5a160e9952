/*
 * check_tlsp_libinit.c - OpenSSL initialisation from tls_config_*
 *
 * Each test runs in its own (forked) process, so each sees OpenSSL not
 * yet initialised, as tlsproxy at start-up does.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_libinit.h"

Suite *tlsp_libinit_suite(void);

START_TEST(defaults_do_nothing)
{
	capture_start();
	ck_assert_int_eq(tlsp_libinit("default", ""), 0);
	ck_assert_int_eq(tlsp_libinit(0, 0), 0);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(relative_file_disables_tls)
{
	capture_start();
	ck_assert_int_eq(tlsp_libinit("etc/openssl.cnf", ""), -1);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: non-default "
	    "tls_config_file = etc/openssl.cnf is not an absolute pathname, "
	    "disabling TLS support\n");
}
END_TEST

START_TEST(none_loads_no_configuration)
{
	capture_start();
	ck_assert_int_eq(tlsp_libinit("none", ""), 0);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(missing_absolute_file_disables_tls)
{
	capture_start();
	ck_assert_int_eq(tlsp_libinit("/nonexistent/openssl.cnf", "postfix"),
	                 -1);
	ck_assert_int_eq(
	    capture_count("warning: error loading the 'postfix' "
	                  "settings from the /nonexistent/openssl.cnf OpenSSL "
	                  "configuration "
	                  "file, disabling TLS support"),
	    1);
}
END_TEST

START_TEST(absolute_file_with_section_loads)
{
	char path[] = "/tmp/tlsp_libinit.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	ck_assert_ptr_nonnull(fp);
	fputs("postfix = postfix_settings\n[postfix_settings]\n", fp);
	fclose(fp);
	capture_start();
	ck_assert_int_eq(tlsp_libinit(path, "postfix"), 0);
	unlink(path);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

Suite *
tlsp_libinit_suite(void)
{
	Suite *s = suite_create("tlsp_libinit");
	TCase *tc = tcase_create("init");

	tcase_add_test(tc, defaults_do_nothing);
	tcase_add_test(tc, relative_file_disables_tls);
	tcase_add_test(tc, none_loads_no_configuration);
	tcase_add_test(tc, missing_absolute_file_disables_tls);
	tcase_add_test(tc, absolute_file_with_section_loads);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_libinit_suite)
