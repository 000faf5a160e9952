/*
 * check_buf.c - tests for common/buf.c
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "runner.h"

START_TEST(test_buf_empty_is_empty_string)
{
	struct buf b;

	buf_init(&b);
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_buf_appends_binary_and_keeps_nul)
{
	struct buf b;

	buf_init(&b);
	buf_append(&b, "a\0b", 3);
	buf_putc(&b, 0);
	buf_puts(&b, "cd");
	ck_assert_uint_eq(b.len, 6);
	ck_assert_mem_eq(b.data, "a\0b\0cd", 7);
	buf_free(&b);
}
END_TEST

START_TEST(test_buf_printf_grows)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%04d", i);
	ck_assert_uint_eq(b.len, 4000);
	ck_assert_mem_eq(b.data + 3996, "0999", 5);
	buf_reset(&b);
	ck_assert_str_eq(buf_str(&b), "");
	buf_free(&b);
}
END_TEST

static const struct {
	long long value;
	const char *want;
} dec_rows[] = {
    {0, "0"},
    {7, "7"},
    {10, "10"},
    {-1, "-1"},
    {1795882714, "1795882714"},
    {999999999999999999LL, "999999999999999999"},
    {LLONG_MAX, "9223372036854775807"},
    {LLONG_MIN, "-9223372036854775808"},
};

START_TEST(test_buf_put_dec_matches_printf)
{
	struct buf b;
	char want[32];

	buf_init(&b);
	buf_puts(&b, "x=");
	buf_put_dec(&b, dec_rows[_i].value);
	snprintf(want, sizeof(want), "x=%lld", dec_rows[_i].value);
	ck_assert_str_eq(want + 2, dec_rows[_i].want);
	ck_assert_str_eq(buf_str(&b), want);
	ck_assert_uint_eq(b.len, strlen(want));
	buf_free(&b);
}
END_TEST

START_TEST(test_buf_put_udec_matches_printf)
{
	struct buf b;

	buf_init(&b);
	buf_put_udec(&b, 0);
	buf_putc(&b, ' ');
	buf_put_udec(&b, 4294967295u);
	buf_putc(&b, ' ');
	buf_put_udec(&b, ULLONG_MAX);
	ck_assert_str_eq(buf_str(&b), "0 4294967295 18446744073709551615");
	buf_free(&b);
}
END_TEST

START_TEST(test_buf_reserve_returns_end)
{
	struct buf b;
	char *end;

	buf_init(&b);
	buf_puts(&b, "xy");
	end = buf_reserve(&b, 100);
	ck_assert_ptr_eq(end, b.data + 2);
	ck_assert_uint_ge(b.size, 103);
	memcpy(end, "z", 1);
	b.len += 1;
	ck_assert_mem_eq(b.data, "xyz", 3);
	buf_free(&b);
}
END_TEST

Suite *buf_suite(void);

Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("append");

	tcase_add_test(tc, test_buf_empty_is_empty_string);
	tcase_add_test(tc, test_buf_appends_binary_and_keeps_nul);
	tcase_add_test(tc, test_buf_printf_grows);
	tcase_add_test(tc, test_buf_reserve_returns_end);
	tcase_add_loop_test(tc, test_buf_put_dec_matches_printf, 0,
	                    sizeof(dec_rows) / sizeof(dec_rows[0]));
	tcase_add_test(tc, test_buf_put_udec_matches_printf);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(buf_suite)
