/*
 * check_mem.c - tests for common/mem.c
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "runner.h"

START_TEST(test_mem_calloc_is_zeroed)
{
	unsigned char *p = xcalloc(64, 4);
	size_t i;

	for (i = 0; i < 256; i++)
		ck_assert_uint_eq(p[i], 0);
	free(p);
}
END_TEST

START_TEST(test_mem_dup_terminates)
{
	char *s = xmemdup("ab\0cd", 5);

	ck_assert_mem_eq(s, "ab\0cd\0", 6);
	free(s);
	s = xstrndup("abcdef", 3);
	ck_assert_str_eq(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	ck_assert_str_eq(s, "ab");
	free(s);
}
END_TEST

START_TEST(test_mem_calloc_overflow_panics)
{
	(void)xcalloc(SIZE_MAX / 2, 3);
}
END_TEST

START_TEST(test_mem_reallocarray_overflow_panics)
{
	(void)xreallocarray(NULL, SIZE_MAX / 4, 8);
}
END_TEST

START_TEST(test_mem_free_secret_accepts_null)
{
	xfree_secret(NULL, 10);
	xfree_secret(xstrdup("secret"), 6);
}
END_TEST

/* Under ASan a leak or a bad free of the const-held copy fails here. */
START_TEST(test_mem_free_const_accepts_null)
{
	const char *held = xstrdup("held read-only");

	xfree_const(NULL);
	ck_assert_str_eq(held, "held read-only");
	xfree_const(held);
}
END_TEST

Suite *mem_suite(void);

Suite *
mem_suite(void)
{
	Suite *s = suite_create("mem");
	TCase *tc = tcase_create("alloc");

	tcase_add_test(tc, test_mem_calloc_is_zeroed);
	tcase_add_test(tc, test_mem_dup_terminates);
	tcase_add_test(tc, test_mem_free_secret_accepts_null);
	tcase_add_test(tc, test_mem_free_const_accepts_null);
	tcase_add_test_raise_signal(tc, test_mem_calloc_overflow_panics,
	    SIGABRT);
	tcase_add_test_raise_signal(tc, test_mem_reallocarray_overflow_panics,
	    SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(mem_suite)
