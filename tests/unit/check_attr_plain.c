/*
 * check_attr_plain.c - tests for common/attr_plain.c
 *
 * The round trip takes every "property" value of the golden scache lists
 * (destination and endpoint properties written by stock smtp(8), the
 * latter with the TLS summary block), iterates it block by block and
 * prints it again with attr_plain_str()/attr_plain_end().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "attr_plain.h"
#include "buf.h"
#include "mem.h"
#include "runner.h"

#include "../data/attr_golden.h"

Suite *attr_plain_suite(void);

/*
 * Iterates all blocks of text, printing each pair back into out. Returns
 * the number of blocks, or -1 on a malformed line.
 */
static int
reprint_blocks(const char *text, size_t len, struct buf *out)
{
	struct attr_plain_iter it;
	const char *name, *value, *pos = text, *end = text + len;
	size_t name_len, value_len;
	char *n, *v;
	int rc, blocks = 0;

	while (pos < end) {
		attr_plain_iter_init(&it, pos, (size_t)(end - pos));
		while ((rc = attr_plain_next(&it, &name, &name_len, &value,
		                             &value_len)) == 1) {
			n = xstrndup(name, name_len);
			v = xstrndup(value, value_len);
			attr_plain_str(out, n, v);
			free(n);
			free(v);
		}
		if (rc < 0)
			return -1;
		attr_plain_end(out);
		blocks++;
		pos = it.rest;
	}
	return blocks;
}

START_TEST(test_attr_plain_reprints_golden_properties)
{
	struct buf out;
	size_t g, i;
	int checked = 0, tls_blocks = 0, blocks;

	buf_init(&out);
	for (g = 0; g < ATTR_GOLDEN_COUNT; g++) {
		for (i = 0; i < attr_golden[g].count; i++) {
			const char *name = attr_golden[g].pairs[2 * i];
			const char *value = attr_golden[g].pairs[2 * i + 1];

			if (strcmp(name, "property") != 0 || *value == 0)
				continue;
			buf_reset(&out);
			blocks = reprint_blocks(value, strlen(value), &out);
			ck_assert_msg(blocks >= 1, "%s: %d blocks",
			              attr_golden[g].label, blocks);
			ck_assert_msg(strcmp(out.data, value) == 0,
			              "%s: reprint differs",
			              attr_golden[g].label);
			tls_blocks += blocks == 2;
			checked++;
		}
	}
	/* Both kinds must have been seen, or the test proves little. */
	ck_assert_int_gt(checked, 10);
	ck_assert_int_gt(tls_blocks, 3);
	buf_free(&out);
}
END_TEST

static const struct {
	const char *label;
	const char *text;
	const char *want; /* "name=value|..." of the yielded pairs */
	int last;         /* final return value */
	const char *rest; /* where it->rest points after a 0 */
} iter_rows[] = {
    {"two pairs", "a=1\nb=\n\nrest", "a=1|b=|", 0, "rest"},
    {"split at first =", "k=b=c\n\n", "k=b=c|", 0, ""},
    {"no terminator", "a=1\nb=2\n", "a=1|b=2|", 0, ""},
    {"last line unterminated", "a=1\nb=2", "a=1|", -1, NULL},
    {"empty value unterminated", "a=", "", -1, NULL},
    {"empty text", "", "", 0, ""},
    {"only terminator", "\nx=1\n", "", 0, "x=1\n"},
    {"line without =", "a=1\nnoeq\n\n", "a=1|", -1, NULL},
    {"empty name", "=x\n\n", "", -1, NULL},
    {"value with bytes", "cn=\303\251 \t\r\n\n", "cn=\303\251 \t\r|", 0, ""},
};

START_TEST(test_attr_plain_iterates_lines)
{
	struct attr_plain_iter it;
	const char *text = iter_rows[_i].text, *name, *value;
	size_t name_len, value_len;
	struct buf got;
	int rc;

	buf_init(&got);
	attr_plain_iter_init(&it, text, strlen(text));
	while ((rc = attr_plain_next(&it, &name, &name_len, &value,
	                             &value_len)) == 1)
		buf_printf(&got, "%.*s=%.*s|", (int)name_len, name,
		           (int)value_len, value);
	ck_assert_msg(strcmp(buf_str(&got), iter_rows[_i].want) == 0,
	              "%s: got \"%s\"", iter_rows[_i].label, buf_str(&got));
	ck_assert_msg(rc == iter_rows[_i].last, "%s: rc %d",
	              iter_rows[_i].label, rc);
	if (iter_rows[_i].rest)
		ck_assert_str_eq(it.rest, iter_rows[_i].rest);
	/* Repeating the last call gives the same answer. */
	ck_assert_int_eq(
	    attr_plain_next(&it, &name, &name_len, &value, &value_len), rc);
	if (iter_rows[_i].rest)
		ck_assert_str_eq(it.rest, iter_rows[_i].rest);
	buf_free(&got);
}
END_TEST

START_TEST(test_attr_plain_prints_ints_unsigned)
{
	struct buf out;

	buf_init(&out);
	attr_plain_int(&out, "status", -1);
	attr_plain_int(&out, "level", 8);
	attr_plain_str(&out, "peer_CN", "a=b");
	attr_plain_str(&out, "empty", "");
	attr_plain_end(&out);
	ck_assert_str_eq(out.data,
	                 "status=4294967295\nlevel=8\npeer_CN=a=b\nempty=\n\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_attr_plain_panics_on_newline_in_value)
{
	struct buf out;

	buf_init(&out);
	attr_plain_str(&out, "peer_CN", "a\nb");
}
END_TEST

START_TEST(test_attr_plain_panics_on_equals_in_name)
{
	struct buf out;

	buf_init(&out);
	attr_plain_int(&out, "a=b", 1);
}
END_TEST

START_TEST(test_attr_plain_panics_on_empty_name)
{
	struct buf out;

	buf_init(&out);
	attr_plain_str(&out, "", "x");
}
END_TEST

Suite *
attr_plain_suite(void)
{
	Suite *s = suite_create("attr_plain");
	TCase *tc;

	tc = tcase_create("roundtrip");
	tcase_add_test(tc, test_attr_plain_reprints_golden_properties);
	tcase_add_test(tc, test_attr_plain_prints_ints_unsigned);
	suite_add_tcase(s, tc);

	tc = tcase_create("iterate");
	tcase_add_loop_test(tc, test_attr_plain_iterates_lines, 0,
	                    (int)(sizeof(iter_rows) / sizeof(iter_rows[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_test_raise_signal(
	    tc, test_attr_plain_panics_on_newline_in_value, SIGABRT);
	tcase_add_test_raise_signal(
	    tc, test_attr_plain_panics_on_equals_in_name, SIGABRT);
	tcase_add_test_raise_signal(tc, test_attr_plain_panics_on_empty_name,
	                            SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(attr_plain_suite)
