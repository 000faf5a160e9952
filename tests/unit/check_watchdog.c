/*
 * check_watchdog.c - tests for common/watchdog.c
 *
 * Uses the shortest legal timeout (3 s: an alarm per second), so the
 * suite takes about 8 s of wall time.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
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
	tcase_add_exit_test(tc, test_watchdog_kills_a_stuck_loop, 1);
	tcase_add_test_raise_signal(
	    tc, test_watchdog_rejects_timeout_below_three, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(watchdog_suite)
