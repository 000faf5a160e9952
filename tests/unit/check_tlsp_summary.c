/*
 * check_tlsp_summary.c - the "... TLS connection established ..." line
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <string.h>

#include "buf.h"
#include "runner.h"
#include "tls/tlsp_result.h"
#include "tls/tlsp_summary.h"

Suite *tlsp_summary_suite(void);

static struct tlsp_tls_result res;
static struct buf line;

static void
setup(void)
{
	tlsp_result_init(&res);
	res.peer_status = 29;
	tlsp_result_set(&res.namaddr, "127.0.0.1[127.0.0.1]:27176");
	tlsp_result_set(&res.cipher_protocol, "TLSv1.3");
	tlsp_result_set(&res.cipher_name, "TLS_AES_256_GCM_SHA384");
	res.cipher_usebits = 256;
	res.cipher_algbits = 256;
	tlsp_result_set(&res.key_exchange, "X25519");
	tlsp_result_set(&res.srvr_signature, "ECDSA");
	tlsp_result_set(&res.srvr_signature_curve, "prime256v1");
	tlsp_result_set(&res.srvr_signature_digest, "SHA256");
	buf_init(&line);
}

static void
teardown(void)
{
	buf_free(&line);
	tlsp_tls_result_free(&res);
}

#define GOLDEN_HEAD                                                            \
	"127.0.0.1[127.0.0.1]:27176: TLSv1.3 with cipher "                     \
	"TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 "           \
	"server-signature ECDSA (prime256v1)"

START_TEST(golden_full_handshake_line)
{
	tlsp_summary_format(&line, &res, 0, "to", 0);
	ck_assert_str_eq(buf_str(&line),
	                 "Verified TLS connection established "
	                 "to " GOLDEN_HEAD " server-digest SHA256");
}
END_TEST

START_TEST(golden_resumed_line_has_no_digest)
{
	tlsp_result_set(&res.srvr_signature_digest, "");
	tlsp_summary_format(&line, &res, 1, "to", 0);
	ck_assert_str_eq(buf_str(&line),
	                 "Verified TLS connection reused to " GOLDEN_HEAD);
}
END_TEST

START_TEST(status_word_follows_bits)
{
	static const struct {
		int status;
		const char *word;
	} cases[] = {
	    {0, "Anonymous "}, {16, "Anonymous "}, {1, "Untrusted "},
	    {5, "Trusted "},   {13, "Trusted "},   {29, "Verified "},
	    {17, "Verified "},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&line);
		res.peer_status = cases[i].status;
		tlsp_summary_format(&line, &res, 0, "to", 0);
		ck_assert_msg(strncmp(buf_str(&line), cases[i].word,
		                      strlen(cases[i].word)) == 0,
		              "%d: %s", cases[i].status, buf_str(&line));
	}
}
END_TEST

START_TEST(bits_show_when_no_curve)
{
	tlsp_result_set(&res.key_exchange, "DHE");
	res.key_exchange_bits = 2048;
	tlsp_result_set(&res.srvr_signature, "RSA-PSS");
	tlsp_result_set(&res.srvr_signature_curve, "");
	res.srvr_signature_bits = 4096;
	tlsp_result_set(&res.clnt_signature, "ED25519");
	res.clnt_signature_bits = 0;
	tlsp_summary_format(&line, &res, 0, "to", 0);
	ck_assert_str_eq(
	    buf_str(&line),
	    "Verified TLS connection established "
	    "to 127.0.0.1[127.0.0.1]:27176: TLSv1.3 with cipher "
	    "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange DHE (2048 "
	    "bits) "
	    "server-signature RSA-PSS (4096 bits) server-digest SHA256 "
	    "client-signature ED25519");
}
END_TEST

START_TEST(tls12_line_ends_after_cipher_and_server_sni_shows)
{
	tlsp_result_set(&res.cipher_protocol, "TLSv1.2");
	tlsp_result_set(&res.cipher_name, "ECDHE-RSA-AES256-GCM-SHA384");
	tlsp_result_set(&res.key_exchange, 0);
	tlsp_result_set(&res.srvr_signature, 0);
	res.peer_status = 0;
	tlsp_result_set(&res.namaddr, "[192.0.2.1]:25");
	tlsp_summary_format(&line, &res, 0, "from", "mx.example");
	ck_assert_str_eq(
	    buf_str(&line),
	    "Anonymous TLS connection established "
	    "from [192.0.2.1]:25 to mx.example: TLSv1.2 with cipher "
	    "ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)");
}
END_TEST

Suite *
tlsp_summary_suite(void)
{
	Suite *s = suite_create("tlsp_summary");
	TCase *tc = tcase_create("format");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, golden_full_handshake_line);
	tcase_add_test(tc, golden_resumed_line_has_no_digest);
	tcase_add_test(tc, status_word_follows_bits);
	tcase_add_test(tc, bits_show_when_no_curve);
	tcase_add_test(tc, tls12_line_ends_after_cipher_and_server_sni_shows);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_summary_suite)
