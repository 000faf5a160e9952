/*
 * check_conf_expand.c - tests for common/conf_expand.c
 *
 * Every row was run through the installed Postfix 3.7.11 postconf: the
 * definitions below in a scratch main.cf, the input as the value of
 * debug_peer_list, "postconf -c DIR -hx debug_peer_list". The expected
 * text is postconf's output; the expected reason is the first warning it
 * printed before "fatal: macro processing error". postconf folds runs of
 * whitespace and trims what it prints; where that hides a blank, the row
 * was checked with the stock scache instead (MAIL_CONFIG=DIR scache -V -S
 * with the input as syslog_name, which shows in its log identity).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf_expand.h"
#include "runner.h"

/* The parameter chain c1 = $c2, ..., c<n> = end, for nesting limits. */
#define CHAIN_MAX 102

struct chain {
	int length;
	char values[CHAIN_MAX + 1][16];
};

static const char *const fixed_table[][2] = {
	{"aa", "one"},
	{"aa_b", "two"},
	{"ee", ""},
	{"self", "$self"},
	{"mutual1", "$mutual2"},
	{"mutual2", "$mutual1"},
	{"nest", "${aa?{${ee:{in}}}:{no}}"},
	{"deep", "x${aa}y"},
	{"bad", "${zz"},
	{"big", "99999999999999999999"},
	{"rel", "${{$rel} == {x}}"},
};

static const char *
fixed_lookup(const char *name, void *ctx)
{
	struct chain *chain = ctx;
	size_t i;
	int n;

	for (i = 0; i < sizeof(fixed_table) / sizeof(fixed_table[0]); i++)
		if (strcmp(fixed_table[i][0], name) == 0)
			return fixed_table[i][1];
	if (chain != NULL && sscanf(name, "c%d", &n) == 1 && n >= 1 &&
	    n <= chain->length)
		return chain->values[n];
	return NULL;
}

static void
chain_build(struct chain *chain, int length)
{
	int i;

	chain->length = length;
	for (i = 1; i < length; i++)
		snprintf(chain->values[i], sizeof(chain->values[i]), "$c%d",
		    i + 1);
	snprintf(chain->values[length], sizeof(chain->values[length]), "end");
}

struct row {
	const char *in;
	const char *out; /* NULL: expansion fails with why */
	const char *why;
};

/* The one failure Postfix reports as a fatal without a warning. */
#define ROW_FATAL_PREFIX "mac_exp_eval: bad conversion: "

/* postconf 3.7.11 results, one row per observed behaviour. */
static const struct row rows[] = {
	/* plain forms and $$ */
	{"$aa ${aa} $(aa) $$aa", "one one one $aa", NULL},
	{"$aa_b.$aa.x", "two.one.x", NULL},
	{"${undefined_param}end", "end", NULL},
	{"${aa}${aa}x$deep", "oneonexxoney", NULL},
	/* whitespace inside braces */
	{"${ aa }", "one", NULL},
	{"${aa }x", "onex", NULL},
	{"${ }", "", NULL},
	{"${ aa ? {x} : {y} }", "x", NULL},
	/* ? and : with plain text (2.x compatible: text to the brace) */
	{"${aa?yes}|${zz?yes}|${aa:no}|${zz:no}|${ee?yes}|${ee:no}",
	    "yes|||no||no", NULL},
	{"${aa?x:y}", "x:y", NULL},
	{"${zz?x:y}", "", NULL},
	{"${aa??foo:{b}ar}", "?foo:{b}ar", NULL},
	/* ? and : with {operands} */
	{"${aa?{x}}|${zz?{x}}|${zz:{x}}|${aa:{x}}", "x||x|", NULL},
	{"${aa?{x}:{y}} trailing", "x trailing", NULL},
	{"${aa?{x}:{y}}}", "x}", NULL},
	{"${zz?{x}:y}", "y", NULL},
	{"${aa?{x}:y}", "x", NULL},
	{"${ee?{x}:{y}}", "y", NULL},
	{"${aa?{$aa$aa}:{y}}", "oneone", NULL},
	{"$(aa?{x})", "x", NULL},
	{"$nest", "in", NULL},
	/* branches not taken are not expanded */
	{"${zz?$bad}", "", NULL},
	{"${aa:$bad}", "", NULL},
	{"${aa?{x}:{$bad}}", "x", NULL},
	{"${aa?$bad}", NULL, "truncated macro reference: \"${zz\""},
	{"${zz?{x}:$bad}", NULL, "truncated macro reference: \"${zz\""},
	/* relational */
	{"${{$aa} == {one} ? {EQ} : {NE}}", "EQ", NULL},
	{"${{$aa}=={one}}", "true", NULL},
	{"${{10} < {9} ? {lt} : {ge}}", "ge", NULL},
	{"[${{abc} < {abd}}] [${{abc} > {abd}}]", "[true] []", NULL},
	{"${{010} == {10}}", "true", NULL},
	{"${{007} < {10} ? {lt} : {ge}}", "lt", NULL},
	{"${{ 7} < {10} ? {lt} : {ge}}", "lt", NULL},
	{"${{-7} < {10} ? {lt} : {ge}}", "lt", NULL},
	{"${{3.9} < {3.10} ? {lt} : {ge}}", "ge", NULL},
	{"${{} == {}}", "true", NULL},
	{"${{$zz} == {}}", "true", NULL},
	{"${{$ee} == {}}", "true", NULL},
	{"${{a{a}} == {a{a}}}", "true", NULL},
	/* postconf prints "x : y" and "y": it trims what it prints. The
	 * stock scache, given these as syslog_name, logs as " x : y/scache",
	 * " y/scache" and "y /scache": unbraced text keeps its blanks. */
	{"${{$aa} == {one} ? x : y}", " x : y", NULL},
	{"${{a} == {b} ? {x} :y }", "y ", NULL},
	{"${{$aa} == {one} ? {x} : y}", "x", NULL},
	{"${{$aa} == {two} ? {x} : y}", " y", NULL},
	{"${{$aa} == {one} : {x}}", "", NULL},
	{"${{$aa} == {two} : {x}}", "x", NULL},
	{"${{$aa} == {one} ?{x}}", "x", NULL},
	/* compatibility levels */
	{"${{3.10} >level {3.9} ? {newer} : {older}}", "newer", NULL},
	{"${{3.10} <level {3.9} ? {lt} : {ge}}", "ge", NULL},
	{"${{3.9} <level {3.10} ? {lt} : {ge}}", "lt", NULL},
	{"${{1} ==level {1.0}}", "true", NULL},
	{"${{3.6.1} >=level {3.6}}", "true", NULL},
	{"${{0} <level {1}}", "true", NULL},
	{"${{3.10} ==level {3.10.0}}", "true", NULL},
	{"${{2} !=level {2.0.0}}", "", NULL},
	{"${{+3} ==level {3}}", "true", NULL},
	{"${{1} <=level {1}}|${{1} >level {1}}|${{3.7} >=level {3.6}}",
	    "true||true", NULL},
	{"${{x} <level {1}}", NULL,
	    "malformed compatibility level syntax: \"x\""},
	{"${{ 3.10 } ==level {3.10}}", NULL,
	    "malformed compatibility level syntax: \" 3.10 \""},
	{"${{3.1024} ==level {3}}", NULL,
	    "malformed compatibility level syntax: \"3.1024\""},
	{"${{3.} ==level {3}}", NULL,
	    "malformed compatibility level syntax: \"3.\""},
	{"${{} <level {1}}", NULL, "malformed compatibility level syntax: \"\""},
	{"${{1} <levelx {1}}", NULL, "bad operator suffix at: \"...<>>>levelx\""},
	{"${{1} <lev {1}}", NULL, "bad operator suffix at: \"...<>>>lev\""},
	/* syntax errors */
	{"${a", NULL, "truncated macro reference: \"${a\""},
	{"${aa", NULL, "truncated macro reference: \"${aa\""},
	{"$(aa}", NULL, "truncated macro reference: \"$(aa}\""},
	{"${{aa}", NULL, "truncated macro reference: \"${{aa}\""},
	{"${{aa} == {aa}", NULL,
	    "truncated macro reference: \"${{aa} == {aa}\""},
	{"$bad", NULL, "truncated macro reference: \"${zz\""},
	{"x$", NULL, "empty macro name: \"x$\""},
	{"$-x", NULL, "empty macro name: \"$-x\""},
	{"${}", NULL, "empty macro name: \"${}\""},
	{"$()", NULL, "empty macro name: \"$()\""},
	{"${aa)x}", NULL, "attribute name syntax error at: \"...aa>>>)x\""},
	{"${a{b}c}", NULL, "attribute name syntax error at: \"...a>>>{b}c\""},
	{"$(a(b)c)", NULL, "attribute name syntax error at: \"...a>>>(b)c\""},
	{"${a b}", NULL, "attribute name syntax error at: \"...a>>> b\""},
	{"${a-b}", NULL, "attribute name syntax error at: \"...a>>>-b\""},
	{"${aa?{x}:{y}z}", NULL, "unexpected input at: \"...y}>>>z\""},
	{"${aa?{x} junk}", NULL, "\":\" expected at: \"...x}>>>junk\""},
	{"${zz?{x} junk}", NULL, "\":\" expected at: \"...x}>>>junk\""},
	{"${{a} == {a} ? {x} junk}", NULL,
	    "\":\" expected at: \"...x}>>>junk\""},
	{"$({a} == {b)", NULL,
	    "unbalanced {} in attribute expression: \"{b\""},
	{"${{$aa}==={one}}", NULL,
	    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" "
	    "expected at: \"...$aa}>>>==={one}\""},
	{"${{$aa} = {one}}", NULL,
	    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" "
	    "expected at: \"...$aa}>>>= {one}\""},
	{"${{$aa} {one}}", NULL,
	    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" "
	    "expected at: \"...$aa}>>>{one}\""},
	{"${{1} =level {1}}", NULL,
	    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" "
	    "expected at: \"...1}>>>=level {1}\""},
	{"${{a}} == {a}}", NULL,
	    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" "
	    "expected at: \"...a}>>>\""},
	{"${{$aa} == one}", NULL,
	    "\"{expression}\" expected at: \"...{$aa} ==>>> one\""},
	{"${{$aa} == {one} x}", NULL, "\"?\" or \":\" expected at: \"...}>>>x\""},
	/* postconf and scache exit at once, no warning, with this text */
	{"${{$big} == {1}}", NULL, ROW_FATAL_PREFIX "99999999999999999999"},
	/* self reference and loops hit the nesting limit */
	{"$self", NULL, "unreasonable macro call nesting: \"self\""},
	{"$mutual1", NULL, "unreasonable macro call nesting: \"mutual2\""},
};

START_TEST(test_conf_expand_matches_postconf)
{
	const struct row *row = &rows[_i];
	struct buf out, why;
	int status;

	buf_init(&out);
	buf_init(&why);
	status = conf_expand(&out, row->in, fixed_lookup, NULL, &why);
	if (row->out != NULL) {
		ck_assert_msg(status == 0, "%s: failed: %s", row->in,
		    buf_str(&why));
		ck_assert_str_eq(buf_str(&out), row->out);
	} else {
		ck_assert_msg(status == (strncmp(row->why, ROW_FATAL_PREFIX,
		    strlen(ROW_FATAL_PREFIX)) ? -1 : CONF_EXPAND_FATAL),
		    "%s: returned %d: %s", row->in, status, buf_str(&out));
		ck_assert_str_eq(buf_str(&why), row->why);
	}
	buf_free(&out);
	buf_free(&why);
}
END_TEST

struct chain_row {
	const char *in;
	int length;
	const char *out; /* NULL: fails with why */
	const char *why;
};

/* postconf: 100 nested values expand, 101 do not; the warning names the
 * first text past the limit (a literal or a name). */
static const struct chain_row chain_rows[] = {
	{"$c1", 99, "end", NULL},
	{"$c1", 100, "end", NULL},
	{"${c1}", 100, "end", NULL},
	{"x$c1", 100, "xend", NULL},
	{"$c1", 101, NULL, "unreasonable macro call nesting: \"end\""},
	{"$c1", 102, NULL, "unreasonable macro call nesting: \"c102\""},
	{"${aa?$c1}", 100, NULL, "unreasonable macro call nesting: \"end\""},
	{"${aa?{$c1}}", 100, NULL, "unreasonable macro call nesting: \"end\""},
	/* relational operands start counting afresh */
	{"${{$c1} == {end}}", 100, "true", NULL},
	{"${{$c1} == {end}}", 101, NULL,
	    "unreasonable macro call nesting: \"end\""},
};

START_TEST(test_conf_expand_nesting_limit_matches_postconf)
{
	const struct chain_row *row = &chain_rows[_i];
	struct chain chain;
	struct buf out, why;
	int status;

	chain_build(&chain, row->length);
	buf_init(&out);
	buf_init(&why);
	status = conf_expand(&out, row->in, fixed_lookup, &chain, &why);
	if (row->out != NULL) {
		ck_assert_msg(status == 0, "%s/%d: %s", row->in, row->length,
		    buf_str(&why));
		ck_assert_str_eq(buf_str(&out), row->out);
	} else {
		ck_assert_int_eq(status, -1);
		ck_assert_str_eq(buf_str(&why), row->why);
	}
	buf_free(&out);
	buf_free(&why);
}
END_TEST

/* postconf 3.7.11 dies of a stack overflow (SIGSEGV) on this one. */
START_TEST(test_conf_expand_relational_self_reference_is_bounded)
{
	struct buf out, why;

	buf_init(&out);
	buf_init(&why);
	ck_assert_int_eq(
	    conf_expand(&out, "$rel", fixed_lookup, NULL, &why), -1);
	ck_assert_ptr_nonnull(
	    strstr(buf_str(&why), "unreasonable macro call nesting"));
	buf_free(&out);
	buf_free(&why);
}
END_TEST

/* r1 = ${{$r2} != {x}}, ..., r<n> = end: two levels of our depth per
 * link, none of Postfix's nesting (operands restart it). */
#define REL_CHAIN_MAX 501

static char rel_values[REL_CHAIN_MAX + 1][40];
static int rel_length;

static const char *
rel_lookup(const char *name, void *ctx)
{
	int n;

	(void)ctx;
	if (sscanf(name, "r%d", &n) != 1 || n < 1 || n > rel_length)
		return NULL;
	if (n == rel_length)
		return "end";
	snprintf(rel_values[n], sizeof(rel_values[n]), "${{$r%d} != {x}}",
	    n + 1);
	return rel_values[n];
}

START_TEST(test_conf_expand_depth_limit_at_and_past)
{
	struct buf out, why;

	buf_init(&out);
	buf_init(&why);
	/* 500 links reach depth CONF_EXPAND_DEPTH_MAX exactly */
	rel_length = (CONF_EXPAND_DEPTH_MAX) / 2;
	ck_assert_int_eq(conf_expand(&out, "$r1", rel_lookup, NULL, &why), 0);
	ck_assert_str_eq(buf_str(&out), "true");
	rel_length++;
	ck_assert_int_eq(conf_expand(&out, "$r1", rel_lookup, NULL, &why), -1);
	ck_assert_str_eq(buf_str(&why),
	    "unreasonable macro call nesting: \"r501\"");
	buf_free(&out);
	buf_free(&why);
}
END_TEST

START_TEST(test_conf_expand_appends_to_out)
{
	struct buf out, why;

	buf_init(&out);
	buf_init(&why);
	buf_puts(&out, "pre:");
	ck_assert_int_eq(conf_expand(&out, "$aa", fixed_lookup, NULL, &why), 0);
	ck_assert_str_eq(buf_str(&out), "pre:one");
	buf_free(&out);
	buf_free(&why);
}
END_TEST

START_TEST(test_conf_compat_level_cmp_orders_fields_numerically)
{
	ck_assert_int_eq(conf_compat_level_cmp("3.10", "3.9"), 1);
	ck_assert_int_eq(conf_compat_level_cmp("3.9", "3.10"), -1);
	ck_assert_int_eq(conf_compat_level_cmp("3.6", "3.6.0"), 0);
	ck_assert_int_eq(conf_compat_level_cmp("0", "1"), -1);
	ck_assert_int_eq(conf_compat_level_cmp("3.1023.1023", "4"), -1);
	ck_assert_int_eq(conf_compat_level_cmp("3.1024", "3"), -2);
	ck_assert_int_eq(conf_compat_level_cmp("3", "x"), -2);
	ck_assert_int_eq(conf_compat_level_cmp("", "1"), -2);
	ck_assert_int_eq(conf_compat_level_cmp("-1", "1"), -2);
	ck_assert_int_eq(conf_compat_level_cmp("1.2.3.4", "1"), -2);
}
END_TEST

Suite *conf_expand_suite(void);

Suite *
conf_expand_suite(void)
{
	Suite *s = suite_create("conf_expand");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_conf_expand_matches_postconf, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_loop_test(tc, test_conf_expand_nesting_limit_matches_postconf,
	    0, (int)(sizeof(chain_rows) / sizeof(chain_rows[0])));
	tcase_add_test(tc, test_conf_expand_relational_self_reference_is_bounded);
	tcase_add_test(tc, test_conf_expand_depth_limit_at_and_past);
	tcase_add_test(tc, test_conf_expand_appends_to_out);
	tcase_add_test(tc, test_conf_compat_level_cmp_orders_fields_numerically);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(conf_expand_suite)
