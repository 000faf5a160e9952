/*
 * check_tlsp_protocols.c - Postfix TLS protocol lists
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>

#include <openssl/ssl.h>

#include "runner.h"
#include "tls/tlsp_protocols.h"

Suite *tlsp_protocols_suite(void);

#define ALL TLSP_PROTOCOL_KNOWN
#define V2 TLSP_PROTOCOL_SSLv2
#define V3 TLSP_PROTOCOL_SSLv3
#define T10 TLSP_PROTOCOL_TLSv1
#define T11 TLSP_PROTOCOL_TLSv1_1
#define T12 TLSP_PROTOCOL_TLSv1_2
#define T13 TLSP_PROTOCOL_TLSv1_3

struct proto_case {
	const char *plist;
	int ret;
	int exclude;
	int floor;
	int ceiling;
};

static const struct proto_case cases[] = {
    {"", 0, 0, 0, 0},
    {">=TLSv1", 0, 0, TLS1_VERSION, 0},
    {">=tlsv1.2", 0, 0, TLS1_2_VERSION, 0},
    {"<=TLSv1.2", 0, 0, 0, TLS1_2_VERSION},
    {">=TLSv1.2 <=TLSv1.3", 0, 0, TLS1_2_VERSION, TLS1_3_VERSION},
    {">=0x0303", 0, 0, 0x0303, 0},
    {">=303", 0, 0, 0x0303, 0},
    {">=None <=none", 0, 0, 0, 0},
    {">=", 0, 0, 0, 0},
    {">=SSLv3", 0, 0, SSL3_VERSION, 0},
    {"!SSLv2, !SSLv3", 0, V2 | V3, 0, 0},
    {"!SSLv2:!SSLv3\t!TLSv1\r\n!TLSv1.1", 0, V2 | V3 | T10 | T11, 0, 0},
    {"TLSv1.2 TLSv1.3", 0, ALL & ~(T12 | T13), 0, 0},
    {"TLSv1.2 !TLSv1.2", 0, ALL, 0, 0},
    {">=TLSv1.2 !TLSv1.3", 0, T13, TLS1_2_VERSION, 0},
    {"tlsv1.3", 0, ALL & ~T13, 0, 0},
    {"SSLv2", 0, ALL & ~V2, 0, 0},
    {">=SSLv2", -1, 0, 0, 0},
    {"TLSv1.4", -1, 0, 0, 0},
    {"!", -1, 0, 0, 0},
    {"!!TLSv1", -1, 0, 0, 0},
    {">=0xzz", -1, 0, 0, 0},
    {">=0x80000000", -1, 0, 0, 0},
    {">=0x7fffffff", 0, 0, 0x7fffffff, 0},
    {"TLSv1 bogus", -1, 0, 0, 0},
    {"0x0303", -1, 0, 0, 0},
};

START_TEST(protocol_lists_parse_as_postfix)
{
	const struct proto_case *c = &cases[_i];
	struct tlsp_protocols p;
	int ret = tlsp_protocols_parse(c->plist, &p);

	ck_assert_msg(ret == c->ret, "\"%s\": ret %d", c->plist, ret);
	if (ret < 0)
		return;
	ck_assert_msg(p.exclude == c->exclude, "\"%s\": exclude 0x%x", c->plist,
	              p.exclude);
	ck_assert_int_eq(p.floor, c->floor);
	ck_assert_int_eq(p.ceiling, c->ceiling);
}
END_TEST

START_TEST(null_list_is_empty)
{
	struct tlsp_protocols p;

	ck_assert_int_eq(tlsp_protocols_parse(0, &p), 0);
	ck_assert_int_eq(p.exclude, 0);
}
END_TEST

START_TEST(exclusions_map_to_ssl_options)
{
	ck_assert_int_eq(tlsp_protocols_ssl_options(0), 0);
	ck_assert(tlsp_protocols_ssl_options(T13) == (long)SSL_OP_NO_TLSv1_3);
	ck_assert(tlsp_protocols_ssl_options(ALL) ==
	          (long)(SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
	                 SSL_OP_NO_TLSv1_2 | SSL_OP_NO_TLSv1_3));
}
END_TEST

Suite *
tlsp_protocols_suite(void)
{
	Suite *s = suite_create("tlsp_protocols");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, protocol_lists_parse_as_postfix, 0,
	                    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, null_list_is_empty);
	tcase_add_test(tc, exclusions_map_to_ssl_options);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_protocols_suite)
