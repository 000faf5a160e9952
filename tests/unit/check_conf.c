/*
 * check_conf.c - tests for common/conf.c
 *
 * Scratch configuration directories under /tmp; fatal paths run as exit
 * tests whose cleanup hook checks the logged fatal text and exits
 * FATAL_MATCHED only when it is exactly Postfix's. The last test compares
 * the store with the installed postconf on the same main.cf files.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "conf.h"
#include "capture.h"
#include "runner.h"

#ifndef POSTCONF_PATH
#define POSTCONF_PATH ""
#endif

/* Exit status of a fatal test whose fatal text was the expected one. */
#define FATAL_MATCHED 42
#define FATAL_OTHER 43

static char scratch_dir[64];
static char scratch_path[96];
static const char *fatal_expected;
static int fatal_alone; /* nothing may be logged before the fatal */

static void
scratch_remove(void)
{
	if (scratch_dir[0] == 0)
		return;
	unlink(scratch_path);
	rmdir(scratch_dir);
	scratch_dir[0] = 0;
}

/* Writes main.cf (aged 10 s, so postconf does not wait for it to settle)
 * and points the store at it. */
static void
scratch_main_cf(const char *text)
{
	struct timeval old[2];
	FILE *fp;

	scratch_remove();
	strcpy(scratch_dir, "/tmp/check_conf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch_dir));
	snprintf(scratch_path, sizeof(scratch_path), "%s/main.cf",
	    scratch_dir);
	ck_assert_ptr_nonnull(fp = fopen(scratch_path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	gettimeofday(&old[0], NULL);
	old[0].tv_sec -= 10;
	old[1] = old[0];
	ck_assert_int_eq(utimes(scratch_path, old), 0);
	conf_init(scratch_dir);
}

static void
fatal_check(void)
{
	const char *text = capture_text();
	size_t len = strlen(text);

	scratch_remove();
	/* The fatal line is the last one logged. */
	while (len > 0 && text[len - 1] == '\n')
		len--;
	while (len > 0 && text[len - 1] != '\n')
		len--;
	if (strncmp(text + len, "fatal: ", 7) == 0 &&
	    strcmp(text + len + 7, fatal_expected) == 0 &&
	    (!fatal_alone || len == 0))
		_exit(FATAL_MATCHED);
	fprintf(stderr, "expected fatal: %s\ngot: %s", fatal_expected, text);
	_exit(FATAL_OTHER);
}

/* Arms the check for the fatal text (without "fatal: ", with "\n"). */
static void
expect_fatal(const char *text)
{
	capture_start();
	fatal_expected = text;
	msg_set_cleanup(fatal_check);
}

/* --- the pure parser */

static void
collect_entry(const char *name, const char *value, int lineno, void *ctx)
{
	buf_printf(ctx, "%d:%s=[%s]\n", lineno, name, value);
}

static void
collect_notice(const char *text, void *ctx)
{
	buf_printf(ctx, "notice:%s\n", text);
}

struct parse_row {
	const char *text;
	size_t len; /* 0: strlen(text) */
	const char *entries;
	const char *why; /* NULL: parses */
};

static const struct parse_row parse_rows[] = {
	{"a = b\n", 0, "1:a=[b]\n", NULL},
	{"a=b", 0, "1:a=[b]\n", NULL},
	{"  \t\n# c\na = first\n   second\n\tthird\nb = x\n", 0,
	    "3:a=[first   second\tthird]\n6:b=[x]\n", NULL},
	/* comments and blank lines between continuation lines */
	{"a = 1\n# note\n\n 2\n  # indented comment\n 3\n", 0,
	    "1:a=[1 2 3]\n", NULL},
	{"a = b # c\n", 0, "1:a=[b # c]\n", NULL},
	{"a =   \n", 0, "1:a=[]\n", NULL},
	{"a\t=\tb c \t\r\n", 0, "1:a=[b c]\n", NULL},
	{"a==b\n", 0, "1:a=[=b]\n", NULL},
	{"  lead = x\nb = y\n", 0,
	    "notice:logical line must not start with whitespace: "
	    "\"  lead = x\"\n2:b=[y]\n", NULL},
	{" 0123456789012345678901234567890123456789\n", 0,
	    "notice:logical line must not start with whitespace: "
	    "\" 01234567890123456789012345678...\"\n", NULL},
	/* any isspace() byte continues a line (stock scache: the value of
	 * "t = 0" followed by "\v x = 1" is "0\v x = 1") */
	{"t = 0\n\v x = 1\n", 0, "1:t=[0\v x = 1]\n", NULL},
	/* text after a NUL byte of a logical line is not seen (stock scache
	 * with "syslog_name = ab\0cd" logs as ab/scache) */
	{"a = b\0junk\nc = d\n", 16, "1:a=[b]\n2:c=[d]\n", NULL},
	{"a = b\n\n= x\n", 0, "1:a=[b]\n",
	    "line 3: missing attribute name: \"= x\""},
	{"a = b\nname value\n more\n", 0, "1:a=[b]\n",
	    "line 2: missing '=' after attribute name: \"name value more\""},
	{"x\n", 0, "", "line 1: missing '=' after attribute name: \"x\""},
};

START_TEST(test_conf_parse_text_follows_postfix_syntax)
{
	const struct parse_row *row = &parse_rows[_i];
	struct buf got, why;
	int status;

	buf_init(&got);
	buf_init(&why);
	status = conf_parse_text(row->text,
	    row->len ? row->len : strlen(row->text), collect_entry,
	    collect_notice, &got, &why);
	ck_assert_str_eq(buf_str(&got), row->entries);
	ck_assert_int_eq(status, row->why ? -1 : 0);
	if (row->why)
		ck_assert_str_eq(buf_str(&why), row->why);
	buf_free(&got);
	buf_free(&why);
}
END_TEST

/* --- main.cf, -o, the store */

START_TEST(test_conf_main_cf_last_entry_wins_with_warning)
{
	struct buf want;

	scratch_main_cf("a = one\nb = same\na = two\nb = same\n");
	capture_start();
	conf_read_main_cf();
	ck_assert_str_eq(conf_lookup("a"), "two");
	ck_assert_str_eq(conf_lookup("b"), "same");
	ck_assert_str_eq(conf_lookup("config_directory"), scratch_dir);
	buf_init(&want);
	buf_printf(&want, "warning: %s, line 3: overriding earlier entry: "
	    "a=one\n", scratch_path);
	ck_assert_str_eq(capture_text(), buf_str(&want));
	buf_free(&want);
	scratch_remove();
}
END_TEST

START_TEST(test_conf_main_cf_leading_whitespace_warns_with_path)
{
	struct buf want;

	scratch_main_cf(" x = 1\ny = 2\n");
	capture_start();
	conf_read_main_cf();
	ck_assert_ptr_null(conf_lookup("x"));
	ck_assert_str_eq(conf_lookup("y"), "2");
	buf_init(&want);
	buf_printf(&want, "warning: %s: logical line must not start with "
	    "whitespace: \" x = 1\"\n", scratch_path);
	ck_assert_str_eq(capture_text(), buf_str(&want));
	buf_free(&want);
	scratch_remove();
}
END_TEST

static char fatal_text[256];

START_TEST(test_conf_main_cf_missing_name_is_fatal)
{
	scratch_main_cf("a = b\n\n= c\n");
	snprintf(fatal_text, sizeof(fatal_text),
	    "%s, line 3: missing attribute name: \"= c\"\n", scratch_path);
	expect_fatal(fatal_text);
	conf_read_main_cf();
}
END_TEST

START_TEST(test_conf_main_cf_missing_equals_is_fatal)
{
	scratch_main_cf("# x\nname value\n");
	snprintf(fatal_text, sizeof(fatal_text),
	    "%s, line 2: missing '=' after attribute name: \"name value\"\n",
	    scratch_path);
	expect_fatal(fatal_text);
	conf_read_main_cf();
}
END_TEST

START_TEST(test_conf_main_cf_unreadable_is_fatal)
{
	conf_init("/nonexistent/conf");
	expect_fatal("open /nonexistent/conf/main.cf: No such file or "
	    "directory\n");
	conf_read_main_cf();
}
END_TEST

START_TEST(test_conf_init_uses_mail_config_then_default)
{
	setenv("MAIL_CONFIG", "/some/where", 1);
	conf_init(NULL);
	ck_assert_str_eq(conf_directory(), "/some/where");
	ck_assert_str_eq(conf_lookup("config_directory"), "/some/where");
	unsetenv("MAIL_CONFIG");
	conf_init(NULL);
	ck_assert_str_eq(conf_directory(), "/etc/postfix");
}
END_TEST

START_TEST(test_conf_set_option_trims_and_keeps_unexpanded)
{
	conf_init("/x");
	conf_set_option("  syslog_name =  postfix/$service_name ");
	ck_assert_str_eq(conf_lookup("syslog_name"), "postfix/$service_name");
	conf_set_option("a==b");
	ck_assert_str_eq(conf_lookup("a"), "=b");
	conf_set_option("empty=");
	ck_assert_str_eq(conf_lookup("empty"), "");
}
END_TEST

START_TEST(test_conf_set_option_without_equals_is_fatal)
{
	conf_init("/x");
	expect_fatal("invalid \"-o name\" option value: missing '=' after "
	    "attribute name\n");
	conf_set_option("name");
}
END_TEST

START_TEST(test_conf_set_option_without_name_is_fatal)
{
	conf_init("/x");
	expect_fatal("invalid \"-o =v\" option value: missing attribute "
	    "name\n");
	conf_set_option("=v");
}
END_TEST

START_TEST(test_conf_expand_value_error_is_fatal_after_warning)
{
	conf_init("/x");
	conf_set("a", "${b");
	expect_fatal("dictionary mail_dict: macro processing error\n");
	(void)conf_expand_value("x$a");
}
END_TEST

/* The stock scache logs only this fatal line, no warning before it. */
START_TEST(test_conf_expand_value_bad_number_is_fatal_at_once)
{
	conf_init("/x");
	conf_set("big", "99999999999999999999");
	fatal_alone = 1;
	expect_fatal("mac_exp_eval: bad conversion: 99999999999999999999\n");
	(void)conf_expand_value("${{$big} == {1}}");
}
END_TEST

/* --- typed reads */

static const char *str_a, *str_b, *raw_c;
static int int_a, bool_a, bool_b, time_a, time_b, nint_a, nbool_a;
static long long_a;

START_TEST(test_conf_read_params_defaults_are_stored_for_later_refs)
{
	const struct conf_param table[] = {
		{CONF_STR, "s_a", "$s_base/a", &str_a, 0, 0},
		{CONF_STR, "s_b", "[$s_a]", &str_b, 0, 0},
		{CONF_RAW, "r_c", "$s_a raw", &raw_c, 0, 0},
		{CONF_INT, "i_a", "12", &int_a, 0, 0},
		{CONF_LONG, "l_a", "10240000", &long_a, 0, 0},
		{CONF_BOOL, "b_a", "yes", &bool_a, 0, 0},
		{CONF_TIME, "t_a", "100s", &time_a, 1, 0},
		{CONF_NINT, "n_a", "$i_a", &nint_a, 0, 0},
		{CONF_NBOOL, "nb_a", "${{$i_a} < {13} ? {yes} : {no}}",
		    &nbool_a, 0, 0},
		{0, NULL, NULL, NULL, 0, 0},
	};
	char *expanded;

	conf_init("/x");
	conf_set("s_base", "/base");
	conf_read_params(table);
	ck_assert_str_eq(str_a, "/base/a");
	ck_assert_str_eq(str_b, "[/base/a]");
	ck_assert_str_eq(raw_c, "$s_a raw");
	ck_assert_int_eq(int_a, 12);
	ck_assert_int_eq(long_a, 10240000);
	ck_assert_int_eq(bool_a, 1);
	ck_assert_int_eq(time_a, 100);
	ck_assert_int_eq(nint_a, 12);
	ck_assert_int_eq(nbool_a, 1);
	/* strings store the expanded default; the others the raw text */
	ck_assert_str_eq(conf_lookup("s_a"), "/base/a");
	ck_assert_str_eq(conf_lookup("r_c"), "$s_a raw");
	ck_assert_str_eq(conf_lookup("t_a"), "100s");
	ck_assert_str_eq(conf_lookup("n_a"), "$i_a");
	/* a later change of a referenced value does not move s_a */
	conf_set("s_base", "/other");
	expanded = conf_expand_value("$s_a");
	ck_assert_str_eq(expanded, "/base/a");
	free(expanded);
}
END_TEST

START_TEST(test_conf_read_params_converts_configured_values)
{
	const struct conf_param table[] = {
		{CONF_INT, "i_a", "1", &int_a, 0, 0},
		{CONF_LONG, "l_a", "1", &long_a, LONG_MIN, 0},
		{CONF_BOOL, "b_a", "no", &bool_a, 0, 0},
		{CONF_BOOL, "b_b", "yes", &bool_b, 0, 0},
		{CONF_TIME, "t_a", "100s", &time_a, 0, 0},
		{CONF_TIME, "t_b", "1d", &time_b, 0, 0},
		{0, NULL, NULL, NULL, 0, 0},
	};

	conf_init("/x");
	conf_set("i_a", "+42");
	conf_set("l_a", "-9000000000");
	conf_set("b_a", "YeS");
	conf_set("b_b", "nO");
	conf_set("t_a", "5min");
	conf_set("t_b", "2");
	conf_read_params(table);
	ck_assert_int_eq(int_a, 42);
	ck_assert_int_eq(long_a, -9000000000L);
	ck_assert_int_eq(bool_a, 1);
	ck_assert_int_eq(bool_b, 0);
	ck_assert_int_eq(time_a, 300);
	ck_assert_int_eq(time_b, 2 * 86400);
}
END_TEST

struct time_row {
	const char *value;
	const char *def;
	int seconds;
};

static const struct time_row time_rows[] = {
	{"10s", "1h", 10},
	{"1m", "1s", 60},
	{"1h", "1s", 3600},
	{"1d", "1s", 86400},
	{"1w", "1s", 604800},
	{"0s", "1s", 0},
	{"10sec", "1s", 10},
	{"7", "3h", 7 * 3600},
	{"7", "100s", 7},
	{"2147483647", "1s", 2147483647},
	{"2147483647s", "1h", 2147483647},
	{"3549", "1w", 3549 * 604800},
	{"35791393m", "1s", 35791393 * 60},
	/* strtol reads no digits: 0, and the letter is taken as the unit */
	{"s", "1s", 0},
};

START_TEST(test_conf_read_time_units_and_limits)
{
	const struct time_row *row = &time_rows[_i];
	const struct conf_param table[] = {
		{CONF_TIME, "t_a", row->def, &time_a, 0, 0},
		{0, NULL, NULL, NULL, 0, 0},
	};

	conf_init("/x");
	conf_set("t_a", row->value);
	conf_read_params(table);
	ck_assert_int_eq(time_a, row->seconds);
}
END_TEST

struct fatal_row {
	enum conf_type type;
	const char *def;
	const char *value;
	long min, max;
	const char *fatal;
};

static const struct fatal_row fatal_rows[] = {
	{CONF_STR, "", "ab", 3, 0, "bad string length 2 < 3: p = ab\n"},
	{CONF_STR, "", "abcd", 1, 3, "bad string length 4 > 3: p = abcd\n"},
	{CONF_STR, "x", "", 1, 0, "bad string length 0 < 1: p = \n"},
	{CONF_INT, "1", "12x", 0, 0, "bad numerical configuration: p = 12x\n"},
	{CONF_INT, "1", "", 0, 0, "bad numerical configuration: p = \n"},
	{CONF_INT, "1", "2147483648", 0, 0,
	    "bad numerical configuration: p = 2147483648\n"},
	{CONF_INT, "1", "0", 1, 0, "invalid p parameter value 0 < 1\n"},
	{CONF_INT, "1", "11", 1, 10, "invalid p parameter value 11 > 10\n"},
	{CONF_NINT, "$q", "x", 0, 0, "bad numerical configuration: p = x\n"},
	{CONF_LONG, "1", "99999999999999999999", 0, 0,
	    "bad numerical configuration: p = 99999999999999999999\n"},
	{CONF_LONG, "1", "-1", 0, 0, "invalid p parameter value -1 < 0\n"},
	{CONF_BOOL, "no", "true", 0, 0, "bad boolean configuration: p = true\n"},
	{CONF_NBOOL, "no", "", 0, 0, "bad boolean configuration: p = \n"},
	{CONF_TIME, "1s", "0", 1, 0, "invalid p: 0 (min 1)\n"},
	{CONF_TIME, "1s", "11s", 0, 10, "invalid p: 11 (max 10)\n"},
	{CONF_TIME, "1s", "2147483648", 0, 0,
	    "parameter p: bad time value or unit: 2147483648\n"},
	{CONF_TIME, "1w", "3550", 0, 0,
	    "parameter p: bad time value or unit: 3550\n"},
	{CONF_TIME, "1s", "35791394m", 0, 0,
	    "parameter p: bad time value or unit: 35791394m\n"},
	{CONF_TIME, "1s", "10x", 0, 0,
	    "parameter p: bad time value or unit: 10x\n"},
	{CONF_TIME, "1s", "10 s", 0, 0,
	    "parameter p: bad time value or unit: 10 s\n"},
	{CONF_TIME, "1s", "-1s", 0, 0,
	    "parameter p: bad time value or unit: -1s\n"},
	{CONF_TIME, "1s", "", 0, 0, "parameter p: bad time value or unit: \n"},
};

/* The converter alone, as tlsreuse(1) uses it on values it reads. */
static const struct {
	const char *value;
	int unit;
	int status;
	int seconds;
} parse_times[] = {
	{"30", 's', 0, 30},
	{"5m", 's', 0, 300},
	{"2", 'h', 0, 7200},
	{"1w", 's', 0, 604800},
	{"", 's', -1, 0},
	{"-1", 's', -1, 0},
	{"5x", 's', -1, 0},
	/* 3.7.11 looks at the first letter only. */
	{"5ms", 's', 0, 300},
};

START_TEST(test_conf_parse_time_alone)
{
	int seconds = 0;

	ck_assert_int_eq(conf_parse_time(parse_times[_i].value,
	    parse_times[_i].unit, &seconds), parse_times[_i].status);
	if (parse_times[_i].status == 0)
		ck_assert_int_eq(seconds, parse_times[_i].seconds);
}
END_TEST

START_TEST(test_conf_read_bad_values_are_fatal_with_postfix_text)
{
	const struct fatal_row *row = &fatal_rows[_i];
	static long target[4];
	const struct conf_param table[] = {
		{row->type, "p", row->def, target, row->min, row->max},
		{0, NULL, NULL, NULL, 0, 0},
	};

	conf_init("/x");
	conf_set("p", row->value);
	expect_fatal(row->fatal);
	conf_read_params(table);
}
END_TEST

START_TEST(test_conf_print_used_lists_reads_in_order)
{
	const struct conf_param table[] = {
		{CONF_STR, "zz_first", "$aa", &str_a, 0, 0},
		{CONF_TIME, "aa_second", "3h", &time_a, 0, 0},
		{CONF_BOOL, "mm_third", "no", &bool_a, 0, 0},
		{0, NULL, NULL, NULL, 0, 0},
	};
	char out[256];
	FILE *fp;

	conf_init("/x");
	conf_set("aa", "A");
	conf_set("mm_third", "YES");
	conf_read_params(table);
	ck_assert_ptr_nonnull(fp = fmemopen(out, sizeof(out), "w"));
	conf_print_used(fp);
	fclose(fp);
	ck_assert_str_eq(out,
	    "zz_first = A\naa_second = 3h\nmm_third = YES\n");
}
END_TEST

START_TEST(test_conf_read_twice_keeps_first_target_valid)
{
	const struct conf_param table[] = {
		{CONF_STR, "s_a", "first", &str_a, 0, 0},
		{0, NULL, NULL, NULL, 0, 0},
	};
	const char *first;
	char out[64];
	FILE *fp;

	conf_init("/x");
	conf_read_params(table);
	first = str_a;
	conf_set("s_a", "second");
	conf_read_params(table);
	ck_assert_str_eq(first, "first");
	ck_assert_str_eq(str_a, "second");
	ck_assert_ptr_nonnull(fp = fmemopen(out, sizeof(out), "w"));
	conf_print_used(fp);
	fclose(fp);
	ck_assert_str_eq(out, "s_a = second\n");
}
END_TEST

/* --- the same main.cf through postconf */

static const char *const postconf_files[] = {
	"# tricky main.cf\n"
	"alias_maps = hash:/etc/aliases,\n"
	"    hash:/etc/more   # not a comment\n"
	"\n"
	"# between\n"
	"  \t\n"
	"relayhost = [mx.example]:587\n"
	"relayhost = [mx2.example]\n"
	"mynetworks = 127.0.0.0/8 # no comment\n"
	"inet_interfaces=loopback-only\n"
	"debug_peer_list = ${relayhost?{$relayhost}:{none}} $$x\n"
	"smtpd_banner = ${{$inet_interfaces} == {all} ? {a} : {b}}\n"
	"delay_warning_time = 4h\n"
	"  continued\n",
	"compatibility_level = 3.10\n"
	"debug_peer_list = ${{$compatibility_level} >=level {3.9} ? {new} "
	": {old}}\n"
	"mydestination = ${relayhost:{local}}\n"
	"relayhost =\n"
	"smtpd_banner = x\n"
	"\tcontinued\n"
	"  # comment inside\n"
	"\tmore\n",
};

static const char *const postconf_names[] = {
	"alias_maps", "relayhost", "mynetworks", "inet_interfaces",
	"debug_peer_list", "smtpd_banner", "delay_warning_time",
	"compatibility_level", "mydestination",
};

/* postconf prints values with whitespace runs folded to one space. */
static void
fold_space(const char *in, struct buf *out)
{
	buf_reset(out);
	for (in += strspn(in, " \t\r\n"); *in; in++) {
		if (isspace((unsigned char)*in)) {
			if (in[strspn(in, " \t\r\n")] == 0)
				break;
			buf_putc(out, ' ');
			in += strspn(in, " \t\r\n") - 1;
		} else {
			buf_putc(out, *in);
		}
	}
	buf_reserve(out, 0);
}

/* Runs postconf -c dir <flag> name; returns its output line. */
static void
postconf_value(const char *flag, const char *name, struct buf *out)
{
	char cmd[512];
	char line[1024];
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "%s -c %s %s %s 2>/dev/null",
	    POSTCONF_PATH, scratch_dir, flag, name);
	ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
	buf_reset(out);
	if (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = 0;
		buf_puts(out, line);
	}
	pclose(fp);
}

START_TEST(test_conf_store_matches_postconf)
{
	struct buf want, got;
	size_t i;
	char *ours;

	buf_init(&want);
	buf_init(&got);
	scratch_main_cf(postconf_files[_i]);
	capture_start();
	conf_read_main_cf();
	for (i = 0; i < sizeof(postconf_names) / sizeof(postconf_names[0]);
	     i++) {
		if (conf_lookup(postconf_names[i]) == NULL)
			continue;
		postconf_value("-h", postconf_names[i], &want);
		fold_space(conf_lookup(postconf_names[i]), &got);
		ck_assert_str_eq(buf_str(&got), buf_str(&want));
		postconf_value("-hx", postconf_names[i], &want);
		ours = conf_expand_value(conf_lookup(postconf_names[i]));
		fold_space(ours, &got);
		ck_assert_str_eq(buf_str(&got), buf_str(&want));
		free(ours);
	}
	buf_free(&want);
	buf_free(&got);
	scratch_remove();
}
END_TEST

Suite *conf_suite(void);

Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("core");
	TCase *pc = tcase_create("postconf");

	tcase_add_loop_test(tc, test_conf_parse_text_follows_postfix_syntax, 0,
	    (int)(sizeof(parse_rows) / sizeof(parse_rows[0])));
	tcase_add_test(tc, test_conf_main_cf_last_entry_wins_with_warning);
	tcase_add_test(tc, test_conf_main_cf_leading_whitespace_warns_with_path);
	tcase_add_exit_test(tc, test_conf_main_cf_missing_name_is_fatal,
	    FATAL_MATCHED);
	tcase_add_exit_test(tc, test_conf_main_cf_missing_equals_is_fatal,
	    FATAL_MATCHED);
	tcase_add_exit_test(tc, test_conf_main_cf_unreadable_is_fatal,
	    FATAL_MATCHED);
	tcase_add_test(tc, test_conf_init_uses_mail_config_then_default);
	tcase_add_test(tc, test_conf_set_option_trims_and_keeps_unexpanded);
	tcase_add_exit_test(tc, test_conf_set_option_without_equals_is_fatal,
	    FATAL_MATCHED);
	tcase_add_exit_test(tc, test_conf_set_option_without_name_is_fatal,
	    FATAL_MATCHED);
	tcase_add_exit_test(tc,
	    test_conf_expand_value_error_is_fatal_after_warning, FATAL_MATCHED);
	tcase_add_exit_test(tc,
	    test_conf_expand_value_bad_number_is_fatal_at_once, FATAL_MATCHED);
	tcase_add_test(tc,
	    test_conf_read_params_defaults_are_stored_for_later_refs);
	tcase_add_test(tc, test_conf_read_params_converts_configured_values);
	tcase_add_loop_test(tc, test_conf_parse_time_alone, 0,
	    sizeof(parse_times) / sizeof(parse_times[0]));
	tcase_add_loop_test(tc, test_conf_read_time_units_and_limits, 0,
	    (int)(sizeof(time_rows) / sizeof(time_rows[0])));
	tcase_add_loop_exit_test(tc,
	    test_conf_read_bad_values_are_fatal_with_postfix_text,
	    FATAL_MATCHED, 0, (int)(sizeof(fatal_rows) / sizeof(fatal_rows[0])));
	tcase_add_test(tc, test_conf_print_used_lists_reads_in_order);
	tcase_add_test(tc, test_conf_read_twice_keeps_first_target_valid);
	suite_add_tcase(s, tc);
	tcase_set_timeout(pc, 30);
	if (runner_have_program(POSTCONF_PATH, "postfix"))
		tcase_add_loop_test(pc, test_conf_store_matches_postconf, 0,
		    (int)(sizeof(postconf_files) / sizeof(postconf_files[0])));
	suite_add_tcase(s, pc);
	return s;
}

RUNNER_SUITE(conf_suite)
