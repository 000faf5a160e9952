/*
 * check_utf8.c - tests for common/utf8.c
 *
 * One table row per rule: what is kept (length) and what is refused (0),
 * at the edges of each range of RFC 3629's table and of the hidden list.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <string.h>

#include "runner.h"
#include "utf8.h"

static const struct {
	const char *name;
	const char *bytes;
	size_t want;
} utf8_rows[] = {
    {"ascii is not multi-byte", "A", 0},
    {"two bytes, first after C1", "\xc2\xa0", 2},
    {"e acute", "\xc3\xa9", 2},
    {"three bytes, lowest", "\xe0\xa0\x80", 3},
    {"euro sign", "\xe2\x82\xac", 3},
    {"last before surrogates", "\xed\x9f\xbf", 3},
    {"first after surrogates", "\xee\x80\x80", 3},
    {"four bytes, lowest", "\xf0\x90\x80\x80", 4},
    {"highest code point", "\xf4\x8f\xbf\xbf", 4},
    {"hyphen U+2010, just past the zero-width marks", "\xe2\x80\x90", 3},
    {"overlong two bytes (C0)", "\xc0\xaf", 0},
    {"overlong two bytes (C1)", "\xc1\xbf", 0},
    {"overlong three bytes", "\xe0\x9f\xbf", 0},
    {"overlong four bytes", "\xf0\x8f\xbf\xbf", 0},
    {"surrogate, first", "\xed\xa0\x80", 0},
    {"surrogate, last", "\xed\xbf\xbf", 0},
    {"past U+10FFFF", "\xf4\x90\x80\x80", 0},
    {"F5 lead byte", "\xf5\x80\x80\x80", 0},
    {"lone continuation byte", "\x80", 0},
    {"cut sequence", "\xe2\x82", 0},
    {"bad continuation", "\xe2\x28\xa1", 0},
    {"C1 control, first (U+0080)", "\xc2\x80", 0},
    {"C1 control CSI (U+009B)", "\xc2\x9b", 0},
    {"C1 control, last (U+009F)", "\xc2\x9f", 0},
    {"soft hyphen", "\xc2\xad", 0},
    {"arabic letter mark", "\xd8\x9c", 0},
    {"zero width space", "\xe2\x80\x8b", 0},
    {"right-to-left mark", "\xe2\x80\x8f", 0},
    {"line separator", "\xe2\x80\xa8", 0},
    {"paragraph separator", "\xe2\x80\xa9", 0},
    {"left-to-right embedding U+202A", "\xe2\x80\xaa", 0},
    {"right-to-left override U+202E", "\xe2\x80\xae", 0},
    {"narrow no-break space U+202F", "\xe2\x80\xaf", 3},
    {"word joiner", "\xe2\x81\xa0", 0},
    {"left-to-right isolate U+2066", "\xe2\x81\xa6", 0},
    {"pop directional isolate U+2069", "\xe2\x81\xa9", 0},
    {"byte order mark", "\xef\xbb\xbf", 0},
    {"interlinear annotation", "\xef\xbf\xb9", 0},
    {"replacement character", "\xef\xbf\xbd", 3},
    {"language tag", "\xf3\xa0\x80\x81", 0},
    {"tag latin small a", "\xf3\xa0\x81\xa1", 0},
    {"variation selector 17", "\xf3\xa0\x84\x80", 4},
};

START_TEST(test_utf8_printable_len_table)
{
	const char *b = utf8_rows[_i].bytes;

	ck_assert_msg(utf8_printable_len(b, strlen(b)) == utf8_rows[_i].want,
	              "%s: got %zu, want %zu", utf8_rows[_i].name,
	              utf8_printable_len(b, strlen(b)), utf8_rows[_i].want);
}
END_TEST

START_TEST(test_utf8_respects_the_length_given)
{
	/* Four good bytes, but only three may be looked at. */
	ck_assert_uint_eq(utf8_printable_len("\xf0\x9f\x98\x80", 3), 0);
	ck_assert_uint_eq(utf8_printable_len("\xf0\x9f\x98\x80", 4), 4);
	ck_assert_uint_eq(utf8_printable_len("", 0), 0);
}
END_TEST

Suite *utf8_suite(void);

Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("decode");

	tcase_add_loop_test(tc, test_utf8_printable_len_table, 0,
	                    sizeof(utf8_rows) / sizeof(utf8_rows[0]));
	tcase_add_test(tc, test_utf8_respects_the_length_given);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(utf8_suite)
