/*
 * check_base64.c - tests for common/base64.c
 *
 * The RFC 4648 section 10 vectors both ways, every byte value through a
 * round trip, and the strict decoder's rejections.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "runner.h"

Suite *base64_suite(void);

static const struct {
	const char *plain;
	const char *coded;
} rfc_rows[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

START_TEST(test_base64_encodes_rfc_vectors)
{
	struct buf out;

	buf_init(&out);
	buf_puts(&out, "<");
	base64_encode(&out, rfc_rows[_i].plain, strlen(rfc_rows[_i].plain));
	ck_assert_str_eq(out.data + 1, rfc_rows[_i].coded);
	ck_assert_uint_eq(out.len, 1 + strlen(rfc_rows[_i].coded));
	buf_free(&out);
}
END_TEST

START_TEST(test_base64_decodes_rfc_vectors)
{
	struct buf out;

	buf_init(&out);
	ck_assert_int_eq(
	    base64_decode(&out, rfc_rows[_i].coded, strlen(rfc_rows[_i].coded)),
	    0);
	ck_assert_str_eq(buf_str(&out), rfc_rows[_i].plain);
	buf_free(&out);
}
END_TEST

START_TEST(test_base64_round_trips_every_byte_value)
{
	unsigned char bin[256];
	struct buf coded, back;
	size_t len;
	int i;

	for (i = 0; i < 256; i++)
		bin[i] = (unsigned char)i;
	buf_init(&coded);
	buf_init(&back);
	/* Lengths 254..256 cover both padding cases and none. */
	for (len = 254; len <= 256; len++) {
		buf_reset(&coded);
		buf_reset(&back);
		base64_encode(&coded, bin, len);
		ck_assert_uint_eq(coded.len, (len + 2) / 3 * 4);
		ck_assert_int_eq(base64_decode(&back, coded.data, coded.len),
		                 0);
		ck_assert_uint_eq(back.len, len);
		ck_assert_mem_eq(back.data, bin, len);
	}
	buf_free(&coded);
	buf_free(&back);
}
END_TEST

static const char *const bad_rows[] = {
    "Z",        "Zg",     "Zg=",   "Zg===", "Z===", "====",    "Zg=a",
    "Zg==Zm9v", "Zm9v\n", " Zm9v", "Zm9-",  "Zm9_", "Zm\2009",
};

START_TEST(test_base64_rejects_malformed)
{
	struct buf out;

	buf_init(&out);
	ck_assert_msg(base64_decode(&out, bad_rows[_i], strlen(bad_rows[_i])) ==
	                  -1,
	              "row %d accepted", _i);
	buf_free(&out);
}
END_TEST

START_TEST(test_base64_rejects_embedded_nul)
{
	struct buf out;

	buf_init(&out);
	ck_assert_int_eq(base64_decode(&out, "Zm\0v", 4), -1);
	buf_free(&out);
}
END_TEST

Suite *
base64_suite(void)
{
	Suite *s = suite_create("base64");
	TCase *tc;
	int rfc = (int)(sizeof(rfc_rows) / sizeof(rfc_rows[0]));

	tc = tcase_create("roundtrip");
	tcase_add_loop_test(tc, test_base64_encodes_rfc_vectors, 0, rfc);
	tcase_add_loop_test(tc, test_base64_decodes_rfc_vectors, 0, rfc);
	tcase_add_test(tc, test_base64_round_trips_every_byte_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, test_base64_rejects_malformed, 0,
	                    (int)(sizeof(bad_rows) / sizeof(bad_rows[0])));
	tcase_add_test(tc, test_base64_rejects_embedded_nul);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(base64_suite)
