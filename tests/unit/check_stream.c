/*
 * check_stream.c - tests for common/stream.c
 *
 * Each test owns a socketpair: the stream adopts one end, the test plays
 * the peer on the other (blocking, or through fdpass). Timeouts run on
 * an injected clock; everything else on the real event loop.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "fdpass.h"
#include "runner.h"
#include "stream.h"

/* What the owner callback saw. */
struct owner {
	struct stream *s;
	unsigned data, flushed, eof, error, timeout;
	size_t want; /* consume input once this many bytes are buffered */
	size_t consumed;
	int echo;    /* answer each input with "ok" */
	int free_on; /* free the stream on this event (-1: never) */
};

static int sv[2]; /* sv[0]: the stream's end, sv[1]: the peer */
static struct owner own;

static void
owner_event(struct stream *s, enum stream_event ev, void *ctx)
{
	struct owner *o = ctx;
	size_t len;

	ck_assert_ptr_eq(s, o->s);
	switch (ev) {
	case STREAM_DATA:
		o->data++;
		(void)stream_data(s, &len);
		if (o->echo) {
			stream_consume(s, len);
			stream_write(s, "ok", 2);
		}
		if (o->want > 0 && len >= o->want) {
			stream_consume(s, len);
			o->consumed += len;
		}
		break;
	case STREAM_FLUSHED:
		o->flushed++;
		break;
	case STREAM_EOF:
		o->eof++;
		break;
	case STREAM_ERROR:
		o->error++;
		break;
	case STREAM_TIMEOUT:
		o->timeout++;
		break;
	}
	if ((int)ev == o->free_on) {
		stream_free(s);
		o->s = NULL;
	}
}

static void
setup_stream(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	memset(&own, 0, sizeof(own));
	own.free_on = -1;
	own.s = stream_create(sv[0], owner_event, &own);
}

static void
teardown_stream(void)
{
	stream_free(own.s);
	if (sv[1] >= 0)
		close(sv[1]);
}

/* Runs the loop until *counter reaches want (at most ~100 rounds). */
static void
run_until(const unsigned *counter, unsigned want)
{
	int i;

	for (i = 0; i < 100 && *counter < want; i++)
		event_loop(100);
	ck_assert_uint_ge(*counter, want);
}

/* Number of open descriptors of this process. */
static int
open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1;
}

/* Writes all len bytes to a blocking socket. */
static void
peer_write(int fd, const void *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		ck_assert_int_gt(n, 0);
		data = (const char *)data + n;
		len -= (size_t)n;
	}
}

START_TEST(test_stream_delivers_data_and_consumes)
{
	const void *p;
	size_t len;

	peer_write(sv[1], "hello", 5);
	run_until(&own.data, 1);
	p = stream_data(own.s, &len);
	ck_assert_uint_eq(len, 5);
	ck_assert_mem_eq(p, "hello", 5);
	stream_consume(own.s, 2);
	p = stream_data(own.s, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(p, "llo", 3);
	peer_write(sv[1], "!", 1);
	run_until(&own.data, 2);
	p = stream_data(own.s, &len);
	ck_assert_mem_eq(p, "llo!", 4);
}
END_TEST

START_TEST(test_stream_answer_goes_out_in_the_same_iteration)
{
	char reply[8];

	own.echo = 1;
	peer_write(sv[1], "q", 1);
	/* One loop iteration reads the question and writes the answer:
	 * no second round waiting for writability. */
	event_loop(100);
	ck_assert_uint_eq(own.data, 1);
	ck_assert_uint_eq(own.flushed, 1);
	ck_assert_uint_eq(stream_pending(own.s), 0);
	ck_assert_int_eq(recv(sv[1], reply, sizeof(reply), MSG_DONTWAIT), 2);
	ck_assert_mem_eq(reply, "ok", 2);
}
END_TEST

START_TEST(test_stream_flushes_through_partial_writes)
{
	const size_t total = 1 << 20;
	char *out = malloc(total), *in = malloc(total);
	size_t i, got = 0, min_pending = total;
	int small = 4096;
	ssize_t n;

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(in);
	for (i = 0; i < total; i++)
		out[i] = (char)(i * 7 + i / 251);
	ck_assert_int_eq(
	    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	stream_write(own.s, out, total / 2);
	stream_write(own.s, out + total / 2, total - total / 2);
	ck_assert_uint_eq(stream_pending(own.s), total);
	/* The peer drains between loop rounds; each round writes a little. */
	for (i = 0; i < 100000 && own.flushed == 0; i++) {
		event_loop(100);
		if (stream_pending(own.s) > 0 && stream_pending(own.s) < total)
			min_pending = stream_pending(own.s);
		while ((n = read(sv[1], in + got, total - got)) > 0)
			got += (size_t)n;
	}
	while ((n = read(sv[1], in + got, total - got)) > 0)
		got += (size_t)n;
	ck_assert_uint_eq(own.flushed, 1);
	ck_assert_uint_lt(min_pending, total); /* partial progress seen */
	ck_assert_uint_eq(stream_pending(own.s), 0);
	ck_assert_uint_eq(got, total);
	ck_assert_mem_eq(in, out, total);
	free(out);
	free(in);
}
END_TEST

/* The peer sends size bytes; the owner consumes only a whole message. */
static void
send_message_of(size_t size)
{
	char *msg = calloc(1, size);

	ck_assert_ptr_nonnull(msg);
	own.want = size;
	peer_write(sv[1], msg, size);
	free(msg);
}

START_TEST(test_stream_input_at_the_limit_is_accepted)
{
	int i;

	send_message_of(STREAM_INPUT_LIMIT);
	for (i = 0; i < 1000 && own.consumed == 0 && own.error == 0; i++)
		event_loop(100);
	ck_assert_uint_eq(own.consumed, STREAM_INPUT_LIMIT);
	ck_assert_uint_eq(own.error, 0);
	ck_assert_int_eq(stream_errno(own.s), 0);
}
END_TEST

START_TEST(test_stream_input_past_the_limit_fails)
{
	send_message_of(STREAM_INPUT_LIMIT + 1);
	run_until(&own.error, 1);
	ck_assert_uint_eq(own.consumed, 0);
	ck_assert_int_eq(stream_errno(own.s), EMSGSIZE);
	/* A failed stream is silent. */
	event_loop(0);
	ck_assert_uint_eq(own.error, 1);
}
END_TEST

START_TEST(test_stream_reports_eof_after_data)
{
	size_t len;

	peer_write(sv[1], "bye", 3);
	close(sv[1]);
	sv[1] = -1;
	run_until(&own.eof, 1);
	ck_assert_uint_ge(own.data, 1);
	(void)stream_data(own.s, &len);
	ck_assert_uint_eq(len, 3);
	event_loop(0);
	ck_assert_uint_eq(own.eof, 1);
	ck_assert_uint_eq(own.error, 0);
}
END_TEST

START_TEST(test_stream_write_to_closed_peer_fails)
{
	close(sv[1]);
	sv[1] = -1;
	stream_write(own.s, "x", 1);
	run_until(&own.error, 1);
	ck_assert_int_eq(stream_errno(own.s), EPIPE);
}
END_TEST

START_TEST(test_stream_keeps_received_fd_for_the_owner)
{
	struct stat a, b;
	const void *p;
	size_t len;
	int fd;

	peer_write(sv[1], "dummy\0\0", 7);
	ck_assert_int_eq(fdpass_send(sv[1], sv[1]), 0);
	run_until(&own.data, 1);
	p = stream_data(own.s, &len);
	ck_assert_uint_eq(len, 8);
	ck_assert_mem_eq(p, "dummy\0\0\0", 8);
	fd = stream_take_fd(own.s);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &a), 0);
	ck_assert_int_eq(fstat(sv[1], &b), 0);
	ck_assert_uint_eq(a.st_ino, b.st_ino);
	ck_assert_int_eq(stream_take_fd(own.s), -1);
	close(fd);
}
END_TEST

START_TEST(test_stream_second_fd_before_take_fails_without_leak)
{
	int before = open_fds();

	ck_assert_int_eq(fdpass_send(sv[1], sv[1]), 0);
	run_until(&own.data, 1);
	ck_assert_int_eq(fdpass_send(sv[1], sv[1]), 0);
	run_until(&own.error, 1);
	ck_assert_int_eq(stream_errno(own.s), EBADMSG);
	ck_assert_int_eq(open_fds(), before + 1); /* the first, untaken */
	stream_free(own.s);
	own.s = NULL;
	ck_assert_int_eq(open_fds(), before - 1); /* and the stream's end */
}
END_TEST

START_TEST(test_stream_reports_a_descriptor_lost_to_a_full_table)
{
	struct rlimit rl = {.rlim_cur = 64, .rlim_max = 64};
	int copies[64], n = 0, fd;
	size_t len;

	ck_assert_int_eq(fdpass_send(sv[1], sv[1]), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (n < 64 && (copies[n] = dup(sv[1])) >= 0)
		n++;
	ck_assert_int_eq(errno, EMFILE);
	run_until(&own.data, 1);
	(void)stream_data(own.s, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(stream_take_fd(own.s), FDPASS_FD_LOST);
	ck_assert_int_eq(stream_take_fd(own.s), -1);
	stream_consume(own.s, len);
	/* The stream carries on: with room, the next one arrives. */
	close(copies[--n]);
	ck_assert_int_eq(fdpass_send(sv[1], sv[1]), 0);
	run_until(&own.data, 2);
	ck_assert_int_ge((fd = stream_take_fd(own.s)), 0);
	ck_assert_uint_eq(own.error, 0);
	close(fd);
}
END_TEST

START_TEST(test_stream_rejects_credentials_message)
{
	int on = 1;

	ck_assert_int_eq(
	    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
	peer_write(sv[1], "x", 1);
	run_until(&own.error, 1);
	ck_assert_int_eq(stream_errno(own.s), EBADMSG);
	ck_assert_uint_eq(own.data, 0);
}
END_TEST

START_TEST(test_stream_passes_fd_in_byte_order)
{
	char buf[64];
	int p[2], fd, before;
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	before = open_fds();
	stream_write(own.s,
	             "status\0"
	             "0\0\0",
	             10);
	stream_send_fd(own.s, p[0]);
	stream_write(own.s, "dummy\0\0\0", 8);
	ck_assert_uint_eq(stream_pending(own.s), 19);
	run_until(&own.flushed, 1);
	/* The stream closed its copy once it was sent. */
	ck_assert_int_eq(open_fds(), before - 1);
	n = fdpass_read(sv[1], buf, sizeof(buf), &fd);
	ck_assert_int_eq(n, 11);
	ck_assert_mem_eq(buf,
	                 "status\0"
	                 "0\0\0\0",
	                 11);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(p[1], "q", 1), 1);
	ck_assert_int_eq(read(fd, buf, 1), 1);
	ck_assert_int_eq(buf[0], 'q');
	close(fd);
	n = fdpass_read(sv[1], buf, sizeof(buf), &fd);
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(test_stream_free_inside_callback_is_deferred)
{
	char buf[1];

	own.free_on = STREAM_DATA;
	peer_write(sv[1], "abc", 3);
	run_until(&own.data, 1);
	ck_assert_ptr_null(own.s);
	/* The stream's end is closed: the peer sees EOF. */
	ck_assert_int_eq(read(sv[1], buf, 1), 0);
	ck_assert_int_eq(fcntl(sv[0], F_GETFD), -1);
	event_loop(0);
	ck_assert_uint_eq(own.data, 1);
}
END_TEST

START_TEST(test_stream_free_closes_held_and_queued_fds)
{
	int p[2], before;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fdpass_send(sv[1], p[1]), 0);
	run_until(&own.data, 1);
	stream_send_fd(own.s, p[0]);
	before = open_fds();
	stream_free(own.s);
	own.s = NULL;
	/* The stream's end, the held fd and the queued fd are gone. */
	ck_assert_int_eq(open_fds(), before - 3);
	close(p[1]);
}
END_TEST

/* --- timeouts, on an injected clock */

static uint64_t fake_now = 1000;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

/* Advances the fake clock and runs one loop iteration. */
static void
advance(uint64_t ms)
{
	fake_now += ms;
	event_loop(0);
}

START_TEST(test_stream_timeout_fires_without_progress)
{
	event_clock_set(fake_clock);
	stream_set_timeout(own.s, 100);
	advance(99);
	ck_assert_uint_eq(own.timeout, 0);
	advance(1);
	ck_assert_uint_eq(own.timeout, 1);
	/* Once only, until re-armed. */
	advance(1000);
	ck_assert_uint_eq(own.timeout, 1);
	stream_set_timeout(own.s, 10);
	advance(10);
	ck_assert_uint_eq(own.timeout, 2);
}
END_TEST

START_TEST(test_stream_progress_restarts_the_timeout)
{
	event_clock_set(fake_clock);
	stream_set_timeout(own.s, 100);
	advance(60);
	peer_write(sv[1], "x", 1);
	advance(0);
	ck_assert_uint_eq(own.data, 1);
	advance(60);
	ck_assert_uint_eq(own.timeout, 0);
	advance(40);
	ck_assert_uint_eq(own.timeout, 1);
}
END_TEST

START_TEST(test_stream_deadline_ignores_progress)
{
	event_clock_set(fake_clock);
	stream_set_deadline(own.s, 100);
	advance(60);
	peer_write(sv[1], "x", 1);
	advance(0);
	ck_assert_uint_eq(own.data, 1);
	advance(39);
	ck_assert_uint_eq(own.timeout, 0);
	advance(1);
	ck_assert_uint_eq(own.timeout, 1);
	/* A progress timeout replaces it (and the other way round). */
	stream_set_deadline(own.s, 50);
	stream_set_timeout(own.s, 100);
	advance(60);
	ck_assert_uint_eq(own.timeout, 1);
}
END_TEST

START_TEST(test_stream_output_limit_holds_input_back)
{
	static char big[1 << 20], sink[1 << 16];
	int small = 1, i;
	ssize_t n;

	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	stream_set_output_limit(own.s, 1000);
	stream_write(own.s, big, sizeof(big));
	for (i = 0; i < 10; i++)
		event_loop(0);
	ck_assert_uint_gt(stream_pending(own.s), 1000);
	/* Above the limit the peer's bytes are not read... */
	peer_write(sv[1], "x", 1);
	for (i = 0; i < 10; i++)
		event_loop(0);
	ck_assert_uint_eq(own.data, 0);
	/* ...until it has read enough of ours. */
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	for (i = 0; i < 100000 && own.data == 0; i++) {
		event_loop(0);
		n = read(sv[1], sink, sizeof(sink));
		ck_assert(n > 0 || errno == EAGAIN);
	}
	ck_assert_uint_eq(own.data, 1);
	ck_assert_uint_le(stream_pending(own.s), 1000);
}
END_TEST

START_TEST(test_stream_timeout_zero_disarms)
{
	event_clock_set(fake_clock);
	stream_set_timeout(own.s, 100);
	stream_set_timeout(own.s, 0);
	advance(1000);
	ck_assert_uint_eq(own.timeout, 0);
}
END_TEST

START_TEST(test_stream_consume_past_input_panics)
{
	stream_consume(own.s, 1);
}
END_TEST

Suite *stream_suite(void);

Suite *
stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc;

	tc = tcase_create("io");
	tcase_add_checked_fixture(tc, setup_stream, teardown_stream);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_stream_delivers_data_and_consumes);
	tcase_add_test(tc, test_stream_answer_goes_out_in_the_same_iteration);
	tcase_add_test(tc, test_stream_flushes_through_partial_writes);
	tcase_add_test(tc, test_stream_reports_eof_after_data);
	tcase_add_test(tc, test_stream_write_to_closed_peer_fails);
	tcase_add_test(tc, test_stream_free_inside_callback_is_deferred);
	tcase_add_test_raise_signal(tc, test_stream_consume_past_input_panics,
	                            SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup_stream, teardown_stream);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_stream_input_at_the_limit_is_accepted);
	tcase_add_test(tc, test_stream_input_past_the_limit_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("descriptors");
	tcase_add_checked_fixture(tc, setup_stream, teardown_stream);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_stream_keeps_received_fd_for_the_owner);
	tcase_add_test(tc,
	               test_stream_second_fd_before_take_fails_without_leak);
	tcase_add_test(tc,
	               test_stream_reports_a_descriptor_lost_to_a_full_table);
	tcase_add_test(tc, test_stream_rejects_credentials_message);
	tcase_add_test(tc, test_stream_passes_fd_in_byte_order);
	tcase_add_test(tc, test_stream_free_closes_held_and_queued_fds);
	suite_add_tcase(s, tc);

	tc = tcase_create("timeouts");
	tcase_add_checked_fixture(tc, setup_stream, teardown_stream);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_stream_timeout_fires_without_progress);
	tcase_add_test(tc, test_stream_progress_restarts_the_timeout);
	tcase_add_test(tc, test_stream_deadline_ignores_progress);
	tcase_add_test(tc, test_stream_output_limit_holds_input_back);
	tcase_add_test(tc, test_stream_timeout_zero_disarms);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(stream_suite)
