/*
 * check_scache_proto.c - tests for scache/scache_proto.c
 *
 * The test plays smtp(8) on one end of a socketpair; the other end is a
 * client of a real scache_proto on the real event loop, with a fake
 * clock. The golden suite replays every captured stock conversation
 * (tests/data/scache-replay-<version>.txt, made by gen_scache_replay.py)
 * and compares our bytes and descriptors with stock's; the other suites
 * send what no stock client sends.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attr_dec.h"
#include "buf.h"
#include "capture.h"
#include "event.h"
#include "fdpass.h"
#include "runner.h"
#include "scache_cache.h"
#include "scache_proto.h"

#define ANNOUNCE "protocol\0connection_cache_protocol\0\0"
#define ANNOUNCE_LEN (sizeof(ANNOUNCE) - 1)
#define FIND_MISS "status\0" "2\0property\0\0\0"
#define FIND_MISS_LEN (sizeof(FIND_MISS) - 1)
#define STATUS_OK "status\0" "0\0\0"
#define STATUS_OK_LEN (sizeof(STATUS_OK) - 1)
#define LOOP_TRIES 200

static uint64_t fake_now;
static int disconnect_calls;
static struct scache_proto *proto;
static int keep[256]; /* peers of descriptors we cached, kept open */
static int keep_count;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
count_disconnect(int fd)
{
	disconnect_calls++;
}

static struct scache_proto_config
test_config(void)
{
	struct scache_proto_config cfg = {
		.ttl_limit = 2,
		.status_update_time = 600,
		.request_timeout_ms = 5000,
		.idle_timeout_ms = 3600000,
		.reuse_log = 1,
		.reuse_time_limit = 300,
		.session_max = 100,
		.binding_max = 400,
		.disconnect = count_disconnect,
	};

	return cfg;
}

static void
start(const struct scache_proto_config *cfg)
{
	fake_now = 1000000;
	event_clock_set(fake_clock);
	event_now_refresh();
	disconnect_calls = keep_count = 0;
	capture_start();
	proto = scache_proto_create(cfg);
}

static void
setup(void)
{
	struct scache_proto_config cfg = test_config();

	start(&cfg);
}

static void
teardown(void)
{
	scache_proto_free(proto);
	while (keep_count > 0)
		close(keep[--keep_count]);
}

static void
spin(void)
{
	int i;

	for (i = 0; i < 5; i++)
		event_loop(0);
}

static void
advance(uint64_t ms)
{
	fake_now += ms;
	spin();
}

/* A connected socket whose peer stays open until teardown. */
static int
live_socket(void)
{
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ck_assert_int_lt(keep_count, 256);
	keep[keep_count++] = sp[1];
	return sp[0];
}

/* A new client of proto; returns our (smtp's) end, non-blocking. */
static int
connect_client(void)
{
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	scache_proto_accept(proto, sp[0]);
	return sp[1];
}

static void
send_bytes(int fd, const void *data, size_t len)
{
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	spin();
}

/* Reads exactly len bytes (no descriptor) while the loop runs. */
static void
expect_bytes(int fd, const void *want, size_t len, const char *where)
{
	char *got = calloc(1, len + 1);
	size_t have = 0;
	ssize_t n;
	int tries, rfd;

	for (tries = 0; have < len && tries < LOOP_TRIES; tries++) {
		event_loop(0);
		n = fdpass_read(fd, got + have, len - have, &rfd);
		ck_assert_msg(n != 0, "%s: EOF after %zu of %zu bytes", where,
		    have, len);
		ck_assert_msg(rfd < 0, "%s: unexpected descriptor", where);
		if (n > 0)
			have += (size_t)n;
	}
	ck_assert_msg(have == len, "%s: got %zu of %zu bytes", where, have,
	    len);
	ck_assert_msg(memcmp(got, want, len) == 0, "%s: bytes differ", where);
	free(got);
}

/* Expects the one-byte carrier with a descriptor; returns it. */
static int
expect_fd(int fd, const char *where)
{
	char byte = 1;
	ssize_t n = -1;
	int tries, rfd = -1;

	for (tries = 0; n < 0 && tries < LOOP_TRIES; tries++) {
		event_loop(0);
		n = fdpass_read(fd, &byte, 1, &rfd);
	}
	ck_assert_msg(n == 1 && byte == 0 && rfd >= 0, "%s: no descriptor",
	    where);
	return rfd;
}

/* True once the server closed its end (all input so far discarded). */
static int
closed_by_server(int fd)
{
	char junk[256];
	ssize_t n;
	int tries, rfd;

	for (tries = 0; tries < LOOP_TRIES; tries++) {
		event_loop(0);
		n = fdpass_read(fd, junk, sizeof(junk), &rfd);
		if (rfd >= 0)
			close(rfd);
		if (n == 0)
			return 1;
		if (n < 0 && errno != EAGAIN)
			return 1;
	}
	return 0;
}

/* --- golden replay */

static size_t
unhex(struct buf *out, const char *hex)
{
	unsigned byte;

	buf_reset(out);
	while (sscanf(hex, "%2x", &byte) == 1) {
		buf_putc(out, (int)byte);
		hex += 2;
	}
	return out->len;
}

/* Removes every session a find for label could return. */
static void
purge(int dest, const char *label)
{
	struct scache_cache *cache = scache_proto_cache(proto);
	char *dprop, *eprop;
	int fd;

	for (;;) {
		dprop = NULL;
		fd = dest ? scache_cache_find_dest(cache, label, &dprop, &eprop) : scache_cache_find_endp(cache, label, &eprop);
		if (fd < 0)
			return;
		free(dprop);
		free(eprop);
		close(fd);
	}
}

#define SEED_ENDP "replay-seed\n"

/* Pins the next find to the stock answer (see gen_scache_replay.py). */
static void
replay_pin(const char *tag, char **field, int nfield)
{
	struct scache_cache *cache = scache_proto_cache(proto);
	int dest = tag[1] == 'D';

	purge(dest, field[0]);
	if (tag[0] == 'M')
		return;
	if (dest) {
		purge(0, SEED_ENDP);
		scache_cache_save_dest(cache, event_now(), 2, field[0],
		    field[1], SEED_ENDP);
	}
	scache_cache_save_endp(cache, event_now(), 2,
	    dest ? SEED_ENDP : field[0], field[nfield - 1], live_socket());
}

struct replay {
	int client;      /* our end of the current connection, or -1 */
	int convs;       /* connections replayed */
	struct buf want; /* server bytes expected, not yet read */
	int hits;        /* descriptors the server handed out */
	int lineno;
	const char *file;
};

static void
replay_flush(struct replay *r)
{
	char where[128];

	if (r->want.len == 0)
		return;
	snprintf(where, sizeof(where), "%s line %d", r->file, r->lineno);
	expect_bytes(r->client, r->want.data, r->want.len, where);
	buf_reset(&r->want);
}

static void
replay_end_conv(struct replay *r)
{
	if (r->client < 0)
		return;
	replay_flush(r);
	close(r->client);
	spin();
	r->client = -1;
	ck_assert_uint_eq(scache_proto_client_count(proto), 0);
}

static void
replay_line(struct replay *r, char *line)
{
	struct buf bytes[3];
	char *word[6], *save = NULL;
	char *text[3];
	int n = 0, i, fd;

	for (word[0] = strtok_r(line, " \n", &save); word[n] && n < 4;)
		word[++n] = strtok_r(NULL, " \n", &save);
	if (n == 0 || word[0][0] == '#')
		return;
	for (i = 0; i < 3; i++) {
		buf_init(&bytes[i]);
		text[i] = i + 1 < n ? (unhex(&bytes[i], word[i + 1]),
		    bytes[i].data) : NULL;
	}
	if (strcmp(word[0], "S") == 0) {
		/* Server bytes are compared as a stream, not per write. */
		buf_append(&r->want, bytes[0].data, bytes[0].len);
	} else if (strcmp(word[0], "T") == 0) {
		fake_now = 1000000 + strtoull(word[1], NULL, 10);
	} else {
		replay_flush(r);
		if (strcmp(word[0], "conv") == 0) {
			replay_end_conv(r);
			fake_now = 1000000;
			spin();
			r->client = connect_client();
			r->convs++;
		} else if (strcmp(word[0], "SF") == 0) {
			close(expect_fd(r->client, r->file));
			r->hits++;
		} else if (strcmp(word[0], "C") == 0) {
			send_bytes(r->client, bytes[0].data, bytes[0].len);
		} else if (strcmp(word[0], "CF") == 0) {
			fd = live_socket();
			ck_assert_int_eq(fdpass_send(r->client, fd), 0);
			close(fd);
			spin();
		} else {
			replay_pin(word[0], text, n - 1);
		}
	}
	for (i = 0; i < 3; i++)
		buf_free(&bytes[i]);
}

static const char *const replay_files[] = {
	"scache-replay-3.6.4.txt",
	"scache-replay-3.7.11.txt",
	"scache-replay-3.8.6.txt",
	"scache-replay-3.10.13.txt",
	"scache-replay-3.12-20260821.txt",
};

START_TEST(test_scache_proto_replays_stock_conversations)
{
	struct replay r = {.client = -1, .file = replay_files[_i]};
	char path[512], line[20000];
	FILE *fp;

	buf_init(&r.want);
	snprintf(path, sizeof(path), "%s/%s", TESTDATA_DIR, r.file);
	ck_assert_msg((fp = fopen(path, "r")) != NULL, "open %s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		r.lineno++;
		ck_assert_msg(strchr(line, '\n') != NULL, "line too long");
		replay_line(&r, line);
	}
	fclose(fp);
	replay_end_conv(&r);
	buf_free(&r.want);
	ck_assert_int_gt(r.hits, 0);
	/* Stock clients cause no warning; each hand-out logs one line. */
	ck_assert_msg(capture_count("warning") == 0, "%s", capture_text());
	ck_assert_int_eq(capture_count("TLS connection handed out"), r.hits);
	ck_assert_int_eq(disconnect_calls, r.convs);
}
END_TEST

/* --- requests no stock client sends */

static int
client_after_announce(void)
{
	int c = connect_client();

	expect_bytes(c, ANNOUNCE, ANNOUNCE_LEN, "announcement");
	return c;
}

/* Sends a request, expects reply (if any), a warning and a close. */
static void
expect_rejected(const char *req, size_t req_len, const char *reply,
    size_t reply_len, const char *warning)
{
	int c = client_after_announce();

	send_bytes(c, req, req_len);
	if (reply_len)
		expect_bytes(c, reply, reply_len, warning);
	ck_assert_msg(closed_by_server(c), "not closed: %s", warning);
	close(c);
	spin();
	ck_assert_msg(capture_count(warning) == 1, "want %s, log:\n%s",
	    warning, capture_text());
	ck_assert_int_eq(capture_count("warning"), 1);
	ck_assert_uint_eq(scache_proto_client_count(proto), 0);
}

#define L(s) s, sizeof(s) - 1

START_TEST(test_scache_proto_rejects_unknown_request)
{
	expect_rejected(L("request\0stats\0\0"), L("status\0" "1\0\0"),
	    "unrecognized request: \"stats\", ignored");
}
END_TEST

START_TEST(test_scache_proto_rejects_missing_label)
{
	expect_rejected(L("request\0find_endp\0\0"),
	    L("status\0" "1\0property\0\0\0"),
	    "scache_find_endp_service: bad or missing request parameter");
}
END_TEST

START_TEST(test_scache_proto_rejects_find_dest_extra_attribute)
{
	expect_rejected(L("request\0find_dest\0label\0d\0x\0y\0\0"),
	    L("status\0" "1\0property\0\0property\0\0\0"),
	    "scache_find_dest_service: bad or missing request parameter");
}
END_TEST

START_TEST(test_scache_proto_rejects_zero_ttl)
{
	expect_rejected(L("request\0save_dest\0ttl\0" "0\0label\0d\0"
	    "property\0\0label\0e\0\0"), L("status\0" "1\0\0"),
	    "scache_save_dest_service: bad or missing request parameter");
}
END_TEST

START_TEST(test_scache_proto_rejects_bad_ttl_number)
{
	expect_rejected(L("request\0save_endp\0ttl\0" "2x\0label\0e\0"
	    "property\0p\0\0"), L("status\0" "1\0\0"),
	    "scache_save_endp_service: bad or missing request parameter");
}
END_TEST

START_TEST(test_scache_proto_rejects_list_without_request)
{
	expect_rejected(L("label\0e\0\0"), NULL, 0,
	    "from scache socket");
}
END_TEST

START_TEST(test_scache_proto_rejects_too_many_pairs)
{
	/* SCACHE_PROTO_PAIRS_MAX pairs pass the decoder; one more fails. */
	expect_rejected(L("request\0find_endp\0a\0\0b\0\0c\0\0d\0\0e\0\0"
	    "f\0\0g\0\0h\0\0\0"), NULL, 0, "malformed request");
}
END_TEST

START_TEST(test_scache_proto_takes_value_at_limit_rejects_one_past)
{
	struct buf req;
	int c;

	buf_init(&req);
	buf_append(&req, L("request\0find_endp\0label\0"));
	buf_reserve(&req, SCACHE_PROTO_VALUE_MAX);
	memset(req.data + req.len, 'x', SCACHE_PROTO_VALUE_MAX);
	req.len += SCACHE_PROTO_VALUE_MAX;
	buf_append(&req, "\0\0", 2);
	c = client_after_announce();
	send_bytes(c, req.data, req.len);
	expect_bytes(c, FIND_MISS, FIND_MISS_LEN, "label at limit");
	close(c);
	buf_reset(&req);
	buf_append(&req, L("request\0find_endp\0label\0"));
	buf_reserve(&req, SCACHE_PROTO_VALUE_MAX + 1);
	memset(req.data + req.len, 'x', SCACHE_PROTO_VALUE_MAX + 1);
	req.len += SCACHE_PROTO_VALUE_MAX + 1;
	buf_append(&req, "\0\0", 2);
	expect_rejected(req.data, req.len, NULL, 0, "malformed request");
	buf_free(&req);
}
END_TEST

static void
save_endp_request(int c)
{
	send_bytes(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"));
	expect_bytes(c, FDPASS_DUMMY, FDPASS_DUMMY_LEN, "save_endp dummy");
}

START_TEST(test_scache_proto_rejects_descriptor_not_a_socket)
{
	int c = client_after_announce();
	int p[2];

	save_endp_request(c);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fdpass_send(c, p[0]), 0);
	close(p[0]);
	spin();
	expect_bytes(c, L("status\0" "2\0\0"), "not a socket");
	ck_assert(closed_by_server(c));
	/* Our pipe end was closed by the server: the write end sees EPIPE. */
	ck_assert_int_eq(scache_cache_session_count(scache_proto_cache(proto)),
	    0);
	ck_assert_int_eq(capture_count("not a socket"), 1);
	close(p[1]);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_rejects_save_without_descriptor)
{
	int c = client_after_announce();

	save_endp_request(c);
	send_bytes(c, "", 1);
	expect_bytes(c, L("status\0" "2\0\0"), "no descriptor");
	ck_assert(closed_by_server(c));
	ck_assert_int_eq(capture_count("unable to receive file descriptor"), 1);
	close(c);
}
END_TEST

/* fdpass_send() with another carrier byte than NUL. */
static void
send_fd_with_byte(int sock, int fd, char byte)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.buf, .msg_controllen = sizeof(control.buf)};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	ck_assert_int_eq(sendmsg(sock, &msg, 0), 1);
}

START_TEST(test_scache_proto_rejects_bad_carrier_byte)
{
	int c = client_after_announce();

	save_endp_request(c);
	send_fd_with_byte(c, live_socket(), 'x');
	spin();
	expect_bytes(c, L("status\0" "2\0\0"), "bad carrier");
	ck_assert(closed_by_server(c));
	ck_assert_int_eq(capture_count("bad carrier byte"), 1);
	ck_assert_uint_eq(scache_cache_session_count(scache_proto_cache(proto)),
	    0);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_rejects_descriptor_out_of_turn)
{
	int c = client_after_announce();

	ck_assert_int_eq(fdpass_send(c, live_socket()), 0);
	spin();
	ck_assert(closed_by_server(c));
	ck_assert_int_eq(capture_count("unexpected file descriptor"), 1);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_stalled_client_times_out_others_carry_on)
{
	int stalled = client_after_announce();
	int other = client_after_announce();

	send_bytes(stalled, L("request\0find_en"));
	advance(4999);
	send_bytes(other, L("request\0find_endp\0label\0e\0\0"));
	expect_bytes(other, FIND_MISS, FIND_MISS_LEN, "other client");
	advance(1);
	ck_assert(closed_by_server(stalled));
	ck_assert_int_eq(capture_count("timeout on scache socket while "
	    "reading a request"), 1);
	send_bytes(other, L("request\0find_endp\0label\0e\0\0"));
	expect_bytes(other, FIND_MISS, FIND_MISS_LEN, "other client again");
	close(stalled);
	close(other);
}
END_TEST

START_TEST(test_scache_proto_client_gone_before_the_greeting_is_quiet)
{
	int sp[2];

	/* Accepted after it left: the greeting fails, nothing was asked. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	close(sp[1]);
	scache_proto_accept(proto, sp[0]);
	spin();
	ck_assert_uint_eq(scache_proto_client_count(proto), 0);
	ck_assert_int_eq(disconnect_calls, 1);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(test_scache_proto_idle_client_is_not_timed_out_early)
{
	int c = client_after_announce();

	advance(60000);
	send_bytes(c, L("request\0find_endp\0label\0e\0\0"));
	expect_bytes(c, FIND_MISS, FIND_MISS_LEN, "after idle minute");
	ck_assert_int_eq(capture_count("warning"), 0);
	close(c);
}
END_TEST

/* --- the cache listing (tlsreuse_list) */

#define LIST_REQUEST "request\0tlsreuse_list\0\0"

/* Reads until the server closes; fails on any descriptor. */
static void
read_until_closed(int fd, struct buf *out)
{
	char chunk[8192];
	ssize_t n;
	int tries, rfd;

	buf_reset(out);
	for (tries = 0; tries < 100 * LOOP_TRIES; tries++) {
		event_loop(0);
		n = fdpass_read(fd, chunk, sizeof(chunk), &rfd);
		ck_assert_msg(rfd < 0, "the listing passed a descriptor");
		if (n == 0)
			return;
		if (n > 0)
			buf_append(out, chunk, (size_t)n);
	}
	ck_abort_msg("listing client not closed after %zu bytes", out->len);
}

/* Counts the lists in data whose first pair is name=value. */
static int
count_lists(const struct buf *data, const char *name, const char *value)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	size_t done = 0, used;
	int count = 0;

	while (done < data->len) {
		ck_assert_int_eq(attr_dec_feed(dec, data->data + done,
		    data->len - done, &used), ATTR_DEC_OK);
		done += used;
		list = attr_dec_list(dec);
		if (list->count > 0 && strcmp(list->pairs[0].name, name) == 0 &&
		    strcmp(list->pairs[0].value, value) == 0)
			count++;
		attr_dec_reset(dec);
	}
	attr_dec_free(dec);
	return count;
}

START_TEST(test_scache_proto_lists_cache_then_closes)
{
	struct scache_cache *cache = scache_proto_cache(proto);
	int c = client_after_announce();
	struct buf out;

	scache_cache_save_endp(cache, event_now(), 2, "e1", "", live_socket());
	scache_cache_save_dest(cache, event_now(), 2, "d1", "", "e1");
	buf_init(&out);
	send_bytes(c, L(LIST_REQUEST));
	read_until_closed(c, &out);
	ck_assert_int_eq(count_lists(&out, "status", "0"), 1);
	ck_assert_int_eq(count_lists(&out, "record", "session"), 1);
	ck_assert_int_eq(count_lists(&out, "record", "binding"), 1);
	ck_assert_int_eq(count_lists(&out, "record", "end"), 1);
	/* The cache is as it was; the client is gone. */
	ck_assert_uint_eq(scache_cache_session_count(cache), 1);
	ck_assert_int_eq(disconnect_calls, 1);
	ck_assert_uint_eq(scache_proto_client_count(proto), 0);
	ck_assert_int_eq(capture_count("warning"), 0);
	buf_free(&out);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_rejects_list_with_extra_attribute)
{
	expect_rejected(L("request\0tlsreuse_list\0x\0y\0\0"),
	    L("status\0" "1\0\0"),
	    "scache_list_service: bad or missing request parameter");
}
END_TEST

/*
 * A listing bigger than the socket buffer, from a client that does not
 * read: other clients are served meanwhile, and the whole listing then
 * arrives.
 */
START_TEST(test_scache_proto_slow_listing_does_not_block_others)
{
	struct scache_proto_config cfg = test_config();
	struct scache_cache *cache;
	static char label[4001];
	struct buf out;
	int lister, other, i;

	scache_proto_free(proto);
	cfg.session_max = 300;
	start(&cfg);
	cache = scache_proto_cache(proto);
	memset(label, 'x', sizeof(label) - 1);
	for (i = 0; i < 200; i++) {
		snprintf(label, 5, "%04d", i);
		label[4] = 'x';
		scache_cache_save_endp(cache, event_now(), 2, label, "",
		    live_socket());
	}
	lister = client_after_announce();
	other = client_after_announce();
	send_bytes(lister, L(LIST_REQUEST));
	send_bytes(other, L("request\0find_endp\0label\0e\0\0"));
	expect_bytes(other, FIND_MISS, FIND_MISS_LEN, "other client");
	ck_assert_uint_eq(scache_proto_client_count(proto), 2);
	buf_init(&out);
	read_until_closed(lister, &out);
	ck_assert_uint_gt(out.len, 200 * 4000);
	ck_assert_int_eq(count_lists(&out, "record", "session"), 200);
	ck_assert_int_eq(count_lists(&out, "record", "end"), 1);
	buf_free(&out);
	close(lister);
	close(other);
}
END_TEST

/* --- backpressure and deadlines */

#define FIND_E "request\0find_endp\0label\0e\0\0"
#define FIND_E_LEN (sizeof(FIND_E) - 1)

/* A client whose socket buffers are as small as the kernel allows. */
static int
connect_small_client(void)
{
	int sp[2], small = 1;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sp[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	scache_proto_accept(proto, sp[0]);
	return sp[1];
}

/* Pipelines find_endp requests until the server stops taking them;
 * returns how many went out. */
static long
pipeline_until_refused(int c)
{
	long sent = 0;
	int rounds, idle = 0;
	ssize_t n;

	for (rounds = 0; rounds < 10000 && idle < 20; rounds++) {
		n = write(c, FIND_E, FIND_E_LEN);
		if (n == (ssize_t)FIND_E_LEN) {
			sent++;
			idle = 0;
			continue;
		}
		ck_assert_int_lt(n, 0);
		ck_assert_int_eq(errno, EAGAIN);
		idle++;
		event_loop(0);
	}
	ck_assert_int_eq(idle, 20);
	return sent;
}

START_TEST(test_scache_proto_pipelining_client_that_never_reads_is_held)
{
	struct scache_cache *cache = scache_proto_cache(proto);
	int c = connect_small_client(), other;
	long sent;
	int handled;

	sent = pipeline_until_refused(c);
	handled = scache_cache_counts(cache)->endp_miss;
	/* Bounded: the replies held (16 KB plus what the kernel keeps)
	 * cover only so many 26-byte misses; the rest waits unread. */
	ck_assert_int_gt(handled, 0);
	ck_assert_int_lt(handled, 4000);
	ck_assert_int_lt(handled, sent);
	spin();
	ck_assert_int_eq(scache_cache_counts(cache)->endp_miss, handled);
	/* Others are served meanwhile. */
	other = client_after_announce();
	send_bytes(other, FIND_E, FIND_E_LEN);
	expect_bytes(other, FIND_MISS, FIND_MISS_LEN, "other client");
	/* The deadline set when it got busy holds: 5 s, then closed. */
	advance(4999);
	ck_assert_int_eq(capture_count("timeout"), 0);
	advance(1);
	ck_assert_int_eq(capture_count("timeout on scache socket while "
	    "writing a reply"), 1);
	ck_assert_uint_eq(scache_proto_client_count(proto), 1);
	close(c);
	close(other);
}
END_TEST

START_TEST(test_scache_proto_held_requests_go_on_when_the_client_reads)
{
	struct scache_cache *cache = scache_proto_cache(proto);
	int c = connect_small_client();
	char junk[4096];
	long sent, got = 0;
	ssize_t n;
	int tries;

	sent = pipeline_until_refused(c);
	ck_assert_int_lt(scache_cache_counts(cache)->endp_miss, sent);
	/* Reading the replies lets every request be answered, in order. */
	for (tries = 0; tries < 100000 &&
	    got < (long)ANNOUNCE_LEN + sent * (long)FIND_MISS_LEN; tries++) {
		event_loop(0);
		n = read(c, junk, sizeof(junk));
		if (n > 0)
			got += n;
	}
	ck_assert_int_eq(got, (long)ANNOUNCE_LEN + sent * (long)FIND_MISS_LEN);
	ck_assert_int_eq(scache_cache_counts(cache)->endp_miss, sent);
	ck_assert_int_eq(capture_count("warning"), 0);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_trickled_request_meets_its_deadline)
{
	const char req[] = FIND_E;
	int c = client_after_announce();
	size_t i;

	/* One byte a second used to restart the clock every time. */
	for (i = 0; i < 5; i++) {
		send_bytes(c, req + i, 1);
		advance(999);
	}
	ck_assert_int_eq(capture_count("timeout"), 0);
	advance(5);
	ck_assert(closed_by_server(c));
	ck_assert_int_eq(capture_count("timeout on scache socket while "
	    "reading a request"), 1);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_answered_requests_renew_the_deadline)
{
	int c = client_after_announce(), i;

	/* A request every 3 s for 30 s, each answered: never timed out. */
	for (i = 0; i < 10; i++) {
		send_bytes(c, FIND_E, FIND_E_LEN);
		expect_bytes(c, FIND_MISS, FIND_MISS_LEN, "answer");
		advance(3000);
	}
	ck_assert_int_eq(capture_count("warning"), 0);
	close(c);
}
END_TEST

/* --- cache behaviour seen through the protocol */

static void
save_endp_fd(int c, const char *req, size_t len, int fd)
{
	send_bytes(c, req, len);
	expect_bytes(c, FDPASS_DUMMY, FDPASS_DUMMY_LEN, "save_endp dummy");
	ck_assert_int_eq(fdpass_send(c, fd), 0);
	close(fd);
	expect_bytes(c, STATUS_OK, STATUS_OK_LEN, "save_endp status");
}

START_TEST(test_scache_proto_handout_and_pipelined_request)
{
	int c = client_after_announce();
	int sp[2], got;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"), sp[0]);
	send_bytes(c, L("request\0find_endp\0label\0e\0\0"));
	expect_bytes(c, L("status\0" "0\0property\0p\0\0"), "hit");
	send_bytes(c, FDPASS_DUMMY, FDPASS_DUMMY_LEN);
	got = expect_fd(c, "hit");
	/* The second dummy and the next request in one write. */
	send_bytes(c, L("dummy\0\0\0request\0find_endp\0label\0e\0\0"));
	expect_bytes(c, FIND_MISS, FIND_MISS_LEN, "pipelined miss");
	/* It is the same connection: bytes go through to sp[1]. */
	ck_assert_int_eq(write(got, "x", 1), 1);
	ck_assert_int_eq(read(sp[1], &got, 1), 1);
	ck_assert_int_eq(capture_count("warning"), 0);
	close(sp[1]);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_ttl_is_capped_by_limit)
{
	int c = client_after_announce();
	struct scache_cache *cache = scache_proto_cache(proto);

	save_endp_fd(c, L("request\0save_endp\0ttl\0" "100\0label\0e\0"
	    "property\0p\0\0"), live_socket());
	ck_assert_uint_eq(scache_cache_session_count(cache), 1);
	advance(1999);
	ck_assert_uint_eq(scache_cache_session_count(cache), 1);
	advance(1);
	ck_assert_uint_eq(scache_cache_session_count(cache), 0);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_drops_connection_whose_peer_closed)
{
	int c = client_after_announce();
	struct scache_cache *cache = scache_proto_cache(proto);
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"), sp[0]);
	ck_assert_uint_eq(scache_cache_session_count(cache), 1);
	close(sp[1]);
	spin();
	ck_assert_uint_eq(scache_cache_session_count(cache), 0);
	ck_assert_int_eq(scache_cache_counts(cache)->evict_dead, 1);
	send_bytes(c, L("request\0find_endp\0label\0e\0\0"));
	expect_bytes(c, FIND_MISS, FIND_MISS_LEN, "dead one not handed out");
	close(c);
}
END_TEST

START_TEST(test_scache_proto_closed_in_the_same_batch_is_not_handed_out)
{
	int c = client_after_announce();
	struct scache_cache *cache = scache_proto_cache(proto);
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"), sp[0]);
	/* The request is ready first, the close right behind it: both
	 * come in one batch, the request first. */
	ck_assert_int_eq(write(c, FIND_E, FIND_E_LEN), (ssize_t)FIND_E_LEN);
	close(sp[1]);
	event_loop(0);
	expect_bytes(c, FIND_MISS, FIND_MISS_LEN, "closed one not handed out");
	ck_assert_uint_eq(scache_cache_session_count(cache), 0);
	ck_assert_int_eq(scache_cache_counts(cache)->evict_dead, 1);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_full_cache_warns_once_per_interval)
{
	struct scache_proto_config cfg = test_config();
	int c, i;

	scache_proto_free(proto);
	cfg.session_max = 2;
	start(&cfg);
	c = client_after_announce();
	for (i = 0; i < 4; i++)
		save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
		    "property\0p\0\0"), live_socket());
	ck_assert_uint_eq(scache_cache_session_count(
	    scache_proto_cache(proto)), 2);
	ck_assert_int_eq(capture_count("connection cache full at 2"), 1);
	/* A new statistics interval may warn again. */
	advance(600000);
	ck_assert_int_eq(capture_count("over-limit=2"), 1);
	save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"), live_socket());
	save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"), live_socket());
	save_endp_fd(c, L("request\0save_endp\0ttl\0" "2\0label\0e\0"
	    "property\0p\0\0"), live_socket());
	ck_assert_int_eq(capture_count("connection cache full at 2"), 2);
	close(c);
}
END_TEST

/* Takes every free descriptor slot below a lowered limit; returns n. */
static int
fill_table(int *fill, int n, int max)
{
	struct rlimit rl;
	int fd;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = 128;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		ck_assert_int_lt(n, max);
		fill[n++] = fd;
	}
	ck_assert_int_eq(errno, EMFILE);
	return n;
}

#define SAVE_E L("request\0save_endp\0ttl\0" "2\0label\0e\0property\0p\0\0")

START_TEST(test_scache_proto_save_into_full_table_fails_softly)
{
	struct scache_cache *cache = scache_proto_cache(proto);
	int c = client_after_announce(), a = live_socket(), b = live_socket();
	int more[3], fill[128], n, i;

	save_endp_fd(c, SAVE_E, a);
	save_endp_fd(c, SAVE_E, b);
	for (i = 0; i < 3; i++)
		more[i] = live_socket();
	n = fill_table(fill, 0, 128);
	/* The descriptor is lost on the way in: status OK (saved and
	 * dropped: anything else makes smtp stop using the cache), the
	 * client stays, and the oldest cached connection makes room. */
	send_bytes(c, SAVE_E);
	expect_bytes(c, FDPASS_DUMMY, FDPASS_DUMMY_LEN, "save_endp dummy");
	ck_assert_int_eq(fdpass_send(c, more[0]), 0);
	expect_bytes(c, STATUS_OK, STATUS_OK_LEN, "lost descriptor");
	ck_assert_uint_eq(scache_cache_session_count(cache), 1);
	ck_assert_int_eq(scache_cache_counts(cache)->evict_fd, 2);
	/* The slot freed serves the next save. */
	save_endp_fd(c, SAVE_E, more[1]);
	ck_assert_uint_eq(scache_cache_session_count(cache), 2);
	/* Lost again (the test closed its copy: fill that slot too); no
	 * second warning in this statistics interval. */
	n = fill_table(fill, n, 128);
	send_bytes(c, SAVE_E);
	expect_bytes(c, FDPASS_DUMMY, FDPASS_DUMMY_LEN, "save_endp dummy");
	ck_assert_int_eq(fdpass_send(c, more[2]), 0);
	expect_bytes(c, STATUS_OK, STATUS_OK_LEN, "lost again");
	ck_assert_int_eq(capture_count("scache_save_endp_service: unable to "
	    "receive file descriptor: descriptor table full"), 1);
	ck_assert_int_eq(capture_count("warning"), 1);
	ck_assert_uint_eq(scache_proto_client_count(proto), 1);
	while (n > 0)
		close(fill[--n]);
	close(more[0]);
	close(more[2]);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_shed_frees_the_oldest)
{
	int c = client_after_announce();

	ck_assert_int_eq(scache_proto_shed(proto), 0);
	save_endp_fd(c, SAVE_E, live_socket());
	ck_assert_int_eq(scache_proto_shed(proto), 1);
	ck_assert_uint_eq(scache_cache_session_count(scache_proto_cache(proto)),
	    0);
	close(c);
}
END_TEST

START_TEST(test_scache_proto_session_limit_keeps_headroom)
{
	ck_assert_uint_eq(scache_proto_session_limit(1024), 768);
	ck_assert_uint_eq(scache_proto_session_limit(100), 68);
	ck_assert_uint_eq(scache_proto_session_limit(33), 1);
	ck_assert_uint_eq(scache_proto_session_limit(10), 1);
}
END_TEST

/* --- the master.cf switch */

static const struct {
	const char *name;
	const char *argv[8];
	int argc_after;
	int reuse_log;
} arg_cases[] = {
	{"no switch", {"scache", "-l", "-t", "unix", "-u"}, 5, 7},
	{"switch off", {"scache", "-l", "-t", "unix", "reuse_log=no"}, 4, 0},
	{"switch on", {"scache", "-l", "reuse_log=yes"}, 2, 1},
	{"-o value is a parameter", {"scache", "-o", "reuse_log=no"}, 3, 7},
	{"not last", {"scache", "reuse_log=no", "-u"}, 3, 7},
	{"program name only", {"reuse_log=no"}, 1, 7},
};

START_TEST(test_scache_proto_takes_reuse_log_word)
{
	char store[8][32];
	char *argv[8] = {NULL};
	int argc = 0, reuse_log = 7;

	while (arg_cases[_i].argv[argc] != NULL) {
		snprintf(store[argc], sizeof(store[argc]), "%s",
		    arg_cases[_i].argv[argc]);
		argv[argc] = store[argc];
		argc++;
	}
	scache_proto_take_args(&argc, argv, &reuse_log);
	ck_assert_msg(argc == arg_cases[_i].argc_after, "%s: argc %d",
	    arg_cases[_i].name, argc);
	ck_assert_ptr_null(argv[argc]);
	ck_assert_msg(reuse_log == arg_cases[_i].reuse_log, "%s",
	    arg_cases[_i].name);
}
END_TEST

START_TEST(test_scache_proto_bad_reuse_log_word_is_fatal)
{
	char name[] = "scache", word[] = "reuse_log=maybe";
	char *argv[] = {name, word, NULL};
	int argc = 2, reuse_log = 1;

	capture_start();
	scache_proto_take_args(&argc, argv, &reuse_log);
}
END_TEST

Suite *scache_proto_suite(void);

Suite *
scache_proto_suite(void)
{
	Suite *s = suite_create("scache_proto");
	TCase *tc;

	tc = tcase_create("golden");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_scache_proto_replays_stock_conversations,
	    0, sizeof(replay_files) / sizeof(replay_files[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_scache_proto_rejects_unknown_request);
	tcase_add_test(tc, test_scache_proto_rejects_missing_label);
	tcase_add_test(tc, test_scache_proto_rejects_find_dest_extra_attribute);
	tcase_add_test(tc, test_scache_proto_rejects_zero_ttl);
	tcase_add_test(tc, test_scache_proto_rejects_bad_ttl_number);
	tcase_add_test(tc, test_scache_proto_rejects_list_without_request);
	tcase_add_test(tc, test_scache_proto_rejects_too_many_pairs);
	tcase_add_test(tc,
	    test_scache_proto_takes_value_at_limit_rejects_one_past);
	tcase_add_test(tc, test_scache_proto_rejects_descriptor_not_a_socket);
	tcase_add_test(tc, test_scache_proto_rejects_save_without_descriptor);
	tcase_add_test(tc, test_scache_proto_rejects_descriptor_out_of_turn);
	tcase_add_test(tc, test_scache_proto_rejects_bad_carrier_byte);
	tcase_add_test(tc,
	    test_scache_proto_stalled_client_times_out_others_carry_on);
	tcase_add_test(tc, test_scache_proto_idle_client_is_not_timed_out_early);
	tcase_add_test(tc,
	    test_scache_proto_client_gone_before_the_greeting_is_quiet);
	suite_add_tcase(s, tc);

	tc = tcase_create("backpressure");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc,
	    test_scache_proto_pipelining_client_that_never_reads_is_held);
	tcase_add_test(tc,
	    test_scache_proto_held_requests_go_on_when_the_client_reads);
	tcase_add_test(tc, test_scache_proto_trickled_request_meets_its_deadline);
	tcase_add_test(tc,
	    test_scache_proto_answered_requests_renew_the_deadline);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_scache_proto_handout_and_pipelined_request);
	tcase_add_test(tc, test_scache_proto_ttl_is_capped_by_limit);
	tcase_add_test(tc, test_scache_proto_drops_connection_whose_peer_closed);
	tcase_add_test(tc,
	    test_scache_proto_closed_in_the_same_batch_is_not_handed_out);
	tcase_add_test(tc, test_scache_proto_full_cache_warns_once_per_interval);
	tcase_add_test(tc, test_scache_proto_session_limit_keeps_headroom);
	tcase_add_test(tc, test_scache_proto_save_into_full_table_fails_softly);
	tcase_add_test(tc, test_scache_proto_shed_frees_the_oldest);
	suite_add_tcase(s, tc);

	tc = tcase_create("list");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_scache_proto_lists_cache_then_closes);
	tcase_add_test(tc, test_scache_proto_rejects_list_with_extra_attribute);
	tcase_add_test(tc, test_scache_proto_slow_listing_does_not_block_others);
	suite_add_tcase(s, tc);

	tc = tcase_create("args");
	tcase_add_loop_test(tc, test_scache_proto_takes_reuse_log_word, 0,
	    sizeof(arg_cases) / sizeof(arg_cases[0]));
	tcase_add_exit_test(tc, test_scache_proto_bad_reuse_log_word_is_fatal,
	    1);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(scache_proto_suite)
