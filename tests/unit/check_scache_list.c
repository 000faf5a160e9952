/*
 * check_scache_list.c - tests for scache/scache_list.c
 *
 * A real cache (pipe ends as descriptors, a plain number as the clock)
 * is listed and the bytes are decoded with attr_dec, list by list, as a
 * client would read them. Endpoint properties are the ones stock smtp(8)
 * 3.7.11 stored (tests/data/scache-endp-prop-3.7.11.txt).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr_dec.h"
#include "buf.h"
#include "cache_list.h"
#include "scache_cache.h"
#include "scache_list.h"
#include "testfile.h"
#include "runner.h"

#define T0 5000000u        /* the cache's clock, ms */
/* Time of day: 12 s after the captured connection was established
 * (its expire_time, 1795882714, minus REUSE_LIMIT). */
#define NOW (1795882714 - REUSE_LIMIT + 12)
#define REUSE_LIMIT 300    /* smtp_connection_reuse_time_limit */
#define LISTS_MAX 4096

static const struct scache_list_info info = {
	.pid = 4242,
	.start_time = NOW - 60,
	.session_limit = 768,
	.ttl_limit = 2,
	.reuse_time_limit = REUSE_LIMIT,
};

/* The decoded lists: names and values copied, as "name=value\n" text. */
struct lists {
	char *text[LISTS_MAX];
	int count;
};

static int
new_fd(void)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	return p[0];
}

/* Decodes every whole list in data; each must be within the limits a
 * reader of the listing enforces. Returns the bytes consumed. */
static size_t
decode(struct lists *l, const char *data, size_t len)
{
	static const struct attr_limits limits = {
		.name_max = 100,
		.value_max = CACHE_LIST_LABEL_MAX,
		.count_max = CACHE_LIST_PAIRS_MAX,
		.total_max = CACHE_LIST_LIST_MAX,
	};
	struct attr_dec *dec = attr_dec_create(&limits);
	const struct attr_list *list;
	size_t used, done = 0, i;
	struct buf text;

	while (done < len) {
		ck_assert_int_eq(attr_dec_feed(dec, data + done, len - done,
		    &used), ATTR_DEC_OK);
		done += used;
		list = attr_dec_list(dec);
		buf_init(&text);
		for (i = 0; i < list->count; i++)
			buf_printf(&text, "%s=%s\n", list->pairs[i].name,
			    list->pairs[i].value);
		ck_assert_int_lt(l->count, LISTS_MAX);
		l->text[l->count++] = text.data ? text.data : strdup("");
		attr_dec_reset(dec);
	}
	attr_dec_free(dec);
	return done;
}

static void
lists_free(struct lists *l)
{
	while (l->count > 0)
		free(l->text[--l->count]);
}

/* The whole listing of c, in chunks; returns the number of calls. */
static int
list_all(struct scache_cache *c, struct lists *l, uint64_t now_ms)
{
	struct scache_list *list = scache_list_create(c, &info);
	struct buf out;
	int calls = 0, more;

	buf_init(&out);
	do {
		more = scache_list_next(list, &out, now_ms, NOW);
		calls++;
	} while (more);
	decode(l, out.data, out.len);
	buf_free(&out);
	scache_list_free(list);
	return calls;
}

START_TEST(test_scache_list_header_has_counters_since_start)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct lists l = {0};
	char *prop;
	int fd = new_fd();

	scache_cache_save_endp(c, T0, 2, "e", "p", fd);
	close(scache_cache_find_endp(c, "e", &prop));
	free(prop);
	ck_assert_int_eq(scache_cache_find_dest(c, "d", &prop, &prop), -1);
	scache_cache_counts_reset(c);
	scache_cache_save_endp(c, T0, 2, "e", "p", new_fd());
	list_all(c, &l, T0 + 100);
	ck_assert_int_eq(l.count, 3);
	ck_assert_str_eq(l.text[0],
	    "status=0\nformat=1\nversion=" PACKAGE_VERSION "\npid=4242\n"
	    "start_time=1795882366\ntime=1795882426\nsessions=1\n"
	    "bindings=0\nsession_limit=768\nttl_limit=2\nsaved=2\n"
	    "domain_hits=0\ndomain_misses=1\naddress_hits=1\n"
	    "address_misses=0\nexpired=0\nclosed_by_peer=0\nover_limit=0\n");
	ck_assert_str_eq(l.text[2], "record=end\nsessions=1\nbindings=0\n");
	lists_free(&l);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_list_session_shows_tls_properties)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *prop = testfile_read(TESTDATA_DIR,
	    "scache-endp-prop-3.7.11.txt", NULL);
	struct lists l = {0};

	scache_cache_save_endp(c, T0, 2, "smtp\n127.0.0.1\n40584\n8\n", prop,
	    new_fd());
	list_all(c, &l, T0 + 1500);
	ck_assert_int_eq(l.count, 3);
	/* reuse_count=6: seven deliveries; established 12 s before. */
	ck_assert_str_eq(l.text[1],
	    "record=session\nendpoint=smtp\n127.0.0.1\n40584\n8\n\n"
	    "cached=1500\ntime_left=500\nconn_use=7\nconn_age=12\n"
	    "trust=Verified\nserver=127.0.0.1[127.0.0.1]:40584\n"
	    "protocol=TLSv1.3\ncipher=TLS_AES_256_GCM_SHA384\n"
	    "cipher_bits=256/256\npeer_CN=mx.pfsandbox.test\n"
	    "issuer_CN=pfsandbox throwaway CA\n");
	lists_free(&l);
	free(prop);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_list_plaintext_session_has_no_tls_fields)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct lists l = {0};
	char prop[128];

	snprintf(prop, sizeof(prop), "tls_level=0\nreuse_count=0\n"
	    "endpoint_features=7\nexpire_time=%d\n\n", NOW + REUSE_LIMIT - 3);
	scache_cache_save_endp(c, T0, 2, "smtp\n10.0.0.1\n25\n0\n", prop,
	    new_fd());
	list_all(c, &l, T0);
	ck_assert_str_eq(l.text[1],
	    "record=session\nendpoint=smtp\n10.0.0.1\n25\n0\n\ncached=0\n"
	    "time_left=2000\nconn_use=1\nconn_age=3\n");
	lists_free(&l);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_list_cuts_tls_values_at_limit)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct lists l = {0};
	char prop[1024], want[600];

	snprintf(prop, sizeof(prop), "reuse_count=x\n\npeer_CN=%0*d\n\n",
	    CACHE_LIST_FIELD_MAX + 1, 0);
	scache_cache_save_endp(c, T0, 2, "e", prop, new_fd());
	list_all(c, &l, T0);
	/* No number, no conn_use; the name cut at the limit. */
	snprintf(want, sizeof(want), "record=session\nendpoint=e\ncached=0\n"
	    "time_left=2000\npeer_CN=%0*d\n", CACHE_LIST_FIELD_MAX, 0);
	ck_assert_str_eq(l.text[1], want);
	lists_free(&l);
	scache_cache_free(c);
}
END_TEST

START_TEST(test_scache_list_bindings_follow_sessions)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct lists l = {0};

	scache_cache_save_endp(c, T0, 2, "e1", "", new_fd());
	scache_cache_save_dest(c, T0, 2, "d1", "dp", "e1");
	scache_cache_save_dest(c, T0 + 1000, 2, "d2", "dp", "e1");
	list_all(c, &l, T0 + 1000);
	ck_assert_int_eq(l.count, 5);
	ck_assert_str_eq(l.text[1], "record=session\nendpoint=e1\n"
	    "cached=1000\ntime_left=1000\n");
	ck_assert_str_eq(l.text[2], "record=binding\ndestination=d1\n"
	    "endpoint=e1\ntime_left=1000\n");
	ck_assert_str_eq(l.text[3], "record=binding\ndestination=d2\n"
	    "endpoint=e1\ntime_left=2000\n");
	ck_assert_str_eq(l.text[4], "record=end\nsessions=1\nbindings=2\n");
	lists_free(&l);
	scache_cache_free(c);
}
END_TEST

/* A big cache comes out in several bounded chunks, all of it. */
START_TEST(test_scache_list_comes_in_bounded_chunks)
{
	struct scache_cache *c = scache_cache_create(600, 600, NULL, NULL);
	struct scache_list *list;
	struct lists l = {0};
	char label[1100];
	struct buf out;
	size_t before, consumed = 0;
	int i, calls = 0;

	for (i = 0; i < 500; i++) {
		snprintf(label, sizeof(label), "%04d%01000d", i, 0);
		scache_cache_save_endp(c, T0, 2, label, "", new_fd());
	}
	list = scache_list_create(c, &info);
	buf_init(&out);
	for (;;) {
		before = out.len;
		i = scache_list_next(list, &out, T0, NOW);
		calls++;
		/* At most one record past the chunk. */
		ck_assert_uint_lt(out.len - before, SCACHE_LIST_CHUNK + 1100);
		if (!i)
			break;
		ck_assert_uint_ge(out.len - before, SCACHE_LIST_CHUNK);
	}
	consumed = decode(&l, out.data, out.len);
	ck_assert_uint_eq(consumed, out.len);
	ck_assert_int_ge(calls, 500 * 1000 / SCACHE_LIST_CHUNK);
	ck_assert_int_eq(l.count, 502);
	ck_assert_str_eq(l.text[501], "record=end\nsessions=500\nbindings=0\n");
	buf_free(&out);
	lists_free(&l);
	scache_list_free(list);
	scache_cache_free(c);
}
END_TEST

/* The cache changes between chunks: gone entries are not listed, new
 * ones neither, and the end list counts what was. */
START_TEST(test_scache_list_survives_changes_between_chunks)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct scache_list *list;
	struct lists l = {0};
	struct buf out;
	char *prop;
	int fd;

	scache_cache_save_endp(c, T0, 2, "e1", "", new_fd());
	scache_cache_save_endp(c, T0, 2, "e2", "", new_fd());
	scache_cache_save_dest(c, T0, 2, "d1", "", "e1");
	list = scache_list_create(c, &info);
	buf_init(&out);
	/* Nothing of the listing is produced before the first call. */
	fd = scache_cache_find_endp(c, "e1", &prop);
	close(fd);
	free(prop);
	scache_cache_save_endp(c, T0, 2, "e3", "", new_fd());
	scache_cache_expire(c, T0 + 5000);
	scache_cache_save_dest(c, T0 + 5000, 2, "d2", "", "e3");
	while (scache_list_next(list, &out, T0 + 5000, NOW))
		;
	decode(&l, out.data, out.len);
	ck_assert_int_eq(l.count, 2);
	ck_assert_str_eq(l.text[1], "record=end\nsessions=0\nbindings=0\n");
	buf_free(&out);
	lists_free(&l);
	scache_list_free(list);
	scache_cache_free(c);
}
END_TEST

Suite *scache_list_suite(void);

Suite *
scache_list_suite(void)
{
	Suite *s = suite_create("scache_list");
	TCase *tc;

	tc = tcase_create("encode");
	tcase_add_test(tc, test_scache_list_header_has_counters_since_start);
	tcase_add_test(tc, test_scache_list_session_shows_tls_properties);
	tcase_add_test(tc,
	    test_scache_list_plaintext_session_has_no_tls_fields);
	tcase_add_test(tc, test_scache_list_bindings_follow_sessions);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_scache_list_cuts_tls_values_at_limit);
	tcase_add_test(tc, test_scache_list_comes_in_bounded_chunks);
	tcase_add_test(tc, test_scache_list_survives_changes_between_chunks);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(scache_list_suite)
