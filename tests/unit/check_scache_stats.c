/*
 * check_scache_stats.c - tests for scache/scache_stats.c
 *
 * Expected lines are stock scache's, from the golden 3.7.11 maillog.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "runner.h"
#include "scache_cache.h"
#include "scache_stats.h"

/* Nov 28 16:13:30 2026 UTC */
#define START ((time_t)1795882410)

static void
stats_setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	capture_start();
}

static int
pipe_fd(void)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	return p[0];
}

/* Replays the golden run's traffic: 11 find_dest (8 hits), 3 find_endp
 * misses, at most one destination and address and two connections. */
static struct scache_cache *
golden_cache(void)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *dp, *ep;
	int i, fd;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(scache_cache_find_dest(c, "d", &dp, &ep),
		    -1);
		ck_assert_int_eq(scache_cache_find_endp(c, "e", &ep), -1);
	}
	scache_cache_save_dest(c, 0, 2, "d", "", "e");
	scache_cache_save_endp(c, 0, 2, "e", "", pipe_fd());
	scache_cache_save_endp(c, 0, 2, "e", "", pipe_fd());
	for (i = 0; i < 8; i++) {
		fd = scache_cache_find_dest(c, "d", &dp, &ep);
		ck_assert_int_ge(fd, 0);
		free(dp);
		scache_cache_save_endp(c, 0, 2, "e", ep, fd);
		free(ep);
	}
	return c;
}

START_TEST(test_scache_stats_prints_stock_lines)
{
	struct scache_cache *c = golden_cache();
	time_t start = START;

	scache_stats_dump(c, &start, START + 16);
	ck_assert_str_eq(capture_text(),
	    "statistics: start interval Nov 28 16:13:30\n"
	    "statistics: domain lookup hits=8 miss=3 success=72%\n"
	    "statistics: address lookup hits=0 miss=3 success=0%\n"
	    "statistics: max simultaneous domains=1 addresses=1 connection=2\n");
	ck_assert_int_eq(start, START + 16);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_stats_resets_and_stays_quiet_when_idle)
{
	struct scache_cache *c = golden_cache();
	time_t start = START;

	scache_stats_dump(c, &start, START + 600);
	capture_start();
	scache_stats_dump(c, &start, START + 1200);
	ck_assert_str_eq(capture_text(), "");
	ck_assert_int_eq(start, START + 1200);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_stats_pads_day_like_ctime)
{
	struct scache_cache *c = scache_cache_create(1, 1, NULL, NULL);
	char *ep;
	time_t start = 1793715301; /* Nov  3 14:15:01 2026 UTC */

	scache_cache_find_endp(c, "e", &ep);
	scache_stats_dump(c, &start, start);
	ck_assert_str_eq(capture_text(),
	    "statistics: start interval Nov  3 14:15:01\n"
	    "statistics: address lookup hits=0 miss=1 success=0%\n");
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_stats_reports_evictions_on_own_line)
{
	struct scache_cache *c = scache_cache_create(1, 1, NULL, NULL);
	time_t start = START;
	int fd = pipe_fd();

	scache_cache_save_endp(c, 0, 2, "e", "", fd);
	scache_cache_drop_fd(c, fd);
	scache_cache_counts_reset(c);
	scache_cache_save_endp(c, 0, 2, "e", "", pipe_fd());
	scache_cache_save_endp(c, 0, 2, "e", "", pipe_fd());
	scache_cache_drop_fd(c, 999);
	fd = pipe_fd();
	scache_cache_save_endp(c, 0, 2, "f", "", fd);
	scache_cache_drop_fd(c, fd);
	scache_cache_save_endp(c, 0, 2, "g", "", pipe_fd());
	scache_cache_shed(c);
	scache_stats_dump(c, &start, START);
	ck_assert_str_eq(capture_text(),
	    "statistics: start interval Nov 28 16:13:30\n"
	    "statistics: max simultaneous domains=0 addresses=1 connection=1\n"
	    "statistics: evicted connections closed-by-peer=1 over-limit=2 "
	    "fd-shortage=1\n");
	scache_cache_free(c);
}
END_TEST

Suite *scache_stats_suite(void);

Suite *
scache_stats_suite(void)
{
	Suite *s = suite_create("scache_stats");
	TCase *tc = tcase_create("format");

	tcase_add_checked_fixture(tc, stats_setup, NULL);
	tcase_add_test(tc, test_scache_stats_prints_stock_lines);
	tcase_add_test(tc, test_scache_stats_resets_and_stays_quiet_when_idle);
	tcase_add_test(tc, test_scache_stats_pads_day_like_ctime);
	tcase_add_test(tc, test_scache_stats_reports_evictions_on_own_line);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(scache_stats_suite)
