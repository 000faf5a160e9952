/*
 * check_tlsp_heap.c - tests for tlsproxy/tlsp_heap.c
 *
 * Requests for a trim share one timer, due TLSP_HEAP_TRIM_DELAY_MS after
 * the first (injected clock); and the trim gives back the pages of free
 * space between live allocations (resident pages from /proc/self/statm;
 * glibc's allocator only: not under AddressSanitizer, whose allocator
 * malloc_trim() does not manage).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "runner.h"
#include "tlsp_heap.h"

Suite *tlsp_heap_suite(void);

static uint64_t fake_now;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
run_loop(void)
{
	int i;

	for (i = 0; i < 5; i++)
		event_loop(0);
}

START_TEST(test_tlsp_heap_requests_share_one_delayed_trim)
{
	fake_now = 1000;
	event_clock_set(fake_clock);
	ck_assert_int_eq(tlsp_heap_trim_pending(), 0);
	tlsp_heap_trim_soon();
	ck_assert_int_eq(tlsp_heap_trim_pending(), 1);
	fake_now += TLSP_HEAP_TRIM_DELAY_MS - 1;
	/* A later request does not push the trim back. */
	tlsp_heap_trim_soon();
	run_loop();
	ck_assert_int_eq(tlsp_heap_trim_pending(), 1);
	fake_now += 1;
	run_loop();
	ck_assert_int_eq(tlsp_heap_trim_pending(), 0);
	event_clock_set(NULL);
}
END_TEST

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TLSP_HEAP_OTHER_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TLSP_HEAP_OTHER_ALLOCATOR 1
#endif
#if defined(HAVE_MALLOC_TRIM) && !defined(TLSP_HEAP_OTHER_ALLOCATOR)
#define TLSP_HEAP_TEST_PAGES 1
#endif

#ifdef TLSP_HEAP_TEST_PAGES
/* Resident pages of this process. */
static long
resident_pages(void)
{
	long size = 0, resident = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fscanf(fp, "%ld %ld", &size, &resident), 2);
	fclose(fp);
	return resident;
}

#define HOLES 64
#define BLOCK (64 * 1024)

START_TEST(test_tlsp_heap_trim_returns_pages_between_live_blocks)
{
	/* volatile: the compiler must not drop allocations nobody reads. */
	char *volatile block[2 * HOLES];
	long before, after;
	int i;

	/* Touched blocks; every other one freed, so none can coalesce. */
	for (i = 0; i < 2 * HOLES; i++) {
		block[i] = malloc(BLOCK);
		ck_assert_ptr_nonnull(block[i]);
		memset(block[i], 1, BLOCK);
	}
	for (i = 0; i < 2 * HOLES; i += 2)
		free(block[i]);
	before = resident_pages();
	fake_now = 1000;
	event_clock_set(fake_clock);
	tlsp_heap_trim_soon();
	fake_now += TLSP_HEAP_TRIM_DELAY_MS;
	run_loop();
	after = resident_pages();
	/* Most of the 64 free blocks of 16 pages each went back. */
	ck_assert_int_lt(after, before - HOLES * 8);
	for (i = 1; i < 2 * HOLES; i += 2)
		free(block[i]);
	event_clock_set(NULL);
}
END_TEST
#endif

Suite *
tlsp_heap_suite(void)
{
	Suite *s = suite_create("tlsp_heap");
	TCase *tc = tcase_create("trim");

	tcase_add_test(tc, test_tlsp_heap_requests_share_one_delayed_trim);
#ifdef TLSP_HEAP_TEST_PAGES
	tcase_add_test(tc,
	               test_tlsp_heap_trim_returns_pages_between_live_blocks);
#endif
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_heap_suite)
