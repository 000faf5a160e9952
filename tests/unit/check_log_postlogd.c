/*
 * check_log_postlogd.c - tests for common/log_postlogd.c
 *
 * A datagram socket bound in a temporary directory stands in for
 * postlogd; the tests compare the exact record bytes it receives.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "log_postlogd.h"
#include "fake_postlogd.h"
#include "runner.h"

/* 2026-11-28 15:38:01 UTC and 2026-11-03 07:05:09 UTC. */
#define T_NOV28 ((time_t)1795880281)
#define T_NOV03 ((time_t)1793689509)

static void
use_utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

START_TEST(test_log_postlogd_format_matches_postfix_record)
{
	char out[256];
	size_t len;

	use_utc();
	len = log_postlogd_format(out, sizeof(out), T_NOV28,
	                          "client.pfsandbox.test", "postfix/scache",
	                          14737, MSG_INFO,
	                          "statistics: start interval Nov 28 15:28:01");
	ck_assert_str_eq(out, "Nov 28 15:38:01 client postfix/scache[14737]: "
	                      "statistics: start interval Nov 28 15:28:01");
	ck_assert_uint_eq(len, strlen(out));
}
END_TEST

START_TEST(test_log_postlogd_format_prefixes_severity_and_pads_day)
{
	static const struct {
		enum msg_level level;
		const char *want;
	} rows[] = {
	    {MSG_WARN, "Nov 03 07:05:09 mx postfix/relay/smtp[7]: warning: t"},
	    {MSG_ERROR, "Nov 03 07:05:09 mx postfix/relay/smtp[7]: error: t"},
	    {MSG_FATAL, "Nov 03 07:05:09 mx postfix/relay/smtp[7]: fatal: t"},
	    {MSG_PANIC, "Nov 03 07:05:09 mx postfix/relay/smtp[7]: panic: t"},
	};
	char out[256];
	size_t i;

	use_utc();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		log_postlogd_format(out, sizeof(out), T_NOV03, "mx",
		                    "postfix/relay/smtp", 7, rows[i].level,
		                    "t");
		ck_assert_str_eq(out, rows[i].want);
	}
}
END_TEST

START_TEST(test_log_postlogd_format_cuts_at_buffer)
{
	char out[20];
	size_t len;

	use_utc();
	len = log_postlogd_format(out, sizeof(out), T_NOV28, "h", "p/x", 1,
	                          MSG_INFO, "long text");
	ck_assert_uint_eq(len, sizeof(out) - 1);
	ck_assert_str_eq(out, "Nov 28 15:38:01 h p");
}
END_TEST

START_TEST(test_log_postlogd_sends_one_datagram_per_message)
{
	char rec[LOG_POSTLOGD_RECORD_MAX + 1], want[128];
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();

	lp = log_postlogd_create(fake_postlogd_path(), "vm.localdomain",
	                         "postfix/test");
	msg_output_clear();
	msg_output_add(log_postlogd_output, lp);
	msg_info("first");
	msg_warn("second\nline");
	msg_output_clear();
	snprintf(want, sizeof(want), "vm postfix/test[%ld]: first",
	         (long)getpid());
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	fake_postlogd_assert(rec, want);
	snprintf(want, sizeof(want),
	         "vm postfix/test[%ld]: warning: second?line", (long)getpid());
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	fake_postlogd_assert(rec, want);
	ck_assert_int_eq(fake_postlogd_recv(sfd, rec, sizeof(rec)), -1);
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

START_TEST(test_log_postlogd_set_pid_after_fork)
{
	char rec[LOG_POSTLOGD_RECORD_MAX + 1], want[64];
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();

	lp = log_postlogd_create(fake_postlogd_path(), "vm.localdomain",
	                         "postfix/test");
	/* The record head is kept for a second; a new pid replaces it. */
	ck_assert_int_eq(log_postlogd_send(lp, MSG_INFO, "before"), 0);
	log_postlogd_set_pid(lp, 4242);
	ck_assert_int_eq(log_postlogd_send(lp, MSG_WARN, "drained"), 0);
	snprintf(want, sizeof(want), "vm postfix/test[%ld]: before",
	         (long)getpid());
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	fake_postlogd_assert(rec, want);
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	fake_postlogd_assert(rec, "vm postfix/test[4242]: warning: drained");
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

START_TEST(test_log_postlogd_drops_silently_then_reconnects)
{
	char rec[LOG_POSTLOGD_RECORD_MAX + 1];
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();

	/* No postlogd at create time: records are dropped, errno kept. */
	close(sfd);
	unlink(fake_postlogd_path());
	lp = log_postlogd_create(fake_postlogd_path(), "h", "p/x");
	errno = EBADMSG;
	ck_assert_int_eq(log_postlogd_send(lp, MSG_INFO, "lost"), -1);
	ck_assert_int_eq(errno, EBADMSG);
	/* postlogd appears: the next message connects and is delivered. */
	sfd = fake_postlogd_bind();
	ck_assert_int_eq(log_postlogd_send(lp, MSG_INFO, "found"), 0);
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	ck_assert_ptr_nonnull(strstr(rec, ": found"));
	/* postlogd's socket is re-created: one reconnect, then delivered. */
	close(sfd);
	sfd = fake_postlogd_bind();
	ck_assert_int_eq(log_postlogd_send(lp, MSG_INFO, "again"), 0);
	ck_assert_int_gt(fake_postlogd_recv(sfd, rec, sizeof(rec)), 0);
	ck_assert_ptr_nonnull(strstr(rec, ": again"));
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A postlogd that stopped reading costs one bounded wait, then drops. */
START_TEST(test_log_postlogd_stuck_reader_costs_one_wait)
{
	struct timespec t0;
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();
	int i, dropped = 0;
	double elapsed;

	lp = log_postlogd_create(fake_postlogd_path(), "h", "p/x");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 1000; i++)
		dropped += log_postlogd_send(lp, MSG_WARN, "flood") < 0;
	elapsed = seconds_since(&t0);
	ck_assert_int_gt(dropped, 0);
	ck_assert_msg(elapsed >= LOG_POSTLOGD_WAIT_MS / 1000.0 - 0.05,
	              "the first full queue was not waited for (%.3fs)",
	              elapsed);
	ck_assert_msg(elapsed < LOG_POSTLOGD_WAIT_MS / 1000.0 + 0.5,
	              "1000 sends took %.3fs", elapsed);
	/* A fatal record waits a bounded time for room, then gives up. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(log_postlogd_send(lp, MSG_FATAL, "last words"), -1);
	elapsed = seconds_since(&t0);
	ck_assert_msg(elapsed < LOG_POSTLOGD_FATAL_WAIT_MS / 1000.0 + 0.25,
	              "fatal send took %.3fs", elapsed);
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

/* A busy but live postlogd loses nothing, as with stock's blocking send. */
START_TEST(test_log_postlogd_busy_reader_loses_nothing)
{
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();
	int i, status, sent = 0;
	char rec[LOG_POSTLOGD_RECORD_MAX];
	pid_t reader;

	reader = fork();
	ck_assert_int_ge(reader, 0);
	if (reader == 0) {
		for (i = 0; i < 1000; i++) {
			if (recv(sfd, rec, sizeof(rec), 0) <= 0)
				_exit(2);
			usleep(100);
		}
		_exit(0);
	}
	lp = log_postlogd_create(fake_postlogd_path(), "h", "p/x");
	for (i = 0; i < 1000; i++)
		sent += log_postlogd_send(lp, MSG_INFO, "burst") == 0;
	ck_assert_int_eq(sent, 1000);
	ck_assert_int_eq(waitpid(reader, &status, 0), reader);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "reader status %d", status);
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

/* The rivals below write for RIVAL_MS; RIVALS of them. */
#define RIVAL_MS 300
#define RIVALS 3

/*
 * Another process of the instance logging a burst, as stock processes
 * do: blocking sends, so that each slot the reader frees wakes it inside
 * the kernel, where it retries sooner than a poll() returns to its
 * caller. Writes until RIVAL_MS have passed.
 */
static void __attribute__((noreturn))
rival_writer(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	/* Not blocked for good once the reader has gone. */
	struct timeval give_up = {.tv_usec = 50000};
	struct timespec t0;
	int cfd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fake_postlogd_path());
	cfd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (cfd < 0 ||
	    setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &give_up,
	               sizeof(give_up)) < 0 ||
	    connect(cfd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		_exit(2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (seconds_since(&t0) < RIVAL_MS / 1000.0)
		if (send(cfd, "rival", 5, 0) != 5 && errno != EAGAIN)
			_exit(2);
	_exit(0);
}

/*
 * A postlogd that reads a record every half millisecond. Exits 0 when it
 * has read one ending in ": ours", 1 if none came within two seconds.
 */
static void __attribute__((noreturn))
slow_reader(int sfd)
{
	char rec[LOG_POSTLOGD_RECORD_MAX];
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (seconds_since(&t0) < 2) {
		if (fake_postlogd_recv(sfd, rec, sizeof(rec)) > 0 &&
		    strstr(rec, ": ours") != NULL)
			_exit(0);
		usleep(500);
	}
	_exit(1);
}

static void
expect_exit_0(pid_t pid, const char *what)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "%s: status %d", what, status);
}

/*
 * Room that other writers take first is waited for again: ours is sent
 * while the queue is full and contested, and arrives.
 */
START_TEST(test_log_postlogd_room_taken_by_another_writer_is_waited_for)
{
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();
	pid_t rivals[RIVALS], reader;
	int i;

	for (i = 0; i < RIVALS; i++) {
		if ((rivals[i] = fork()) == 0)
			rival_writer();
		ck_assert_int_gt(rivals[i], 0);
	}
	if ((reader = fork()) == 0)
		slow_reader(sfd);
	ck_assert_int_gt(reader, 0);
	/* The rivals keep the queue full from now on. */
	usleep(50000);
	lp = log_postlogd_create(fake_postlogd_path(), "h", "p/x");
	ck_assert_int_eq(log_postlogd_send(lp, MSG_INFO, "ours"), 0);
	for (i = 0; i < RIVALS; i++)
		expect_exit_0(rivals[i], "rival writer");
	expect_exit_0(reader, "reader (1: our record never arrived)");
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

START_TEST(test_log_postlogd_record_cut_at_limit)
{
	static char text[MSG_TEXT_LIMIT + 1];
	char rec[2 * LOG_POSTLOGD_RECORD_MAX];
	char ident[3000];
	struct log_postlogd *lp;
	int sfd = fake_postlogd_bind();

	/* A 3000-byte identity plus 2000 bytes of text exceed the limit. */
	memset(ident, 'i', sizeof(ident) - 1);
	ident[sizeof(ident) - 1] = 0;
	memset(text, 't', sizeof(text) - 1);
	lp = log_postlogd_create(fake_postlogd_path(), "h", ident);
	ck_assert_int_eq(log_postlogd_send(lp, MSG_INFO, text), 0);
	ck_assert_int_eq(fake_postlogd_recv(sfd, rec, sizeof(rec)),
	                 LOG_POSTLOGD_RECORD_MAX - 1);
	log_postlogd_free(lp);
	close(sfd);
	fake_postlogd_remove();
}
END_TEST

START_TEST(test_log_postlogd_prefix_check)
{
	static const struct {
		const char *file;
		const char *prefixes;
		int want;
	} rows[] = {
	    {"/var/log/postfix.log", "/var, /dev/stdout", 1},
	    {"/dev/stdout", "/var, /dev/stdout", 1},
	    {"/tmp/postfix.log", "/var, /dev/stdout", 0},
	    {"/tmp/x", "/var,/dev/stdout /tmp", 1},
	    {"/var/log/x", "", 0},
	    {"/va", "/var", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_msg(
		    log_postlogd_prefix_ok(rows[i].file, rows[i].prefixes) ==
		        rows[i].want,
		    "row %zu: %s in '%s'", i, rows[i].file, rows[i].prefixes);
}
END_TEST

START_TEST(test_log_postlogd_free_accepts_null)
{
	log_postlogd_free(NULL);
}
END_TEST

Suite *log_postlogd_suite(void);

Suite *
log_postlogd_suite(void)
{
	Suite *s = suite_create("log_postlogd");
	TCase *fmt = tcase_create("format");
	TCase *io = tcase_create("socket");

	tcase_add_test(fmt, test_log_postlogd_format_matches_postfix_record);
	tcase_add_test(fmt,
	               test_log_postlogd_format_prefixes_severity_and_pads_day);
	tcase_add_test(fmt, test_log_postlogd_format_cuts_at_buffer);
	tcase_add_test(fmt, test_log_postlogd_prefix_check);
	tcase_add_test(fmt, test_log_postlogd_free_accepts_null);
	suite_add_tcase(s, fmt);
	tcase_set_timeout(io, 10);
	tcase_add_test(io, test_log_postlogd_sends_one_datagram_per_message);
	tcase_add_test(io, test_log_postlogd_set_pid_after_fork);
	tcase_add_test(io, test_log_postlogd_drops_silently_then_reconnects);
	tcase_add_test(io, test_log_postlogd_stuck_reader_costs_one_wait);
	tcase_add_test(io, test_log_postlogd_busy_reader_loses_nothing);
	tcase_add_test(
	    io, test_log_postlogd_room_taken_by_another_writer_is_waited_for);
	tcase_add_test(io, test_log_postlogd_record_cut_at_limit);
	suite_add_tcase(s, io);
	return s;
}

RUNNER_SUITE(log_postlogd_suite)
