/*
 * check_tlsp_tlsmgr.c - tests for tlsproxy/tlsp_tlsmgr.c
 *
 * The test plays tlsmgr(8) on one end of a socket pair that the client's
 * injected connector hands out. The golden test replays the stock
 * tlsproxy <-> tlsmgr connection (tests/data/tlsmgr_golden.h): every
 * request the golden client wrote is made through the API and must come
 * out byte for byte; every golden reply is fed back and must decode.
 * Timeouts and hold-offs run on an injected clock.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "buf.h"
#include "capture.h"
#include "event.h"
#include "runner.h"
#include "tlsp_tlsmgr.h"

#include "../data/tlsmgr_golden.h"

Suite *tlsp_tlsmgr_suite(void);

#define HELLO "protocol\0tlsmgr_protocol\0\0"
#define LOOKUP_REQ(id) "request\0lookup\0cache_type\0smtp\0cache_id\0" id "\0\0"
#define SEED_REQ                                                               \
	"request\0seed\0size\0"                                                \
	"32\0\0"
#define MISS                                                                   \
	"status\0"                                                             \
	"4294967295\0session\0\0\0"

/* --- the fake tlsmgr and the injected clock */

static int connects;        /* connector calls */
static int connect_errno;   /* nonzero: the connector fails so */
static int peer = -1;       /* the test's end of the current connection */
static const char *preload; /* written by the fake tlsmgr on connect */
static size_t preload_len;
static uint64_t fake_now;

static int
fake_connect(void *ctx)
{
	int sv[2];

	connects++;
	if (connect_errno != 0) {
		errno = connect_errno;
		return -1;
	}
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (peer >= 0)
		(void)close(peer);
	peer = sv[1];
	if (preload_len > 0)
		ck_assert_int_eq(send(peer, preload, preload_len, 0),
		                 (ssize_t)preload_len);
	return sv[0];
}

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
settle(void)
{
	int i;

	for (i = 0; i < 20; i++)
		event_loop(0);
}

static void
advance(uint64_t ms)
{
	fake_now += ms;
	settle();
}

static void
peer_send(const void *data, size_t len)
{
	ck_assert_int_eq(send(peer, data, len, MSG_NOSIGNAL), (ssize_t)len);
	settle();
}

/* Asserts that the client wrote exactly want[0..len) and nothing more. */
static void
peer_expect(const void *want, size_t len)
{
	char got[4096];
	ssize_t n;

	settle();
	n = recv(peer, got, sizeof(got), MSG_DONTWAIT);
	ck_assert_int_eq(n, (ssize_t)len);
	ck_assert_mem_eq(got, want, len);
}

/* Asserts that the client wrote nothing more. */
static void
peer_expect_nothing(void)
{
	char byte;

	settle();
	ck_assert_int_eq(recv(peer, &byte, 1, MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
}

/* --- replies, as the callbacks saw them */

struct seen {
	int calls;
	int status, cachable, timeout;
	struct buf data;
};

static struct seen seen[4];

static void
on_reply(const struct tlsp_tlsmgr_reply *reply, void *ctx)
{
	struct seen *s = ctx;

	s->calls++;
	s->status = reply->status;
	s->cachable = reply->cachable;
	s->timeout = reply->timeout;
	buf_reset(&s->data);
	if (reply->data != NULL)
		buf_append(&s->data, reply->data, reply->len);
}

static struct tlsp_tlsmgr *mgr;

static void
setup(void)
{
	int i;

	connects = 0;
	connect_errno = 0;
	preload_len = 0;
	peer = -1;
	fake_now = 1000000;
	event_clock_set(fake_clock);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 4; i++)
		buf_init(&seen[i].data);
	capture_start();
	mgr = tlsp_tlsmgr_create_with("private/tlsmgr", fake_connect, NULL);
}

static void
teardown(void)
{
	int i;

	tlsp_tlsmgr_free(mgr);
	for (i = 0; i < 4; i++)
		buf_free(&seen[i].data);
	if (peer >= 0)
		(void)close(peer);
	event_clock_set(NULL);
}

/* --- golden replay */

/* Splits a golden stream into its lists: *off and *len of list i. */
struct golden_list {
	size_t off, len;
};

static size_t
golden_split(const char *data, size_t len, struct golden_list *out, size_t max)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t pos = 0, n = 0, used;

	while (pos < len && n < max) {
		ck_assert_int_eq(
		    attr_dec_feed(dec, data + pos, len - pos, &used),
		    ATTR_DEC_OK);
		out[n].off = pos;
		out[n].len = used;
		n++;
		pos += used;
		attr_dec_reset(dec);
	}
	ck_assert_uint_eq(pos, len);
	attr_dec_free(dec);
	return n;
}

static const char *
golden_value(const struct attr_list *list, const char *name)
{
	const struct attr_pair *pair = attr_list_get(list, name);

	ck_assert_ptr_nonnull(pair);
	return pair->value;
}

/* Makes through the API the request the golden list holds. */
static struct tlsp_tlsmgr_call *
golden_request(const char *bytes, size_t len, struct seen *s)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	struct tlsp_tlsmgr_call *call = NULL;
	const char *req, *value;
	struct buf data;
	size_t used;
	int size;

	ck_assert_int_eq(attr_dec_feed(dec, bytes, len, &used), ATTR_DEC_OK);
	list = attr_dec_list(dec);
	req = golden_value(list, "request");
	buf_init(&data);
	if (strcmp(req, "seed") == 0) {
		ck_assert_int_eq(
		    attr_parse_int(golden_value(list, "size"), &size), 0);
		call = tlsp_tlsmgr_seed(mgr, size, on_reply, s);
	} else if (strcmp(req, "policy") == 0) {
		call = tlsp_tlsmgr_policy(mgr, golden_value(list, "cache_type"),
		                          on_reply, s);
	} else if (strcmp(req, "lookup") == 0) {
		call = tlsp_tlsmgr_lookup(mgr, golden_value(list, "cache_type"),
		                          golden_value(list, "cache_id"),
		                          on_reply, s);
	} else if (strcmp(req, "update") == 0) {
		value = golden_value(list, "session");
		ck_assert_int_eq(attr_parse_data(value, strlen(value), &data),
		                 0);
		call = tlsp_tlsmgr_update(mgr, golden_value(list, "cache_type"),
		                          golden_value(list, "cache_id"),
		                          data.data, data.len, on_reply, s);
	} else if (strcmp(req, "tktkey") == 0) {
		value = golden_value(list, "keyname");
		ck_assert_int_eq(attr_parse_data(value, strlen(value), &data),
		                 0);
		call =
		    tlsp_tlsmgr_tktkey(mgr, data.data, data.len, on_reply, s);
	} else {
		ck_abort_msg("unexpected golden request %s", req);
	}
	buf_free(&data);
	attr_dec_free(dec);
	ck_assert_ptr_nonnull(call);
	return call;
}

START_TEST(test_tlsp_tlsmgr_replays_golden_conversation_byte_exact)
{
	struct golden_list req[32], rep[32];
	size_t nreq, nrep, i;
	int lookups = 0;

	nreq = golden_split(tlsmgr_golden_client, TLSMGR_GOLDEN_CLIENT_LEN, req,
	                    32);
	nrep = golden_split(tlsmgr_golden_server, TLSMGR_GOLDEN_SERVER_LEN, rep,
	                    32);
	ck_assert_uint_eq(nrep, nreq + 1); /* the announcement, then replies */
	for (i = 0; i < nreq; i++) {
		memset(&seen[0], 0, offsetof(struct seen, data));
		(void)golden_request(tlsmgr_golden_client + req[i].off,
		                     req[i].len, &seen[0]);
		if (i == 0)
			peer_send(tlsmgr_golden_server + rep[0].off,
			          rep[0].len);
		/* With no lookup behind it, an update waits its delay. */
		advance(TLSP_TLSMGR_WRITE_DELAY_MS);
		peer_expect(tlsmgr_golden_client + req[i].off, req[i].len);
		ck_assert_int_eq(seen[0].calls, 0);
		peer_send(tlsmgr_golden_server + rep[i + 1].off,
		          rep[i + 1].len);
		ck_assert_int_eq(seen[0].calls, 1);
		if (memcmp(tlsmgr_golden_client + req[i].off, "request\0seed",
		           12) == 0) {
			ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
			ck_assert_uint_eq(seen[0].data.len, 32);
		} else if (memcmp(tlsmgr_golden_client + req[i].off,
		                  "request\0policy", 14) == 0) {
			ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
			ck_assert_int_eq(seen[0].cachable, 1);
			ck_assert_int_eq(seen[0].timeout, 3600);
		} else if (memcmp(tlsmgr_golden_client + req[i].off,
		                  "request\0lookup", 14) == 0) {
			/* The first lookup misses: -1 printed unsigned. */
			ck_assert_int_eq(seen[0].status, lookups++ == 0
			                                     ? TLSP_TLSMGR_ERR
			                                     : TLSP_TLSMGR_OK);
			ck_assert_uint_eq(seen[0].data.len,
			                  lookups == 1 ? 0 : 900);
		} else if (memcmp(tlsmgr_golden_client + req[i].off,
		                  "request\0tktkey", 14) == 0) {
			ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
			ck_assert_uint_eq(seen[0].data.len, 88);
		} else {
			ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
		}
	}
	ck_assert_int_eq(lookups, 3);
	ck_assert_int_eq(connects, 1);
	ck_assert_int_eq(capture_count("warning"), 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_sends_delete_as_stock)
{
	static const char want[] = "request\0delete\0cache_type\0smtp\0"
	                           "cache_id\0k\0\0";

	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_delete(mgr, "smtp", "k", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	advance(TLSP_TLSMGR_WRITE_DELAY_MS);
	peer_expect(want, sizeof(want) - 1);
	peer_send("status\0"
	          "0\0\0",
	          10);
	ck_assert_int_eq(seen[0].calls, 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
}
END_TEST

/* --- outages */

/* tlsmgr is reachable again: a lookup goes out on a fresh connection and
 * its miss comes back to the caller once. */
static void
lookup_reaches_tlsmgr(struct seen *s)
{
	ck_assert_ptr_nonnull(tlsp_tlsmgr_lookup(mgr, "smtp", "k", on_reply, s));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("k"), sizeof(LOOKUP_REQ("k")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(s->calls, 1);
	ck_assert_int_eq(s->status, TLSP_TLSMGR_ERR);
}

/* Out of descriptors is our shortage, not tlsmgr's: no hold-off. */
START_TEST(test_tlsp_tlsmgr_fd_shortage_is_no_holdoff)
{
	struct tlsp_tlsmgr_reply reply;

	connect_errno = EMFILE;
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtpd", &reply),
	                 TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_int_eq(connects, 3); /* each one tried at once */
	ck_assert_int_eq(capture_count("warning: connect to private/tlsmgr: "
	                               "Too many open files; TLS continues "
	                               "without the session cache"),
	                 1);
	ck_assert_int_eq(capture_count("warning"), 1);
	/* A descriptor is free again: the next request goes through. */
	connect_errno = 0;
	lookup_reaches_tlsmgr(&seen[1]);
	ck_assert_int_eq(capture_count("tlsmgr answers again"), 1);
	/* A refused connect is tlsmgr's outage again, with the hold-off. */
	connect_errno = ECONNREFUSED;
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_int_eq(connects, 5);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_dead_tlsmgr_warns_once_and_refuses)
{
	connect_errno = ENOENT;
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_ptr_null(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "k", on_reply, &seen[0]));
	ck_assert_int_eq(connects, 1); /* refused without trying */
	ck_assert_int_eq(capture_count("warning: connect to private/tlsmgr: "
	                               "No such file or directory; TLS "
	                               "continues without the session cache"),
	                 1);
	/* After the hold-off: one more try, no second warning. */
	advance(TLSP_TLSMGR_HOLDOFF_MS);
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(capture_count("warning"), 1);
	/* tlsmgr is back: requests flow, and the log says so. */
	advance(TLSP_TLSMGR_HOLDOFF_MS);
	connect_errno = 0;
	lookup_reaches_tlsmgr(&seen[0]);
	ck_assert_int_eq(capture_count("private/tlsmgr: tlsmgr answers again"),
	                 1);
	ck_assert_int_eq(capture_count("warning"), 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_silent_tlsmgr_times_out_every_pending_call)
{
	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "k", on_reply, &seen[1]));
	advance(TLSP_TLSMGR_TIMEOUT_MS - 1);
	ck_assert_int_eq(seen[0].calls, 0);
	advance(1);
	ck_assert_int_eq(seen[0].calls, 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(seen[1].calls, 1);
	ck_assert_int_eq(seen[1].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("problem talking to server "
	                               "private/tlsmgr: timeout after 2000 ms"),
	                 1);
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[2]));
	ck_assert_int_eq(seen[2].calls, 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_stalled_reply_times_out)
{
	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(SEED_REQ, sizeof(SEED_REQ) - 1);
	advance(TLSP_TLSMGR_TIMEOUT_MS);
	ck_assert_int_eq(seen[0].calls, 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("warning"), 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_wrong_announcement_is_an_outage)
{
	static const char hello[] = "protocol\0scache_protocol\0\0";

	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	peer_send(hello, sizeof(hello) - 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("private/tlsmgr: unexpected "
	                               "announcement"),
	                 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_reply_without_status_is_an_outage)
{
	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_send("seed\0\0\0", 7);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("private/tlsmgr: malformed reply"), 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_connection_lost_mid_request_is_an_outage)
{
	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(SEED_REQ, sizeof(SEED_REQ) - 1);
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("problem talking to server "
	                               "private/tlsmgr: connection closed"),
	                 1);
}
END_TEST

/* --- limits */

/* A policy reply padded with unknown pairs up to pairs in all. */
static void
send_policy_reply(int pairs)
{
	char msg[512];
	size_t len = 0;
	int i;

	memcpy(msg,
	       "status\0"
	       "0\0cachable\0"
	       "1\0timeout\0"
	       "3600\0",
	       33);
	len = 33;
	for (i = 3; i < pairs; i++) {
		len +=
		    (size_t)snprintf(msg + len, sizeof(msg) - len, "x%d", i) +
		    1;
		msg[len++] = 0;
	}
	msg[len++] = 0;
	peer_send(msg, len);
}

START_TEST(test_tlsp_tlsmgr_accepts_reply_at_pair_limit)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_policy(mgr, "smtp", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	send_policy_reply(TLSP_TLSMGR_PAIRS_MAX);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
	ck_assert_int_eq(seen[0].timeout, 3600);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_rejects_reply_over_pair_limit)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_policy(mgr, "smtp", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	send_policy_reply(TLSP_TLSMGR_PAIRS_MAX + 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("malformed reply"), 1);
}
END_TEST

/*
 * A lookup reply of exactly total bytes: status, a session of
 * TLSP_TLSMGR_VALUE_MAX base64 bytes (the value limit), and filler.
 */
static void
send_lookup_reply(size_t total)
{
	static const char head[] = "status\0"
	                           "0\0session\0";
	size_t fixed = sizeof(head) - 1 + TLSP_TLSMGR_VALUE_MAX + 1 + 2 + 1 + 1;
	char *msg = malloc(total);
	size_t len = 0;

	ck_assert_ptr_nonnull(msg);
	ck_assert_uint_gt(total, fixed);
	memcpy(msg, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	memset(msg + len, 'A', TLSP_TLSMGR_VALUE_MAX);
	len += TLSP_TLSMGR_VALUE_MAX;
	msg[len++] = 0;
	memcpy(msg + len, "x\0", 2);
	len += 2;
	memset(msg + len, 'f', total - fixed);
	len += total - fixed;
	msg[len++] = 0;
	msg[len++] = 0;
	ck_assert_uint_eq(len, total);
	peer_send(msg, len);
	free(msg);
}

START_TEST(test_tlsp_tlsmgr_accepts_reply_at_size_limits)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "k", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	send_lookup_reply(TLSP_TLSMGR_LIST_MAX);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
	ck_assert_uint_eq(seen[0].data.len, TLSP_TLSMGR_VALUE_MAX / 4 * 3);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_rejects_reply_over_list_limit)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "k", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	send_lookup_reply(TLSP_TLSMGR_LIST_MAX + 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(
	    capture_count("malformed reply: attribute list exceeds"), 1);
}
END_TEST

/* --- queueing, cancelling, idle */

START_TEST(test_tlsp_tlsmgr_sends_one_request_at_a_time)
{
	struct tlsp_tlsmgr_call *first;

	first = tlsp_tlsmgr_lookup(mgr, "smtp", "a", on_reply, &seen[0]);
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "b", on_reply, &seen[1]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("a"), sizeof(LOOKUP_REQ("a")) - 1);
	/* The first session went away: its reply is dropped. */
	tlsp_tlsmgr_cancel(first);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(seen[0].calls, 0);
	peer_expect(LOOKUP_REQ("b"), sizeof(LOOKUP_REQ("b")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(seen[1].calls, 1);
	ck_assert_int_eq(seen[1].status, TLSP_TLSMGR_ERR);
}
END_TEST

/* The request update(id, session) writes, as stock encodes it. */
static void
update_request(struct buf *out, const char *id, const char *session)
{
	buf_init(out);
	attr_enc_str(out, "request", "update");
	attr_enc_str(out, "cache_type", "smtp");
	attr_enc_str(out, "cache_id", id);
	attr_enc_data(out, "session", session, strlen(session));
	attr_enc_end(out);
}

#define DELETE_REQ(id) "request\0delete\0cache_type\0smtp\0cache_id\0" id "\0\0"
#define STORED                                                                 \
	"status\0"                                                             \
	"0\0\0"

/* Expects update(id, session) on the wire, then answers it. */
static void
expect_update(const char *id, const char *session)
{
	struct buf want;

	update_request(&want, id, session);
	peer_expect(want.data, want.len);
	buf_free(&want);
	peer_send(STORED, sizeof(STORED) - 1);
}

/* A lookup of "busy" on the wire, so that later requests wait. */
static void
start_busy(void)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "busy", on_reply, &seen[3]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("busy"), sizeof(LOOKUP_REQ("busy")) - 1);
}

static void
update(const char *id, const char *session)
{
	ck_assert_ptr_nonnull(tlsp_tlsmgr_update(mgr, "smtp", id, session,
	                                         strlen(session), NULL, NULL));
}

START_TEST(test_tlsp_tlsmgr_lookup_goes_ahead_of_waiting_updates)
{
	start_busy();
	update("a", "s1");
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "b", on_reply, &seen[0]));
	peer_send(MISS, sizeof(MISS) - 1);
	peer_expect(LOOKUP_REQ("b"), sizeof(LOOKUP_REQ("b")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(seen[0].calls, 1);
	/* A lookup was answered: the held update goes now. */
	expect_update("a", "s1");
	peer_expect_nothing();
}
END_TEST

START_TEST(test_tlsp_tlsmgr_lookup_of_a_queued_update_gets_its_session)
{
	start_busy();
	update("a", "s1");
	update("b", "s2");
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "b", on_reply, &seen[0]));
	/* Answered from the loop, not from inside the call. */
	ck_assert_int_eq(seen[0].calls, 0);
	settle();
	ck_assert_int_eq(seen[0].calls, 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_OK);
	ck_assert_uint_eq(seen[0].data.len, 2);
	ck_assert_mem_eq(seen[0].data.data, "s2", 2);
	/* tlsmgr never sees that lookup; the updates go in order. */
	peer_send(MISS, sizeof(MISS) - 1);
	expect_update("a", "s1");
	expect_update("b", "s2");
	peer_expect_nothing();
	/* A cancelled one is never told. */
	update("c", "s3");
	tlsp_tlsmgr_cancel(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "c", on_reply, &seen[1]));
	settle();
	ck_assert_int_eq(seen[1].calls, 0);
	expect_update("c", "s3");
}
END_TEST

START_TEST(test_tlsp_tlsmgr_lookup_waits_for_a_delete_of_its_entry)
{
	start_busy();
	update("a", "s1");
	ck_assert_ptr_nonnull(tlsp_tlsmgr_delete(mgr, "smtp", "a", NULL, NULL));
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "a", on_reply, &seen[0]));
	settle();
	ck_assert_int_eq(seen[0].calls, 0);
	peer_send(MISS, sizeof(MISS) - 1);
	expect_update("a", "s1");
	peer_expect(DELETE_REQ("a"), sizeof(DELETE_REQ("a")) - 1);
	peer_send(STORED, sizeof(STORED) - 1);
	peer_expect(LOOKUP_REQ("a"), sizeof(LOOKUP_REQ("a")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(seen[0].calls, 1);
	ck_assert_int_eq(seen[0].status, TLSP_TLSMGR_ERR);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_updates_wait_for_a_lookup_at_most_the_delay)
{
	/* Connected and idle: nothing in flight. */
	start_busy();
	peer_send(MISS, sizeof(MISS) - 1);
	peer_expect_nothing();
	/* Two tickets in one read: tlsmgr sees the second only. */
	update("a", "ticket1");
	update("a", "ticket2");
	update("b", "other");
	advance(TLSP_TLSMGR_WRITE_DELAY_MS - 1);
	peer_expect_nothing();
	advance(1);
	expect_update("a", "ticket2");
	expect_update("b", "other");
	peer_expect_nothing();
	/* The queue ran empty: the next update waits again. */
	update("c", "later");
	advance(TLSP_TLSMGR_WRITE_DELAY_MS - 1);
	peer_expect_nothing();
	advance(1);
	expect_update("c", "later");
	ck_assert_int_eq(connects, 1);
	ck_assert_int_eq(capture_count("warning"), 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_close_with_held_updates_reconnects_quietly)
{
	start_busy();
	peer_send(MISS, sizeof(MISS) - 1);
	update("a", "s1");
	/* tlsmgr restarts (postfix reload) while the update is held. */
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(capture_count("warning"), 0);
	peer_send(HELLO, sizeof(HELLO) - 1);
	advance(TLSP_TLSMGR_WRITE_DELAY_MS);
	expect_update("a", "s1");
	/* It answered: another such close is again no outage. */
	update("b", "s2");
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(connects, 3);
	ck_assert_int_eq(capture_count("warning"), 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_close_again_before_an_answer_is_an_outage)
{
	start_busy();
	peer_send(MISS, sizeof(MISS) - 1);
	update("a", "s1");
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(connects, 2);
	peer_send(HELLO, sizeof(HELLO) - 1);
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(capture_count("warning: problem talking to server "
	                               "private/tlsmgr: connection closed; "
	                               "TLS continues without the session "
	                               "cache"),
	                 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_flush_at_exit_sends_held_writes)
{
	static const char answers[] = HELLO STORED STORED;
	struct buf want_a, want_b, got;
	ssize_t n;

	start_busy();
	update("a", "s1");
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "x", on_reply, &seen[0]));
	update("b", "s2");
	/* Exit: the lookup on the wire and the one waiting are dropped,
	 * the held updates go on the synchronous connection. */
	preload = answers;
	preload_len = sizeof(answers) - 1;
	tlsp_tlsmgr_flush(mgr);
	ck_assert_int_eq(connects, 2);
	update_request(&want_a, "a", "s1");
	update_request(&want_b, "b", "s2");
	buf_init(&got);
	while ((n = recv(peer, buf_reserve(&got, 4096), 4096, MSG_DONTWAIT)) >
	       0)
		got.len += (size_t)n;
	ck_assert_uint_eq(got.len, want_a.len + want_b.len);
	ck_assert_mem_eq(got.data, want_a.data, want_a.len);
	ck_assert_mem_eq(got.data + want_a.len, want_b.data, want_b.len);
	ck_assert_int_eq(seen[0].calls, 0);
	ck_assert_int_eq(capture_count("warning"), 0);
	buf_free(&want_a);
	buf_free(&want_b);
	buf_free(&got);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_flush_at_exit_is_quiet_about_a_dead_tlsmgr)
{
	start_busy();
	update("a", "s1");
	update("b", "s2");
	connect_errno = ECONNREFUSED;
	tlsp_tlsmgr_flush(mgr);
	ck_assert_int_eq(connects, 2); /* tried once, then held off */
	ck_assert_int_eq(capture_count("warning"), 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_update_merges_only_past_nothing_of_its_entry)
{
	start_busy();
	update("a", "s1");
	ck_assert_ptr_nonnull(tlsp_tlsmgr_delete(mgr, "smtp", "a", NULL, NULL));
	update("a", "s2");
	ck_assert_ptr_nonnull(tlsp_tlsmgr_update(mgr, "smtp", "a", "s3", 2,
	                                         on_reply, &seen[0]));
	update("a", "s4");
	peer_send(MISS, sizeof(MISS) - 1);
	/* Delete and update keep their order; a waited-for update stays. */
	expect_update("a", "s1");
	peer_expect(DELETE_REQ("a"), sizeof(DELETE_REQ("a")) - 1);
	peer_send(STORED, sizeof(STORED) - 1);
	expect_update("a", "s2");
	expect_update("a", "s3");
	ck_assert_int_eq(seen[0].calls, 1);
	expect_update("a", "s4");
	peer_expect_nothing();
}
END_TEST

START_TEST(test_tlsp_tlsmgr_closes_idle_connection_and_reconnects)
{
	char byte;

	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "a", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("a"), sizeof(LOOKUP_REQ("a")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	advance(TLSP_TLSMGR_IDLE_MS - 1);
	ck_assert_int_eq(recv(peer, &byte, 1, MSG_DONTWAIT), -1);
	advance(1);
	ck_assert_int_eq(recv(peer, &byte, 1, MSG_DONTWAIT), 0);
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "b", on_reply, &seen[1]));
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(capture_count("warning"), 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_idle_close_by_tlsmgr_is_quiet)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "a", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("a"), sizeof(LOOKUP_REQ("a")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(capture_count("warning"), 0);
	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[1]));
	ck_assert_int_eq(connects, 2);
}
END_TEST

/* --- a restarted tlsmgr */

/* One lookup answered, so the connection has proven itself. */
static void
answer_first_lookup(void)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "a", on_reply, &seen[0]));
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("a"), sizeof(LOOKUP_REQ("a")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(seen[0].calls, 1);
}

/* The next request goes out on the kept connection, whose tlsmgr dies. */
static void
kept_connection_dies_under_lookup(void)
{
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "b", on_reply, &seen[1]));
	peer_expect(LOOKUP_REQ("b"), sizeof(LOOKUP_REQ("b")) - 1);
	(void)close(peer);
	peer = -1;
	settle();
}

START_TEST(test_tlsp_tlsmgr_restarted_tlsmgr_gets_request_again)
{
	answer_first_lookup();
	kept_connection_dies_under_lookup();
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(seen[1].calls, 0);
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("b"), sizeof(LOOKUP_REQ("b")) - 1);
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(seen[1].calls, 1);
	ck_assert_int_eq(seen[1].status, TLSP_TLSMGR_ERR);
	ck_assert_int_eq(capture_count("warning"), 0);
	/* No hold-off: the next request is made at once. */
	ck_assert_ptr_nonnull(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[2]));
	peer_expect(SEED_REQ, sizeof(SEED_REQ) - 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_restart_is_retried_once_then_an_outage)
{
	answer_first_lookup();
	kept_connection_dies_under_lookup();
	/* The fresh connection dies too: that is an outage. */
	peer_send(HELLO, sizeof(HELLO) - 1);
	peer_expect(LOOKUP_REQ("b"), sizeof(LOOKUP_REQ("b")) - 1);
	(void)close(peer);
	peer = -1;
	settle();
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(seen[1].calls, 1);
	ck_assert_int_eq(seen[1].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("warning: problem talking to server "
	                               "private/tlsmgr: connection closed; TLS "
	                               "continues without the session cache"),
	                 1);
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[2]));
}
END_TEST

START_TEST(test_tlsp_tlsmgr_restart_with_tlsmgr_gone_is_an_outage)
{
	answer_first_lookup();
	connect_errno = ECONNREFUSED;
	kept_connection_dies_under_lookup();
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(seen[1].calls, 1);
	ck_assert_int_eq(seen[1].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("warning: connect to private/tlsmgr: "
	                               "Connection refused; TLS continues "
	                               "without the session cache"),
	                 1);
	ck_assert_int_eq(capture_count("warning"), 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_stalled_kept_connection_is_not_retried)
{
	answer_first_lookup();
	ck_assert_ptr_nonnull(
	    tlsp_tlsmgr_lookup(mgr, "smtp", "b", on_reply, &seen[1]));
	peer_expect(LOOKUP_REQ("b"), sizeof(LOOKUP_REQ("b")) - 1);
	advance(TLSP_TLSMGR_TIMEOUT_MS);
	ck_assert_int_eq(connects, 1);
	ck_assert_int_eq(seen[1].status, TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(capture_count("timeout after 2000 ms"), 1);
}
END_TEST

/* --- synchronous calls */

START_TEST(test_tlsp_tlsmgr_sync_tktkey_matches_golden)
{
	static const char want[] = "request\0tktkey\0keyname\0\0\0";
	struct golden_list req[32], rep[32];
	struct tlsp_tlsmgr_reply reply;
	char hello_and_reply[512];
	size_t nreq, i;

	nreq = golden_split(tlsmgr_golden_client, TLSMGR_GOLDEN_CLIENT_LEN, req,
	                    32);
	(void)golden_split(tlsmgr_golden_server, TLSMGR_GOLDEN_SERVER_LEN, rep,
	                   32);
	for (i = 0; i < nreq; i++)
		if (memcmp(tlsmgr_golden_client + req[i].off, want,
		           sizeof(want) - 1) == 0)
			break;
	ck_assert_uint_lt(i, nreq);
	/* tlsmgr's announcement and its golden answer, ready on connect. */
	memcpy(hello_and_reply, HELLO, sizeof(HELLO) - 1);
	memcpy(hello_and_reply + sizeof(HELLO) - 1,
	       tlsmgr_golden_server + rep[i + 1].off, rep[i + 1].len);
	preload = hello_and_reply;
	preload_len = sizeof(HELLO) - 1 + rep[i + 1].len;
	ck_assert_int_eq(tlsp_tlsmgr_tktkey_sync(mgr, "", 0, &reply),
	                 TLSP_TLSMGR_OK);
	ck_assert_uint_eq(reply.len, 88);
	peer_expect(want, sizeof(want) - 1);
	/* The connection stays for the next call. */
	peer_send(MISS, sizeof(MISS) - 1);
	ck_assert_int_eq(tlsp_tlsmgr_lookup_sync(mgr, "smtp", "k", &reply),
	                 TLSP_TLSMGR_ERR);
	ck_assert_uint_eq(reply.len, 0);
	peer_expect(LOOKUP_REQ("k"), sizeof(LOOKUP_REQ("k")) - 1);
	ck_assert_int_eq(connects, 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_sync_policy)
{
	static const char answer[] = HELLO "status\0"
	                                   "0\0cachable\0"
	                                   "0\0"
	                                   "timeout\0"
	                                   "3600\0\0";
	static const char want[] = "request\0policy\0cache_type\0smtpd\0\0";
	struct tlsp_tlsmgr_reply reply;

	preload = answer;
	preload_len = sizeof(answer) - 1;
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtpd", &reply),
	                 TLSP_TLSMGR_OK);
	ck_assert_int_eq(reply.cachable, 0);
	ck_assert_int_eq(reply.timeout, 3600);
	peer_expect(want, sizeof(want) - 1);
}
END_TEST

/* A policy answer ready on connect, and the request it answers. */
static const char policy_answer[] = HELLO "status\0"
                                          "0\0cachable\0"
                                          "1\0"
                                          "timeout\0"
                                          "3600\0\0";
static const char policy_want[] = "request\0policy\0cache_type\0smtpd\0\0";

START_TEST(test_tlsp_tlsmgr_sync_restarted_tlsmgr_answers_on_fresh_connection)
{
	struct tlsp_tlsmgr_reply reply;

	preload = policy_answer;
	preload_len = sizeof(policy_answer) - 1;
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtpd", &reply),
	                 TLSP_TLSMGR_OK);
	peer_expect(policy_want, sizeof(policy_want) - 1);
	/* tlsmgr restarts: the kept connection is dead. */
	(void)close(peer);
	peer = -1;
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtpd", &reply),
	                 TLSP_TLSMGR_OK);
	ck_assert_int_eq(reply.cachable, 1);
	ck_assert_int_eq(reply.timeout, 3600);
	peer_expect(policy_want, sizeof(policy_want) - 1);
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(capture_count("warning"), 0);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_sync_restart_with_tlsmgr_gone_is_an_outage)
{
	struct tlsp_tlsmgr_reply reply;

	preload = policy_answer;
	preload_len = sizeof(policy_answer) - 1;
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtpd", &reply),
	                 TLSP_TLSMGR_OK);
	(void)close(peer);
	peer = -1;
	connect_errno = ECONNREFUSED;
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtpd", &reply),
	                 TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_int_eq(connects, 2);
	ck_assert_int_eq(capture_count("warning: connect to private/tlsmgr: "
	                               "Connection refused; TLS continues "
	                               "without the session cache"),
	                 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_sync_silent_tlsmgr_blocks_at_most_the_limit)
{
	struct tlsp_tlsmgr_reply reply;
	struct timespec t0, t1;
	long ms;

	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtp", &reply),
	                 TLSP_TLSMGR_UNAVAILABLE);
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_int_ge(ms, TLSP_TLSMGR_SYNC_MS - 20);
	ck_assert_int_lt(ms, TLSP_TLSMGR_SYNC_MS + 1000);
	ck_assert_int_eq(capture_count("warning: problem talking to server "
	                               "private/tlsmgr: Connection timed out"),
	                 1);
	/* The outage is shared: no more waiting, sync or not. */
	ck_assert_int_eq(tlsp_tlsmgr_policy_sync(mgr, "smtp", &reply),
	                 TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_ptr_null(tlsp_tlsmgr_seed(mgr, 32, on_reply, &seen[0]));
	ck_assert_int_eq(connects, 1);
	ck_assert_int_eq(capture_count("warning"), 1);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_sync_dead_tlsmgr_returns_at_once)
{
	struct tlsp_tlsmgr_reply reply;

	connect_errno = ECONNREFUSED;
	ck_assert_int_eq(tlsp_tlsmgr_tktkey_sync(mgr, "", 0, &reply),
	                 TLSP_TLSMGR_UNAVAILABLE);
	ck_assert_ptr_null(reply.data);
	ck_assert_int_eq(capture_count("warning: connect to private/tlsmgr: "
	                               "Connection refused; TLS continues "
	                               "without the session cache"),
	                 1);
}
END_TEST

Suite *
tlsp_tlsmgr_suite(void)
{
	Suite *s = suite_create("tlsp_tlsmgr");
	TCase *tc;

	tc = tcase_create("golden");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_replays_golden_conversation_byte_exact);
	tcase_add_test(tc, test_tlsp_tlsmgr_sends_delete_as_stock);
	suite_add_tcase(s, tc);

	tc = tcase_create("outages");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tlsp_tlsmgr_dead_tlsmgr_warns_once_and_refuses);
	tcase_add_test(tc, test_tlsp_tlsmgr_fd_shortage_is_no_holdoff);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_silent_tlsmgr_times_out_every_pending_call);
	tcase_add_test(tc, test_tlsp_tlsmgr_stalled_reply_times_out);
	tcase_add_test(tc, test_tlsp_tlsmgr_wrong_announcement_is_an_outage);
	tcase_add_test(tc, test_tlsp_tlsmgr_reply_without_status_is_an_outage);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_connection_lost_mid_request_is_an_outage);
	suite_add_tcase(s, tc);

	tc = tcase_create("sync");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tlsp_tlsmgr_sync_tktkey_matches_golden);
	tcase_add_test(tc, test_tlsp_tlsmgr_sync_policy);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_sync_silent_tlsmgr_blocks_at_most_the_limit);
	tcase_add_test(tc, test_tlsp_tlsmgr_sync_dead_tlsmgr_returns_at_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tlsp_tlsmgr_accepts_reply_at_pair_limit);
	tcase_add_test(tc, test_tlsp_tlsmgr_rejects_reply_over_pair_limit);
	tcase_add_test(tc, test_tlsp_tlsmgr_accepts_reply_at_size_limits);
	tcase_add_test(tc, test_tlsp_tlsmgr_rejects_reply_over_list_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("queue");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tlsp_tlsmgr_sends_one_request_at_a_time);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_closes_idle_connection_and_reconnects);
	tcase_add_test(tc, test_tlsp_tlsmgr_idle_close_by_tlsmgr_is_quiet);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_lookup_goes_ahead_of_waiting_updates);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_lookup_of_a_queued_update_gets_its_session);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_lookup_waits_for_a_delete_of_its_entry);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_updates_wait_for_a_lookup_at_most_the_delay);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_update_merges_only_past_nothing_of_its_entry);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_close_with_held_updates_reconnects_quietly);
	tcase_add_test(tc, test_tlsp_tlsmgr_flush_at_exit_sends_held_writes);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_flush_at_exit_is_quiet_about_a_dead_tlsmgr);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_close_again_before_an_answer_is_an_outage);
	suite_add_tcase(s, tc);

	tc = tcase_create("restart");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_restarted_tlsmgr_gets_request_again);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_restart_is_retried_once_then_an_outage);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_restart_with_tlsmgr_gone_is_an_outage);
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_stalled_kept_connection_is_not_retried);
	tcase_add_test(
	    tc,
	    test_tlsp_tlsmgr_sync_restarted_tlsmgr_answers_on_fresh_connection);
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_sync_restart_with_tlsmgr_gone_is_an_outage);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_tlsmgr_suite)
