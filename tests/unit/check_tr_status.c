/*
 * check_tr_status.c - tests for tlsreuse/tr_status.c
 *
 * Each row is an instance in a scratch directory: main.cf, master.cf,
 * a daemon_directory with stock stand-ins and "tlsreuse" programs (files
 * that carry the ident string), a queue with a master.pid, a fake /proc
 * with master and qmgr start times, and a command_directory whose
 * postconf is a script printing Postfix's defaults. The status must
 * report exactly the row's problem codes.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "tr_conf.h"
#include "tr_status.h"
#include "runner.h"

#define PID 4242
#define QMGR 4243

/* Debian 3.7.11 values of what the tool asks postconf -d for. */
static const char postconf_script[] =
    "#!/bin/sh\n"
    "cat <<EOF\n"
    "mail_version = 3.7.11\n"
    "daemon_directory = /usr/lib/postfix/sbin\n"
    "command_directory = /usr/sbin\n"
    "queue_directory = /var/spool/postfix\n"
    "tlsproxy_service_name = tlsproxy\n"
    "connection_cache_service_name = scache\n"
    "smtp_tls_connection_reuse = no\n"
    "lmtp_tls_connection_reuse = no\n"
    "smtp_tls_policy_maps =\n"
    "lmtp_tls_policy_maps =\n"
    "smtp_connection_cache_time_limit = 2s\n"
    "lmtp_connection_cache_time_limit = 2s\n"
    "connection_cache_ttl_limit = 2s\n"
    "EOF\n";

#define OURS "tlsproxy unix - - n - 0 tlsreuse/tlsproxy\n" \
	"scache unix - - n - 1 tlsreuse/scache\n"
#define TRANSPORTS "smtp unix - - n - - smtp\nrelay unix - - n - - smtp\n"

enum row_proc {
	PROC_READ_AFTER,  /* master and qmgr started after the files */
	PROC_READ_BEFORE, /* qmgr started before master.cf changed */
	PROC_NONE,        /* not running */
};

static const struct {
	const char *name;
	const char *main_cf;   /* appended to the fixed part */
	const char *master_cf;
	enum row_proc proc;
	const char *problems;  /* codes, blank-separated, in report order */
	int without_ours;      /* our programs not installed */
} rows[] = {
	{"healthy, ours", "smtp_tls_connection_reuse = yes\n",
	 OURS TRANSPORTS, PROC_READ_AFTER, "", 0},
	{"tlsproxy commented out (Debian)", "smtp_tls_connection_reuse = yes\n",
	 "#tlsproxy unix - - y - 0 tlsproxy\n"
	 "scache unix - - y - 1 scache\n" TRANSPORTS, PROC_READ_AFTER,
	 "tlsproxy-commented", 0},
	{"tlsproxy missing", "smtp_tls_connection_reuse = yes\n",
	 "scache unix - - n - 1 scache\n" TRANSPORTS, PROC_READ_AFTER,
	 "tlsproxy-missing", 0},
	{"scache process limit", "smtp_tls_connection_reuse = yes\n",
	 "tlsproxy unix - - n - 0 tlsproxy\nscache unix - - n - 2 scache\n"
	 TRANSPORTS, PROC_READ_AFTER, "scache-process-limit", 0},
	{"ttl limit shorter than the cache time limit",
	 "smtp_tls_connection_reuse = yes\n"
	 "smtp_connection_cache_time_limit = 10s\n",
	 OURS "smtp unix - - n - - smtp\n", PROC_READ_AFTER, "ttl-limit", 0},
	{"ttl limit raised on the scache entry",
	 "smtp_tls_connection_reuse = yes\n"
	 "smtp_connection_cache_time_limit = 10s\n",
	 "tlsproxy unix - - n - 0 tlsproxy\n"
	 "scache unix - - n - 1 scache -o connection_cache_ttl_limit=10s\n"
	 "smtp unix - - n - - smtp\n", PROC_READ_AFTER, "", 0},
	{"a transport turns reuse off", "smtp_tls_connection_reuse = yes\n",
	 OURS "smtp unix - - n - - smtp\n"
	 "relay unix - - n - - smtp\n  -o smtp_tls_connection_reuse=no\n",
	 PROC_READ_AFTER, "transport-reuse-off", 0},
	{"not running", "smtp_tls_connection_reuse = yes\n", OURS TRANSPORTS,
	 PROC_NONE, "not-running", 0},
	{"master.cf changed after the last reload",
	 "smtp_tls_connection_reuse = yes\n", OURS TRANSPORTS,
	 PROC_READ_BEFORE, "not-reloaded", 0},
	{"reuse nowhere", "", OURS TRANSPORTS, PROC_READ_AFTER, "no-reuse", 0},
	{"reuse by policy entry only",
	 "smtp_tls_policy_maps = texthash:${config_directory}/tls_policy\n",
	 OURS TRANSPORTS, PROC_READ_AFTER, "", 0},
	{"ours not installed", "smtp_tls_connection_reuse = yes\n",
	 "tlsproxy unix - - n - 0 tlsproxy\n"
	 "scache unix - - n - 1 tlsreuse/scache\n" TRANSPORTS,
	 PROC_READ_AFTER, "program-missing", 1},
	{"a bad boolean", "smtp_tls_connection_reuse = yes\n",
	 OURS "smtp unix - - n - - smtp -o smtp_tls_connection_reuse=maybe\n",
	 PROC_READ_AFTER, "bad-value no-reuse", 0},
};

static char dir[] = "/tmp/check_tr_status.XXXXXX";

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path);
}

/* Each test runs in its own process: its instance goes with it. */
static void
remove_instance(void)
{
	if (strstr(dir, "XXXXXX") == NULL)
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
put_file(const char *name, const char *text, mode_t mode)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_msg(fp != NULL, "create %s", path);
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

static void
make_dirs(void)
{
	static const char *const dirs[] = {"conf", "bin", "libexec",
	    "libexec/tlsreuse", "queue", "queue/pid", "proc",
	    "proc/4242", "proc/4243"};
	char path[512];
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
}

/* Sets a file's modification time to when (UNIX time). */
static void
set_mtime(const char *name, double when)
{
	struct timespec ts[2];
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ts[0].tv_sec = ts[1].tv_sec = (time_t)when;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* A /proc/PID/stat whose process started at when (UNIX time). */
static void
put_stat(long pid, long ppid, const char *comm, double when)
{
	struct timespec real, boot;
	char name[64], text[512];
	unsigned long long ticks;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	ticks = (unsigned long long)((when - (double)(real.tv_sec -
	    boot.tv_sec)) * (double)sysconf(_SC_CLK_TCK));
	snprintf(name, sizeof(name), "proc/%ld/stat", pid);
	snprintf(text, sizeof(text), "%ld (%s) S %ld %ld %ld 0 -1 4194560 "
	    "1 0 0 0 1 1 0 0 20 0 1 0 %llu 1000 100\n", pid, comm, ppid, pid,
	    pid, ticks);
	put_file(name, text, 0644);
}

static void
make_instance(int row)
{
	struct buf main_cf;
	double now = (double)time(NULL);

	make_dirs();
	buf_init(&main_cf);
	buf_printf(&main_cf, "command_directory = %s/bin\n"
	    "daemon_directory = %s/libexec\nqueue_directory = %s/queue\n%s",
	    dir, dir, dir, rows[row].main_cf);
	put_file("conf/main.cf", buf_str(&main_cf), 0644);
	put_file("conf/master.cf", rows[row].master_cf, 0644);
	put_file("conf/tls_policy", "[mx]:25 encrypt connection_reuse=yes\n"
	    "other may\n", 0644);
	put_file("bin/postconf", postconf_script, 0755);
	put_file("libexec/tlsproxy", "stock tlsproxy", 0755);
	put_file("libexec/scache", "stock scache", 0755);
	if (!rows[row].without_ours) {
		put_file("libexec/tlsreuse/tlsproxy", "ELF @(#)tlsreuse 9.9.9",
		    0755);
		put_file("libexec/tlsreuse/scache", "@(#)tlsreuse 9.9.9", 0755);
	}
	set_mtime("conf/main.cf", now - 100);
	set_mtime("conf/master.cf", now - 50);
	if (rows[row].proc != PROC_NONE) {
		put_file("queue/pid/master.pid", "   4242\n", 0644);
		put_stat(PID, 1, "master", now - 200);
		put_stat(QMGR, PID, "qmgr", rows[row].proc == PROC_READ_AFTER ?
		    now - 10 : now - 60);
	}
	buf_free(&main_cf);
}

START_TEST(test_tr_status_reports_each_problem)
{
	struct tr_conf conf;
	struct tr_status st;
	struct buf got, path;
	size_t i;

	make_instance(_i);
	buf_init(&got);
	buf_init(&path);
	buf_printf(&path, "%s/conf", dir);
	tr_conf_open(&conf, buf_str(&path), tr_status_param_names);
	buf_reset(&path);
	buf_printf(&path, "%s/proc", dir);
	tr_status_gather(&st, &conf, buf_str(&path));
	for (i = 0; i < st.nproblems; i++)
		buf_printf(&got, "%s%s", i ? " " : "", st.problem[i].code);
	ck_assert_msg(strcmp(buf_str(&got), rows[_i].problems) == 0,
	    "%s: got \"%s\"", rows[_i].name, buf_str(&got));
	tr_status_free(&st);
	tr_conf_close(&conf);
	buf_free(&got);
	buf_free(&path);
}
END_TEST

START_TEST(test_tr_status_names_programs_and_sources)
{
	const struct tr_status_transport *relay;
	struct tr_conf conf;
	struct tr_status st;
	struct buf path;

	make_instance(6); /* ours; relay turns reuse off */
	buf_init(&path);
	buf_printf(&path, "%s/conf", dir);
	tr_conf_open(&conf, buf_str(&path), tr_status_param_names);
	buf_reset(&path);
	buf_printf(&path, "%s/proc", dir);
	tr_status_gather(&st, &conf, buf_str(&path));
	ck_assert_str_eq(conf.mail_version, "3.7.11");
	ck_assert_uint_eq(st.ndaemons, 2);
	ck_assert_str_eq(st.daemon[0].role, "tlsproxy");
	ck_assert_int_eq(st.daemon[0].ident, TR_IDENT_OURS);
	ck_assert_str_eq(st.daemon[0].release, "9.9.9");
	ck_assert_str_eq(st.daemon[1].command, "tlsreuse/scache");
	ck_assert_uint_eq(st.ntransports, 2);
	ck_assert_str_eq(st.transport[0].reuse_from, "main.cf");
	relay = &st.transport[1];
	ck_assert_str_eq(relay->service, "relay");
	ck_assert_int_eq(relay->reuse, 0);
	ck_assert_int_eq(relay->reuse_main, 1);
	ck_assert_str_eq(relay->reuse_from, "master.cf");
	ck_assert_int_eq(st.master.pid, PID);
	ck_assert_int_eq(st.master.qmgr_pid, QMGR);
	tr_status_free(&st);
	tr_conf_close(&conf);
	buf_free(&path);
}
END_TEST

START_TEST(test_tr_status_lists_policy_entries)
{
	const struct tr_status_transport *t;
	struct tr_conf conf;
	struct tr_status st;
	struct buf path;

	make_instance(10); /* reuse by policy entry only */
	buf_init(&path);
	buf_printf(&path, "%s/conf", dir);
	tr_conf_open(&conf, buf_str(&path), tr_status_param_names);
	buf_reset(&path);
	buf_printf(&path, "%s/proc", dir);
	tr_status_gather(&st, &conf, buf_str(&path));
	t = &st.transport[0];
	ck_assert_int_eq(t->reuse, 0);
	ck_assert_int_eq(t->policy_reuse, 1);
	ck_assert_uint_eq(t->policy.count, 1);
	ck_assert_uint_eq(t->policy.map[0].count, 1);
	ck_assert_str_eq(t->policy.map[0].entry[0].key, "[mx]:25");
	ck_assert_str_eq(t->policy.map[0].entry[0].value,
	    "encrypt connection_reuse=yes");
	tr_status_free(&st);
	tr_conf_close(&conf);
	buf_free(&path);
}
END_TEST

Suite *tr_status_suite(void);

Suite *
tr_status_suite(void)
{
	Suite *s = suite_create("tr_status");
	TCase *tc;

	tc = tcase_create("problems");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, NULL, remove_instance);
	tcase_add_loop_test(tc, test_tr_status_reports_each_problem, 0,
	    sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_tr_status_names_programs_and_sources);
	tcase_add_test(tc, test_tr_status_lists_policy_entries);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_status_suite)
