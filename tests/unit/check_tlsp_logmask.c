/*
 * check_tlsp_logmask.c - TLS log levels to log masks
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_logmask.h"
#include "tls/tlsp_tls.h"

Suite *tlsp_logmask_suite(void);

#define L1 TLSP_LOG_SUMMARY
#define L2 (L1 | TLSP_LOG_VERBOSE | TLSP_LOG_CACHE | TLSP_LOG_DEBUG)
#define L3 (L2 | TLSP_LOG_TLSPKTS)
#define L4 (L3 | TLSP_LOG_ALLPKTS)

START_TEST(numeric_levels_are_cumulative)
{
	ck_assert_int_eq(tlsp_logmask_parse("p", "0"), TLSP_LOG_NONE);
	ck_assert_int_eq(tlsp_logmask_parse("p", "1"), L1);
	ck_assert_int_eq(tlsp_logmask_parse("p", "2"), L2);
	ck_assert_int_eq(tlsp_logmask_parse("p", "3"), L3);
	ck_assert_int_eq(tlsp_logmask_parse("p", "4"), L4);
	ck_assert_int_eq(tlsp_logmask_parse("p", "9"), L4);
	ck_assert_int_eq(tlsp_logmask_parse("p", ""), 0);
}
END_TEST

START_TEST(keywords_combine_case_insensitively)
{
	ck_assert_int_eq(tlsp_logmask_parse("p", "Routine"), L1);
	ck_assert_int_eq(tlsp_logmask_parse("p", "debug"), L2);
	ck_assert_int_eq(tlsp_logmask_parse("p", "ssl-expert"), L3);
	ck_assert_int_eq(tlsp_logmask_parse("p", "ssl-developer"), L4);
	ck_assert_int_eq(tlsp_logmask_parse("p", "summary, UNTRUSTED\tdane"),
	                 TLSP_LOG_SUMMARY | TLSP_LOG_UNTRUSTED | TLSP_LOG_DANE);
	ck_assert_int_eq(tlsp_logmask_parse("p", "ssl-session-packet-dump"),
	                 TLSP_LOG_TLSPKTS | TLSP_LOG_ALLPKTS);
	ck_assert_int_eq(tlsp_logmask_parse("p", "peercert certmatch"),
	                 TLSP_LOG_PEERCERT | TLSP_LOG_CERTMATCH);
}
END_TEST

START_TEST(unknown_word_warns_and_yields_zero)
{
	capture_start();
	ck_assert_int_eq(
	    tlsp_logmask_parse("smtp_tls_loglevel", "1 verbose 10"), 0);
	ck_assert_str_eq(capture_text(), "warning: unknown smtp_tls_loglevel "
	                                 "value \"10\" in \"1 verbose 10\"\n");
}
END_TEST

Suite *
tlsp_logmask_suite(void)
{
	Suite *s = suite_create("tlsp_logmask");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, numeric_levels_are_cumulative);
	tcase_add_test(tc, keywords_combine_case_insensitively);
	tcase_add_test(tc, unknown_word_warns_and_yields_zero);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_logmask_suite)
