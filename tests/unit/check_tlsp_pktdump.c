/*
 * check_tlsp_pktdump.c - TLS record dumps at log levels 3 and 4
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_pktdump.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"

Suite *tlsp_pktdump_suite(void);

START_TEST(rows_and_trailing_fill_as_postfix)
{
	static const unsigned char data[] = "ABCDEFGHIJKLMNOPQRS\001  ";

	capture_start();
	tlsp_pktdump_buffer(data, sizeof(data));
	ck_assert_str_eq(
	    capture_text(),
	    "0000 41 42 43 44 45 46 47 48|49 4a 4b 4c 4d 4e 4f 50  "
	    "ABCDEFGH IJKLMNOP\n"
	    "0010 51 52 53 01                                      QRS.\n"
	    "0014 - <SPACES/NULLS>\n");
}
END_TEST

START_TEST(exact_row_and_all_fill)
{
	static const unsigned char row[16] = "0123456789abcdef";
	static const unsigned char fill[3] = {' ', 0, ' '};

	capture_start();
	tlsp_pktdump_buffer(row, sizeof(row));
	tlsp_pktdump_buffer(fill, sizeof(fill));
	tlsp_pktdump_buffer(fill, 0);
	ck_assert_str_eq(
	    capture_text(),
	    "0000 30 31 32 33 34 35 36 37|38 39 61 62 63 64 65 66  "
	    "01234567 89abcdef\n"
	    "0000 - <SPACES/NULLS>\n");
}
END_TEST

static struct tlsp_tls_init init;
static struct tlsp_client_start start;
static struct tlsp_hs_server srv;
static struct tlsp_tls_result res;

static int
handshake_at(const char *level)
{
	tlsp_hs_init_props(&init);
	tlsp_hs_params = tlsp_hs_defaults;
	tlsp_hs_start_props(&start, 1);
	memset(&srv, 0, sizeof(srv));
	srv.cert = TLSP_PKI_EC_GOOD;
	init.log_level = level;
	capture_start();
	return tlsp_hs_run(&init, &start, &srv, &res);
}

START_TEST(level_3_dumps_the_handshake_only)
{
	const char *text;

	ck_assert_int_eq(handshake_at("3"), 1);
	text = capture_text();
	ck_assert_int_ge(capture_count("write to "), 1);
	ck_assert_int_ge(capture_count("read from "), 1);
	/* Nothing is dumped after the summary (the post-handshake read). */
	ck_assert_ptr_null(
	    strstr(strstr(text, "TLS connection established"), "read from "));
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(level_4_keeps_dumping_after_the_handshake)
{
	ck_assert_int_eq(handshake_at("ssl-developer"), 1);
	ck_assert_ptr_nonnull(
	    strstr(strstr(capture_text(), "TLS connection established"),
	           "read from "));
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(level_2_dumps_nothing)
{
	ck_assert_int_eq(handshake_at("2"), 1);
	ck_assert_int_eq(capture_count("write to "), 0);
	ck_assert_int_eq(capture_count("read from "), 0);
	tlsp_tls_result_free(&res);
}
END_TEST

Suite *
tlsp_pktdump_suite(void)
{
	Suite *s = suite_create("tlsp_pktdump");
	TCase *fmt = tcase_create("format");
	TCase *hs = tcase_create("handshake");

	tcase_add_test(fmt, rows_and_trailing_fill_as_postfix);
	tcase_add_test(fmt, exact_row_and_all_fill);
	suite_add_tcase(s, fmt);
	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_set_timeout(hs, 30);
	tcase_add_test(hs, level_3_dumps_the_handshake_only);
	tcase_add_test(hs, level_4_keeps_dumping_after_the_handshake);
	tcase_add_test(hs, level_2_dumps_nothing);
	suite_add_tcase(s, hs);
	return s;
}

RUNNER_SUITE(tlsp_pktdump_suite)
