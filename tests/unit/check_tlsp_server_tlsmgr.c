/*
 * check_tlsp_server_tlsmgr.c - tests for tlsproxy/tlsp_server_tlsmgr.c
 *
 * The server engine's cache services, on a real tlsp_tlsmgr client whose
 * connector hands out one end of a socketpair; the test plays tlsmgr(8)
 * on the other: each service sends stock's request and maps tlsmgr's
 * reply; a ticket key is taken only at exactly sizeof(struct
 * tlsp_tktkey) bytes (tested one short and one over); a missing tlsmgr
 * leaves every service out.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attr_enc.h"
#include "buf.h"
#include "capture.h"
#include "event.h"
#include "runner.h"
#include "tlsp_server_tlsmgr.h"
#include "tlsp_tlsmgr.h"

Suite *tlsp_server_tlsmgr_suite(void);

#define HELLO "protocol\0tlsmgr_protocol\0\0"

static int peer = -1;    /* the test's end: tlsmgr */
static uint64_t fake_now; /* the injected clock */
static struct buf reply; /* written by the fake tlsmgr on connect */
static struct tlsp_tlsmgr *mgr;
static struct tlsp_server_cache_ops ops;

static int
fake_connect(void *ctx)
{
	int sv[2];

	(void)ctx;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (peer >= 0)
		(void)close(peer);
	peer = sv[1];
	ck_assert_int_eq(send(peer, reply.data, reply.len, 0),
	                 (ssize_t)reply.len);
	return sv[0];
}

/* The announcement, then one reply list built by the caller. */
static void
reply_start(void)
{
	buf_reset(&reply);
	buf_append(&reply, HELLO, sizeof(HELLO) - 1);
}

/* Asserts that tlsmgr received exactly want[0..len). */
static void
peer_expect(const void *want, size_t len)
{
	char got[4096];
	ssize_t n;
	int i;

	for (i = 0; i < 20; i++)
		event_loop(0);
	n = recv(peer, got, sizeof(got), MSG_DONTWAIT);
	ck_assert_int_eq(n, (ssize_t)len);
	ck_assert_mem_eq(got, want, len);
}

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
setup(void)
{
	fake_now = 1000000;
	event_clock_set(fake_clock);
	capture_start();
	buf_init(&reply);
	peer = -1;
	mgr = tlsp_tlsmgr_create_with("private/tlsmgr", fake_connect, NULL);
	tlsp_server_tlsmgr_ops(mgr, &ops);
}

static void
teardown(void)
{
	tlsp_tlsmgr_free(mgr);
	if (peer >= 0)
		(void)close(peer);
	buf_free(&reply);
	event_clock_set(NULL);
}

START_TEST(test_tlsp_server_tlsmgr_policy_maps_the_reply)
{
	static const char want[] = "request\0policy\0cache_type\0smtpd\0\0";
	int cachable = -1, timeout = -1;

	reply_start();
	attr_enc_int(&reply, "status", 0);
	attr_enc_int(&reply, "cachable", 1);
	attr_enc_int(&reply, "timeout", 3600);
	attr_enc_end(&reply);
	ck_assert_int_eq(ops.policy(ops.context, "smtpd", &cachable, &timeout),
	                 0);
	ck_assert_int_eq(cachable, 1);
	ck_assert_int_eq(timeout, 3600);
	peer_expect(want, sizeof(want) - 1);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_policy_bad_type_is_unavailable)
{
	int cachable = 7, timeout = 7;

	reply_start();
	attr_enc_int(&reply, "status", -2);
	attr_enc_int(&reply, "cachable", 0);
	attr_enc_int(&reply, "timeout", 0);
	attr_enc_end(&reply);
	ck_assert_int_eq(ops.policy(ops.context, "smtpd", &cachable, &timeout),
	                 -1);
	ck_assert_int_eq(cachable, 7);
	ck_assert_int_eq(timeout, 7);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_lookup_hit_replaces_the_session)
{
	static const char want[] = "request\0lookup\0cache_type\0smtpd\0"
	                           "cache_id\0AB&s=smtpd&l=1\0\0";
	static const unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	struct buf session;

	reply_start();
	attr_enc_int(&reply, "status", 0);
	attr_enc_data(&reply, "session", der, sizeof(der));
	attr_enc_end(&reply);
	buf_init(&session);
	buf_puts(&session, "old bytes");
	ck_assert_int_eq(
	    ops.lookup(ops.context, "smtpd", "AB&s=smtpd&l=1", &session), 0);
	ck_assert_uint_eq(session.len, sizeof(der));
	ck_assert_mem_eq(session.data, der, sizeof(der));
	peer_expect(want, sizeof(want) - 1);
	buf_free(&session);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_lookup_miss_is_minus_one)
{
	struct buf session;

	reply_start();
	attr_enc_int(&reply, "status", -1);
	attr_enc_data(&reply, "session", "", 0);
	attr_enc_end(&reply);
	buf_init(&session);
	ck_assert_int_eq(ops.lookup(ops.context, "smtpd", "AB", &session), -1);
	ck_assert_uint_eq(session.len, 0);
	buf_free(&session);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_update_goes_out_async)
{
	static const unsigned char der[] = {1, 2, 3};
	struct buf want;
	char byte;
	int i;

	reply_start();
	buf_init(&want);
	attr_enc_str(&want, "request", "update");
	attr_enc_str(&want, "cache_type", "smtpd");
	attr_enc_str(&want, "cache_id", "CD");
	attr_enc_data(&want, "session", der, sizeof(der));
	attr_enc_end(&want);
	ops.update(ops.context, "smtpd", "CD", der, sizeof(der));
	/* No lookup comes to go first: it waits at most the delay. */
	for (i = 0; i < 5; i++)
		event_loop(0);
	ck_assert_int_eq(recv(peer, &byte, 1, MSG_PEEK | MSG_DONTWAIT), -1);
	fake_now += TLSP_TLSMGR_WRITE_DELAY_MS;
	peer_expect(want.data, want.len);
	buf_free(&want);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_lookup_finds_a_queued_update)
{
	static const unsigned char der[] = {1, 2, 3};
	struct buf session;
	char byte;

	reply_start();
	ops.update(ops.context, "smtpd", "CD", der, sizeof(der));
	buf_init(&session);
	/* Before tlsmgr stored it, the session is there for a lookup. */
	ck_assert_int_eq(ops.lookup(ops.context, "smtpd", "CD", &session), 0);
	ck_assert_uint_eq(session.len, sizeof(der));
	ck_assert_mem_eq(session.data, der, sizeof(der));
	ck_assert_int_eq(recv(peer, &byte, 1, MSG_DONTWAIT), -1);
	buf_free(&session);
}
END_TEST

/* A tktkey reply whose keybuf has len bytes of 0x5a. */
static void
reply_keybuf(size_t len)
{
	unsigned char keybuf[sizeof(struct tlsp_tktkey) + 1];

	memset(keybuf, 0x5a, sizeof(keybuf));
	reply_start();
	attr_enc_int(&reply, "status", 0);
	attr_enc_data(&reply, "keybuf", keybuf, len);
	attr_enc_end(&reply);
}

START_TEST(test_tlsp_server_tlsmgr_tktkey_takes_a_whole_key)
{
	static const char want[] = "request\0tktkey\0keyname\0\0\0";
	struct tlsp_tktkey key;
	unsigned char all[sizeof(key)];

	reply_keybuf(sizeof(key));
	memset(&key, 0, sizeof(key));
	ck_assert_int_eq(ops.tktkey(ops.context, NULL, &key), 0);
	memset(all, 0x5a, sizeof(all));
	ck_assert_mem_eq(&key, all, sizeof(all));
	peer_expect(want, sizeof(want) - 1);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_tktkey_asks_by_name)
{
	unsigned char name[TLSP_TKTKEY_NAMELEN];
	struct tlsp_tktkey key;
	struct buf want;

	memset(name, 'n', sizeof(name));
	reply_keybuf(sizeof(key));
	buf_init(&want);
	attr_enc_str(&want, "request", "tktkey");
	attr_enc_data(&want, "keyname", name, sizeof(name));
	attr_enc_end(&want);
	ck_assert_int_eq(ops.tktkey(ops.context, name, &key), 0);
	peer_expect(want.data, want.len);
	buf_free(&want);
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_tktkey_refuses_other_lengths)
{
	struct tlsp_tktkey key;
	unsigned char untouched[sizeof(key)];

	memset(&key, 0, sizeof(key));
	memset(untouched, 0, sizeof(untouched));
	reply_keybuf(sizeof(key) - 1);
	ck_assert_int_eq(ops.tktkey(ops.context, NULL, &key), -1);
	/* Same connection: the next reply goes straight to the peer. */
	reply_keybuf(sizeof(key) + 1);
	ck_assert_int_eq(send(peer, reply.data + sizeof(HELLO) - 1,
	                      reply.len - (sizeof(HELLO) - 1), 0),
	                 (ssize_t)(reply.len - (sizeof(HELLO) - 1)));
	ck_assert_int_eq(ops.tktkey(ops.context, NULL, &key), -1);
	ck_assert_mem_eq(&key, untouched, sizeof(key));
}
END_TEST

START_TEST(test_tlsp_server_tlsmgr_without_tlsmgr_offers_nothing)
{
	struct tlsp_server_cache_ops none;

	memset(&none, 0xff, sizeof(none));
	tlsp_server_tlsmgr_ops(NULL, &none);
	ck_assert_ptr_null(none.context);
	ck_assert_ptr_null(none.seed);
	ck_assert_ptr_null(none.policy);
	ck_assert_ptr_null(none.lookup);
	ck_assert_ptr_null(none.update);
	ck_assert_ptr_null(none.tktkey);
	/* And with tlsmgr there is still no seed service. */
	ck_assert_ptr_null(ops.seed);
}
END_TEST

Suite *
tlsp_server_tlsmgr_suite(void)
{
	Suite *s = suite_create("tlsp_server_tlsmgr");
	TCase *tc = tcase_create("services");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tlsp_server_tlsmgr_policy_maps_the_reply);
	tcase_add_test(tc,
	               test_tlsp_server_tlsmgr_policy_bad_type_is_unavailable);
	tcase_add_test(tc,
	               test_tlsp_server_tlsmgr_lookup_hit_replaces_the_session);
	tcase_add_test(tc, test_tlsp_server_tlsmgr_lookup_miss_is_minus_one);
	tcase_add_test(tc, test_tlsp_server_tlsmgr_update_goes_out_async);
	tcase_add_test(tc, test_tlsp_server_tlsmgr_lookup_finds_a_queued_update);
	tcase_add_test(tc, test_tlsp_server_tlsmgr_tktkey_takes_a_whole_key);
	tcase_add_test(tc, test_tlsp_server_tlsmgr_tktkey_asks_by_name);
	tcase_add_test(tc,
	               test_tlsp_server_tlsmgr_tktkey_refuses_other_lengths);
	tcase_add_test(tc,
	               test_tlsp_server_tlsmgr_without_tlsmgr_offers_nothing);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_server_tlsmgr_suite)
