/*
 * check_event.c - tests for common/event.c
 *
 * Timers run against an injected clock (event_clock_set), so no test
 * sleeps; descriptor tests use socketpairs and pipes.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event.h"
#include "runner.h"

static uint64_t fake_now = 1000;
static char trace[64];
static size_t trace_len;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
trace_add(char c)
{
	ck_assert_uint_lt(trace_len, sizeof(trace) - 1);
	trace[trace_len++] = c;
	trace[trace_len] = 0;
}

static void
setup_fake_clock(void)
{
	fake_now = 1000;
	trace_len = 0;
	trace[0] = 0;
	event_clock_set(fake_clock);
}

/* Timer callback: records the letter its ctx points at. */
static void
trace_timer(void *ctx)
{
	trace_add(*(const char *)ctx);
}

static char A = 'A', B = 'B', C = 'C';

START_TEST(test_event_timers_run_in_deadline_order)
{
	event_timer_set(trace_timer, &A, 30);
	event_timer_set(trace_timer, &B, 10);
	event_timer_set(trace_timer, &C, 20);
	fake_now += 15;
	event_loop(0);
	ck_assert_str_eq(trace, "B");
	fake_now += 15;
	event_loop(0);
	ck_assert_str_eq(trace, "BCA");
	event_loop(0);
	ck_assert_str_eq(trace, "BCA");
}
END_TEST

START_TEST(test_event_timers_with_equal_deadline_run_in_set_order)
{
	event_timer_set(trace_timer, &C, 5);
	event_timer_set(trace_timer, &A, 5);
	event_timer_set(trace_timer, &B, 5);
	fake_now += 5;
	event_loop(0);
	ck_assert_str_eq(trace, "CAB");
}
END_TEST

START_TEST(test_event_timer_set_again_reschedules)
{
	event_timer_set(trace_timer, &A, 10);
	event_timer_set(trace_timer, &A, 50);
	ck_assert_int_eq(event_timer_left(trace_timer, &A), 50);
	fake_now += 20;
	event_loop(0);
	ck_assert_str_eq(trace, "");
	ck_assert_int_eq(event_timer_left(trace_timer, &A), 30);
	fake_now += 30;
	event_loop(0);
	event_loop(0);
	ck_assert_str_eq(trace, "A");
	ck_assert_int_eq(event_timer_left(trace_timer, &A), -1);
}
END_TEST

START_TEST(test_event_timer_cancel_is_harmless_when_missing)
{
	ck_assert_int_eq(event_timer_cancel(trace_timer, &A), 0);
	event_timer_set(trace_timer, &A, 10);
	event_timer_set(trace_timer, &B, 10);
	ck_assert_int_eq(event_timer_cancel(trace_timer, &A), 1);
	ck_assert_int_eq(event_timer_cancel(trace_timer, &A), 0);
	fake_now += 10;
	event_loop(0);
	ck_assert_str_eq(trace, "B");
}
END_TEST

/* Checks it was unlinked, then re-arms itself with no delay. */
static void
rearm_timer(void *ctx)
{
	ck_assert_int_eq(event_timer_left(rearm_timer, ctx), -1);
	ck_assert_int_eq(event_timer_cancel(rearm_timer, ctx), 0);
	trace_add('R');
	event_timer_set(rearm_timer, ctx, 0);
}

START_TEST(test_event_timer_is_unlinked_before_it_runs)
{
	event_timer_set(rearm_timer, NULL, 0);
	event_loop(0);
	/* The re-armed zero-delay timer waits for the next iteration. */
	ck_assert_str_eq(trace, "R");
	event_loop(0);
	ck_assert_str_eq(trace, "RR");
	ck_assert_int_eq(event_timer_left(rearm_timer, NULL), 0);
}
END_TEST

/* Cancels timer B from inside timer A. */
static void
cancel_b_timer(void *ctx)
{
	trace_add('X');
	ck_assert_int_eq(event_timer_cancel(trace_timer, &B), 1);
}

START_TEST(test_event_timer_may_cancel_another_due_timer)
{
	event_timer_set(cancel_b_timer, NULL, 1);
	event_timer_set(trace_timer, &B, 2);
	fake_now += 5;
	event_loop(0);
	ck_assert_str_eq(trace, "X");
}
END_TEST

static uint64_t order_last;
static unsigned order_count;

/* Checks that timers keyed by ctx = deadline run in deadline order. */
static void
order_timer(void *ctx)
{
	uint64_t when = (uint64_t)(uintptr_t)ctx;

	ck_assert_uint_ge(when, order_last);
	order_last = when;
	order_count++;
}

START_TEST(test_event_many_timers_stay_ordered)
{
	const unsigned n = 20000;
	unsigned i, cancelled = 0;
	uint64_t d;

	/* Pseudo-random deadlines 1..4096; ctx encodes the deadline. */
	for (i = 0; i < n; i++) {
		d = 1 + (i * 2654435761u) % 4096u;
		event_timer_set(order_timer, (void *)(uintptr_t)(fake_now + d),
		                d);
	}
	for (i = 0; i < n; i += 7) {
		d = 1 + (i * 2654435761u) % 4096u;
		cancelled += (unsigned)event_timer_cancel(
		    order_timer, (void *)(uintptr_t)(fake_now + d));
	}
	fake_now += 5000;
	event_loop(0);
	/* Deadlines repeat, so (fn, ctx) keys collapse to 4096 timers. */
	ck_assert_uint_eq(order_count + cancelled, 4096);
	ck_assert_uint_gt(cancelled, 0);
}
END_TEST

START_TEST(test_event_loop_waits_for_next_timer)
{
	uint64_t start;

	event_clock_set(NULL);
	start = event_now_refresh();
	event_timer_set(trace_timer, &A, 50);
	event_loop(-1);
	ck_assert_str_eq(trace, "A");
	ck_assert_uint_ge(event_now() - start, 50);
	ck_assert_uint_lt(event_now() - start, 1000);
}
END_TEST

/* --- descriptors */

struct fd_probe {
	int fd;
	int other; /* fd this callback may remove, or -1 */
	unsigned calls;
	unsigned last_events;
	int reuse; /* after removing other, reuse its number */
};

static void
probe_event(int fd, unsigned events, void *ctx)
{
	struct fd_probe *p = ctx;

	ck_assert_int_eq(fd, p->fd);
	p->calls++;
	p->last_events = events;
}

/* Fails if ever called: the stale event must not reach it. */
static void
never_event(int fd, unsigned events, void *ctx)
{
	ck_abort_msg("stale event delivered to fd %d", fd);
}

/* Removes and closes the other probe's fd; optionally reuses the number. */
static void
remover_event(int fd, unsigned events, void *ctx)
{
	struct fd_probe *p = ctx;
	int sv[2];

	p->calls++;
	if (p->other < 0)
		return;
	event_clear(p->other);
	ck_assert_int_eq(close(p->other), 0);
	if (p->reuse) {
		/* An idle socket under the old number, with a new callback. */
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		if (sv[0] != p->other) {
			ck_assert_int_eq(dup2(sv[0], p->other), p->other);
			close(sv[0]);
		}
		event_set(p->other, EVENT_READ, never_event, NULL);
	}
}

/* Two readable sockets whose callbacks each remove the other. */
static void
remover_pair(int reuse)
{
	int s1[2], s2[2];
	struct fd_probe p1 = {0}, p2 = {0};

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s1), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s2), 0);
	ck_assert_int_eq(write(s1[1], "x", 1), 1);
	ck_assert_int_eq(write(s2[1], "x", 1), 1);
	p1.fd = s1[0];
	p1.other = s2[0];
	p2.fd = s2[0];
	p2.other = s1[0];
	p1.reuse = p2.reuse = reuse;
	event_set(p1.fd, EVENT_READ, remover_event, &p1);
	event_set(p2.fd, EVENT_READ, remover_event, &p2);
	event_loop(0);
	/* Both were ready in one batch, yet only one callback ran. */
	ck_assert_uint_eq(p1.calls + p2.calls, 1);
}

START_TEST(test_event_callback_may_remove_and_close_another_fd)
{
	remover_pair(0);
}
END_TEST

START_TEST(test_event_reused_fd_number_gets_no_stale_event)
{
	remover_pair(1);
}
END_TEST

START_TEST(test_event_hangup_is_delivered_as_read)
{
	int p[2];
	struct fd_probe probe = {0};

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	probe.fd = p[0];
	event_set(p[0], EVENT_READ, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 1);
	ck_assert_uint_eq(probe.last_events, EVENT_READ);
}
END_TEST

START_TEST(test_event_error_wakes_write_interest)
{
	int p[2];
	struct fd_probe probe = {0};

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	probe.fd = p[1];
	event_set(p[1], EVENT_WRITE, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 1);
	ck_assert_uint_eq(probe.last_events, EVENT_WRITE);
}
END_TEST

START_TEST(test_event_mask_zero_is_silent_even_on_hangup)
{
	int p[2];
	struct fd_probe probe = {0};

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	probe.fd = p[0];
	event_set(p[0], 0, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 0);
	event_set(p[0], EVENT_READ, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 1);
	event_clear(p[0]);
	event_clear(p[0]);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 1);
}
END_TEST

START_TEST(test_event_write_interest_only_gets_write)
{
	int sv[2];
	struct fd_probe probe = {0};

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	probe.fd = sv[0];
	event_set(sv[0], EVENT_WRITE, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.last_events, EVENT_WRITE);
	event_set(sv[0], EVENT_READ | EVENT_WRITE, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.last_events, EVENT_READ | EVENT_WRITE);
	ck_assert_uint_eq(probe.calls, 2);
}
END_TEST

static int ready_a, ready_b;
static int ready_seen_b_pending = -1, ready_seen_a_pending = -1;

/* First of the two: is the other one's event still to come? */
static void
ready_first_event(int fd, unsigned events, void *ctx)
{
	char c;

	(void)read(fd, &c, 1);
	trace_add('1');
	ready_seen_b_pending = event_ready(ready_b);
	ready_seen_a_pending = event_ready(ready_a);
}

static void
ready_second_event(int fd, unsigned events, void *ctx)
{
	char c;

	(void)read(fd, &c, 1);
	trace_add('2');
}

START_TEST(test_event_ready_sees_the_rest_of_the_batch)
{
	int p[2], q[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	ready_a = p[0];
	ready_b = q[0];
	event_set(ready_a, EVENT_READ, ready_first_event, NULL);
	event_set(ready_b, EVENT_READ, ready_second_event, NULL);
	/* a becomes ready first, so the kernel reports it first. */
	ck_assert_int_eq(write(p[1], "a", 1), 1);
	ck_assert_int_eq(write(q[1], "b", 1), 1);
	event_loop(0);
	ck_assert_str_eq(trace, "12");
	ck_assert_int_eq(ready_seen_b_pending, 1);
	ck_assert_int_eq(ready_seen_a_pending, 0);
	/* Outside a batch, or for a descriptor nobody watches: 0. */
	ck_assert_int_eq(event_ready(ready_b), 0);
	ck_assert_int_eq(event_ready(p[1]), 0);
	event_clear(ready_a);
	event_clear(ready_b);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}
END_TEST

START_TEST(test_event_high_fd_grows_the_table)
{
	int p[2], high;
	struct fd_probe probe = {0};

	ck_assert_int_eq(pipe(p), 0);
	high = fcntl(p[0], F_DUPFD, 700);
	ck_assert_int_ge(high, 700);
	close(p[1]);
	probe.fd = high;
	event_set(high, EVENT_READ, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 1);
}
END_TEST

static void
reenter_event(int fd, unsigned events, void *ctx)
{
	event_loop(0);
}

START_TEST(test_event_reentering_the_loop_panics)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	event_set(p[0], EVENT_READ, reenter_event, NULL);
	event_loop(0);
}
END_TEST

START_TEST(test_event_fork_starts_empty)
{
	int p[2];
	struct fd_probe probe = {0};

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	probe.fd = p[0];
	event_set(p[0], EVENT_READ, probe_event, &probe);
	event_timer_set(trace_timer, &A, 0);
	event_fork();
	ck_assert_int_eq(event_timer_left(trace_timer, &A), -1);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 0);
	ck_assert_str_eq(trace, "");
	/* The new instance works. */
	event_set(p[0], EVENT_READ, probe_event, &probe);
	event_loop(0);
	ck_assert_uint_eq(probe.calls, 1);
}
END_TEST

Suite *event_suite(void);

Suite *
event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc;

	tc = tcase_create("timers");
	tcase_add_checked_fixture(tc, setup_fake_clock, NULL);
	tcase_add_test(tc, test_event_timers_run_in_deadline_order);
	tcase_add_test(tc,
	               test_event_timers_with_equal_deadline_run_in_set_order);
	tcase_add_test(tc, test_event_timer_set_again_reschedules);
	tcase_add_test(tc, test_event_timer_cancel_is_harmless_when_missing);
	tcase_add_test(tc, test_event_timer_is_unlinked_before_it_runs);
	tcase_add_test(tc, test_event_timer_may_cancel_another_due_timer);
	tcase_add_test(tc, test_event_many_timers_stay_ordered);
	tcase_add_test(tc, test_event_loop_waits_for_next_timer);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);

	tc = tcase_create("descriptors");
	tcase_add_checked_fixture(tc, setup_fake_clock, NULL);
	tcase_add_test(tc, test_event_callback_may_remove_and_close_another_fd);
	tcase_add_test(tc, test_event_reused_fd_number_gets_no_stale_event);
	tcase_add_test(tc, test_event_hangup_is_delivered_as_read);
	tcase_add_test(tc, test_event_error_wakes_write_interest);
	tcase_add_test(tc, test_event_mask_zero_is_silent_even_on_hangup);
	tcase_add_test(tc, test_event_ready_sees_the_rest_of_the_batch);
	tcase_add_test(tc, test_event_write_interest_only_gets_write);
	tcase_add_test(tc, test_event_high_fd_grows_the_table);
	tcase_add_test(tc, test_event_fork_starts_empty);
	tcase_add_test_raise_signal(tc, test_event_reentering_the_loop_panics,
	                            SIGABRT);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(event_suite)
