/*
 * check_attr_dec.c - tests for common/attr_dec.c
 *
 * Golden lists come from tests/data/attr_golden.h (regenerate with
 * tests/data/gen_attr_golden.py); everything else is built inline.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "attr_dec.h"
#include "buf.h"
#include "runner.h"

#include "../data/attr_golden.h"

Suite *attr_dec_suite(void);

/* Feeds all of data in chunks of at most step bytes (0: one shot). */
static enum attr_dec_status
feed_chunked(struct attr_dec *dec, const char *data, size_t len, size_t step,
             size_t *total)
{
	enum attr_dec_status st = ATTR_DEC_NEED_MORE;
	size_t pos = 0, n, used;

	*total = 0;
	while (pos < len && st == ATTR_DEC_NEED_MORE) {
		n = step == 0 || len - pos < step ? len - pos : step;
		st = attr_dec_feed(dec, data + pos, n, &used);
		ck_assert_uint_le(used, n);
		*total += used;
		pos += n;
	}
	return st;
}

/* Asserts that the decoder's list is exactly the golden row's pairs. */
static void
assert_golden_pairs(const struct attr_dec *dec, const struct attr_golden *g)
{
	const struct attr_list *list = attr_dec_list(dec);
	size_t i;

	ck_assert_msg(list->count == g->count, "%s: %zu pairs, want %zu",
	              g->label, list->count, g->count);
	for (i = 0; i < g->count; i++) {
		ck_assert_msg(strcmp(list->pairs[i].name, g->pairs[2 * i]) == 0,
		              "%s: pair %zu name", g->label, i);
		ck_assert_msg(
		    strcmp(list->pairs[i].value, g->pairs[2 * i + 1]) == 0,
		    "%s: pair %zu value", g->label, i);
		ck_assert_uint_eq(list->pairs[i].value_len,
		                  strlen(g->pairs[2 * i + 1]));
	}
}

START_TEST(test_attr_dec_decodes_golden_list_in_one_shot)
{
	const struct attr_golden *g = &attr_golden[_i];
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_int_eq(feed_chunked(dec, g->bytes, g->len, 0, &used),
	                 ATTR_DEC_OK);
	ck_assert_uint_eq(used, g->len);
	assert_golden_pairs(dec, g);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_decodes_golden_list_byte_at_a_time)
{
	const struct attr_golden *g = &attr_golden[_i];
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_int_eq(feed_chunked(dec, g->bytes, g->len, 1, &used),
	                 ATTR_DEC_OK);
	ck_assert_uint_eq(used, g->len);
	assert_golden_pairs(dec, g);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_leaves_bytes_after_terminator)
{
	static const char in[] = "a\0001\0\0next";
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_int_eq(attr_dec_feed(dec, in, sizeof(in) - 1, &used),
	                 ATTR_DEC_OK);
	ck_assert_uint_eq(used, 5);
	ck_assert_uint_eq(attr_dec_list(dec)->count, 1);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_empty_list_and_empty_values)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	size_t used;

	ck_assert_int_eq(attr_dec_feed(dec, "", 1, &used), ATTR_DEC_OK);
	ck_assert_uint_eq(used, 1);
	ck_assert_uint_eq(attr_dec_list(dec)->count, 0);
	attr_dec_reset(dec);
	ck_assert_int_eq(attr_dec_feed(dec, "a\0\0b\0\0\0", 7, &used),
	                 ATTR_DEC_OK);
	list = attr_dec_list(dec);
	ck_assert_uint_eq(used, 7);
	ck_assert_uint_eq(list->count, 2);
	ck_assert_str_eq(list->pairs[0].name, "a");
	ck_assert_str_eq(list->pairs[0].value, "");
	ck_assert_uint_eq(list->pairs[0].value_len, 0);
	ck_assert_str_eq(list->pairs[1].name, "b");
	ck_assert_str_eq(list->pairs[1].value, "");
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_reuses_decoder_after_reset)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_golden *g;
	size_t i, used;

	/* Every golden list through one decoder, largest ones included. */
	for (i = 0; i < ATTR_GOLDEN_COUNT; i++) {
		g = &attr_golden[i];
		ck_assert_int_eq(feed_chunked(dec, g->bytes, g->len, 7, &used),
		                 ATTR_DEC_OK);
		assert_golden_pairs(dec, g);
		attr_dec_reset(dec);
	}
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_reset_keeps_storage)
{
	const struct attr_golden *g = &attr_golden[0];
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_pair *first;
	const char *name;
	size_t used;

	/* Same list again after reset: same arena, same pair array. */
	ck_assert_int_eq(attr_dec_feed(dec, g->bytes, g->len, &used),
	                 ATTR_DEC_OK);
	first = attr_dec_list(dec)->pairs;
	name = first[0].name;
	attr_dec_reset(dec);
	ck_assert_uint_eq(attr_dec_list(dec)->count, 0);
	ck_assert_int_eq(attr_dec_feed(dec, g->bytes, g->len, &used),
	                 ATTR_DEC_OK);
	ck_assert_ptr_eq(attr_dec_list(dec)->pairs, first);
	ck_assert_ptr_eq(attr_dec_list(dec)->pairs[0].name, name);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_pending_tracks_unfinished_list)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_int_eq(attr_dec_pending(dec), 0);
	ck_assert_int_eq(attr_dec_feed(dec, "a", 1, &used), ATTR_DEC_NEED_MORE);
	ck_assert_int_eq(attr_dec_pending(dec), 1);
	ck_assert_int_eq(attr_dec_feed(dec, "\0b\0\0", 4, &used), ATTR_DEC_OK);
	ck_assert_int_eq(attr_dec_pending(dec), 0);
	ck_assert_str_eq(attr_dec_list(dec)->pairs[0].value, "b");
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_dec_panics_on_feed_without_reset)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_int_eq(attr_dec_feed(dec, "", 1, &used), ATTR_DEC_OK);
	attr_dec_feed(dec, "", 1, &used);
}
END_TEST

/* Truncated lists: every one must wait for more, consuming everything. */
static const struct {
	const char *bytes;
	size_t len;
} truncated[] = {
    {"", 0},       {"a", 1},     {"a\0", 2},          {"a\0b", 3},
    {"a\0b\0", 4}, {"a\0\0", 3}, {"a\0b\0c\0d\0", 8},
};

START_TEST(test_attr_dec_truncated_list_needs_more)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_msg(attr_dec_feed(dec, truncated[_i].bytes, truncated[_i].len,
	                            &used) == ATTR_DEC_NEED_MORE,
	              "row %d", _i);
	ck_assert_uint_eq(used, truncated[_i].len);
	attr_dec_free(dec);
}
END_TEST

/* Limits: name 4, value 6, count 2, list 10 bytes. */
static const struct attr_limits small_limits = {4, 6, 2, 10};

static const struct {
	const char *label;
	const char *bytes;
	size_t len;
	enum attr_dec_status want;
	const char *reason;
} limit_rows[] = {
    {"name at limit", "abcd\0v\0\0", 8, ATTR_DEC_OK, ""},
    {"name one past", "abcde\0v\0\0", 9, ATTR_DEC_BAD,
     "attribute name exceeds 4 bytes"},
    {"name one past, unterminated", "abcde", 5, ATTR_DEC_BAD,
     "attribute name exceeds 4 bytes"},
    {"value at limit", "a\000123456\0\0", 10, ATTR_DEC_OK, ""},
    {"value one past", "a\0001234567\0\0", 11, ATTR_DEC_BAD,
     "attribute value exceeds 6 bytes"},
    {"count at limit", "a\0\0b\0\0\0", 7, ATTR_DEC_OK, ""},
    {"count one past", "a\0\0b\0\0c\0\0\0", 10, ATTR_DEC_BAD,
     "attribute count exceeds 2"},
    {"list at limit", "abcd\0def\0\0", 10, ATTR_DEC_OK, ""},
    {"list one past", "abcd\0defg\0\0", 11, ATTR_DEC_BAD,
     "attribute list exceeds 10 bytes"},
};

/* Runs one limit row, in one shot or byte by byte. */
static void
check_limit_row(int row, size_t step)
{
	struct attr_dec *dec = attr_dec_create(&small_limits);
	enum attr_dec_status st;
	size_t used;

	st = feed_chunked(dec, limit_rows[row].bytes, limit_rows[row].len, step,
	                  &used);
	ck_assert_msg(st == limit_rows[row].want, "%s: status %d",
	              limit_rows[row].label, st);
	ck_assert_msg(strcmp(attr_dec_reason(dec), limit_rows[row].reason) == 0,
	              "%s: reason \"%s\"", limit_rows[row].label,
	              attr_dec_reason(dec));
	if (st == ATTR_DEC_OK)
		ck_assert_uint_eq(used, limit_rows[row].len);
	attr_dec_free(dec);
}

START_TEST(test_attr_dec_enforces_limits_at_and_past)
{
	check_limit_row(_i, 0);
}
END_TEST

START_TEST(test_attr_dec_enforces_limits_byte_at_a_time)
{
	check_limit_row(_i, 1);
}
END_TEST

START_TEST(test_attr_dec_default_limits_are_documented_values)
{
	ck_assert_uint_eq(attr_limits_default.name_max, 100);
	ck_assert_uint_eq(attr_limits_default.value_max, 65536);
	ck_assert_uint_eq(attr_limits_default.count_max, 4096);
	ck_assert_uint_eq(attr_limits_default.total_max, 1024 * 1024);
}
END_TEST

START_TEST(test_attr_dec_rejects_value_over_limit_before_terminator)
{
	struct attr_dec *dec = attr_dec_create(&small_limits);
	size_t used;

	/* The seventh value byte is refused on arrival, no NUL needed. */
	ck_assert_int_eq(attr_dec_feed(dec, "a\000123456", 8, &used),
	                 ATTR_DEC_NEED_MORE);
	ck_assert_int_eq(attr_dec_feed(dec, "7", 1, &used), ATTR_DEC_BAD);
	ck_assert_str_eq(attr_dec_reason(dec),
	                 "attribute value exceeds 6 bytes");
	attr_dec_free(dec);
}
END_TEST

/* Integer conversions: the stock receivers' %u rules. */
static const struct {
	const char *in;
	int ok;
	int want;
} int_rows[] = {
    {"0", 1, 0},
    {"7", 1, 7},
    {" +7", 1, 7},
    {"\t\n 12", 1, 12},
    {"-1", 1, -1},
    {"4294967295", 1, -1},
    {"2147483648", 1, -2147483647 - 1},
    {"-4294967295", 1, 1},
    {"007", 1, 7},
    {"", 0, 0},
    {" ", 0, 0},
    {"+", 0, 0},
    {"7x", 0, 0},
    {"7 ", 0, 0},
    {"+-7", 0, 0},
    {"- 7", 0, 0},
    {"0x10", 0, 0},
    {"4294967296", 0, 0},
    {"99999999999", 0, 0},
    {"-4294967296", 0, 0},
};

START_TEST(test_attr_parse_int_follows_stock_rules)
{
	int out = 12345;
	int rc = attr_parse_int(int_rows[_i].in, &out);

	ck_assert_msg(rc == (int_rows[_i].ok ? 0 : -1), "\"%s\": rc %d",
	              int_rows[_i].in, rc);
	if (int_rows[_i].ok)
		ck_assert_msg(out == int_rows[_i].want, "\"%s\": got %d",
		              int_rows[_i].in, out);
	else
		ck_assert_int_eq(out, 12345);
}
END_TEST

static const struct {
	const char *in;
	int ok;
	long want;
} long_rows[] = {
    {"4294967296", 1, 4294967296L},
    {"18446744073709551615", 1, -1L},
    {"-1", 1, -1L},
    {" +99999999999", 1, 99999999999L},
    {"18446744073709551616", 0, 0},
    {"1x", 0, 0},
    {"", 0, 0},
};

START_TEST(test_attr_parse_long_follows_stock_rules)
{
	long out = 12345;
	int rc = attr_parse_long(long_rows[_i].in, &out);

	ck_assert_msg(rc == (long_rows[_i].ok ? 0 : -1), "\"%s\": rc %d",
	              long_rows[_i].in, rc);
	if (long_rows[_i].ok)
		ck_assert_msg(out == long_rows[_i].want, "\"%s\": got %ld",
		              long_rows[_i].in, out);
}
END_TEST

static const struct {
	const char *in;
	const char *want; /* NULL: rejected */
	size_t want_len;
} data_rows[] = {
    {"", "", 0},        {"QQ==", "A", 1},        {"QUI=", "AB", 2},
    {"QUJD", "ABC", 3}, {"AP8A", "\0\377\0", 3}, {"+/+/", "\373\377\277", 3},
    {"QQ", NULL, 0},    {"QUJ", NULL, 0},        {"QQ=A", NULL, 0},
    {"Q===", NULL, 0},  {"====", NULL, 0},       {"QQ==QUJD", NULL, 0},
    {"QU!D", NULL, 0},  {"QUJD\n", NULL, 0},     {"QU JD", NULL, 0},
    {"QUJ-", NULL, 0},
};

START_TEST(test_attr_parse_data_accepts_only_padded_base64)
{
	struct buf out;
	int rc;

	buf_init(&out);
	buf_puts(&out, "stale");
	rc = attr_parse_data(data_rows[_i].in, strlen(data_rows[_i].in), &out);
	ck_assert_msg(rc == (data_rows[_i].want ? 0 : -1), "\"%s\": rc %d",
	              data_rows[_i].in, rc);
	if (data_rows[_i].want) {
		ck_assert_uint_eq(out.len, data_rows[_i].want_len);
		ck_assert_mem_eq(out.data, data_rows[_i].want,
		                 data_rows[_i].want_len);
	}
	buf_free(&out);
}
END_TEST

/* Decodes a literal list with default limits; the caller frees. */
static struct attr_dec *
decode_literal(const char *bytes, size_t len)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t used;

	ck_assert_int_eq(attr_dec_feed(dec, bytes, len, &used), ATTR_DEC_OK);
	ck_assert_uint_eq(used, len);
	return dec;
}

#define HEADER                                                                 \
	"remote_endpoint\0[127.0.0.1]:25\0flags\0006\0"                        \
	"timeout\000300\0timeout\000600\0serverid\0smtp\0\0"

/* The tlsproxy request header, read as smtp(8)'s peer reads it. */
static int
read_header(struct attr_cursor *cur, int *flags, int *t2, const char **serverid)
{
	const char *endpoint;
	int t1;

	if (attr_cursor_str(cur, "remote_endpoint", &endpoint) < 0 ||
	    attr_cursor_int(cur, "flags", flags) < 0 ||
	    attr_cursor_int(cur, "timeout", &t1) < 0 ||
	    attr_cursor_int(cur, "timeout", t2) < 0 ||
	    attr_cursor_str(cur, "serverid", serverid) < 0)
		return -1;
	return attr_cursor_end(cur);
}

START_TEST(test_attr_cursor_reads_exact_order)
{
	struct attr_dec *dec = decode_literal(HEADER, sizeof(HEADER) - 1);
	struct attr_cursor cur;
	const char *serverid;
	int flags, t2;

	attr_cursor_init(&cur, attr_dec_list(dec));
	ck_assert_int_eq(read_header(&cur, &flags, &t2, &serverid), 0);
	ck_assert_int_eq(flags, 6);
	ck_assert_int_eq(t2, 600);
	ck_assert_str_eq(serverid, "smtp");
	attr_dec_free(dec);
}
END_TEST

static const struct {
	const char *label;
	const char *bytes;
	size_t len;
	const char *reason;
} cursor_rows[] = {
#define ROW(label, lit, reason)                                                \
	{                                                                      \
		label, lit, sizeof(lit) - 1, reason                            \
	}
    ROW("reordered", "flags\0006\0remote_endpoint\0x\0\0",
        "unexpected attribute flags (expecting: remote_endpoint)"),
    ROW("missing last",
        "remote_endpoint\0x\0flags\0006\0"
        "timeout\0001\0timeout\0002\0\0",
        "missing attribute serverid"),
    ROW("empty list", "\0", "missing attribute remote_endpoint"),
    ROW("inserted in the middle",
        "remote_endpoint\0x\0flags\0006\0"
        "tls_ffdhe_auto_groups\0x\0timeout\0001\0\0",
        "unexpected attribute tls_ffdhe_auto_groups (expecting: timeout)"),
    ROW("extra at the end",
        "remote_endpoint\0x\0flags\0006\0"
        "timeout\0001\0timeout\0002\0serverid\0s\0extra\0\0\0",
        "unexpected attribute extra (expecting: (list terminator))"),
    ROW("bad int", "remote_endpoint\0x\0flags\0006x\0\0",
        "malformed numerical data in attribute flags"),
    ROW("unprintable name", "remote_endpoint\0x\0fl\nags\0006\0\0",
        "unexpected attribute fl?ags (expecting: flags)"),
#undef ROW
};

START_TEST(test_attr_cursor_rejects_wrong_lists)
{
	struct attr_dec *dec =
	    decode_literal(cursor_rows[_i].bytes, cursor_rows[_i].len);
	struct attr_cursor cur;
	const char *serverid;
	int flags, t2;

	attr_cursor_init(&cur, attr_dec_list(dec));
	ck_assert_msg(read_header(&cur, &flags, &t2, &serverid) == -1, "%s",
	              cursor_rows[_i].label);
	ck_assert_msg(strcmp(cur.reason, cursor_rows[_i].reason) == 0,
	              "%s: reason \"%s\"", cursor_rows[_i].label, cur.reason);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_cursor_failure_does_not_advance)
{
	static const char in[] = "n\0x\0d\0QQ==\0\0";
	struct attr_dec *dec = decode_literal(in, sizeof(in) - 1);
	struct attr_cursor cur;
	struct buf data;
	const char *s;
	long l;
	int i;

	buf_init(&data);
	attr_cursor_init(&cur, attr_dec_list(dec));
	ck_assert_int_eq(attr_cursor_int(&cur, "n", &i), -1);
	ck_assert_int_eq(attr_cursor_long(&cur, "n", &l), -1);
	ck_assert_int_eq(attr_cursor_data(&cur, "n", &data), -1);
	ck_assert_str_eq(cur.reason, "malformed base64 data in attribute n");
	ck_assert_int_eq(attr_cursor_str(&cur, "d", &s), -1);
	ck_assert_uint_eq(cur.pos, 0);
	ck_assert_int_eq(attr_cursor_str(&cur, "n", &s), 0);
	ck_assert_int_eq(attr_cursor_data(&cur, "d", &data), 0);
	ck_assert_str_eq(buf_str(&data), "A");
	ck_assert_int_eq(attr_cursor_end(&cur), 0);
	ck_assert_int_eq(attr_cursor_str(&cur, "more", &s), -1);
	ck_assert_str_eq(cur.reason, "missing attribute more");
	buf_free(&data);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_cursor_long_reads_legacy_exp)
{
	static const char in[] = "exp\00018446744073709551615\0\0";
	struct attr_dec *dec = decode_literal(in, sizeof(in) - 1);
	struct attr_cursor cur;
	long l;

	attr_cursor_init(&cur, attr_dec_list(dec));
	ck_assert_int_eq(attr_cursor_long(&cur, "exp", &l), 0);
	ck_assert_int_eq(l, -1L);
	ck_assert_int_eq(attr_cursor_end(&cur), 0);
	attr_dec_free(dec);
}
END_TEST

START_TEST(test_attr_list_get_finds_first_by_name)
{
	struct attr_dec *dec = decode_literal(HEADER, sizeof(HEADER) - 1);
	const struct attr_list *list = attr_dec_list(dec);
	const struct attr_pair *pair;

	pair = attr_list_get(list, "timeout");
	ck_assert_ptr_nonnull(pair);
	ck_assert_str_eq(pair->value, "300");
	ck_assert_str_eq(attr_list_get(list, "serverid")->value, "smtp");
	ck_assert_ptr_null(attr_list_get(list, "enable_rpk"));
	ck_assert_ptr_null(attr_list_get(list, ""));
	attr_dec_free(dec);
}
END_TEST

Suite *
attr_dec_suite(void)
{
	Suite *s = suite_create("attr_dec");
	TCase *tc;

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_attr_dec_decodes_golden_list_in_one_shot,
	                    0, (int)ATTR_GOLDEN_COUNT);
	tcase_add_loop_test(tc,
	                    test_attr_dec_decodes_golden_list_byte_at_a_time, 0,
	                    (int)ATTR_GOLDEN_COUNT);
	tcase_add_test(tc, test_attr_dec_leaves_bytes_after_terminator);
	tcase_add_test(tc, test_attr_dec_empty_list_and_empty_values);
	tcase_add_test(tc, test_attr_dec_reuses_decoder_after_reset);
	tcase_add_test(tc, test_attr_dec_reset_keeps_storage);
	tcase_add_test(tc, test_attr_dec_pending_tracks_unfinished_list);
	tcase_add_test_raise_signal(
	    tc, test_attr_dec_panics_on_feed_without_reset, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, test_attr_dec_truncated_list_needs_more, 0,
	                    (int)(sizeof(truncated) / sizeof(truncated[0])));
	tcase_add_loop_test(tc, test_attr_parse_int_follows_stock_rules, 0,
	                    (int)(sizeof(int_rows) / sizeof(int_rows[0])));
	tcase_add_loop_test(tc, test_attr_parse_long_follows_stock_rules, 0,
	                    (int)(sizeof(long_rows) / sizeof(long_rows[0])));
	tcase_add_loop_test(tc, test_attr_parse_data_accepts_only_padded_base64,
	                    0, (int)(sizeof(data_rows) / sizeof(data_rows[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_attr_dec_enforces_limits_at_and_past, 0,
	                    (int)(sizeof(limit_rows) / sizeof(limit_rows[0])));
	tcase_add_loop_test(tc, test_attr_dec_enforces_limits_byte_at_a_time, 0,
	                    (int)(sizeof(limit_rows) / sizeof(limit_rows[0])));
	tcase_add_test(tc, test_attr_dec_default_limits_are_documented_values);
	tcase_add_test(
	    tc, test_attr_dec_rejects_value_over_limit_before_terminator);
	suite_add_tcase(s, tc);

	tc = tcase_create("cursor");
	tcase_add_test(tc, test_attr_cursor_reads_exact_order);
	tcase_add_loop_test(
	    tc, test_attr_cursor_rejects_wrong_lists, 0,
	    (int)(sizeof(cursor_rows) / sizeof(cursor_rows[0])));
	tcase_add_test(tc, test_attr_cursor_failure_does_not_advance);
	tcase_add_test(tc, test_attr_cursor_long_reads_legacy_exp);
	tcase_add_test(tc, test_attr_list_get_finds_first_by_name);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(attr_dec_suite)
