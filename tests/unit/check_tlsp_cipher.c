/*
 * check_tlsp_cipher.c - cipher grade and exclusions to a cipher list
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_cipher.h"

Suite *tlsp_cipher_suite(void);

static const struct tlsp_tls_params params = {
    .tls_high_cipherlist = "H",
    .tls_medium_cipherlist = "M",
    .tls_low_cipherlist = "L",
    .tls_export_cipherlist = "E",
    .tls_null_cipherlist = "N",
};

static void
expect(const char *grade, const char *excl, const char *want)
{
	char *got = tlsp_cipher_list(&params, grade, excl, "h[1.2.3.4]:25");

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(each_grade_selects_its_list_case_insensitively)
{
	expect("high", "", "H");
	expect("MEDIUM", 0, "M");
	expect("Low", "", "L");
	expect("export", "", "E");
	expect("null", "", "N");
}
END_TEST

START_TEST(exclusions_append_negations_in_order)
{
	expect("medium", "RC4, aNULL:eNULL\tMD5\r\n3DES",
	       "M:!RC4:!aNULL:!eNULL:!MD5:!3DES");
	expect("medium", " , : ", "M");
}
END_TEST

START_TEST(unknown_grade_is_refused_with_warning)
{
	capture_start();
	ck_assert_ptr_null(tlsp_cipher_list(&params, "invalid", "", "h"));
	ck_assert_ptr_null(tlsp_cipher_list(&params, "", "", "h"));
	ck_assert_ptr_null(tlsp_cipher_list(&params, 0, "", "h"));
	ck_assert_str_eq(capture_text(),
	                 "warning: h: invalid cipher grade: \"invalid\"\n"
	                 "warning: h: invalid cipher grade: \"\"\n"
	                 "warning: h: invalid cipher grade: \"\"\n");
}
END_TEST

START_TEST(unary_exclusion_is_refused_with_warning)
{
	capture_start();
	ck_assert_ptr_null(tlsp_cipher_list(&params, "high", "RC4 !MD5", "h"));
	ck_assert_ptr_null(tlsp_cipher_list(&params, "high", "@STRENGTH", "h"));
	ck_assert_ptr_null(tlsp_cipher_list(&params, "high", "-x", "h"));
	ck_assert_ptr_null(tlsp_cipher_list(&params, "high", "+x", "h"));
	ck_assert_str_eq(
	    capture_text(),
	    "warning: h: invalid unary '!+-@' in cipher exclusion: !MD5\n"
	    "warning: h: invalid unary '!+-@' in cipher exclusion: @STRENGTH\n"
	    "warning: h: invalid unary '!+-@' in cipher exclusion: -x\n"
	    "warning: h: invalid unary '!+-@' in cipher exclusion: +x\n");
}
END_TEST

Suite *
tlsp_cipher_suite(void)
{
	Suite *s = suite_create("tlsp_cipher");
	TCase *tc = tcase_create("list");

	tcase_add_test(tc, each_grade_selects_its_list_case_insensitively);
	tcase_add_test(tc, exclusions_append_negations_in_order);
	tcase_add_test(tc, unknown_grade_is_refused_with_warning);
	tcase_add_test(tc, unary_exclusion_is_refused_with_warning);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_cipher_suite)
