/*
 * check_tr_switch.c - tests for tlsreuse/tr_switch.c
 *
 * The promise of "tlsreuse enable" and "tlsreuse disable": only the
 * command words change (or a marked tlsproxy entry comes and goes), and
 * enable then disable gives back the very same bytes, on every shape of
 * master.cf in the table (Debian 12's as shipped, the test harness's,
 * continuation lines, tabs, no final newline, no tlsproxy at all).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tr_switch.h"
#include "testfile.h"
#include "runner.h"

#define MARKER TR_SWITCH_MARKER "\n"

static const struct {
	const char *name;
	const char *text;  /* NULL: the Debian file */
	const char *enabled; /* NULL: not compared */
} shapes[] = {
	{"debian 3.7.11 master.cf.dist", NULL, NULL},
	{"harness: both active",
	 "tlsproxy  unix  -       -       n       -       0       tlsproxy\n"
	 "scache    unix  -       -       n       -       1       scache\n"
	 "smtp      unix  -       -       n       -       -       smtp\n",
	 "tlsproxy  unix  -       -       n       -       0       "
	 "tlsreuse/tlsproxy\n"
	 "scache    unix  -       -       n       -       1       "
	 "tlsreuse/scache\n"
	 "smtp      unix  -       -       n       -       -       smtp\n"},
	{"no tlsproxy; scache with continuation lines and comments",
	 "scache unix - - n - 1 scache\n"
	 "  -o syslog_name=postfix/scache\n"
	 "# between\n"
	 "\t-o max_idle=200s\n"
	 "# after\n"
	 "relay unix - - n - - smtp\n",
	 "scache unix - - n - 1 tlsreuse/scache\n"
	 "  -o syslog_name=postfix/scache\n"
	 "# between\n"
	 "\t-o max_idle=200s\n"
	 MARKER
	 "tlsproxy  unix  -       -       n       -       0       "
	 "tlsreuse/tlsproxy\n"
	 "# after\n"
	 "relay unix - - n - - smtp\n"},
	{"tabs, no final newline, scache last, no tlsproxy",
	 "smtp\tunix\t-\t-\ty\t-\t-\tsmtp\n"
	 "scache\tunix\t-\t-\ty\t-\t1\tscache",
	 "smtp\tunix\t-\t-\ty\t-\t-\tsmtp\n"
	 "scache\tunix\t-\t-\ty\t-\t1\ttlsreuse/scache\n"
	 MARKER
	 "tlsproxy  unix  -       -       y       -       0       "
	 "tlsreuse/tlsproxy"},
	{"commented tlsproxy as the last line, no final newline",
	 "scache unix - - n - 1 scache -o a=b\n"
	 "#tlsproxy unix - - n - 0 tlsproxy -o x=y",
	 "scache unix - - n - 1 tlsreuse/scache -o a=b\n"
	 "#tlsproxy unix - - n - 0 tlsproxy -o x=y\n"
	 MARKER
	 "tlsproxy unix - - n - 0 tlsreuse/tlsproxy -o x=y"},
	{"commented tlsproxy between an entry and its continuation",
	 "relay unix - - n - - smtp\n"
	 "#tlsproxy unix - - n - 0 tlsproxy\n"
	 "  -o syslog_name=relay\n"
	 "scache unix - - n - 1 scache\n",
	 "relay unix - - n - - smtp\n"
	 "#tlsproxy unix - - n - 0 tlsproxy\n"
	 "  -o syslog_name=relay\n"
	 MARKER
	 "tlsproxy unix - - n - 0 tlsreuse/tlsproxy\n"
	 "scache unix - - n - 1 tlsreuse/scache\n"},
	/* Found by fuzz_tr_switch: the added entry took them over. */
	{"continuation lines of nothing below a commented tlsproxy",
	 "#tlsproxy unix - - n - 0 tlsproxy\n"
	 "# prose\n"
	 "  -o orphan=1\n"
	 "\n"
	 "  -o orphan=2\n"
	 "scache unix - - n - 1 scache\n",
	 "#tlsproxy unix - - n - 0 tlsproxy\n"
	 "# prose\n"
	 "  -o orphan=1\n"
	 "\n"
	 "  -o orphan=2\n"
	 MARKER
	 "tlsproxy unix - - n - 0 tlsreuse/tlsproxy\n"
	 "scache unix - - n - 1 tlsreuse/scache\n"},
	{"tlsproxy with -o settings on continuation lines",
	 "tlsproxy unix - - y - 0 tlsproxy\n"
	 "    -o tlsproxy_tls_loglevel=1\n"
	 "scache unix - - y - 1 scache\n",
	 "tlsproxy unix - - y - 0 tlsreuse/tlsproxy\n"
	 "    -o tlsproxy_tls_loglevel=1\n"
	 "scache unix - - y - 1 tlsreuse/scache\n"},
};

static void
plan_ok(struct tr_switch_plan *p, const char *text, size_t len,
    enum tr_switch_to to, const char *what)
{
	ck_assert_msg(tr_switch_plan(p, text, len, to, "tlsproxy", "scache")
	    == 0, "%s: %s", what, buf_str(&p->error));
	ck_assert_str_eq(buf_str(&p->error), "");
}

START_TEST(test_tr_switch_enable_then_disable_is_byte_identical)
{
	struct tr_switch_plan on, off, again;
	size_t len;
	char *text;

	if (shapes[_i].text == NULL) {
		text = testfile_read(TESTDATA_DIR,
		    "master.cf-debian-3.7.11", &len);
	} else {
		text = strdup(shapes[_i].text);
		len = strlen(text);
	}
	tr_switch_plan_init(&on);
	tr_switch_plan_init(&off);
	tr_switch_plan_init(&again);
	plan_ok(&on, text, len, TR_SWITCH_OURS, shapes[_i].name);
	ck_assert_int_eq(on.changed, 1);
	if (shapes[_i].enabled)
		ck_assert_msg(strcmp(buf_str(&on.text), shapes[_i].enabled)
		    == 0, "%s: enabled:\n%s", shapes[_i].name,
		    buf_str(&on.text));
	/* Enabling twice changes nothing more. */
	plan_ok(&again, on.text.data, on.text.len, TR_SWITCH_OURS, "again");
	ck_assert_int_eq(again.changed, 0);
	plan_ok(&off, on.text.data, on.text.len, TR_SWITCH_STOCK,
	    shapes[_i].name);
	ck_assert_int_eq(off.changed, 1);
	ck_assert_msg(off.text.len == len &&
	    memcmp(off.text.data, text, len) == 0, "%s: not the same "
	    "bytes after disable:\n%s", shapes[_i].name, buf_str(&off.text));
	/* Disabling what is stock changes nothing. */
	plan_ok(&again, text, len, TR_SWITCH_STOCK, "stock");
	ck_assert_int_eq(again.changed, 0);
	tr_switch_plan_free(&on);
	tr_switch_plan_free(&off);
	tr_switch_plan_free(&again);
	free(text);
}
END_TEST

START_TEST(test_tr_switch_debian_uncomments_a_copy)
{
	struct tr_switch_plan p;
	size_t len;
	char *text = testfile_read(TESTDATA_DIR,
	    "master.cf-debian-3.7.11", &len);
	const char *added;

	tr_switch_plan_init(&p);
	plan_ok(&p, text, len, TR_SWITCH_OURS, "debian");
	added = strstr(buf_str(&p.text), "#tlsproxy  unix  -       -       y"
	    "       -       0       tlsproxy\n" MARKER "tlsproxy  unix  -  "
	    "     -       y       -       0       tlsreuse/tlsproxy\n");
	ck_assert_ptr_nonnull(added);
	ck_assert_ptr_nonnull(strstr(buf_str(&p.text), "\nscache    unix  -"
	    "       -       y       -       1       tlsreuse/scache\n"));
	ck_assert_str_eq(buf_str(&p.notes),
	    "tlsproxy/unix: commented out (line 16); adding it below, "
	    "running tlsreuse/tlsproxy\n"
	    "scache/unix (line 78): command scache -> tlsreuse/scache\n");
	tr_switch_plan_free(&p);
	free(text);
}
END_TEST

/* An administrator's own "ours" entry with the reuse_log word. */
START_TEST(test_tr_switch_disable_drops_reuse_log_word)
{
	static const char text[] =
	    "tlsproxy unix - - n - 0 tlsreuse/tlsproxy\n"
	    "scache unix - - n - 1 tlsreuse/scache -o a=b reuse_log=no\n";
	struct tr_switch_plan p;

	tr_switch_plan_init(&p);
	plan_ok(&p, text, sizeof(text) - 1, TR_SWITCH_STOCK, "reuse_log");
	ck_assert_str_eq(buf_str(&p.text),
	    "tlsproxy unix - - n - 0 tlsproxy\n"
	    "scache unix - - n - 1 scache -o a=b\n");
	ck_assert_ptr_nonnull(strstr(buf_str(&p.notes),
	    "dropping \"reuse_log=no\""));
	tr_switch_plan_free(&p);
}
END_TEST

/* Disable keeps an entry it did not add, only pointing it at stock. */
START_TEST(test_tr_switch_disable_keeps_unmarked_entry)
{
	static const char text[] =
	    "#tlsproxy unix - - n - 0 tlsproxy\n"
	    "tlsproxy unix - - n - 0 tlsreuse/tlsproxy\n"
	    "scache unix - - n - 1 scache\n";
	struct tr_switch_plan p;

	tr_switch_plan_init(&p);
	plan_ok(&p, text, sizeof(text) - 1, TR_SWITCH_STOCK, "unmarked");
	ck_assert_str_eq(buf_str(&p.text),
	    "#tlsproxy unix - - n - 0 tlsproxy\n"
	    "tlsproxy unix - - n - 0 tlsproxy\n"
	    "scache unix - - n - 1 scache\n");
	tr_switch_plan_free(&p);
}
END_TEST

static const struct {
	const char *name;
	const char *text;
	const char *error;
} refusals[] = {
	{"no scache", "tlsproxy unix - - n - 0 tlsproxy\n",
	 "master.cf has no scache/unix entry; add one first"},
	{"two scache entries",
	 "scache unix - - n - 1 scache\nscache unix - - n - 1 scache\n",
	 "master.cf has 2 scache/unix entries (lines 1 and more); keep one"},
	{"short entry", "scache unix - - n - 1\n",
	 "master.cf line 1: the scache/unix entry has only 7 fields"},
	{"foreign scache", "scache unix - - n - 1 local/scache\n",
	 "master.cf line 1: scache/unix runs \"local/scache\", neither stock "
	 "scache nor tlsreuse/scache; not changed"},
	{"foreign tlsproxy",
	 "tlsproxy unix - - n - 0 proxy2\nscache unix - - n - 1 scache\n",
	 "master.cf line 1: tlsproxy/unix runs \"proxy2\", neither stock "
	 "tlsproxy nor tlsreuse/tlsproxy; not changed"},
};

/* Found by fuzz_tr_switch: a NUL inside a commented-out tlsproxy line
 * cut the added copy short, and disable could not undo it. */
START_TEST(test_tr_switch_refuses_nul_byte)
{
	static const char text[] = "#tlsproxy unix - a\0b - n - 0 tlsproxy\n"
	    "scache unix - - n - 1 scache\n";
	struct tr_switch_plan p;

	tr_switch_plan_init(&p);
	ck_assert_int_eq(tr_switch_plan(&p, text, sizeof(text) - 1,
	    TR_SWITCH_OURS, "tlsproxy", "scache"), -1);
	ck_assert_str_eq(buf_str(&p.error), "master.cf contains a NUL byte");
	tr_switch_plan_free(&p);
}
END_TEST

START_TEST(test_tr_switch_refuses)
{
	struct tr_switch_plan p;

	tr_switch_plan_init(&p);
	ck_assert_int_eq(tr_switch_plan(&p, refusals[_i].text,
	    strlen(refusals[_i].text), TR_SWITCH_OURS, "tlsproxy", "scache"),
	    -1);
	ck_assert_msg(strcmp(buf_str(&p.error), refusals[_i].error) == 0,
	    "%s: %s", refusals[_i].name, buf_str(&p.error));
	ck_assert_str_eq(buf_str(&p.notes), "");
	ck_assert_int_eq(p.changed, 0);
	tr_switch_plan_free(&p);
}
END_TEST

/* The service names come from main.cf (tlsproxy_service_name, ...). */
START_TEST(test_tr_switch_other_service_names)
{
	static const char text[] =
	    "tlsproxy unix - - n - 0 tlsproxy\n"
	    "cache2 unix - - n - 1 scache\n";
	struct tr_switch_plan p;

	tr_switch_plan_init(&p);
	ck_assert_int_eq(tr_switch_plan(&p, text, sizeof(text) - 1,
	    TR_SWITCH_OURS, "proxy2", "cache2"), 0);
	ck_assert_str_eq(buf_str(&p.text),
	    "tlsproxy unix - - n - 0 tlsproxy\n"
	    "cache2 unix - - n - 1 tlsreuse/scache\n"
	    MARKER
	    "proxy2    unix  -       -       n       -       0       "
	    "tlsreuse/tlsproxy\n");
	tr_switch_plan_free(&p);
}
END_TEST

Suite *tr_switch_suite(void);

Suite *
tr_switch_suite(void)
{
	Suite *s = suite_create("tr_switch");
	TCase *tc;

	tc = tcase_create("roundtrip");
	tcase_add_loop_test(tc,
	    test_tr_switch_enable_then_disable_is_byte_identical, 0,
	    sizeof(shapes) / sizeof(shapes[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("edits");
	tcase_add_test(tc, test_tr_switch_debian_uncomments_a_copy);
	tcase_add_test(tc, test_tr_switch_disable_drops_reuse_log_word);
	tcase_add_test(tc, test_tr_switch_disable_keeps_unmarked_entry);
	tcase_add_test(tc, test_tr_switch_other_service_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("refusals");
	tcase_add_loop_test(tc, test_tr_switch_refuses, 0,
	    sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_test(tc, test_tr_switch_refuses_nul_byte);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_switch_suite)
