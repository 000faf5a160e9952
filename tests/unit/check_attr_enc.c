/*
 * check_attr_enc.c - tests for common/attr_enc.c
 *
 * The round trip runs over every golden list: decode, re-encode each
 * pair with attr_enc_str(), and compare byte for byte with what the stock
 * sender wrote.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <string.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "buf.h"
#include "runner.h"

#include "../data/attr_golden.h"

Suite *attr_enc_suite(void);

START_TEST(test_attr_enc_reencodes_golden_list_byte_for_byte)
{
	const struct attr_golden *g = &attr_golden[_i];
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	struct buf out;
	size_t i, used;

	buf_init(&out);
	ck_assert_int_eq(attr_dec_feed(dec, g->bytes, g->len, &used),
	                 ATTR_DEC_OK);
	list = attr_dec_list(dec);
	for (i = 0; i < list->count; i++)
		attr_enc_str(&out, list->pairs[i].name, list->pairs[i].value);
	attr_enc_end(&out);
	ck_assert_msg(out.len == g->len, "%s: %zu bytes, want %zu", g->label,
	              out.len, g->len);
	ck_assert_mem_eq(out.data, g->bytes, g->len);
	buf_free(&out);
	attr_dec_free(dec);
}
END_TEST

static const struct {
	int value;
	const char *wire;
} int_rows[] = {
    {0, "0"},
    {1, "1"},
    {600, "600"},
    {-1, "4294967295"},
    {INT_MAX, "2147483647"},
    {INT_MIN, "2147483648"},
};

START_TEST(test_attr_enc_int_prints_unsigned_and_parses_back)
{
	struct buf out;
	int back;

	buf_init(&out);
	attr_enc_int(&out, "status", int_rows[_i].value);
	ck_assert_uint_eq(out.len, 7 + strlen(int_rows[_i].wire) + 1);
	ck_assert_mem_eq(out.data, "status", 7);
	ck_assert_str_eq(out.data + 7, int_rows[_i].wire);
	ck_assert_int_eq(attr_parse_int(out.data + 7, &back), 0);
	ck_assert_int_eq(back, int_rows[_i].value);
	buf_free(&out);
}
END_TEST

START_TEST(test_attr_enc_long_prints_unsigned)
{
	struct buf out;
	long back;

	buf_init(&out);
	attr_enc_long(&out, "exp", -1L);
	ck_assert_mem_eq(out.data, "exp\00018446744073709551615\0", 25);
	ck_assert_uint_eq(out.len, 25);
	ck_assert_int_eq(attr_parse_long(out.data + 4, &back), 0);
	ck_assert_int_eq(back, -1L);
	buf_free(&out);
}
END_TEST

START_TEST(test_attr_enc_data_is_base64_and_round_trips)
{
	static const unsigned char bin[] = {0, 0xff, 0x10, 'x', 0};
	struct attr_dec *dec = attr_dec_create(NULL);
	struct attr_cursor cur;
	struct buf out, back;
	size_t used;

	buf_init(&out);
	buf_init(&back);
	attr_enc_data(&out, "session", bin, sizeof(bin));
	attr_enc_data(&out, "empty", "", 0);
	attr_enc_end(&out);
	ck_assert_mem_eq(out.data, "session\0AP8QeAA=\0empty\0\0\0", 25);
	ck_assert_uint_eq(out.len, 25);
	ck_assert_int_eq(attr_dec_feed(dec, out.data, out.len, &used),
	                 ATTR_DEC_OK);
	attr_cursor_init(&cur, attr_dec_list(dec));
	ck_assert_int_eq(attr_cursor_data(&cur, "session", &back), 0);
	ck_assert_uint_eq(back.len, sizeof(bin));
	ck_assert_mem_eq(back.data, bin, sizeof(bin));
	ck_assert_int_eq(attr_cursor_data(&cur, "empty", &back), 0);
	ck_assert_uint_eq(back.len, 0);
	ck_assert_int_eq(attr_cursor_end(&cur), 0);
	buf_free(&back);
	buf_free(&out);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_enc_str_keeps_empty_value)
{
	struct buf out;

	buf_init(&out);
	attr_enc_str(&out, "srvr_signature_digest", "");
	attr_enc_end(&out);
	ck_assert_uint_eq(out.len, 24);
	ck_assert_mem_eq(out.data, "srvr_signature_digest\0\0\0", 24);
	buf_free(&out);
}
END_TEST

START_TEST(test_attr_enc_panics_on_empty_name)
{
	struct buf out;

	buf_init(&out);
	attr_enc_str(&out, "", "x");
}
END_TEST

Suite *
attr_enc_suite(void)
{
	Suite *s = suite_create("attr_enc");
	TCase *tc;

	tc = tcase_create("roundtrip");
	tcase_add_loop_test(tc,
	                    test_attr_enc_reencodes_golden_list_byte_for_byte,
	                    0, (int)ATTR_GOLDEN_COUNT);
	tcase_add_loop_test(tc,
	                    test_attr_enc_int_prints_unsigned_and_parses_back,
	                    0, (int)(sizeof(int_rows) / sizeof(int_rows[0])));
	tcase_add_test(tc, test_attr_enc_long_prints_unsigned);
	tcase_add_test(tc, test_attr_enc_data_is_base64_and_round_trips);
	tcase_add_test(tc, test_attr_enc_str_keeps_empty_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_test_raise_signal(tc, test_attr_enc_panics_on_empty_name,
	                            SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(attr_enc_suite)
