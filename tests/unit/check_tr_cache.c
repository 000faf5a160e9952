/*
 * check_tr_cache.c - tests for tlsreuse/tr_cache.c
 *
 * The reader against what our scache really sends: a real cache listed
 * by scache/scache_list.c (linked from libscache.a), fed in pieces of
 * every size; stock scache's one-list answer; and malformed replies.
 * The fetch talks to a forked child that plays scache on a listening
 * UNIX socket.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr_enc.h"
#include "buf.h"
#include "cache_list.h"
#include "scache_cache.h"
#include "scache_list.h"
#include "tr_cache.h"
#include "testfile.h"
#include "runner.h"

#define T0 1000000u
#define NOW 1795882714

static const struct scache_list_info info = {
	.pid = 77,
	.start_time = NOW - 100,
	.session_limit = 10,
	.ttl_limit = 60,
	.reuse_time_limit = 300,
};

static int
new_fd(void)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	return p[0];
}

/* The listing of a cache with two TLS connections and three bindings. */
static void
make_listing(struct buf *out)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	char *prop = testfile_read(TESTDATA_DIR,
	    "scache-endp-prop-3.7.11.txt", NULL);
	struct scache_list *list;

	scache_cache_save_endp(c, T0, 60, "smtp\n[a]:25\n10.0.0.1\n25\n8\n",
	    prop, new_fd());
	scache_cache_save_endp(c, T0 + 500, 60, "relay\n10.0.0.2\n25\n1\n",
	    "tls_level=1\nreuse_count=0\nexpire_time=1\n\n", new_fd());
	scache_cache_save_dest(c, T0, 60, "smtp\n[a]:25\n", "",
	    "smtp\n[a]:25\n10.0.0.1\n25\n8\n");
	scache_cache_save_dest(c, T0, 60, "smtp\nb\n", "",
	    "smtp\n[a]:25\n10.0.0.1\n25\n8\n");
	scache_cache_save_dest(c, T0, 60, "relay\nc\n", "",
	    "relay\n10.0.0.9\n25\n1\n");
	list = scache_list_create(c, &info);
	buf_init(out);
	while (scache_list_next(list, out, T0 + 1000, NOW))
		;
	scache_list_free(list);
	scache_cache_free(c);
	free(prop);
}

static void
expect_listing(const struct tr_cache_listing *l)
{
	const struct tr_cache_session *s;

	ck_assert_int_eq(l->stock, 0);
	ck_assert_int_eq(l->complete, 1);
	ck_assert_str_eq(l->version, PACKAGE_VERSION);
	ck_assert_int_eq(l->pid, 77);
	ck_assert_int_eq(l->start_time, NOW - 100);
	ck_assert_int_eq(l->sessions_now, 2);
	ck_assert_int_eq(l->bindings_now, 3);
	ck_assert_int_eq(l->ttl_limit, 60);
	ck_assert_int_eq(l->saved, 2);
	ck_assert_uint_eq(l->nsessions, 2);
	ck_assert_uint_eq(l->nbindings, 3);
	s = &l->session[0];
	ck_assert_str_eq(s->endpoint, "smtp\n[a]:25\n10.0.0.1\n25\n8\n");
	ck_assert_int_eq(s->cached_ms, 1000);
	ck_assert_int_eq(s->time_left_ms, 59000);
	ck_assert_int_eq(s->conn_use, 7);
	ck_assert_str_eq(s->trust, "Verified");
	ck_assert_str_eq(s->protocol, "TLSv1.3");
	ck_assert_str_eq(s->cipher, "TLS_AES_256_GCM_SHA384");
	ck_assert_str_eq(s->cipher_bits, "256/256");
	ck_assert_str_eq(s->peer_CN, "mx.pfsandbox.test");
	ck_assert_str_eq(s->issuer_CN, "pfsandbox throwaway CA");
	s = &l->session[1];
	ck_assert_int_eq(s->conn_use, 1);
	ck_assert_ptr_null(s->trust);
	ck_assert_ptr_null(s->protocol);
	ck_assert_str_eq(l->binding[1].destination, "smtp\nb\n");
	ck_assert_str_eq(l->binding[2].endpoint, "relay\n10.0.0.9\n25\n1\n");
}

/* Fed in pieces of every size from 1 byte up: the same listing. */
START_TEST(test_tr_cache_reads_our_listing_in_any_pieces)
{
	struct tr_cache_listing l;
	struct tr_cache_reader *r;
	enum tr_cache_status st = TR_CACHE_MORE;
	struct buf bytes;
	size_t piece = (size_t)_i + 1, off = 0, n, used;

	make_listing(&bytes);
	r = tr_cache_reader_create(&l);
	while (st == TR_CACHE_MORE && off < bytes.len) {
		n = bytes.len - off < piece ? bytes.len - off : piece;
		st = tr_cache_reader_feed(r, bytes.data + off, n, &used);
		ck_assert_uint_eq(used, n);
		off += used;
	}
	ck_assert_msg(st == TR_CACHE_DONE, "piece %zu: %s", piece,
	    tr_cache_reader_reason(r));
	ck_assert_uint_eq(off, bytes.len);
	expect_listing(&l);
	tr_cache_reader_free(r);
	tr_cache_listing_free(&l);
	buf_free(&bytes);
}
END_TEST

static enum tr_cache_status
feed_all(struct tr_cache_listing *l, const char *data, size_t len,
    char *reason, size_t size)
{
	struct tr_cache_reader *r = tr_cache_reader_create(l);
	enum tr_cache_status st;
	size_t used;

	st = tr_cache_reader_feed(r, data, len, &used);
	snprintf(reason, size, "%s", tr_cache_reader_reason(r));
	tr_cache_reader_free(r);
	return st;
}

#define L(s) s, sizeof(s) - 1

START_TEST(test_tr_cache_stock_answer_is_no_listing)
{
	struct tr_cache_listing l;
	char why[256];

	/* What stock scache 3.7.11 sent to tlsreuse_list (checked live). */
	ck_assert_int_eq(feed_all(&l, L("status\0" "1\0\0"), why,
	    sizeof(why)), TR_CACHE_DONE);
	ck_assert_int_eq(l.stock, 1);
	ck_assert_int_eq(l.complete, 0);
	ck_assert_uint_eq(l.nsessions, 0);
	tr_cache_listing_free(&l);
}
END_TEST

static const struct {
	const char *name;
	const char *bytes;
	size_t len;
	const char *reason;
} bad[] = {
	{"later format", L("status\0" "0\0format\0" "2\0\0"),
	 "listing format 2, this tool reads format 1"},
	{"header without counters", L("status\0" "0\0format\0" "1\0\0"),
	 "listing: missing or bad \"pid\""},
	{"name too long",
	 L("status\0" "0\0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0"),
	 "listing: attribute name exceeds 100 bytes"},
};

START_TEST(test_tr_cache_rejects_bad_replies)
{
	struct tr_cache_listing l;
	char why[256];

	ck_assert_int_eq(feed_all(&l, bad[_i].bytes, bad[_i].len, why,
	    sizeof(why)), TR_CACHE_BAD);
	ck_assert_msg(strstr(why, bad[_i].reason) != NULL, "%s: %s",
	    bad[_i].name, why);
	tr_cache_listing_free(&l);
}
END_TEST

/* The header our scache sends for an empty cache (its listing minus
 * the end list). */
static void
header_only(struct buf *out)
{
	struct scache_cache *c = scache_cache_create(10, 10, NULL, NULL);
	struct scache_list *list = scache_list_create(c, &info);
	struct buf end;

	buf_init(out);
	buf_init(&end);
	while (scache_list_next(list, out, T0, NOW))
		;
	attr_enc_str(&end, "record", "end");
	attr_enc_int(&end, "sessions", 0);
	attr_enc_int(&end, "bindings", 0);
	attr_enc_end(&end);
	ck_assert_uint_gt(out->len, end.len);
	ck_assert(memcmp(out->data + out->len - end.len, end.data, end.len)
	    == 0);
	out->len -= end.len;
	buf_free(&end);
	scache_list_free(list);
	scache_cache_free(c);
}

static const struct {
	const char *name;
	const char *record; /* pairs after the header, "\0"-separated */
	size_t len;
	enum tr_cache_status want;
	const char *reason;
} records[] = {
	{"session without endpoint", L("record\0session\0cached\0" "1\0"
	 "time_left\0" "1\0\0"), TR_CACHE_BAD,
	 "listing: session without endpoint"},
	{"session with a bad time", L("record\0session\0endpoint\0e\0"
	 "cached\0x\0time_left\0" "1\0\0"), TR_CACHE_BAD,
	 "listing: missing or bad \"cached\""},
	{"binding without endpoint", L("record\0binding\0destination\0d\0"
	 "time_left\0" "1\0\0"), TR_CACHE_BAD,
	 "listing: binding without destination or endpoint"},
	{"list without record", L("x\0y\0\0"), TR_CACHE_BAD,
	 "listing: list without \"record\""},
	{"unknown record kind is skipped", L("record\0later\0z\0" "1\0\0"
	 "record\0end\0\0"), TR_CACHE_DONE, ""},
};

START_TEST(test_tr_cache_checks_each_record)
{
	struct tr_cache_listing l;
	struct buf bytes;
	char why[256];

	header_only(&bytes);
	buf_append(&bytes, records[_i].record, records[_i].len);
	ck_assert_int_eq(feed_all(&l, bytes.data, bytes.len, why,
	    sizeof(why)), records[_i].want);
	ck_assert_msg(strcmp(why, records[_i].reason) == 0, "%s: %s",
	    records[_i].name, why);
	tr_cache_listing_free(&l);
	buf_free(&bytes);
}
END_TEST

/* --- the fetch, against a child playing scache on a UNIX socket */

static pid_t
serve_once(const char *path, const char *reply, size_t len)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char request[64];
	int lfd, fd;
	pid_t pid;

	strcpy(sun.sun_path, path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(lfd, 0);
	unlink(path);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	if ((pid = fork()) == 0) {
		fd = accept(lfd, NULL, NULL);
		(void)!write(fd, "protocol\0connection_cache_protocol\0\0", 36);
		(void)!read(fd, request, sizeof(request));
		if (memcmp(request, "request\0tlsreuse_list\0\0", 23) == 0)
			(void)!write(fd, reply, len);
		close(fd);
		_exit(0);
	}
	close(lfd);
	return pid;
}

START_TEST(test_tr_cache_fetch_over_a_socket)
{
	char path[] = "/tmp/check_tr_cache.XXXXXX";
	struct tr_cache_listing l;
	struct buf bytes, why;
	pid_t pid;
	int fd = mkstemp(path);

	close(fd);
	make_listing(&bytes);
	buf_init(&why);
	pid = serve_once(path, bytes.data, bytes.len);
	ck_assert_msg(tr_cache_fetch(&l, path, 5000, &why) == 0, "%s",
	    buf_str(&why));
	expect_listing(&l);
	tr_cache_listing_free(&l);
	waitpid(pid, NULL, 0);
	/* A server that closes early: an error with a reason. */
	pid = serve_once(path, bytes.data, bytes.len / 2);
	ck_assert_int_eq(tr_cache_fetch(&l, path, 5000, &why), -1);
	ck_assert_str_eq(buf_str(&why), "the listing ended early");
	tr_cache_listing_free(&l);
	waitpid(pid, NULL, 0);
	unlink(path);
	ck_assert_int_eq(tr_cache_fetch(&l, path, 5000, &why), -1);
	ck_assert_ptr_nonnull(strstr(buf_str(&why), "connect to"));
	tr_cache_listing_free(&l);
	buf_free(&bytes);
	buf_free(&why);
}
END_TEST

Suite *tr_cache_suite(void);

Suite *
tr_cache_suite(void)
{
	Suite *s = suite_create("tr_cache");
	TCase *tc;

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_tr_cache_reads_our_listing_in_any_pieces,
	    0, 64);
	tcase_add_test(tc, test_tr_cache_stock_answer_is_no_listing);
	tcase_add_loop_test(tc, test_tr_cache_checks_each_record, 0,
	    sizeof(records) / sizeof(records[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, test_tr_cache_rejects_bad_replies, 0,
	    sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("fetch");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tr_cache_fetch_over_a_socket);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_cache_suite)
