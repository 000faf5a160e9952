/*
 * check_watchdog.c - tests for common/watchdog.c
 *
 * Uses the shortest legal timeout (3 s: an alarm per second, the first
 * after 2 s), so the suite takes about 9 s of wall time; the re-arming
 * rule runs on an injected clock and reads the timer back.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <unistd.h>

#include "event.h"
#include "msg.h"
#include "runner.h"
#include "watchdog.h"
#include "capture.h"

static int loop_done;

static void
stop_loop(void *ctx)
{
	loop_done = 1;
}

START_TEST(test_watchdog_never_kills_an_idle_loop)
{
	/* Nothing but the 4 s timer is pending: only alarms wake the loop. */
	watchdog_start(3);
	event_timer_set(stop_loop, NULL, 4000);
	while (!loop_done) {
		watchdog_restart();
		event_loop(-1);
	}
	watchdog_stop();
}
END_TEST

static void
assert_watchdog_text(void)
{
	ck_assert_str_eq(capture_text(), "fatal: watchdog timeout\n");
}

START_TEST(test_watchdog_kills_a_stuck_loop)
{
	capture_start();
	msg_set_cleanup(assert_watchdog_text);
	watchdog_start(3);
	for (;;)
		pause();
}
END_TEST

static uint64_t fake_now = 1;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

/* Seconds left on the alarm, rounded up. */
static long
alarm_left(void)
{
	struct itimerval it;

	ck_assert_int_eq(getitimer(ITIMER_REAL, &it), 0);
	return it.it_value.tv_sec + (it.it_value.tv_usec > 0);
}

START_TEST(test_watchdog_rearms_at_most_once_a_second)
{
	event_clock_set(fake_clock);
	watchdog_start(30);
	/* The first interval gets a second more: 10 + 1. */
	ck_assert_int_eq(alarm_left(), 11);
	alarm(100);
	fake_now += 999;
	watchdog_restart();
	ck_assert_int_eq(alarm_left(), 100);
	fake_now += 1;
	watchdog_restart();
	ck_assert_int_eq(alarm_left(), 11);
	watchdog_stop();
	ck_assert_int_eq(alarm_left(), 0);
	event_clock_set(NULL);
}
END_TEST

START_TEST(test_watchdog_rejects_timeout_below_three)
{
	watchdog_start(2);
}
END_TEST

Suite *watchdog_suite(void);

Suite *
watchdog_suite(void)
{
	Suite *s = suite_create("watchdog");
	TCase *tc = tcase_create("timers");

	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, test_watchdog_never_kills_an_idle_loop);
	tcase_add_test(tc, test_watchdog_rearms_at_most_once_a_second);
	tcase_add_exit_test(tc, test_watchdog_kills_a_stuck_loop, 1);
	tcase_add_test_raise_signal(
	    tc, test_watchdog_rejects_timeout_below_three, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(watchdog_suite)
