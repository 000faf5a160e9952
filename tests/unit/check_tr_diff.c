/*
 * check_tr_diff.c - tests for tlsreuse/tr_diff.c
 *
 * The output is compared with what "diff -u" prints for the same texts
 * (minus its time stamps): hunk headers, three lines of context, hunks
 * merged when close, the no-newline marker.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tr_diff.h"
#include "runner.h"

/* "1\n2\n...n\n" with line k replaced by repl (NULL: none). */
static void
lines(struct buf *b, int n, int k, const char *repl)
{
	int i;

	buf_reset(b);
	for (i = 1; i <= n; i++) {
		if (i == k && repl)
			buf_printf(b, "%s\n", repl);
		else
			buf_printf(b, "%d\n", i);
	}
}

static const char *
diff(struct buf *out, const struct buf *a, const struct buf *b)
{
	buf_reset(out);
	tr_diff(out, "old", a->data ? a->data : "", a->len, "new",
	    b->data ? b->data : "", b->len);
	return buf_str(out);
}

START_TEST(test_tr_diff_equal_texts_say_nothing)
{
	struct buf a, out;

	buf_init(&a);
	buf_init(&out);
	lines(&a, 5, 0, NULL);
	ck_assert_str_eq(diff(&out, &a, &a), "");
	buf_free(&a);
	buf_free(&out);
}
END_TEST

START_TEST(test_tr_diff_one_change_with_context)
{
	struct buf a, b, out;

	buf_init(&a);
	buf_init(&b);
	buf_init(&out);
	lines(&a, 20, 0, NULL);
	lines(&b, 20, 10, "ten");
	ck_assert_str_eq(diff(&out, &a, &b), "--- old\n+++ new\n"
	    "@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+ten\n 11\n 12\n 13\n");
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}
END_TEST

START_TEST(test_tr_diff_far_changes_are_two_hunks)
{
	struct buf a, b, out;
	int i;

	buf_init(&a);
	buf_init(&b);
	buf_init(&out);
	lines(&a, 30, 0, NULL);
	/* Lines 2 and 25 change. */
	buf_puts(&b, "1\ntwo\n");
	for (i = 3; i <= 30; i++)
		buf_printf(&b, i == 25 ? "x%d\n" : "%d\n", i);
	ck_assert_str_eq(diff(&out, &a, &b), "--- old\n+++ new\n"
	    "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
	    "@@ -22,7 +22,7 @@\n 22\n 23\n 24\n-25\n+x25\n 26\n 27\n 28\n");
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}
END_TEST

START_TEST(test_tr_diff_insert_at_end_without_newline)
{
	struct buf a, b, out;

	buf_init(&a);
	buf_init(&b);
	buf_init(&out);
	buf_puts(&a, "a\nb");
	buf_puts(&b, "a\nb\n# m\nc");
	ck_assert_str_eq(diff(&out, &a, &b), "--- old\n+++ new\n"
	    "@@ -1,2 +1,4 @@\n a\n-b\n\\ No newline at end of file\n"
	    "+b\n+# m\n+c\n\\ No newline at end of file\n");
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}
END_TEST

/* Past TR_DIFF_CELLS_MAX: one coarse hunk, still correct. */
START_TEST(test_tr_diff_big_texts)
{
	struct buf a, b, out;

	buf_init(&a);
	buf_init(&b);
	buf_init(&out);
	lines(&a, 3000, 0, NULL);
	lines(&b, 3000, 1500, "middle");
	ck_assert_str_eq(diff(&out, &a, &b), "--- old\n+++ new\n"
	    "@@ -1497,7 +1497,7 @@\n 1497\n 1498\n 1499\n-1500\n+middle\n"
	    " 1501\n 1502\n 1503\n");
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}
END_TEST

Suite *tr_diff_suite(void);

Suite *
tr_diff_suite(void)
{
	Suite *s = suite_create("tr_diff");
	TCase *tc;

	tc = tcase_create("hunks");
	tcase_add_test(tc, test_tr_diff_equal_texts_say_nothing);
	tcase_add_test(tc, test_tr_diff_one_change_with_context);
	tcase_add_test(tc, test_tr_diff_far_changes_are_two_hunks);
	tcase_add_test(tc, test_tr_diff_insert_at_end_without_newline);
	tcase_add_test(tc, test_tr_diff_big_texts);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_diff_suite)
