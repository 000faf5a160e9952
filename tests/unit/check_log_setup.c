/*
 * check_log_setup.c - tests for common/log_setup.c and common/log_stderr.c
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "msg.h"
#include "log_setup.h"
#include "capture.h"
#include "fake_postlogd.h"
#include "runner.h"

#define REC_MAX 4096

static void
clear_env(void)
{
	unsetenv("MAIL_LOGTAG");
	unsetenv("POSTLOG_SERVICE");
	unsetenv("POSTLOG_HOSTNAME");
}

/* Receives one record and checks it after the time stamp. */
static void
expect_record(int sfd, const char *fmt_with_pid)
{
	char rec[REC_MAX], want[256];

	snprintf(want, sizeof(want), fmt_with_pid, (long)getpid());
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	fake_postlogd_assert(rec, want);
}

START_TEST(test_log_setup_bootstrap_from_environment)
{
	int sfd = fake_postlogd_bind();

	clear_env();
	setenv("MAIL_LOGTAG", "postfix", 1);
	setenv("POSTLOG_SERVICE", fake_postlogd_path(), 1);
	setenv("POSTLOG_HOSTNAME", "client.pfsandbox.test", 1);
	log_setup_bootstrap("testsvc");
	ck_assert_str_eq(log_setup_ident(), "postfix/testsvc");
	msg_info("early");
	expect_record(sfd, "client postfix/testsvc[%ld]: early");
	/* Without a host name postlogd records say "amnesiac". */
	unsetenv("POSTLOG_HOSTNAME");
	log_setup_bootstrap("testsvc");
	msg_warn("nameless");
	msg_output_clear();
	expect_record(sfd, "amnesiac postfix/testsvc[%ld]: warning: nameless");
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

START_TEST(test_log_setup_params_switch_identity_and_export)
{
	struct log_params p = {
	    .syslog_name = "postfix/relay",
	    .syslog_facility = LOG_MAIL,
	    .maillog_file = "/var/log/postfix.log",
	    .maillog_file_prefixes = "/var, /dev/stdout",
	    .myhostname = "mx.pfsandbox.test",
	};
	int sfd = fake_postlogd_bind();

	clear_env();
	/* master's tag: the final identity uses syslog_name instead. */
	setenv("MAIL_LOGTAG", "postfix-master", 1);
	p.postlog_path = fake_postlogd_path();
	log_setup_params("testsvc", &p);
	msg_info("configured");
	msg_output_clear();
	expect_record(sfd, "mx postfix/relay/testsvc[%ld]: configured");
	ck_assert_str_eq(getenv("POSTLOG_SERVICE"), fake_postlogd_path());
	ck_assert_str_eq(getenv("POSTLOG_HOSTNAME"), "mx.pfsandbox.test");
	/* Without maillog_file: syslog mode, and children do not inherit. */
	p.maillog_file = "";
	log_setup_params("testsvc", &p);
	msg_output_clear();
	ck_assert_ptr_null(getenv("POSTLOG_SERVICE"));
	ck_assert_ptr_null(getenv("POSTLOG_HOSTNAME"));
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

static void
assert_prefix_fatal_text(void)
{
	ck_assert_str_eq(
	    capture_text(),
	    "fatal: maillog_file value '/tmp/mail.log' does not match any "
	    "prefix in maillog_file_prefixes\n");
}

START_TEST(test_log_setup_rejects_maillog_file_outside_prefixes)
{
	struct log_params p = {
	    .syslog_name = "postfix",
	    .syslog_facility = LOG_MAIL,
	    .maillog_file = "/tmp/mail.log",
	    .maillog_file_prefixes = "/var, /dev/stdout",
	    .postlog_path = "/nonexistent/postlog",
	    .myhostname = "h",
	};

	capture_start();
	msg_set_cleanup(assert_prefix_fatal_text);
	log_setup_params("testsvc", &p);
}
END_TEST

START_TEST(test_log_setup_stderr_copies_with_identity)
{
	char path[] = "/tmp/ck_stderr.XXXXXX", got[256];
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	clear_env();
	setenv("MAIL_LOGTAG", "postfix", 1);
	setenv("POSTLOG_SERVICE", "/nonexistent/postlog", 1);
	log_setup_bootstrap("testsvc");
	dup2(fd, 2);
	log_setup_stderr();
	log_setup_stderr();
	msg_warn("to stderr");
	msg_info("plain");
	/* A later step keeps the stderr copy. */
	log_setup_bootstrap("other");
	msg_error("kept");
	msg_output_clear();
	dup2(saved, 2);
	n = pread(fd, got, sizeof(got) - 1, 0);
	got[n > 0 ? n : 0] = 0;
	ck_assert_str_eq(got, "postfix/testsvc: warning: to stderr\n"
	                      "postfix/testsvc: plain\n"
	                      "postfix/other: error: kept\n");
	close(fd);
	unlink(path);
}
END_TEST

Suite *log_setup_suite(void);

Suite *
log_setup_suite(void)
{
	Suite *s = suite_create("log_setup");
	TCase *tc = tcase_create("modes");
	TCase *exit_tc = tcase_create("exit");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_log_setup_bootstrap_from_environment);
	tcase_add_test(tc, test_log_setup_params_switch_identity_and_export);
	tcase_add_test(tc, test_log_setup_stderr_copies_with_identity);
	suite_add_tcase(s, tc);
	tcase_add_exit_test(
	    exit_tc, test_log_setup_rejects_maillog_file_outside_prefixes, 1);
	suite_add_tcase(s, exit_tc);
	return s;
}

RUNNER_SUITE(log_setup_suite)
