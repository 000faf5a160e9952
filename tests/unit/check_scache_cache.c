/*
 * check_scache_cache.c - tests for scache/scache_cache.c
 *
 * The clock is a plain number passed in; descriptors are real pipe ends
 * so that "closed" can be checked with fcntl().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "scache_cache.h"

#define T0 1000000u /* fake clock origin, ms */

static int
new_fd(void)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	return p[0];
}

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

/* Finds by endpoint and checks both the descriptor and the properties. */
static void
expect_endp(struct scache_cache *c, const char *label, int want_fd,
    const char *want_prop)
{
	char *prop = NULL;
	int fd = scache_cache_find_endp(c, label, &prop);

	ck_assert_int_eq(fd, want_fd);
	if (want_fd >= 0) {
		ck_assert_str_eq(prop, want_prop);
		free(prop);
		close(fd);
	}
}

START_TEST(test_scache_cache_endpoint_is_fifo)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	int a = new_fd(), b = new_fd(), d = new_fd();

	scache_cache_save_endp(c, T0, 2, "smtp\n1.2.3.4\n25\n", "p-a", a);
	scache_cache_save_endp(c, T0, 2, "smtp\n1.2.3.4\n25\n", "p-b", b);
	scache_cache_save_endp(c, T0, 2, "other\n", "p-d", d);
	ck_assert_uint_eq(scache_cache_session_count(c), 3);
	ck_assert_uint_eq(scache_cache_endp_count(c), 2);
	expect_endp(c, "smtp\n1.2.3.4\n25\n", a, "p-a");
	expect_endp(c, "smtp\n1.2.3.4\n25\n", b, "p-b");
	expect_endp(c, "smtp\n1.2.3.4\n25\n", -1, NULL);
	ck_assert_uint_eq(scache_cache_endp_count(c), 1);
	ck_assert_int_eq(scache_cache_counts(c)->endp_hits, 2);
	ck_assert_int_eq(scache_cache_counts(c)->endp_miss, 1);
	scache_cache_free(c);
	ck_assert(!fd_is_open(d));
}
END_TEST

START_TEST(test_scache_cache_find_endp_hands_over_open_descriptor)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *prop;
	int fd = new_fd();

	scache_cache_save_endp(c, T0 + 1234, 2, "e", "", fd);
	ck_assert_int_eq(scache_cache_find_endp(c, "e", &prop), fd);
	ck_assert_str_eq(prop, "");
	ck_assert(fd_is_open(fd));
	free(prop);
	close(fd);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_find_dest_takes_first_bound_session)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *dprop, *eprop;
	int fd = new_fd();

	/* Two bindings; only the second endpoint has a session. */
	ck_assert_int_eq(scache_cache_save_dest(c, T0, 2, "d", "dp1", "e1"), 0);
	ck_assert_int_eq(scache_cache_save_dest(c, T0, 2, "d", "dp2", "e2"), 0);
	scache_cache_save_endp(c, T0, 2, "e2", "ep2", fd);
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &dprop, &eprop),
	    fd);
	ck_assert_str_eq(dprop, "dp2");
	ck_assert_str_eq(eprop, "ep2");
	free(dprop);
	free(eprop);
	close(fd);
	/* Bindings stay; the session is gone, so the next look-up misses. */
	ck_assert_uint_eq(scache_cache_dest_count(c), 1);
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &dprop, &eprop),
	    -1);
	ck_assert_int_eq(scache_cache_find_dest(c, "nowhere", &dprop, &eprop), -1);
	ck_assert_int_eq(scache_cache_counts(c)->dest_hits, 1);
	ck_assert_int_eq(scache_cache_counts(c)->dest_miss, 2);
	/* Look-ups inside find_dest never count as endpoint look-ups. */
	ck_assert_int_eq(scache_cache_counts(c)->endp_hits, 0);
	ck_assert_int_eq(scache_cache_counts(c)->endp_miss, 0);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_same_binding_is_refreshed_in_place)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *dprop, *eprop;
	int fd1 = new_fd(), fd2 = new_fd();

	scache_cache_save_dest(c, T0, 1, "d", "dp", "e1");
	scache_cache_save_dest(c, T0, 1, "d", "dp", "e2");
	/* Same endpoint and properties: refreshed, not appended. */
	ck_assert_int_eq(scache_cache_save_dest(c, T0 + 900, 1, "d", "dp",
	    "e1"), 1);
	/* Different properties: a new binding. */
	ck_assert_int_eq(scache_cache_save_dest(c, T0, 1, "d", "dq", "e1"), 0);
	scache_cache_save_endp(c, T0, 2, "e2", "ep2", fd2);
	scache_cache_save_endp(c, T0, 2, "e1", "ep1", fd1);
	/* e1's binding kept its place ahead of e2's. */
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &dprop, &eprop),
	    fd1);
	free(dprop);
	free(eprop);
	close(fd1);
	/* At T0+1000 the unrefreshed bindings expire, the refreshed stays. */
	scache_cache_expire(c, T0 + 1000);
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &dprop, &eprop),
	    -1);
	ck_assert_uint_eq(scache_cache_dest_count(c), 1);
	scache_cache_expire(c, T0 + 1900);
	ck_assert_uint_eq(scache_cache_dest_count(c), 0);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_expiry_closes_at_deadline)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	int a = new_fd(), b = new_fd();

	scache_cache_save_endp(c, T0, 2, "e", "", a);
	scache_cache_save_endp(c, T0 + 500, 1, "e", "", b);
	ck_assert_int_eq(scache_cache_expire(c, T0), 1500);
	/* b expires at T0+1500, a at T0+2000: one millisecond either side. */
	ck_assert_int_eq(scache_cache_expire(c, T0 + 1499), 1);
	ck_assert(fd_is_open(b));
	ck_assert_int_eq(scache_cache_expire(c, T0 + 1500), 500);
	ck_assert(!fd_is_open(b));
	ck_assert(fd_is_open(a));
	ck_assert_int_eq(scache_cache_expire(c, T0 + 2000), -1);
	ck_assert(!fd_is_open(a));
	ck_assert_uint_eq(scache_cache_endp_count(c), 0);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_full_closes_oldest)
{
	struct scache_cache *c = scache_cache_create(2, 10, NULL, NULL);
	int a = new_fd(), b = new_fd(), d = new_fd();

	ck_assert_int_eq(scache_cache_save_endp(c, T0, 2, "e1", "", a), 0);
	ck_assert_int_eq(scache_cache_save_endp(c, T0, 2, "e2", "", b), 0);
	/* At the limit: the next save closes the oldest first. */
	ck_assert_int_eq(scache_cache_save_endp(c, T0, 2, "e2", "", d), 1);
	ck_assert(!fd_is_open(a));
	ck_assert_uint_eq(scache_cache_session_count(c), 2);
	ck_assert_uint_eq(scache_cache_endp_count(c), 1);
	ck_assert_int_eq(scache_cache_counts(c)->evict_limit, 1);
	expect_endp(c, "e2", b, "");
	expect_endp(c, "e2", d, "");
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_shed_closes_oldest_for_a_descriptor)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	int a = new_fd(), b = new_fd();

	ck_assert_int_eq(scache_cache_shed(c), 0);
	scache_cache_save_endp(c, T0, 2, "e1", "", a);
	scache_cache_save_endp(c, T0, 2, "e2", "", b);
	ck_assert_int_eq(scache_cache_shed(c), 1);
	ck_assert(!fd_is_open(a));
	ck_assert(fd_is_open(b));
	ck_assert_uint_eq(scache_cache_session_count(c), 1);
	ck_assert_uint_eq(scache_cache_endp_count(c), 1);
	ck_assert_int_eq(scache_cache_counts(c)->evict_fd, 1);
	ck_assert_int_eq(scache_cache_counts(c)->evict_limit, 0);
	ck_assert_int_eq(scache_cache_shed(c), 1);
	ck_assert_int_eq(scache_cache_shed(c), 0);
	ck_assert_int_eq(scache_cache_counts(c)->evict_fd, 2);
	scache_cache_count_lost(c);
	ck_assert_int_eq(scache_cache_counts(c)->evict_fd, 3);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_binding_limit_drops_oldest)
{
	struct scache_cache *c = scache_cache_create(2, 2, NULL, NULL);

	scache_cache_save_dest(c, T0, 2, "d1", "", "e");
	scache_cache_save_dest(c, T0, 2, "d2", "", "e");
	scache_cache_save_dest(c, T0, 2, "d3", "", "e");
	ck_assert_uint_eq(scache_cache_dest_count(c), 2);
	/* d1 went first: saving it again is a new binding, not a refresh. */
	ck_assert_int_eq(scache_cache_save_dest(c, T0, 2, "d1", "", "e"), 0);
	/* The same binding re-saved at the limit: refreshed, nothing lost. */
	ck_assert_int_eq(scache_cache_save_dest(c, T0, 2, "d1", "", "e"), 1);
	ck_assert_uint_eq(scache_cache_dest_count(c), 2);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_drop_fd_counts_dead_peer)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	int a = new_fd(), b = new_fd();

	scache_cache_save_endp(c, T0, 2, "e", "", a);
	scache_cache_save_endp(c, T0, 2, "e", "", b);
	ck_assert_int_eq(scache_cache_drop_fd(c, a), 0);
	ck_assert(!fd_is_open(a));
	ck_assert_int_eq(scache_cache_drop_fd(c, a), -1);
	ck_assert_int_eq(scache_cache_counts(c)->evict_dead, 1);
	expect_endp(c, "e", b, "");
	scache_cache_free(c);
}
END_TEST

static int
alive_unless_listed(int fd, void *ctx)
{
	return fd != *(int *)ctx;
}

START_TEST(test_scache_cache_never_hands_out_dead_session)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *dprop, *eprop;
	int a = new_fd(), b = new_fd(), d = new_fd();

	scache_cache_set_alive(c, alive_unless_listed, &a);
	scache_cache_save_endp(c, T0, 2, "e", "pa", a);
	scache_cache_save_endp(c, T0, 2, "e", "pb", b);
	/* a is oldest but dead: closed, counted, and b comes out. */
	expect_endp(c, "e", b, "pb");
	ck_assert(!fd_is_open(a));
	ck_assert_int_eq(scache_cache_counts(c)->evict_dead, 1);
	ck_assert_int_eq(scache_cache_counts(c)->endp_hits, 1);
	/* Through a destination, a dead last session is a miss. */
	a = d; /* the listed dead descriptor is now d */
	scache_cache_save_dest(c, T0, 2, "d", "", "e");
	scache_cache_save_endp(c, T0, 2, "e", "pd", d);
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &dprop, &eprop), -1);
	ck_assert(!fd_is_open(d));
	ck_assert_int_eq(scache_cache_counts(c)->evict_dead, 2);
	ck_assert_int_eq(scache_cache_counts(c)->dest_miss, 1);
	ck_assert_uint_eq(scache_cache_session_count(c), 0);
	scache_cache_free(c);
}
END_TEST

static char watch_log[256];

static void
watch_record(int fd, int on, void *ctx)
{
	size_t len = strlen(watch_log);

	ck_assert_ptr_eq(ctx, watch_log);
	/* "off" must come while the descriptor is still open. */
	ck_assert(fd_is_open(fd));
	snprintf(watch_log + len, sizeof(watch_log) - len, "%s%d ",
	    on ? "+" : "-", fd);
}

START_TEST(test_scache_cache_watch_sees_every_descriptor)
{
	struct scache_cache *c;
	char want[256];
	int a = new_fd(), b = new_fd(), d = new_fd();

	watch_log[0] = 0;
	c = scache_cache_create(2, 10, watch_record, watch_log);
	scache_cache_save_endp(c, T0, 1, "e", "", a);
	scache_cache_save_endp(c, T0, 2, "e", "", b);
	scache_cache_save_endp(c, T0, 2, "f", "", d);   /* evicts a */
	scache_cache_drop_fd(c, b);
	scache_cache_free(c);
	snprintf(want, sizeof(want), "+%d +%d -%d +%d -%d -%d ", a, b, a, d, b,
	    d);
	ck_assert_str_eq(watch_log, want);
}
END_TEST

START_TEST(test_scache_cache_high_water_marks_follow_stock_sampling)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	const struct scache_cache_counts *n = scache_cache_counts(c);

	scache_cache_save_dest(c, T0, 2, "d1", "", "e");
	scache_cache_save_dest(c, T0, 2, "d2", "", "e");
	/* No endpoint yet: a binding save samples domains and addresses. */
	ck_assert_int_eq(n->max_dests, 2);
	ck_assert_int_eq(n->max_endps, 0);
	scache_cache_save_endp(c, T0, 2, "e1", "", new_fd());
	scache_cache_save_endp(c, T0, 2, "e2", "", new_fd());
	scache_cache_save_endp(c, T0, 2, "e2", "", new_fd());
	ck_assert_int_eq(n->max_endps, 2);
	ck_assert_int_eq(n->max_sessions, 3);
	scache_cache_expire(c, T0 + 5000);
	/* Marks stay after the cache empties, until reset. */
	ck_assert_int_eq(n->max_sessions, 3);
	scache_cache_counts_reset(c);
	ck_assert_int_eq(n->max_sessions, 0);
	ck_assert_int_eq(n->max_dests, 0);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_totals_count_since_creation)
{
	struct scache_cache *c = scache_cache_create(2, 10, NULL, NULL);
	const struct scache_cache_totals *t = scache_cache_totals(c);
	int a = new_fd(), b = new_fd();
	char *prop;

	scache_cache_save_endp(c, T0, 2, "e", "p", a);
	scache_cache_save_dest(c, T0, 2, "d", "", "e");
	expect_endp(c, "e", a, "p");
	expect_endp(c, "e", -1, NULL);
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &prop, &prop), -1);
	scache_cache_counts_reset(c);
	/* After the interval's reset: one of each eviction cause. */
	scache_cache_save_endp(c, T0, 2, "e", "", new_fd());
	scache_cache_save_endp(c, T0, 2, "e", "", b);
	scache_cache_save_endp(c, T0, 2, "e", "", new_fd());
	scache_cache_drop_fd(c, b);
	scache_cache_expire(c, T0 + 2000);
	ck_assert_int_eq(scache_cache_counts(c)->endp_hits, 0);
	ck_assert_int_eq(scache_cache_counts(c)->evict_expired, 1);
	ck_assert_uint_eq(t->endp_hits, 1);
	ck_assert_uint_eq(t->endp_miss, 1);
	ck_assert_uint_eq(t->dest_hits, 0);
	ck_assert_uint_eq(t->dest_miss, 1);
	ck_assert_uint_eq(t->saved, 4);
	ck_assert_uint_eq(t->evict_limit, 1);
	ck_assert_uint_eq(t->evict_dead, 1);
	ck_assert_uint_eq(t->evict_expired, 1);
	scache_cache_free(c);
}
END_TEST

/* Every endpoint label the walk visits, as "label,label,". */
static void
walk_sessions(struct scache_cache_walk *w, char *out, size_t size)
{
	struct scache_cache_session_view v;

	out[0] = 0;
	while (scache_cache_walk_session(w, &v)) {
		strncat(out, v.endp_label, size - strlen(out) - 2);
		strcat(out, ",");
	}
}

START_TEST(test_scache_cache_walk_sessions_in_save_order)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct scache_cache_session_view v;
	struct scache_cache_walk *w;
	char seen[256];

	scache_cache_save_endp(c, T0, 2, "e1", "p1", new_fd());
	scache_cache_save_endp(c, T0 + 10, 2, "e2", "p2", new_fd());
	scache_cache_save_endp(c, T0 + 20, 2, "e1", "p3", new_fd());
	w = scache_cache_walk_create(c);
	ck_assert_int_eq(scache_cache_walk_session(w, &v), 1);
	ck_assert_str_eq(v.endp_label, "e1");
	ck_assert_str_eq(v.endp_prop, "p1");
	ck_assert_uint_eq(v.saved_ms, T0);
	ck_assert_uint_eq(v.expire_ms, T0 + 2000);
	walk_sessions(w, seen, sizeof(seen));
	ck_assert_str_eq(seen, "e2,e1,");
	ck_assert_int_eq(scache_cache_walk_session(w, &v), 0);
	scache_cache_walk_free(w);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_walk_survives_changes)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct scache_cache_session_view v;
	struct scache_cache_walk *w;
	int a = new_fd(), b = new_fd();
	char seen[256];

	scache_cache_save_endp(c, T0, 2, "e1", "", new_fd());
	scache_cache_save_endp(c, T0, 2, "e2", "", a);
	scache_cache_save_endp(c, T0, 5, "e3", "", b);
	scache_cache_save_endp(c, T0, 5, "e4", "", new_fd());
	w = scache_cache_walk_create(c);
	ck_assert_int_eq(scache_cache_walk_session(w, &v), 1);
	/* The next one goes away, one is taken out, one is saved later. */
	scache_cache_drop_fd(c, a);
	expect_endp(c, "e3", b, "");
	scache_cache_save_endp(c, T0, 2, "e5", "", new_fd());
	walk_sessions(w, seen, sizeof(seen));
	ck_assert_str_eq(seen, "e4,");
	scache_cache_walk_free(w);

	/* Expiry under an open walk: nothing left to visit. */
	w = scache_cache_walk_create(c);
	scache_cache_expire(c, T0 + 10000);
	ck_assert_int_eq(scache_cache_walk_session(w, &v), 0);
	scache_cache_walk_free(w);
	scache_cache_free(c);
}
END_TEST

/* Every binding the walk visits, as "dest>endp,". */
static void
walk_bindings(struct scache_cache_walk *w, char *out, size_t size)
{
	struct scache_cache_binding_view v;

	out[0] = 0;
	while (scache_cache_walk_binding(w, &v)) {
		snprintf(out + strlen(out), size - strlen(out), "%s>%s,",
		    v.dest_label, v.endp_label);
	}
}

START_TEST(test_scache_cache_walk_bindings_by_destination)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct scache_cache_walk *w;
	char seen[256];

	scache_cache_save_dest(c, T0, 2, "d1", "", "e1");
	scache_cache_save_dest(c, T0, 2, "d2", "", "e2");
	scache_cache_save_dest(c, T0, 2, "d1", "", "e3");
	w = scache_cache_walk_create(c);
	walk_bindings(w, seen, sizeof(seen));
	ck_assert_str_eq(seen, "d1>e1,d1>e3,d2>e2,");
	scache_cache_walk_free(w);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_walk_bindings_survive_changes)
{
	struct scache_cache *c = scache_cache_create(10, 5, NULL, NULL);
	struct scache_cache_binding_view v;
	struct scache_cache_walk *w;
	char seen[256];

	scache_cache_save_dest(c, T0, 2, "d1", "", "e1");
	scache_cache_save_dest(c, T0, 2, "d1", "", "e2");
	scache_cache_save_dest(c, T0, 2, "d2", "", "e1");
	scache_cache_save_dest(c, T0, 9, "d3", "", "e1");
	scache_cache_save_dest(c, T0, 9, "d3", "", "e2");
	w = scache_cache_walk_create(c);
	ck_assert_int_eq(scache_cache_walk_binding(w, &v), 1);
	ck_assert_str_eq(v.dest_label, "d1");
	ck_assert_str_eq(v.endp_label, "e1");
	/* A refresh keeps its place (visited once); a new binding on d3 is
	 * not visited; d1 and d2 expire under the walk's cursors. */
	scache_cache_save_dest(c, T0 + 10, 9, "d3", "", "e1");
	scache_cache_expire(c, T0 + 2000);
	scache_cache_save_dest(c, T0 + 2000, 9, "d3", "", "e4");
	walk_bindings(w, seen, sizeof(seen));
	ck_assert_str_eq(seen, "d3>e1,d3>e2,");
	scache_cache_walk_free(w);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_free_with_open_walk_is_a_bug)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);

	scache_cache_walk_create(c);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_cache_zero_ttl_is_a_bug)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);

	scache_cache_save_dest(c, T0, 0, "d", "", "e");
}
END_TEST

START_TEST(test_scache_cache_zero_limit_is_a_bug)
{
	scache_cache_create(0, 10, NULL, NULL);
}
END_TEST

Suite *scache_cache_suite(void);

Suite *
scache_cache_suite(void)
{
	Suite *s = suite_create("scache_cache");
	TCase *tc;

	tc = tcase_create("lookup");
	tcase_add_test(tc, test_scache_cache_endpoint_is_fifo);
	tcase_add_test(tc, test_scache_cache_find_endp_hands_over_open_descriptor);
	tcase_add_test(tc, test_scache_cache_find_dest_takes_first_bound_session);
	tcase_add_test(tc, test_scache_cache_same_binding_is_refreshed_in_place);
	suite_add_tcase(s, tc);

	tc = tcase_create("timers");
	tcase_add_test(tc, test_scache_cache_expiry_closes_at_deadline);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_scache_cache_full_closes_oldest);
	tcase_add_test(tc,
	    test_scache_cache_shed_closes_oldest_for_a_descriptor);
	tcase_add_test(tc, test_scache_cache_binding_limit_drops_oldest);
	tcase_add_test(tc, test_scache_cache_drop_fd_counts_dead_peer);
	tcase_add_test(tc, test_scache_cache_never_hands_out_dead_session);
	tcase_add_test(tc, test_scache_cache_watch_sees_every_descriptor);
	suite_add_tcase(s, tc);

	tc = tcase_create("counters");
	tcase_add_test(tc, test_scache_cache_high_water_marks_follow_stock_sampling);
	tcase_add_test(tc, test_scache_cache_totals_count_since_creation);
	suite_add_tcase(s, tc);

	tc = tcase_create("walk");
	tcase_add_test(tc, test_scache_cache_walk_sessions_in_save_order);
	tcase_add_test(tc, test_scache_cache_walk_survives_changes);
	tcase_add_test(tc, test_scache_cache_walk_bindings_by_destination);
	tcase_add_test(tc, test_scache_cache_walk_bindings_survive_changes);
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_test_raise_signal(tc, test_scache_cache_zero_ttl_is_a_bug,
	    SIGABRT);
	tcase_add_test_raise_signal(tc, test_scache_cache_zero_limit_is_a_bug,
	    SIGABRT);
	tcase_add_test_raise_signal(tc,
	    test_scache_cache_free_with_open_walk_is_a_bug, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(scache_cache_suite)
