/*
 * check_tr_cache_out.c - tests for tlsreuse/tr_cache_out.c
 *
 * A listing built by hand: two connections of one endpoint, one of
 * another, bindings in an order that is not the sessions', one binding
 * whose endpoint holds nothing, a plaintext connection, and a peer name
 * that tries to drive the terminal.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_cache.h"
#include "tr_cache_out.h"
#include "runner.h"

/* The listing's strings are the reader's (writable) copies. */
static char ep_a[] = "smtp\nA\n25\n", ep_b[] = "smtp\nB\n25\n";
static char ep_z[] = "smtp\nZ\n25\n";
static char d1[] = "smtp\nd1\n", d2[] = "smtp\nd2\n", d3[] = "smtp\nd3\n";
static char d4[] = "smtp\nd4\n";
static char verified[] = "Verified", server[] = "a[10.0.0.1]:25";
static char proto[] = "TLSv1.3", cipher[] = "TLS_AES_256_GCM_SHA384";
static char bits[] = "256/256", cn[] = "mx\x1b[2J", issuer[] = "CA";
static char version[] = "9.9";

static struct tr_cache_session sessions[] = {
	{ep_a, 1500, 500, 3, 9, verified, server, proto, cipher, bits, cn,
	 issuer},
	{ep_b, 10, 1990, 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{ep_a, 7, 1993, -1, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static struct tr_cache_binding bindings[] = {
	{d2, ep_a, 100},
	{d3, ep_z, 200},
	{d1, ep_b, 300},
	{d4, ep_a, 400},
};

static struct tr_cache_listing
listing(void)
{
	struct tr_cache_listing l = {0};

	l.version = version;
	l.pid = 7;
	l.sessions_now = 3;
	l.bindings_now = 4;
	l.nsessions = 3;
	l.session = sessions;
	l.nbindings = 4;
	l.binding = bindings;
	return l;
}

static char *
render(int json)
{
	struct tr_cache_listing l = listing();
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (json)
		tr_cache_out_json(&l, out);
	else
		tr_cache_out_text(&l, out);
	fclose(out);
	return text;
}

START_TEST(test_tr_cache_out_json_pairs_destinations)
{
	char *text = render(1);
	char *line[8];
	int n = 0;

	for (line[n] = strtok(text, "\n"); line[n] && n < 7;)
		line[++n] = strtok(NULL, "\n");
	ck_assert_int_eq(n, 5);
	ck_assert_ptr_nonnull(strstr(line[0], "\"type\":\"scache\""));
	ck_assert_str_eq(line[1], "{\"type\":\"connection\","
	    "\"endpoint\":[\"smtp\",\"A\",\"25\"],"
	    "\"destinations\":[[\"smtp\",\"d2\"],[\"smtp\",\"d4\"]],"
	    "\"cached\":1.500,\"time_left\":0.500,\"conn_use\":3,\"age\":9,"
	    "\"tls\":true,\"trust\":\"Verified\",\"server\":\"a[10.0.0.1]:25\","
	    "\"protocol\":\"TLSv1.3\",\"cipher\":\"TLS_AES_256_GCM_SHA384\","
	    "\"cipher_bits\":\"256/256\",\"peer_CN\":\"mx\\u001b[2J\","
	    "\"issuer_CN\":\"CA\"}");
	ck_assert_str_eq(line[2], "{\"type\":\"connection\","
	    "\"endpoint\":[\"smtp\",\"B\",\"25\"],"
	    "\"destinations\":[[\"smtp\",\"d1\"]],"
	    "\"cached\":0.010,\"time_left\":1.990,\"conn_use\":1,\"age\":0,"
	    "\"tls\":false}");
	/* Not stored: no conn_use, no age. */
	ck_assert_ptr_null(strstr(line[3], "conn_use"));
	ck_assert_str_eq(line[4], "{\"type\":\"binding\","
	    "\"destination\":[\"smtp\",\"d3\"],\"endpoint\":[\"smtp\",\"Z\","
	    "\"25\"],\"time_left\":0.200}");
	free(text);
}
END_TEST

START_TEST(test_tr_cache_out_text_is_safe_and_paired)
{
	char *text = render(0);

	ck_assert_ptr_nonnull(strstr(text, "\nconnection smtp A 25\n"
	    "  destination   smtp d2\n  destination   smtp d4\n"
	    "  server        a[10.0.0.1]:25\n"
	    "  TLS           Verified TLSv1.3 with cipher "
	    "TLS_AES_256_GCM_SHA384 (256/256 bits)\n"
	    "  peer_CN       mx?[2J\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nconnection smtp B 25\n"
	    "  destination   smtp d1\n  TLS           none (plaintext)\n"
	    "  conn_use      1\n  age           0s\n"
	    "  in the cache  0.0s, 1.9s left\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nbinding smtp d3 -> smtp Z 25 "
	    "(no cached connection), 0.2s left\n"));
	ck_assert_ptr_null(strchr(text, '\x1b'));
	free(text);
}
END_TEST

Suite *tr_cache_out_suite(void);

Suite *
tr_cache_out_suite(void)
{
	Suite *s = suite_create("tr_cache_out");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, test_tr_cache_out_json_pairs_destinations);
	tcase_add_test(tc, test_tr_cache_out_text_is_safe_and_paired);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_cache_out_suite)
