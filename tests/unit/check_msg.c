/*
 * check_msg.c - tests for common/msg.c
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "msg.h"
#include "capture.h"
#include "runner.h"

START_TEST(test_msg_prefixes_follow_postfix)
{
	capture_start();
	msg_info("hello %d", 7);
	msg_warn("careful");
	msg_error("broken");
	ck_assert_str_eq(capture_text(),
	    "hello 7\nwarning: careful\nerror: broken\n");
}
END_TEST

START_TEST(test_msg_percent_m_and_errno_preserved)
{
	capture_start();
	errno = ENOENT;
	msg_warn("open x: %m");
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(capture_text(),
	    "warning: open x: No such file or directory\n");
}
END_TEST

START_TEST(test_msg_replaces_control_bytes)
{
	capture_start();
	msg_info("label=%s", "smtp\n127.0.0.1\r\t\x01");
	ck_assert_str_eq(capture_text(), "label=smtp?127.0.0.1???\n");
}
END_TEST

START_TEST(test_msg_utf8_kept_only_when_enabled)
{
	capture_start();
	msg_info("%s", "caf\xc3\xa9 \xff");
	msg_set_utf8(1);
	msg_info("%s", "caf\xc3\xa9 \xff \xc3");
	msg_set_utf8(0);
	ck_assert_str_eq(capture_text(), "caf?? ?\ncaf\xc3\xa9 ? ?\n");
}
END_TEST

START_TEST(test_msg_utf8_refuses_what_could_forge_a_line)
{
	capture_start();
	msg_set_utf8(1);
	/* RLO (U+202E), a C1 CSI, an overlong '"' and a surrogate. */
	msg_info("%s", "a\xe2\x80\xae" "b \xc2\x9b" "2J \xc0\xa2 "
	    "\xed\xa0\x80 \xc3\xa9");
	msg_set_utf8(0);
	ck_assert_str_eq(capture_text(), "a???b ??2J ?? ??? \xc3\xa9\n");
}
END_TEST

START_TEST(test_msg_truncates_at_limit)
{
	char big[MSG_TEXT_LIMIT + 50];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	capture_start();
	msg_info("%s", big);
	ck_assert_uint_eq(strlen(capture_text()), MSG_TEXT_LIMIT + 1);
}
END_TEST

START_TEST(test_msg_thirteenth_error_is_fatal)
{
	int i;

	capture_start();
	for (i = 0; i < 13; i++)
		msg_error("e%d", i);
}
END_TEST

START_TEST(test_msg_fatal_exits_1)
{
	msg_fatal("cannot run");
}
END_TEST

START_TEST(test_msg_panic_aborts)
{
	msg_panic("impossible");
}
END_TEST

static int cleanup_ran;

static void
note_cleanup(void)
{
	cleanup_ran++;
	ck_assert_int_eq(cleanup_ran, 1);
	ck_assert_int_eq(capture_count("fatal: cannot run"), 1);
}

START_TEST(test_msg_fatal_runs_cleanup_once)
{
	capture_start();
	msg_set_cleanup(note_cleanup);
	msg_fatal("cannot run");
}
END_TEST

START_TEST(test_msg_printable_escapes_and_cuts)
{
	char out[8];

	ck_assert_str_eq(msg_printable(out, sizeof(out), "ab\0c", 4), "ab?c");
	ck_assert_str_eq(msg_printable(out, sizeof(out), "abcdefghij", 10),
	    "abcd...");
	ck_assert_str_eq(msg_printable(out, sizeof(out), "abcdefg", 7),
	    "abcdefg");
}
END_TEST

Suite *msg_suite(void);

Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("format");
	TCase *exit_tc = tcase_create("exit");

	tcase_add_test(tc, test_msg_prefixes_follow_postfix);
	tcase_add_test(tc, test_msg_percent_m_and_errno_preserved);
	tcase_add_test(tc, test_msg_replaces_control_bytes);
	tcase_add_test(tc, test_msg_utf8_kept_only_when_enabled);
	tcase_add_test(tc, test_msg_utf8_refuses_what_could_forge_a_line);
	tcase_add_test(tc, test_msg_truncates_at_limit);
	tcase_add_test(tc, test_msg_printable_escapes_and_cuts);
	suite_add_tcase(s, tc);
	tcase_add_exit_test(exit_tc, test_msg_thirteenth_error_is_fatal, 1);
	tcase_add_exit_test(exit_tc, test_msg_fatal_exits_1, 1);
	tcase_add_exit_test(exit_tc, test_msg_fatal_runs_cleanup_once, 1);
	tcase_add_test_raise_signal(exit_tc, test_msg_panic_aborts, SIGABRT);
	suite_add_tcase(s, exit_tc);
	return s;
}

RUNNER_SUITE(msg_suite)
