/*
 * check_params.c - tests for common/params.c
 *
 * Defaults and computed values are compared with the installed postconf
 * (postconf -c DIR -hx, with -d for defaults) on scratch main.cf files;
 * without postconf the program reports SKIP (runner.h).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "conf.h"
#include "params.h"
#include "capture.h"
#include "runner.h"

#ifndef POSTCONF_PATH
#define POSTCONF_PATH ""
#endif

static char scratch_dir[64];
static char scratch_path[96];

static void
scratch_remove(void)
{
	if (scratch_dir[0] == 0)
		return;
	unlink(scratch_path);
	rmdir(scratch_dir);
	scratch_dir[0] = 0;
}

/* Writes main.cf (aged, so postconf does not wait), reads it. */
static void
scratch_setup(const char *text)
{
	struct timeval old[2];
	FILE *fp;

	strcpy(scratch_dir, "/tmp/check_params.XXXXXX");
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
	conf_read_main_cf();
}

/* Decided while the suite is built; the forked tests inherit it. */
static int have_postconf;

/* postconf -c DIR <flags> name, first line, whitespace runs folded. */
static void
postconf_value(const char *flags, const char *name, struct buf *out)
{
	char cmd[512];
	char line[1024];
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "%s -c %s %s %s 2>/dev/null",
	    POSTCONF_PATH, scratch_dir, flags, name);
	ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
	buf_reset(out);
	buf_reserve(out, 0);
	if (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = 0;
		buf_puts(out, line);
	}
	pclose(fp);
}

/* Our effective value of name, as postconf -x prints it. */
static char *
our_value(const char *name)
{
	const char *raw = conf_lookup(name);

	ck_assert_msg(raw != NULL, "%s not stored", name);
	return conf_expand_value(raw);
}

static const char *const param_names[] = {
	"compatibility_level", "mail_version", "syslog_facility",
	"multi_instance_name", "maillog_file", "maillog_file_prefixes",
	"postlog_service_name", "smtputf8_enable", "respectful_logging",
	"myhostname", "mydomain", "syslog_name", "mail_owner",
	"daemon_directory", "queue_directory", "max_use", "max_idle",
	"ipc_timeout", "ipc_idle", "ipc_ttl", "daemon_timeout",
};

static void
compare_with_postconf(const char *flags)
{
	struct buf want;
	size_t i;
	char *ours;

	buf_init(&want);
	for (i = 0; i < sizeof(param_names) / sizeof(param_names[0]); i++) {
		postconf_value(flags, param_names[i], &want);
		ours = our_value(param_names[i]);
		ck_assert_msg(strcmp(ours, buf_str(&want)) == 0,
		    "%s: ours [%s] postconf [%s]", param_names[i], ours,
		    buf_str(&want));
		free(ours);
	}
	buf_free(&want);
}

START_TEST(test_params_defaults_match_postconf_d)
{
	scratch_setup("");
	params_init("scache", "scache");
	ck_assert_str_eq(params.mail_version, "3.7.11");
	ck_assert_str_eq(params.syslog_name, "postfix");
	ck_assert_str_eq(params.queue_directory, "/var/spool/postfix");
	ck_assert_int_eq(params.smtputf8_enable, 0);
	ck_assert_int_eq(params.respectful_logging, 0);
	ck_assert_int_eq(params.max_use, 100);
	ck_assert_int_eq(params.max_idle, 100);
	ck_assert_int_eq(params.ipc_timeout, 3600);
	ck_assert_int_eq(params.ipc_idle, 5);
	ck_assert_int_eq(params.ipc_ttl, 1000);
	ck_assert_int_eq(params.daemon_timeout, 18000);
	if (have_postconf)
		compare_with_postconf("-dhx");
	scratch_remove();
}
END_TEST

START_TEST(test_params_configured_values_match_postconf)
{
	scratch_setup("compatibility_level = 3.6\n"
		      "mydomain = example.org\n"
		      "multi_instance_name = postfix-b\n"
		      "max_idle = 2m\n"
		      "ipc_ttl = 3\n"
		      "queue_directory = /q/$mydomain\n");
	params_init("scache", "scache");
	ck_assert_int_eq(params.smtputf8_enable, 1);
	ck_assert_int_eq(params.respectful_logging, 1);
	ck_assert_str_eq(params.syslog_name, "postfix-b");
	ck_assert_str_eq(params.mydomain, "example.org");
	ck_assert_str_eq(params.queue_directory, "/q/example.org");
	ck_assert_int_eq(params.max_idle, 120);
	ck_assert_int_eq(params.ipc_ttl, 3);
	if (have_postconf)
		compare_with_postconf("-hx");
	scratch_remove();
}
END_TEST

START_TEST(test_params_myhostname_is_qualified_when_unqualified)
{
	char host[256];
	struct buf want;

	conf_init("/x");
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	host[sizeof(host) - 1] = 0;
	params_init("scache", "scache");
	buf_init(&want);
	buf_puts(&want, host);
	if (strchr(host, '.') == NULL)
		buf_puts(&want, ".localdomain");
	ck_assert_str_eq(params.myhostname, buf_str(&want));
	ck_assert_str_eq(params.mydomain, strchr(buf_str(&want), '.') + 1);
	buf_free(&want);
}
END_TEST

START_TEST(test_params_option_sees_service_name)
{
	conf_init("/x");
	conf_set_option("syslog_name = postfix/$service_name");
	params_init("smtp", "relay");
	ck_assert_str_eq(params.syslog_name, "postfix/relay");
	ck_assert_str_eq(getenv("MAIL_LOGTAG"), "postfix/relay");
	ck_assert_str_eq(conf_lookup("service_name"), "relay");
	ck_assert_str_eq(params.process_name, "smtp");
	ck_assert_str_eq(params.service_name, "relay");
}
END_TEST

START_TEST(test_params_store_process_id_and_keep_configured_process_name)
{
	char pid[32];

	conf_init("/x");
	conf_set("process_name", "from-main-cf");
	params_init("scache", "scache");
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	ck_assert_str_eq(conf_lookup("process_id"), pid);
	ck_assert_int_eq(params.process_id, getpid());
	/* 3.7.11 lets a main.cf process_name stand in the store */
	ck_assert_str_eq(conf_lookup("process_name"), "from-main-cf");
	ck_assert_str_eq(params.process_name, "scache");
	ck_assert_str_eq(params.config_directory, "/x");
}
END_TEST

/* Exit status of a fatal test whose log was the expected one. */
#define FATAL_MATCHED 42

static const char *fatal_expected;

static void
fatal_check(void)
{
	if (strcmp(capture_text(), fatal_expected) == 0)
		_exit(FATAL_MATCHED);
	fprintf(stderr, "expected:\n%sgot:\n%s", fatal_expected,
	    capture_text());
	_exit(1);
}

static void
expect_fatal(const char *log)
{
	capture_start();
	fatal_expected = log;
	msg_set_cleanup(fatal_check);
}

START_TEST(test_params_bad_time_is_fatal)
{
	conf_init("/x");
	conf_set("max_idle", "0");
	expect_fatal("fatal: invalid max_idle: 0 (min 1)\n");
	params_init("scache", "scache");
}
END_TEST

/* Host name rows, each run through the stock scache 3.7.11
 * (MAIL_CONFIG=DIR scache -V -S -l): its warning, or NULL if accepted. */
struct host_row {
	const char *param;
	const char *value;
	const char *warning;
};

#define ABC16 "abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc."
#define ABC63 ABC16 ABC16 ABC16 \
	"abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc."
#define A63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct host_row host_rows[] = {
	{"myhostname", "a_b.ex-ample", NULL},
	{"myhostname", A63 ".x", NULL},
	{"myhostname", ABC63 "abc", NULL},
	{"myhostname", "-a.example", "misplaced hyphen: -a.example"},
	{"myhostname", "a-.example", "misplaced hyphen: a-.example"},
	{"myhostname", "a..example", "misplaced delimiter: a..example"},
	{"myhostname", "a.example.", "misplaced delimiter: a.example."},
	{"myhostname", "a b", "invalid character 32(decimal): a b"},
	{"myhostname", "a" A63 ".x", "hostname label too long: a" A63 ".x"},
	{"myhostname", "12", "numeric hostname: 12"},
	{"myhostname", ABC63 "abcx", "bad length 256 for "
	    "abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc.abc."
	    "abc.abc.abc.abc.abc.abc.abc.abc.abc...."},
	{"mydomain", "-bad", "misplaced hyphen: -bad"},
};

START_TEST(test_params_host_names_checked_as_postfix_does)
{
	const struct host_row *row = &host_rows[_i];
	static char log[1024];

	conf_init("/x");
	conf_set("myhostname", "host.example");
	conf_set(row->param, row->value);
	if (row->warning != NULL) {
		snprintf(log, sizeof(log), "warning: valid_hostname: %s\n"
		    "fatal: file /x/main.cf: parameter %s: bad parameter "
		    "value: %s\n", row->warning, row->param, row->value);
		expect_fatal(log);
	}
	params_init("scache", "scache");
	ck_assert_str_eq(row->param[2] == 'h' ? params.myhostname
					       : params.mydomain, row->value);
	_exit(FATAL_MATCHED);
}
END_TEST

Suite *params_suite(void);

Suite *
params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("core");

	have_postconf = runner_have_program(POSTCONF_PATH, "postfix");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_params_defaults_match_postconf_d);
	tcase_add_test(tc, test_params_configured_values_match_postconf);
	tcase_add_test(tc, test_params_myhostname_is_qualified_when_unqualified);
	tcase_add_test(tc, test_params_option_sees_service_name);
	tcase_add_test(tc,
	    test_params_store_process_id_and_keep_configured_process_name);
	tcase_add_exit_test(tc, test_params_bad_time_is_fatal, FATAL_MATCHED);
	tcase_add_loop_exit_test(tc, test_params_host_names_checked_as_postfix_does,
	    FATAL_MATCHED, 0, (int)(sizeof(host_rows) / sizeof(host_rows[0])));
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(params_suite)
