/*
 * check_log_syslog.c - tests for common/log_syslog.c
 *
 * syslog itself is not captured; these tests cover the parts that decide
 * what reaches it: facility names, priorities and the identity.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>
#include <syslog.h>

#include "msg.h"
#include "log_syslog.h"
#include "runner.h"

static const struct {
	const char *name;
	int want_status;
	int want_code;
} facility_rows[] = {
    {"mail", 0, LOG_MAIL},
    {"MAIL", 0, LOG_MAIL},
    {"auth", 0, LOG_AUTH},
    {"authpriv", 0, LOG_AUTHPRIV},
    {"cron", 0, LOG_CRON},
    {"daemon", 0, LOG_DAEMON},
    {"ftp", 0, LOG_FTP},
    {"kern", 0, LOG_KERN},
    {"lpr", 0, LOG_LPR},
    {"news", 0, LOG_NEWS},
    {"syslog", 0, LOG_SYSLOG},
    {"user", 0, LOG_USER},
    {"uucp", 0, LOG_UUCP},
    {"local0", 0, LOG_LOCAL0},
    {"Local7", 0, LOG_LOCAL7},
    {"local8", -1, 0},
    {"", -1, 0},
    {"mail ", -1, 0},
    {"security", -1, 0},
};

START_TEST(test_log_syslog_facility_names)
{
	int code = 0;

	ck_assert_msg(log_syslog_facility(facility_rows[_i].name, &code) ==
	                  facility_rows[_i].want_status,
	              "row %d: '%s'", _i, facility_rows[_i].name);
	if (facility_rows[_i].want_status == 0)
		ck_assert_int_eq(code, facility_rows[_i].want_code);
}
END_TEST

START_TEST(test_log_syslog_priorities_follow_postfix)
{
	ck_assert_int_eq(log_syslog_priority(MSG_INFO), LOG_INFO);
	ck_assert_int_eq(log_syslog_priority(MSG_WARN), LOG_WARNING);
	ck_assert_int_eq(log_syslog_priority(MSG_ERROR), LOG_ERR);
	ck_assert_int_eq(log_syslog_priority(MSG_FATAL), LOG_CRIT);
	ck_assert_int_eq(log_syslog_priority(MSG_PANIC), LOG_CRIT);
}
END_TEST

START_TEST(test_log_ident_prefers_mail_logtag)
{
	char out[64];

	unsetenv("MAIL_LOGTAG");
	ck_assert_str_eq(log_ident(out, sizeof(out), NULL, "scache"),
	                 "postfix/scache");
	ck_assert_str_eq(log_ident(out, sizeof(out), "postfix/relay", "smtp"),
	                 "postfix/relay/smtp");
	setenv("MAIL_LOGTAG", "", 1);
	ck_assert_str_eq(log_ident(out, sizeof(out), "pf2", "scache"),
	                 "pf2/scache");
	setenv("MAIL_LOGTAG", "postfix-out", 1);
	ck_assert_str_eq(log_ident(out, sizeof(out), "pf2", "tlsproxy"),
	                 "postfix-out/tlsproxy");
	ck_assert_str_eq(log_ident(out, 8, "pf2", "tlsproxy"), "postfix");
	unsetenv("MAIL_LOGTAG");
}
END_TEST

Suite *log_syslog_suite(void);

Suite *
log_syslog_suite(void)
{
	Suite *s = suite_create("log_syslog");
	TCase *tc = tcase_create("names");

	tcase_add_loop_test(
	    tc, test_log_syslog_facility_names, 0,
	    (int)(sizeof(facility_rows) / sizeof(facility_rows[0])));
	tcase_add_test(tc, test_log_syslog_priorities_follow_postfix);
	tcase_add_test(tc, test_log_ident_prefers_mail_logtag);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(log_syslog_suite)
