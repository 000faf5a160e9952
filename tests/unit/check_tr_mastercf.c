/*
 * check_tr_mastercf.c - tests for tlsreuse/tr_mastercf.c
 *
 * Debian 12's master.cf (tests/data/master.cf-debian-3.7.11, a copy of
 * /usr/share/postfix/master.cf.dist) and small texts with the shapes
 * master(5) allows: continuation lines, comments between them, tabs,
 * "{ ... }" words, no final newline.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_mastercf.h"
#include "testfile.h"
#include "runner.h"

static void
expect_field(const struct tr_mcf *mcf, const struct tr_mcf_entry *e,
    enum tr_mcf_field f, const char *want)
{
	char *got = tr_mcf_span_dup(mcf, &e->field[f]);

	ck_assert_msg(strcmp(got, want) == 0, "line %d field %d: got \"%s\", "
	    "want \"%s\"", e->line, (int)f, got, want);
	free(got);
}

START_TEST(test_tr_mcf_reads_debian_master_cf)
{
	size_t len;
	char *text = testfile_read(TESTDATA_DIR, "master.cf-debian-3.7.11",
	    &len);
	struct tr_mcf *mcf = tr_mcf_parse(text, len);
	const struct tr_mcf_entry *e;

	ck_assert_uint_eq(tr_mcf_find(mcf, "scache", "unix", 0, &e), 1);
	ck_assert_int_eq(e->nfields, TR_MCF_FIELDS);
	expect_field(mcf, e, TR_MCF_CHROOT, "y");
	expect_field(mcf, e, TR_MCF_MAXPROC, "1");
	expect_field(mcf, e, TR_MCF_COMMAND, "scache");
	ck_assert_uint_eq(e->end - e->start, strlen("scache    unix  -       "
	    "-       y       -       1       scache\n"));
	/* Debian ships tlsproxy commented out. */
	ck_assert_uint_eq(tr_mcf_find(mcf, "tlsproxy", "unix", 0, &e), 0);
	ck_assert_ptr_null(e);
	ck_assert_uint_eq(tr_mcf_find(mcf, "tlsproxy", "unix", 1, &e), 1);
	ck_assert_int_eq(e->line, 16);
	expect_field(mcf, e, TR_MCF_CHROOT, "y");
	expect_field(mcf, e, TR_MCF_COMMAND, "tlsproxy");
	/* relay: its -o continuation, then a commented-out one. */
	ck_assert_uint_eq(tr_mcf_find(mcf, "relay", "unix", 0, &e), 1);
	ck_assert_uint_eq(e->argc, 2);
	ck_assert_int_eq(tr_mcf_span_is(mcf, &e->arg[1],
	    "syslog_name=postfix/$service_name"), 1);
	ck_assert(strncmp(text + e->end, "#       -o smtp_helo_timeout", 28)
	    == 0);
	/* Two services named smtp, of two types. */
	ck_assert_uint_eq(tr_mcf_find(mcf, "smtp", "inet", 0, &e), 1);
	ck_assert_uint_eq(tr_mcf_find(mcf, "smtp", "unix", 0, &e), 1);
	ck_assert_uint_eq(tr_mcf_find(mcf, "maildrop", "unix", 0, &e), 1);
	ck_assert_uint_eq(e->argc, 5);
	tr_mcf_free(mcf);
	free(text);
}
END_TEST

START_TEST(test_tr_mcf_comment_does_not_end_an_entry)
{
	static const char text[] =
	    "relay unix - - n - - smtp\n"
	    "# a comment\n"
	    "#tlsproxy unix - - n - 0 tlsproxy\n"
	    "\n"
	    "\t-o a=b\n"
	    "next unix - - n - - smtp";
	struct tr_mcf *mcf = tr_mcf_parse(text, sizeof(text) - 1);
	const struct tr_mcf_entry *e;

	ck_assert_uint_eq(tr_mcf_find(mcf, "relay", "unix", 0, &e), 1);
	ck_assert_uint_eq(e->argc, 2);
	ck_assert_uint_eq(e->end, strstr(text, "next") - text);
	ck_assert_uint_eq(tr_mcf_find(mcf, "tlsproxy", "unix", 1, &e), 1);
	ck_assert_int_eq(e->line, 3);
	/* The last entry ends with the text, which has no newline. */
	ck_assert_uint_eq(tr_mcf_find(mcf, "next", "unix", 0, &e), 1);
	ck_assert_uint_eq(e->end, sizeof(text) - 1);
	expect_field(mcf, e, TR_MCF_COMMAND, "smtp");
	tr_mcf_free(mcf);
}
END_TEST

START_TEST(test_tr_mcf_ignores_what_master_ignores)
{
	static const char text[] =
	    "  -o orphan=continuation\n"
	    "## double\n"
	    "# tlsproxy unix - - n - 0 tlsproxy\n"
	    "short unix -\n";
	struct tr_mcf *mcf = tr_mcf_parse(text, sizeof(text) - 1);
	const struct tr_mcf_entry *e;

	/* "# tlsproxy" (blank after '#') is prose, not an entry. */
	ck_assert_uint_eq(tr_mcf_find(mcf, "tlsproxy", "unix", 1, &e), 0);
	ck_assert_uint_eq(mcf->count, 1);
	ck_assert_uint_eq(tr_mcf_find(mcf, "short", "unix", 0, &e), 1);
	ck_assert_int_eq(e->nfields, 3);
	tr_mcf_free(mcf);
}
END_TEST

START_TEST(test_tr_mcf_options_in_every_form)
{
	static const char text[] =
	    "smtp unix - - n - - smtp -o a=1 -ob=2\n"
	    "  -o { c = three four } -v\n"
	    "  -o";
	struct tr_mcf *mcf = tr_mcf_parse(text, sizeof(text) - 1);
	const struct tr_mcf_entry *e;
	char **opt;
	size_t n;

	ck_assert_uint_eq(tr_mcf_find(mcf, "smtp", "unix", 0, &e), 1);
	ck_assert_uint_eq(e->argc, 7);
	n = tr_mcf_options(mcf, e, &opt);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(opt[0], "a=1");
	ck_assert_str_eq(opt[1], "b=2");
	ck_assert_str_eq(opt[2], "c = three four");
	tr_mcf_options_free(opt, n);
	tr_mcf_free(mcf);
}
END_TEST

START_TEST(test_tr_mcf_empty_text)
{
	struct tr_mcf *mcf = tr_mcf_parse("", 0);
	const struct tr_mcf_entry *e;

	ck_assert_uint_eq(mcf->count, 0);
	ck_assert_uint_eq(tr_mcf_find(mcf, "scache", "unix", 0, &e), 0);
	tr_mcf_free(mcf);
	tr_mcf_free(NULL);
}
END_TEST

Suite *tr_mastercf_suite(void);

Suite *
tr_mastercf_suite(void)
{
	Suite *s = suite_create("tr_mastercf");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_tr_mcf_reads_debian_master_cf);
	tcase_add_test(tc, test_tr_mcf_comment_does_not_end_an_entry);
	tcase_add_test(tc, test_tr_mcf_ignores_what_master_ignores);
	tcase_add_test(tc, test_tr_mcf_options_in_every_form);
	tcase_add_test(tc, test_tr_mcf_empty_text);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_mastercf_suite)
