/*
 * check_tlsp_tlsmgr_wire.c - tests for tlsproxy/tlsp_tlsmgr_wire.c
 *
 * Requests against the bytes stock tlsproxy wrote (tests/data/
 * tlsmgr_golden.h; delete, which the capture lacks, against the request
 * layout of doc/tlsproxy-protocol.md section 4); replies decoded from
 * captured lists and from malformed variants.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "attr_dec.h"
#include "buf.h"
#include "runner.h"
#include "tlsp_tlsmgr_wire.h"

Suite *tlsp_tlsmgr_wire_suite(void);

#define GOLDEN_ID                                                              \
	"smtp&[127.0.0.1]:40584&127.0.0.1&127.0.0.1&&"                         \
	"61E7DDCEA8700A7597351867E2"                                           \
	"29EC545DFA99D56A28B1918E1D34F01BD3FEC6"

/* Asserts that out holds exactly want (a literal with embedded NULs). */
#define ASSERT_BYTES(out, want)                                                \
	do {                                                                   \
		ck_assert_uint_eq((out)->len, sizeof(want) - 1);               \
		ck_assert_mem_eq((out)->data, want, sizeof(want) - 1);         \
	} while (0)

/* --- requests */

START_TEST(test_tlsp_tlsmgr_wire_encodes_golden_requests)
{
	static const char seed[] = "request\0seed\0size\0"
	                           "32\0\0";
	static const char policy[] = "request\0policy\0cache_type\0smtpd\0\0";
	static const char lookup[] = "request\0lookup\0cache_type\0smtp\0"
	                             "cache_id\0" GOLDEN_ID "\0\0";
	static const char tktkey[] = "request\0tktkey\0keyname\0\0\0";
	struct buf out;

	buf_init(&out);
	tlsp_tlsmgr_wire_seed(&out, 32);
	ASSERT_BYTES(&out, seed);
	buf_reset(&out);
	tlsp_tlsmgr_wire_policy(&out, "smtpd");
	ASSERT_BYTES(&out, policy);
	buf_reset(&out);
	tlsp_tlsmgr_wire_entry(&out, TLSP_TLSMGR_LOOKUP, "smtp", GOLDEN_ID,
	                       NULL, 0);
	ASSERT_BYTES(&out, lookup);
	buf_reset(&out);
	tlsp_tlsmgr_wire_tktkey(&out, "", 0);
	ASSERT_BYTES(&out, tktkey);
	buf_free(&out);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_wire_encodes_update_and_delete)
{
	static const char update[] = "request\0update\0cache_type\0smtp\0"
	                             "cache_id\0k\0session\0AAEC\0\0";
	static const char del[] = "request\0delete\0cache_type\0smtp\0"
	                          "cache_id\0k\0\0";
	struct buf out;

	buf_init(&out);
	tlsp_tlsmgr_wire_entry(&out, TLSP_TLSMGR_UPDATE, "smtp", "k", "\0\1\2",
	                       3);
	ASSERT_BYTES(&out, update);
	buf_reset(&out);
	tlsp_tlsmgr_wire_entry(&out, TLSP_TLSMGR_DELETE, "smtp", "k", "x", 1);
	ASSERT_BYTES(&out, del);
	buf_free(&out);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_wire_entry_panics_on_other_kinds)
{
	struct buf out;

	buf_init(&out);
	tlsp_tlsmgr_wire_entry(&out, TLSP_TLSMGR_SEED, "smtp", "k", NULL, 0);
}
END_TEST

/* --- replies */

struct reply_row {
	const char *name;
	enum tlsp_tlsmgr_kind kind;
	const char *bytes;
	size_t len;
	int ok;     /* decodes */
	int status; /* then: the status */
	size_t data_len;
};

#define ROW(name, kind, bytes, ok, status, data_len)                           \
	{                                                                      \
		name, kind, bytes, sizeof(bytes) - 1, ok, status, data_len     \
	}

static const struct reply_row reply_rows[] = {
    ROW("golden seed", TLSP_TLSMGR_SEED,
        "status\0"
        "0\0seed\0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\0\0",
        1, 0, 32),
    ROW("golden policy", TLSP_TLSMGR_POLICY,
        "status\0"
        "0\0cachable\0"
        "1\0timeout\0"
        "3600\0\0",
        1, 0, 0),
    ROW("golden lookup miss", TLSP_TLSMGR_LOOKUP,
        "status\0"
        "4294967295\0session\0\0\0",
        1, TLSP_TLSMGR_ERR, 0),
    ROW("golden update", TLSP_TLSMGR_UPDATE,
        "status\0"
        "0\0\0",
        1, 0, 0),
    ROW("bad request", TLSP_TLSMGR_DELETE,
        "status\0"
        "4294967294\0\0",
        1, TLSP_TLSMGR_BAD, 0),
    ROW("extra names ignored", TLSP_TLSMGR_UPDATE,
        "new\0x\0status\0"
        "0\0\0",
        1, 0, 0),
    ROW("data not exposed unless OK", TLSP_TLSMGR_TKTKEY,
        "status\0"
        "4294967295\0keybuf\0AAAA\0\0",
        1, TLSP_TLSMGR_ERR, 0),
    ROW("no status", TLSP_TLSMGR_UPDATE, "seed\0\0\0", 0, 0, 0),
    ROW("status not a number", TLSP_TLSMGR_UPDATE,
        "status\0"
        "0x\0\0",
        0, 0, 0),
    ROW("policy without timeout", TLSP_TLSMGR_POLICY,
        "status\0"
        "0\0cachable\0"
        "1\0\0",
        0, 0, 0),
    ROW("seed without seed", TLSP_TLSMGR_SEED,
        "status\0"
        "0\0\0",
        0, 0, 0),
    ROW("session not base64", TLSP_TLSMGR_LOOKUP,
        "status\0"
        "0\0session\0A*A=\0\0",
        0, 0, 0),
};

START_TEST(test_tlsp_tlsmgr_wire_decodes_replies)
{
	const struct reply_row *row = reply_rows + _i;
	struct attr_dec *dec = attr_dec_create(&tlsp_tlsmgr_wire_limits);
	struct tlsp_tlsmgr_reply reply;
	struct buf value;
	size_t used;
	int ret;

	buf_init(&value);
	ck_assert_int_eq(attr_dec_feed(dec, row->bytes, row->len, &used),
	                 ATTR_DEC_OK);
	ret = tlsp_tlsmgr_wire_decode(row->kind, attr_dec_list(dec), &value,
	                              &reply);
	ck_assert_msg(ret == (row->ok ? 0 : -1), "%s: returned %d", row->name,
	              ret);
	if (row->ok) {
		ck_assert_msg(reply.status == row->status, "%s: status %d",
		              row->name, reply.status);
		ck_assert_msg(reply.len == row->data_len, "%s: %zu data bytes",
		              row->name, reply.len);
	}
	if (row->kind == TLSP_TLSMGR_POLICY && row->ok) {
		ck_assert_int_eq(reply.cachable, 1);
		ck_assert_int_eq(reply.timeout, 3600);
	}
	buf_free(&value);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_wire_accepts_only_the_tlsmgr_announcement)
{
	static const struct {
		const char *bytes;
		size_t len;
		int want;
	} rows[] = {
	    {"protocol\0tlsmgr_protocol\0\0", 26, 0},
	    {"protocol\0scache_protocol\0\0", 26, -1},
	    {"protocol\0tlsmgr_protocol\0x\0y\0\0", 30, -1},
	    {"status\0"
	     "0\0\0",
	     10, -1},
	};
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t i, used;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		attr_dec_reset(dec);
		ck_assert_int_eq(
		    attr_dec_feed(dec, rows[i].bytes, rows[i].len, &used),
		    ATTR_DEC_OK);
		ck_assert_msg(tlsp_tlsmgr_wire_hello(attr_dec_list(dec)) ==
		                  rows[i].want,
		              "row %zu", i);
	}
	attr_dec_free(dec);
}
END_TEST

Suite *
tlsp_tlsmgr_wire_suite(void)
{
	Suite *s = suite_create("tlsp_tlsmgr_wire");
	TCase *tc;

	tc = tcase_create("requests");
	tcase_add_test(tc, test_tlsp_tlsmgr_wire_encodes_golden_requests);
	tcase_add_test(tc, test_tlsp_tlsmgr_wire_encodes_update_and_delete);
	tcase_add_test_raise_signal(
	    tc, test_tlsp_tlsmgr_wire_entry_panics_on_other_kinds, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("replies");
	tcase_add_loop_test(tc, test_tlsp_tlsmgr_wire_decodes_replies, 0,
	                    sizeof(reply_rows) / sizeof(reply_rows[0]));
	tcase_add_test(
	    tc, test_tlsp_tlsmgr_wire_accepts_only_the_tlsmgr_announcement);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_tlsmgr_wire_suite)
