/*
 * check_token.c - tests for common/token.c
 *
 * Table-driven: each row splits one input and lists the tokens it must
 * yield, in order, joined by '|'.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "runner.h"
#include "token.h"

Suite *token_suite(void);

struct token_case {
	const char *input;
	const char *sep;
	int braced;
	const char *want; /* tokens joined by '|', "" for none */
};

static const struct token_case token_cases[] = {
    {"", TOKEN_SEP_LIST, 0, ""},
    {" \t,\r\n, ", TOKEN_SEP_LIST, 0, ""},
    {"sha512 sha256", TOKEN_SEP_LIST, 0, "sha512|sha256"},
    {",,a,,b,,", TOKEN_SEP_LIST, 0, "a|b"},
    {"X25519,\tX448\nP-256", TOKEN_SEP_LIST, 0, "X25519|X448|P-256"},
    {"!SSLv2:!SSLv3, >=TLSv1", TOKEN_SEP_LIST ":", 0,
     "!SSLv2|!SSLv3|>=TLSv1"},
    {"a:b", TOKEN_SEP_LIST, 0, "a:b"},
    {"smtp  inet n - y - - smtpd", TOKEN_SEP_SPACE, 0,
     "smtp|inet|n|-|y|-|-|smtpd"},
    {"a,b", TOKEN_SEP_SPACE, 0, "a,b"},
    {"inline:{a=x, b=y}, static:z", TOKEN_SEP_LIST, 1,
     "inline:{a=x, b=y}|static:z"},
    {"{a, {b, c}} d", TOKEN_SEP_LIST, 1, "{a, {b, c}}|d"},
    {"x} y", TOKEN_SEP_LIST, 1, "x}|y"},
    {"{open, never closed", TOKEN_SEP_LIST, 1, "{open, never closed"},
    {"inline:{a=x, b=y}", TOKEN_SEP_LIST, 0, "inline:{a=x|b=y}"},
};

START_TEST(test_token_splits_as_listed)
{
	const struct token_case *c = token_cases + _i;
	char *copy = xstrdup(c->input);
	char *cursor = copy;
	struct buf got;
	char *tok;

	buf_init(&got);
	while ((tok = c->braced ? token_next_braced(&cursor, c->sep)
	                        : token_next(&cursor, c->sep)) != NULL)
		buf_printf(&got, "%s%s", got.len ? "|" : "", tok);
	ck_assert_msg(strcmp(buf_str(&got), c->want) == 0,
	              "row %d \"%s\": got \"%s\", want \"%s\"", _i, c->input,
	              buf_str(&got), c->want);
	buf_free(&got);
	free(copy);
}
END_TEST

/* At the end the cursor stays put and further calls keep saying so. */
START_TEST(test_token_end_is_stable)
{
	char text[] = "one ";
	char *cursor = text;

	ck_assert_str_eq(token_next(&cursor, TOKEN_SEP_LIST), "one");
	ck_assert_ptr_null(token_next(&cursor, TOKEN_SEP_LIST));
	ck_assert_ptr_null(token_next(&cursor, TOKEN_SEP_LIST));
	ck_assert_ptr_null(token_next_braced(&cursor, TOKEN_SEP_LIST));
}
END_TEST

/* Tokens live in the caller's copy: earlier ones survive later calls. */
START_TEST(test_token_tokens_stay_valid)
{
	char text[] = "first,second";
	char *cursor = text;
	char *first = token_next(&cursor, TOKEN_SEP_LIST);
	char *second = token_next(&cursor, TOKEN_SEP_LIST);

	ck_assert_str_eq(first, "first");
	ck_assert_str_eq(second, "second");
	ck_assert_ptr_eq(first, text);
}
END_TEST

Suite *
token_suite(void)
{
	Suite *s = suite_create("token");
	TCase *tc = tcase_create("split");

	tcase_add_loop_test(tc, test_token_splits_as_listed, 0,
	                    (int)(sizeof(token_cases) / sizeof(token_cases[0])));
	tcase_add_test(tc, test_token_end_is_stable);
	tcase_add_test(tc, test_token_tokens_stay_valid);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(token_suite)
