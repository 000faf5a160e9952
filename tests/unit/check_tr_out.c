/*
 * check_tr_out.c - tests for tlsreuse/tr_out.c
 *
 * Every byte sequence from outside must come out as valid JSON, or as
 * text that cannot drive a terminal; the JSON builder must nest.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tr_out.h"
#include "runner.h"

#define L(s) s, sizeof(s) - 1

static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *json;
	const char *safe;
} cases[] = {
	{"plain", L("mx.example.com"), "mx.example.com", "mx.example.com"},
	{"quote and backslash", L("a\"b\\c"), "a\\\"b\\\\c", "a\"b\\c"},
	{"newline and tab", L("a\nb\tc"), "a\\nb\\tc", "a?b?c"},
	{"control and DEL", L("\x01\x1b[2J\x7f"), "\\u0001\\u001b[2J\\u007f",
	 "??[2J?"},
	{"NUL inside", L("a\0b"), "a\\u0000b", "a?b"},
	{"UTF-8 kept", L("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92"),
	 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
	 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92"},
	{"stray byte", L("a\xffz"), "a\\ufffdz", "a?z"},
	{"overlong", L("\xc0\x80"), "\\ufffd\\ufffd", "??"},
	{"surrogate", L("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd", "???"},
	{"beyond U+10FFFF", L("\xf4\x90\x80\x80"),
	 "\\ufffd\\ufffd\\ufffd\\ufffd", "????"},
	{"cut sequence", L("\xe2\x82"), "\\ufffd\\ufffd", "??"},
	/* A peer's certificate name must not steer the terminal or the line. */
	{"C1 control (CSI)", L("a\xc2\x9bz"), "a\\ufffd\\ufffdz", "a??z"},
	{"right-to-left override", L("a\xe2\x80\xaez"),
	 "a\\ufffd\\ufffd\\ufffdz", "a???z"},
};

/* Multi-line text keeps its newlines and tabs, nothing else. */
START_TEST(test_tr_out_safe_lines_keeps_layout)
{
	struct buf b;

	buf_init(&b);
	tr_out_safe_lines(&b, L("a\tb\n\x1b[1m\r\n\0z"));
	ck_assert_str_eq(buf_str(&b), "a\tb\n?[1m?\n?z");
	buf_free(&b);
}
END_TEST

START_TEST(test_tr_out_escapes)
{
	struct buf json, safe;

	buf_init(&json);
	buf_init(&safe);
	tr_out_json_escape(&json, cases[_i].in, cases[_i].len);
	tr_out_safe(&safe, cases[_i].in, cases[_i].len);
	ck_assert_msg(strcmp(buf_str(&json), cases[_i].json) == 0,
	    "%s: json %s", cases[_i].name, buf_str(&json));
	ck_assert_msg(strcmp(buf_str(&safe), cases[_i].safe) == 0,
	    "%s: text %s", cases[_i].name, buf_str(&safe));
	buf_free(&json);
	buf_free(&safe);
}
END_TEST

/* Builds a line and returns what tr_json_end() wrote (caller frees). */
static char *
json_line(void (*build)(struct tr_json *))
{
	struct tr_json j = {0};
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	build(&j);
	tr_json_end(&j, out);
	tr_json_free(&j);
	fclose(out);
	return text;
}

static void
build_nested(struct tr_json *j)
{
	tr_json_begin(j, "connection");
	tr_json_array(j, "endpoint");
	tr_json_str(j, NULL, "smtp");
	tr_json_strn(j, NULL, "10.0.0.1xx", 8);
	tr_json_close(j);
	tr_json_array(j, "destinations");
	tr_json_array(j, NULL);
	tr_json_str(j, NULL, "d");
	tr_json_close(j);
	tr_json_array(j, NULL);
	tr_json_close(j);
	tr_json_close(j);
	tr_json_object(j, "map");
	tr_json_bool(j, "listed", 1);
	tr_json_int(j, "count", -3);
	tr_json_close(j);
	tr_json_ms(j, "cached", 1500);
	tr_json_ms(j, "left", 7);
	tr_json_bool(j, "tls", 0);
}

START_TEST(test_tr_json_nests)
{
	char *line = json_line(build_nested);

	ck_assert_str_eq(line, "{\"type\":\"connection\","
	    "\"endpoint\":[\"smtp\",\"10.0.0.1\"],"
	    "\"destinations\":[[\"d\"],[]],"
	    "\"map\":{\"listed\":true,\"count\":-3},"
	    "\"cached\":1.500,\"left\":0.007,\"tls\":false}\n");
	free(line);
}
END_TEST

static void
build_unclosed(struct tr_json *j)
{
	tr_json_begin(j, "x");
	tr_json_array(j, "a");
}

START_TEST(test_tr_json_end_with_open_array_is_a_bug)
{
	free(json_line(build_unclosed));
}
END_TEST

Suite *tr_out_suite(void);

Suite *
tr_out_suite(void)
{
	Suite *s = suite_create("tr_out");
	TCase *tc;

	tc = tcase_create("escape");
	tcase_add_loop_test(tc, test_tr_out_escapes, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_tr_out_safe_lines_keeps_layout);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_add_test(tc, test_tr_json_nests);
	tcase_add_test_raise_signal(tc,
	    test_tr_json_end_with_open_array_is_a_bug, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_out_suite)
