/*
 * check_tlsp_reply.c - tests for tlsproxy/tlsp_reply.c
 *
 * The announcement and status equal the golden bytes; TLS_SESS_STATE,
 * given the values of each golden reply (3.6.4, 3.7.11, 3.8.6, 3.10.13,
 * 3.12-20260821; full handshake and resumed session), re-encodes byte for
 * byte in that release's layout; the 3.9 layout (no golden capture) has
 * its 24 names in order; the SSL_CTX cache key is the plain format.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "buf.h"
#include "runner.h"
#include "tlsp_golden.h"
#include "tlsp_reply.h"
#include "tlsp_request.h"

Suite *tlsp_reply_suite(void);

static void
assert_golden_bytes(const struct buf *got, const char *file)
{
	struct buf want;

	tlsp_golden_load(file, &want);
	ck_assert_uint_eq(got->len, want.len);
	ck_assert_mem_eq(got->data, want.data, want.len);
	buf_free(&want);
}

START_TEST(test_tlsp_reply_announce_matches_golden)
{
	struct buf out;

	buf_init(&out);
	tlsp_reply_announce(&out);
	assert_golden_bytes(&out, "tlsp-3.7.11-announce.bin");
	buf_free(&out);
}
END_TEST

START_TEST(test_tlsp_reply_status_matches_golden)
{
	struct buf out;

	buf_init(&out);
	tlsp_reply_status(&out, 1);
	assert_golden_bytes(&out, "tlsp-3.7.11-status.bin");
	buf_reset(&out);
	tlsp_reply_status(&out, 0);
	ck_assert_uint_eq(out.len, 10);
	ck_assert_mem_eq(out.data,
	                 "status\0"
	                 "0\0",
	                 10);
	buf_free(&out);
}
END_TEST

/* Where each name of a golden reply goes in the struct. */
struct state_slot {
	const char *name;
	size_t offset;
	int is_int;
};

/* clang-format off */
#define STR_SLOT(m) {#m, offsetof(struct tlsp_tls_result, m), 0}
#define INT_SLOT(m) {#m, offsetof(struct tlsp_tls_result, m), 1}
/* clang-format on */

static const struct state_slot state_slots[] = {
    STR_SLOT(peer_CN),
    STR_SLOT(issuer_CN),
    STR_SLOT(peer_fingerprint),
    STR_SLOT(peer_pubkey_fingerprint),
    INT_SLOT(level),
    INT_SLOT(peer_status),
    STR_SLOT(cipher_protocol),
    STR_SLOT(cipher_name),
    INT_SLOT(cipher_usebits),
    INT_SLOT(cipher_algbits),
    STR_SLOT(key_exchange),
    STR_SLOT(key_exchange_curve),
    INT_SLOT(key_exchange_bits),
    INT_SLOT(ctos_rpk),
    INT_SLOT(stoc_rpk),
    STR_SLOT(clnt_signature),
    STR_SLOT(clnt_signature_curve),
    INT_SLOT(clnt_signature_bits),
    STR_SLOT(clnt_signature_digest),
    STR_SLOT(srvr_signature),
    STR_SLOT(srvr_signature_curve),
    INT_SLOT(srvr_signature_bits),
    STR_SLOT(srvr_signature_digest),
    STR_SLOT(namaddr),
    INT_SLOT(rpt_reported),
    INT_SLOT(trace_size_limit),
};

/* Fills st from the pairs of a golden reply (borrowing its strings). */
static void
state_from_list(struct tlsp_tls_result *st, const struct tlsp_tlist *tl)
{
	const struct state_slot *slot;
	size_t i, j;
	int value;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < tl->count; i++) {
		for (j = 0; j < sizeof(state_slots) / sizeof(*state_slots); j++)
			if (strcmp(state_slots[j].name, tl->pairs[i].name) == 0)
				break;
		ck_assert_msg(j < sizeof(state_slots) / sizeof(*state_slots),
		              "unknown reply name %s", tl->pairs[i].name);
		slot = state_slots + j;
		if (slot->is_int) {
			ck_assert_int_eq(
			    attr_parse_int(tl->pairs[i].value, &value), 0);
			*(int *)(void *)((char *)st + slot->offset) = value;
		} else {
			*(const char **)(void *)((char *)st + slot->offset) =
			    tl->pairs[i].value;
		}
	}
}

struct reply_golden {
	const char *version;
	enum tlsp_peer_version peer;
	size_t pairs;
};

static const struct reply_golden reply_goldens[] = {
    {"3.6.4", TLSP_PEER_V36, 22},          {"3.7.11", TLSP_PEER_V36, 22},
    {"3.8.6", TLSP_PEER_V36, 22},          {"3.10.13", TLSP_PEER_V310, 25},
    {"3.12-20260821", TLSP_PEER_HEAD, 26},
};

/* Loop index: version * 2 + (0: full handshake, 1: resumed). */
START_TEST(test_tlsp_reply_sess_state_reencodes_golden)
{
	const struct reply_golden *g = reply_goldens + _i / 2;
	struct tlsp_tls_result st;
	struct tlsp_tlist tl;
	struct buf out;
	char file[96];

	snprintf(file, sizeof(file), "tlsp-%s-sess-state-%s.bin", g->version,
	         _i % 2 ? "resumed" : "full");
	tlsp_tlist_golden(&tl, file, 0);
	ck_assert_uint_eq(tl.count, g->pairs);
	state_from_list(&st, &tl);
	buf_init(&out);
	tlsp_reply_sess_state(&out, &st, g->peer);
	assert_golden_bytes(&out, file);
	buf_free(&out);
	tlsp_tlist_free(&tl);
}
END_TEST

/* The 3.7.11 full-handshake reply, from values written out by hand. */
START_TEST(test_tlsp_reply_sess_state_3_7_11_by_hand)
{
	struct tlsp_tls_result st = {
	    .peer_CN = "mx.pfsandbox.test",
	    .issuer_CN = "pfsandbox throwaway CA",
	    .level = 8,
	    .peer_status = 29,
	    .cipher_protocol = "TLSv1.3",
	    .cipher_name = "TLS_AES_256_GCM_SHA384",
	    .cipher_usebits = 256,
	    .cipher_algbits = 256,
	    .key_exchange = "X25519",
	    .srvr_signature = "ECDSA",
	    .srvr_signature_curve = "prime256v1",
	    .srvr_signature_digest = "SHA256",
	    .namaddr = "127.0.0.1[127.0.0.1]:40584",
	    .ctos_rpk = 1,
	    .stoc_rpk = 1,
	    .rpt_reported = 1,
	    .trace_size_limit = 5, /* none of these four may appear */
	};
	struct tlsp_tlist golden;
	struct buf out;

	/* The fingerprints are per run: take them from the capture. */
	tlsp_tlist_golden(&golden, "tlsp-3.7.11-sess-state-full.bin", 0);
	st.peer_fingerprint = golden.pairs[2].value;
	st.peer_pubkey_fingerprint = golden.pairs[3].value;
	buf_init(&out);
	tlsp_reply_sess_state(&out, &st, TLSP_PEER_V36);
	assert_golden_bytes(&out, "tlsp-3.7.11-sess-state-full.bin");
	buf_free(&out);
	tlsp_tlist_free(&golden);
}
END_TEST

/* Decodes an encoded reply into its list of names, "a b c". */
static void
reply_names(const struct buf *bytes, struct buf *names)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	size_t used, i;

	ck_assert_int_eq(attr_dec_feed(dec, bytes->data, bytes->len, &used),
	                 ATTR_DEC_OK);
	ck_assert_uint_eq(used, bytes->len);
	list = attr_dec_list(dec);
	buf_init(names);
	for (i = 0; i < list->count; i++)
		buf_printf(names, "%s%s", i ? " " : "", list->pairs[i].name);
	attr_dec_free(dec);
}

START_TEST(test_tlsp_reply_sess_state_3_9_layout)
{
	struct tlsp_tls_result st = {.level = 1};
	struct buf out, names;

	buf_init(&out);
	tlsp_reply_sess_state(&out, &st, TLSP_PEER_V39);
	reply_names(&out, &names);
	ck_assert_str_eq(
	    buf_str(&names),
	    "peer_CN issuer_CN peer_fingerprint peer_pubkey_fingerprint "
	    "level peer_status cipher_protocol cipher_name cipher_usebits "
	    "cipher_algbits key_exchange key_exchange_curve "
	    "key_exchange_bits ctos_rpk stoc_rpk clnt_signature "
	    "clnt_signature_curve clnt_signature_bits clnt_signature_digest "
	    "srvr_signature srvr_signature_curve srvr_signature_bits "
	    "srvr_signature_digest namaddr");
	buf_free(&names);
	buf_free(&out);
}
END_TEST

START_TEST(test_tlsp_reply_sess_state_null_strings_are_empty)
{
	struct tlsp_tls_result st = {.level = 2, .peer_status = 0};
	struct buf out;

	buf_init(&out);
	tlsp_reply_sess_state(&out, &st, TLSP_PEER_V36);
	ck_assert_mem_eq(out.data, "peer_CN\0\0issuer_CN\0\0", 20);
	ck_assert_ptr_nonnull(memmem(out.data, out.len,
	                             "level\0"
	                             "2\0",
	                             8));
	ck_assert_mem_eq(out.data + out.len - 10, "namaddr\0\0\0", 10);
	buf_free(&out);
}
END_TEST

START_TEST(test_tlsp_reply_sess_state_negative_int_as_unsigned)
{
	struct tlsp_tls_result st = {.level = -1};
	struct buf out;

	buf_init(&out);
	tlsp_reply_sess_state(&out, &st, TLSP_PEER_V36);
	ck_assert_ptr_nonnull(memmem(out.data, out.len,
	                             "level\0"
	                             "4294967295\0",
	                             17));
	buf_free(&out);
}
END_TEST

/* The cache key of the 3.7.11 golden request's INIT_PROPS. */
START_TEST(test_tlsp_reply_init_key_is_plain_format)
{
	static const char want[] = "log_param=smtp_tls_loglevel\n"
	                           "log_level=1\n"
	                           "verifydepth=9\n"
	                           "cache_type=smtp\n"
	                           "chain_files=\n"
	                           "cert_file=\n"
	                           "key_file=\n"
	                           "dcert_file=\n"
	                           "dkey_file=\n"
	                           "eccert_file=\n"
	                           "eckey_file=\n"
	                           "CAfile=/srv/sandbx/tls/ca.pem\n"
	                           "CApath=\n"
	                           "mdalg=sha256\n"
	                           "\n";
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr, body;
	struct buf key;

	tlsp_tlist_golden(&hdr, "tlsp-3.7.11-client-request.bin", 0);
	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	ck_assert_int_eq(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)),
	                 0);
	ck_assert_int_eq(tlsp_request_parse_body(req, tlsp_tlist_list(&body)),
	                 0);
	buf_init(&key);
	tlsp_reply_init_key(&key, &req->client_init);
	ck_assert_str_eq(buf_str(&key), want);
	buf_free(&key);
	tlsp_tlist_free(&hdr);
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

Suite *
tlsp_reply_suite(void)
{
	Suite *s = suite_create("tlsp_reply");
	TCase *tc;

	tc = tcase_create("golden");
	tcase_add_test(tc, test_tlsp_reply_announce_matches_golden);
	tcase_add_test(tc, test_tlsp_reply_status_matches_golden);
	tcase_add_loop_test(
	    tc, test_tlsp_reply_sess_state_reencodes_golden, 0,
	    (int)(2 * sizeof(reply_goldens) / sizeof(*reply_goldens)));
	tcase_add_test(tc, test_tlsp_reply_sess_state_3_7_11_by_hand);
	suite_add_tcase(s, tc);

	tc = tcase_create("layout");
	tcase_add_test(tc, test_tlsp_reply_sess_state_3_9_layout);
	tcase_add_test(tc, test_tlsp_reply_sess_state_null_strings_are_empty);
	tcase_add_test(tc, test_tlsp_reply_sess_state_negative_int_as_unsigned);
	tcase_add_test(tc, test_tlsp_reply_init_key_is_plain_format);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_reply_suite)
