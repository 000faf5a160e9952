/*
 * check_scache_reuse_log.c - tests for scache/scache_reuse_log.c
 *
 * The endpoint properties are the ones stock smtp(8) of each Postfix
 * version stored in scache, taken from the golden transcripts
 * (tests/data/scache-endp-prop-<version>.txt).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "capture.h"
#include "event.h"
#include "msg.h"
#include "runner.h"
#include "testfile.h"
#include "scache_reuse_log.h"

#define LIMIT 300 /* smtp_connection_reuse_time_limit */

static const struct {
	const char *file;
	long expire_time;
	const char *want;
} golden[] = {
	{"scache-endp-prop-3.6.4.txt", 1795883641,
	 "Verified TLS connection handed out to 127.0.0.1[127.0.0.1]:21847 "
	 "conn_use=7 age=12s: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	 "(256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) "
	 "peer_CN=\"mx.pfsandbox.test\" issuer_CN=\"pfsandbox throwaway CA\""},
	{"scache-endp-prop-3.7.11.txt", 1795882714,
	 "Verified TLS connection handed out to 127.0.0.1[127.0.0.1]:40584 "
	 "conn_use=8 age=12s: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	 "(256/256 bits) key-exchange X25519 server-signature ECDSA "
	 "(prime256v1) peer_CN=\"mx.pfsandbox.test\" "
	 "issuer_CN=\"pfsandbox throwaway CA\""},
	{"scache-endp-prop-3.8.6.txt", 1795883631,
	 "Verified TLS connection handed out to 127.0.0.1[127.0.0.1]:35331 "
	 "conn_use=7 age=12s: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	 "(256/256 bits) key-exchange X25519 server-signature ECDSA "
	 "(prime256v1) peer_CN=\"mx.pfsandbox.test\" "
	 "issuer_CN=\"pfsandbox throwaway CA\""},
	/* 3.9+ add ctos_rpk/stoc_rpk, 3.10 rpt_reported; a resumed
	 * session has no server signature. */
	{"scache-endp-prop-3.10.13.txt", 1795883601,
	 "Verified TLS connection handed out to 127.0.0.1[127.0.0.1]:20359 "
	 "conn_use=2 age=12s: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	 "(256/256 bits) key-exchange x25519 peer_CN=\"mx.pfsandbox.test\" "
	 "issuer_CN=\"pfsandbox throwaway CA\""},
	/* 3.12 adds trace_size_limit. */
	{"scache-endp-prop-3.12-20260821.txt", 1795883653,
	 "Verified TLS connection handed out to 127.0.0.1[127.0.0.1]:48101 "
	 "conn_use=2 age=12s: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	 "(256/256 bits) key-exchange x25519 peer_CN=\"mx.pfsandbox.test\" "
	 "issuer_CN=\"pfsandbox throwaway CA\""},
};

START_TEST(test_scache_reuse_log_formats_every_version)
{
	char *prop = testfile_read(TESTDATA_DIR, golden[_i].file, NULL);
	struct buf line;

	buf_init(&line);
	/* 12 seconds after smtp opened the connection. */
	ck_assert_int_eq(scache_reuse_log_format(&line, prop,
	    golden[_i].expire_time - LIMIT + 12, LIMIT), 1);
	ck_assert_msg(strcmp(buf_str(&line), golden[_i].want) == 0,
	    "%s:\n got %s\nwant %s", golden[_i].file, buf_str(&line),
	    golden[_i].want);
	buf_free(&line);
	free(prop);
}
END_TEST

static const struct {
	const char *name;
	const char *prop;
	const char *want; /* NULL: no line */
} cases[] = {
	{"plaintext session: no line",
	 "reuse_count=0\nendpoint_features=7\nexpire_time=100\n\n", NULL},
	{"empty properties: no line", "", NULL},
	{"TLS block without known fields: no line",
	 "reuse_count=0\n\nfuture=1\n\n", NULL},
	{"missing fields are left out",
	 "tls_level=1\n\nnamaddr=h[192.0.2.1]:25\ncipher_name=X\n\n",
	 "TLS connection handed out to h[192.0.2.1]:25: with cipher X"},
	{"no certificate is anonymous",
	 "reuse_count=1\n\npeer_status=0\ncipher_protocol=TLSv1.2\n\n",
	 "Anonymous TLS connection handed out conn_use=3: TLSv1.2"},
	{"certificate without match is untrusted or trusted",
	 "\npeer_status=5\ncipher_protocol=P\n\n",
	 "Trusted TLS connection handed out: P"},
	{"present but unverified",
	 "\npeer_status=3\ncipher_protocol=P\n\n",
	 "Untrusted TLS connection handed out: P"},
	{"unknown names anywhere are ignored, by-name order",
	 "new=1\nreuse_count=2\n\nzzz=q\ncipher_protocol=P\nnew2=\n\n",
	 "TLS connection handed out conn_use=4: P"},
	{"key exchange bits when there is no curve",
	 "\nkey_exchange=DHE\nkey_exchange_bits=2048\n\n",
	 "TLS connection handed out: key-exchange DHE (2048 bits)"},
	{"garbage numbers are left out",
	 "reuse_count=x\nexpire_time=99999999999999999999999\n\n"
	 "cipher_usebits=1\ncipher_algbits=\npeer_status=-\n"
	 "cipher_protocol=P\n\n",
	 "TLS connection handed out: P"},
	{"line without = ends the block",
	 "reuse_count=1\nbroken\n\ncipher_protocol=P\n\n", NULL},
};

START_TEST(test_scache_reuse_log_handles_field_variants)
{
	struct buf line;

	buf_init(&line);
	ck_assert_int_eq(scache_reuse_log_format(&line, cases[_i].prop, 0, 0),
	    cases[_i].want != NULL);
	ck_assert_msg(strcmp(buf_str(&line),
	    cases[_i].want ? cases[_i].want : "") == 0, "%s: got %s",
	    cases[_i].name, buf_str(&line));
	buf_free(&line);
}
END_TEST

START_TEST(test_scache_reuse_log_bounds_and_sanitises_values)
{
	char prop[2048];
	char want[600];

	memset(want, 0, sizeof(want));
	snprintf(prop, sizeof(prop), "\npeer_CN=%0*d\x01\n\n", 300, 0);
	capture_start();
	scache_reuse_log(prop, 0, 0);
	scache_reuse_log_flush();
	/* 256 bytes of the value and no control characters reach the log. */
	snprintf(want, sizeof(want), "TLS connection handed out: "
	    "peer_CN=\"%0*d\"", 256, 0);
	ck_assert_int_eq(capture_count(want), 1);
	ck_assert_int_eq(capture_count("\x01"), 0);
	capture_start();
	scache_reuse_log("reuse_count=1\n\n", 0, 0);
	scache_reuse_log_flush();
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

/* The parsed fields, as the cache listing takes them. */
START_TEST(test_scache_reuse_props_parse_by_name)
{
	char *prop = testfile_read(TESTDATA_DIR, "scache-endp-prop-3.7.11.txt", NULL);
	struct scache_reuse_props props;
	const struct scache_reuse_value *cn;
	long long n;

	ck_assert_int_eq(scache_reuse_props_parse(&props, prop), 1);
	ck_assert_str_eq(scache_reuse_props_trust(&props), "Verified");
	ck_assert_int_eq(scache_reuse_props_number(&props,
	    SCACHE_REUSE_F_REUSE_COUNT, &n), 0);
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(scache_reuse_props_number(&props,
	    SCACHE_REUSE_F_EXPIRE_TIME, &n), 0);
	ck_assert_int_eq(n, 1795882714);
	cn = &props.field[SCACHE_REUSE_F_PEER_CN];
	ck_assert_int_eq(cn->len, strlen("mx.pfsandbox.test"));
	ck_assert(memcmp(cn->text, "mx.pfsandbox.test", cn->len) == 0);
	/* A text field is not a number. */
	ck_assert_int_eq(scache_reuse_props_number(&props,
	    SCACHE_REUSE_F_PEER_CN, &n), -1);
	free(prop);
}
END_TEST

START_TEST(test_scache_reuse_props_plaintext_has_no_tls)
{
	struct scache_reuse_props props;
	long long n;

	ck_assert_int_eq(scache_reuse_props_parse(&props,
	    "tls_level=0\nreuse_count=3\nexpire_time=9\n\n"), 0);
	ck_assert_ptr_null(scache_reuse_props_trust(&props));
	ck_assert_int_eq(scache_reuse_props_number(&props,
	    SCACHE_REUSE_F_REUSE_COUNT, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_ptr_null(props.field[SCACHE_REUSE_F_PROTOCOL].text);
}
END_TEST

/* --- hostile values: what a remote server puts in its certificate */

/* The line for a TLS block holding only the given fields. */
static void
expect_line(const char *tls_fields, const char *want)
{
	char prop[1024];
	struct buf line;

	snprintf(prop, sizeof(prop), "\n%s\n", tls_fields);
	buf_init(&line);
	ck_assert_int_eq(scache_reuse_log_format(&line, prop, 0, 0), 1);
	ck_assert_msg(strcmp(buf_str(&line), want) == 0, "\n got %s\nwant %s",
	    buf_str(&line), want);
	buf_free(&line);
}

#define HANDED "TLS connection handed out:"

START_TEST(test_scache_reuse_log_escapes_quote_in_cn)
{
	/* Without escaping this would read as a second issuer_CN field. */
	expect_line("peer_CN=mx\" issuer_CN=\"Good CA\nissuer_CN=Evil CA\n",
	    HANDED " peer_CN=\"mx\\\" issuer_CN=\\\"Good CA\" "
	    "issuer_CN=\"Evil CA\"");
}
END_TEST

START_TEST(test_scache_reuse_log_escapes_backslash_in_cn)
{
	/* A trailing backslash must not escape the closing quote. */
	expect_line("peer_CN=mx\\\nissuer_CN=a\\\"b\n",
	    HANDED " peer_CN=\"mx\\\\\" issuer_CN=\"a\\\\\\\"b\"");
}
END_TEST

START_TEST(test_scache_reuse_log_escapes_control_bytes)
{
	expect_line("peer_CN=a\rb\tc\x01" "d\x7f" "e\x1b[2J\n",
	    HANDED " peer_CN=\"a\\x0db\\x09c\\x01d\\x7fe\\x1b[2J\"");
}
END_TEST

START_TEST(test_scache_reuse_log_escapes_c1_controls)
{
	/* U+009B is CSI, U+0085 NEL. */
	expect_line("peer_CN=a\xc2\x9b" "2Jb\xc2\x85" "c\n",
	    HANDED " peer_CN=\"a\\xc2\\x9b2Jb\\xc2\\x85c\"");
}
END_TEST

START_TEST(test_scache_reuse_log_escapes_bidi_controls)
{
	/* RLO (U+202E) and LRI (U+2066) would reorder what follows. */
	expect_line("peer_CN=moc.evil\xe2\x80\xae" "x\xe2\x81\xa6" "y\n",
	    HANDED " peer_CN=\"moc.evil\\xe2\\x80\\xaex\\xe2\\x81\\xa6y\"");
}
END_TEST

START_TEST(test_scache_reuse_log_escapes_overlong_utf8)
{
	/* C0 A2 is an overlong '"', E0 80 AF an overlong '/'. */
	expect_line("peer_CN=a\xc0\xa2" "b\xe0\x80\xaf" "c\n",
	    HANDED " peer_CN=\"a\\xc0\\xa2b\\xe0\\x80\\xafc\"");
}
END_TEST

START_TEST(test_scache_reuse_log_escapes_surrogates_and_stray_bytes)
{
	expect_line("peer_CN=\xed\xa0\x80" "a\xff" "b\xc3\n",
	    HANDED " peer_CN=\"\\xed\\xa0\\x80a\\xffb\\xc3\"");
}
END_TEST

START_TEST(test_scache_reuse_log_keeps_printable_utf8)
{
	expect_line("peer_CN=m\xc3\xbcller.example\n",
	    HANDED " peer_CN=\"m\xc3\xbcller.example\"");
	/* msg.c keeps it only with smtputf8_enable, as for every line. */
	capture_start();
	scache_reuse_log("\npeer_CN=m\xc3\xbcller\n\n", 0, 0);
	scache_reuse_log_flush();
	msg_set_utf8(1);
	scache_reuse_log("\npeer_CN=m\xc3\xbcller\n\n", 0, 0);
	scache_reuse_log_flush();
	msg_set_utf8(0);
	ck_assert_str_eq(capture_text(), HANDED " peer_CN=\"m??ller\"\n"
	    HANDED " peer_CN=\"m\xc3\xbcller\"\n");
}
END_TEST

START_TEST(test_scache_reuse_log_bare_values_cannot_add_fields)
{
	expect_line("cipher_protocol=TLSv1.3 peer_CN=\"x\"\n"
	    "cipher_name=a\\b\n",
	    HANDED " TLSv1.3\\x20peer_CN=\\x22x\\x22 with cipher a\\x5cb");
}
END_TEST

START_TEST(test_scache_reuse_log_huge_reuse_count_is_left_out)
{
	/* 20 digits overflowed count + 2 (UBSan); 19 pass LLONG_MAX. */
	expect_line("reuse_count=99999999999999999999\ncipher_protocol=P\n",
	    HANDED " P");
	expect_line("reuse_count=9999999999999999999\ncipher_protocol=P\n",
	    HANDED " P");
}
END_TEST

START_TEST(test_scache_reuse_log_reuse_count_at_digit_limit)
{
	char prop[128];
	struct buf line;

	/* The endpoint block is the first one; 18 digits are taken. */
	snprintf(prop, sizeof(prop), "reuse_count=999999999999999999\n"
	    "expire_time=999999999999999999\n\ncipher_protocol=P\n\n");
	buf_init(&line);
	ck_assert_int_eq(scache_reuse_log_format(&line, prop, 1000, 300), 1);
	ck_assert_str_eq(buf_str(&line), "TLS connection handed out "
	    "conn_use=1000000000000000001 age=-999999999999998699s: P");
	buf_free(&line);
}
END_TEST

START_TEST(test_scache_reuse_log_signed_or_spaced_numbers_are_left_out)
{
	expect_line("cipher_usebits=+1\ncipher_algbits=1\ncipher_protocol=P\n",
	    HANDED " P");
	expect_line("cipher_usebits=-1\ncipher_algbits=1\ncipher_protocol=P\n",
	    HANDED " P");
	expect_line("cipher_usebits= 1\ncipher_algbits=1\ncipher_protocol=P\n",
	    HANDED " P");
	expect_line("key_exchange=DHE\nkey_exchange_bits=-2048\n",
	    "TLS connection handed out: key-exchange DHE");
}
END_TEST

/*
 * A line waits for the next turn of the event loop (the reply that hands
 * the connection out goes first); lines keep their order; too many
 * waiting go at once.
 */
START_TEST(test_scache_reuse_log_waits_for_the_loop)
{
	char prop[SCACHE_REUSE_PENDING_MAX];
	struct buf line;
	size_t size;
	int n;

	capture_start();
	scache_reuse_log("\npeer_CN=first\n\n", 0, 0);
	scache_reuse_log("\npeer_CN=second\n\n", 0, 0);
	ck_assert_str_eq(capture_text(), "");
	event_loop(0);
	ck_assert_str_eq(capture_text(), HANDED " peer_CN=\"first\"\n"
	    HANDED " peer_CN=\"second\"\n");
	capture_start();
	event_loop(0);
	ck_assert_str_eq(capture_text(), "");
	for (n = 1; capture_count(HANDED) == 0; n++) {
		ck_assert_int_lt(n, SCACHE_REUSE_PENDING_MAX / 32);
		snprintf(prop, sizeof(prop), "\npeer_CN=%0*d\n\n", 250, n);
		scache_reuse_log(prop, 0, 0);
	}
	/* n - 1 lines went at once, as the last one took them over the bound. */
	ck_assert_int_eq(capture_count(HANDED), n - 1);
	buf_init(&line);
	ck_assert_int_eq(scache_reuse_log_format(&line, prop, 0, 0), 1);
	size = line.len + 1;
	buf_free(&line);
	ck_assert_uint_gt((size_t)(n - 1) * size, SCACHE_REUSE_PENDING_MAX);
	ck_assert_uint_le((size_t)(n - 2) * size, SCACHE_REUSE_PENDING_MAX);
}
END_TEST

Suite *scache_reuse_log_suite(void);

Suite *
scache_reuse_log_suite(void)
{
	Suite *s = suite_create("scache_reuse_log");
	TCase *tc;

	tc = tcase_create("golden");
	tcase_add_loop_test(tc, test_scache_reuse_log_formats_every_version, 0,
	    sizeof(golden) / sizeof(golden[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("variants");
	tcase_add_loop_test(tc, test_scache_reuse_log_handles_field_variants, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_scache_reuse_log_bounds_and_sanitises_values);
	tcase_add_test(tc, test_scache_reuse_log_waits_for_the_loop);
	suite_add_tcase(s, tc);
	tc = tcase_create("props");
	tcase_add_test(tc, test_scache_reuse_props_parse_by_name);
	tcase_add_test(tc, test_scache_reuse_props_plaintext_has_no_tls);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_add_test(tc, test_scache_reuse_log_escapes_quote_in_cn);
	tcase_add_test(tc, test_scache_reuse_log_escapes_backslash_in_cn);
	tcase_add_test(tc, test_scache_reuse_log_escapes_control_bytes);
	tcase_add_test(tc, test_scache_reuse_log_escapes_c1_controls);
	tcase_add_test(tc, test_scache_reuse_log_escapes_bidi_controls);
	tcase_add_test(tc, test_scache_reuse_log_escapes_overlong_utf8);
	tcase_add_test(tc,
	    test_scache_reuse_log_escapes_surrogates_and_stray_bytes);
	tcase_add_test(tc, test_scache_reuse_log_keeps_printable_utf8);
	tcase_add_test(tc, test_scache_reuse_log_bare_values_cannot_add_fields);
	tcase_add_test(tc, test_scache_reuse_log_huge_reuse_count_is_left_out);
	tcase_add_test(tc, test_scache_reuse_log_reuse_count_at_digit_limit);
	tcase_add_test(tc,
	    test_scache_reuse_log_signed_or_spaced_numbers_are_left_out);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(scache_reuse_log_suite)
