/*
 * check_tlsp_libconf.c - the OpenSSL configuration requests may ask for
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>

#include "capture.h"
#include "runner.h"
#include "tlsp_libconf.h"

Suite *tlsp_libconf_suite(void);

START_TEST(same_or_unsent_configuration_is_served_quietly)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "", 1);

	capture_start();
	ck_assert_int_eq(tlsp_libconf_check(lc, "default", ""), 1);
	/* 3.6.0-3.6.9, 3.7.0-3.7.5, 3.8.0: no preference sent. */
	ck_assert_int_eq(tlsp_libconf_check(lc, NULL, NULL), 1);
	ck_assert_str_eq(capture_text(), "");
	tlsp_libconf_free(lc);
}
END_TEST

START_TEST(other_configuration_is_refused_once_loudly)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("default", "", 1);
	int i;

	capture_start();
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(tlsp_libconf_check(lc, "/etc/strict.cnf", ""),
		                 0);
	ck_assert_int_eq(tlsp_libconf_check(lc, "default", "postfix"), 0);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: client request refused: it asks for OpenSSL "
	    "configuration tls_config_file=/etc/strict.cnf tls_config_name=, "
	    "this process was initialised with tls_config_file=default "
	    "tls_config_name=; OpenSSL reads its configuration once per "
	    "process, so give that client a tlsproxy service of its own with "
	    "the same settings (tlsproxy_service_name)\n"
	    "warning: client request refused: it asks for OpenSSL "
	    "configuration tls_config_file=default tls_config_name=postfix, "
	    "this process was initialised with tls_config_file=default "
	    "tls_config_name=; OpenSSL reads its configuration once per "
	    "process, so give that client a tlsproxy service of its own with "
	    "the same settings (tlsproxy_service_name)\n");
	tlsp_libconf_free(lc);
}
END_TEST

START_TEST(failed_initialisation_refuses_everything)
{
	struct tlsp_libconf *lc = tlsp_libconf_create("/x.cnf", "", 0);

	capture_start();
	ck_assert_int_eq(tlsp_libconf_check(lc, "/x.cnf", ""), 0);
	ck_assert_int_eq(tlsp_libconf_check(lc, NULL, NULL), 0);
	ck_assert_int_eq(capture_count("could not be initialised"), 2);
	tlsp_libconf_free(lc);
	tlsp_libconf_free(NULL);
}
END_TEST

Suite *
tlsp_libconf_suite(void)
{
	Suite *s = suite_create("tlsp_libconf");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, same_or_unsent_configuration_is_served_quietly);
	tcase_add_test(tc, other_configuration_is_refused_once_loudly);
	tcase_add_test(tc, failed_initialisation_refuses_everything);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_libconf_suite)
