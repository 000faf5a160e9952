/*
 * check_buf.c - tests for common/buf.c
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
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
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(buf_suite)
