/*
 * check_tlsp_policy.c - tlsproxy client TLS engine: real handshakes
 *
 * Each test runs a full handshake between the engine (tlsp_ctx,
 * tlsp_policy, tlsp_eval) and an in-process OpenSSL server presenting a
 * certificate from a throwaway PKI, then checks the TLS_SESS_STATE values
 * smtp(8) would receive: peer_status bits, level, names, fingerprints.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "capture.h"
#include "runner.h"
#include "client_role/tlsp_client.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"

Suite *tlsp_policy_suite(void);

#define ST_VERIFIED                                                            \
	(TLSP_PEER_PRESENT | TLSP_PEER_TRUSTED | TLSP_PEER_MATCHED |           \
	 TLSP_PEER_SECURED)
#define ST_TRUSTED (TLSP_PEER_PRESENT | TLSP_PEER_TRUSTED)

static struct tlsp_tls_init init;
static struct tlsp_client_start start;
static struct tlsp_hs_server srv;
static struct tlsp_tls_result res;
static struct tlsp_tlsa tlsa[4];
static unsigned char tlsa_data[4][EVP_MAX_MD_SIZE];

/* True when exactly this line was logged. */
static int
logged(const char *line)
{
	const char *text = capture_text();
	const char *hit;
	size_t len = strlen(line);

	for (hit = text; (hit = strstr(hit, line)) != 0; hit++)
		if ((hit == text || hit[-1] == '\n') && hit[len] == '\n')
			return 1;
	return 0;
}

static void
setup(void)
{
	tlsp_hs_init_props(&init);
	tlsp_hs_params = tlsp_hs_defaults;
	memset(&srv, 0, sizeof(srv));
	srv.cert = TLSP_PKI_EC_GOOD;
	memset(&res, 0, sizeof(res));
	capture_start();
}

static void
teardown(void)
{
	tlsp_tls_result_free(&res);
}

/* Runs level with the given match list against cert; expects success. */
static void
run(int level, enum tlsp_pki_which cert, const char *const *match, size_t count)
{
	ck_assert_int_eq(start.tls_level, level);
	start.match = match;
	start.match_count = count;
	srv.cert = cert;
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 1);
}

/* TLSA record i: usage/selector/mtype over cert (or its SPKI) with md. */
static void
set_tlsa(size_t i, int usage, int selector, int mtype, X509 *cert,
         const EVP_MD *md)
{
	unsigned int len = 0;

	unsigned char *spki = 0;
	int spki_len;

	if (selector == 0) {
		ck_assert(X509_digest(cert, md, tlsa_data[i], &len));
	} else {
		spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
		ck_assert(EVP_Digest(spki, (size_t)spki_len, tlsa_data[i], &len,
		                     md, 0));
		OPENSSL_free(spki);
	}
	tlsa[i].usage = (unsigned char)usage;
	tlsa[i].selector = (unsigned char)selector;
	tlsa[i].mtype = (unsigned char)mtype;
	tlsa[i].data = tlsa_data[i];
	tlsa[i].len = len;
}

static void
use_tlsa(size_t count, const char *domain)
{
	start.dane = 1;
	start.dane_domain = domain;
	start.tlsa = tlsa;
	start.tlsa_count = count;
}

static const char *const secure_match[] = {"nexthop", "dot-nexthop"};
static const char *const verify_match[] = {"hostname"};

START_TEST(forced_failure_type_is_never_verified)
{
	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	start.forced_failure_type = "sts-policy-invalid";
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, secure_match, 2);
	/* The certificate would verify (secure_right_name_is_verified_29). */
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(res.level, TLSP_LEV_SECURE);
	ck_assert(logged("certificate verification failed for "
	                 "mx.example.com[127.0.0.1]:25: external policy "
	                 "failure (sts-policy-invalid)"));
}
END_TEST

START_TEST(empty_forced_failure_type_is_none)
{
	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	start.forced_failure_type = "";
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, secure_match, 2);
	ck_assert_int_eq(res.peer_status, 29);
}
END_TEST

START_TEST(secure_right_name_is_verified_29)
{
	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	init.log_level = "2";
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, secure_match, 2);
	ck_assert(logged("setting up TLS connection to "
	                 "MX.Example.com[127.0.0.1]:25"));
	ck_assert(logged("MX.Example.com[127.0.0.1]:25: TLS cipher list "
	                 "\"aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH\""));
	ck_assert(logged("mx.example.com[127.0.0.1]:25: depth=1 verify=1 "
	                 "subject=/O=tlsreuse tests/CN=Test Root CA"));
	ck_assert(logged("mx.example.com[127.0.0.1]:25: depth=0 verify=1 "
	                 "subject=/O=tlsreuse tests/CN=mx.example.com"));
	ck_assert(logged("mx.example.com[127.0.0.1]:25: matched peername: "
	                 "mx.example.com"));
	ck_assert_int_eq(
	    capture_count("MX.Example.com[127.0.0.1]:25: "
	                  "subject_CN=mx.example.com, issuer_CN=Test Root CA, "
	                  "fingerprint="),
	    1);
	ck_assert(logged("SSL_connect:SSLv3/TLS write client hello"));
	ck_assert_int_eq(capture_count("Matched"), 0);
	ck_assert_int_eq(res.peer_status, 29);
	ck_assert_int_eq(res.level, TLSP_LEV_SECURE);
	ck_assert_str_eq(res.peer_CN, "mx.example.com");
	ck_assert_str_eq(res.issuer_CN, "Test Root CA");
	ck_assert_str_eq(res.namaddr, "mx.example.com[127.0.0.1]:25");
}
END_TEST

START_TEST(fingerprints_match_openssl_cli_sha256)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(
	    res.peer_fingerprint,
	    tlsp_pki_openssl_fprint(TLSP_PKI_EC_GOOD, "sha256", 0));
	ck_assert_str_eq(
	    res.peer_pubkey_fingerprint,
	    tlsp_pki_openssl_fprint(TLSP_PKI_EC_GOOD, "sha256", 1));
}
END_TEST

START_TEST(fingerprints_use_start_mdalg_md5)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.mdalg = "md5";
	run(TLSP_LEV_MAY, TLSP_PKI_RSA_GOOD, 0, 0);
	ck_assert_str_eq(res.peer_fingerprint,
	                 tlsp_pki_openssl_fprint(TLSP_PKI_RSA_GOOD, "md5", 0));
	ck_assert_str_eq(res.peer_pubkey_fingerprint,
	                 tlsp_pki_openssl_fprint(TLSP_PKI_RSA_GOOD, "md5", 1));
	ck_assert_uint_eq(strlen(res.peer_fingerprint), 16 * 3 - 1);
}
END_TEST

START_TEST(secure_wrong_name_is_neither_matched_nor_trusted)
{
	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_WRONG, secure_match, 2);
	/* The name check is part of verification: not TRUSTED either. */
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_str_eq(res.peer_CN, "other.example.net");
	ck_assert_int_eq(
	    capture_count(
	        "server certificate "
	        "verification failed for mx.example.com[127.0.0.1]:25: "
	        "num=62:hostname mismatch"),
	    1);
}
END_TEST

START_TEST(verify_untrusted_ca_is_not_trusted)
{
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_OTHERCA, verify_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_str_eq(res.issuer_CN, "Other Root CA");
	ck_assert_int_eq(
	    capture_count(
	        "certificate verification "
	        "failed for mx.example.com[127.0.0.1]:25: untrusted issuer "
	        "/O=tlsreuse tests/CN=Other Root CA"),
	    1);
}
END_TEST

START_TEST(verify_expired_is_not_trusted)
{
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_EXPIRED, verify_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(
	    capture_count(
	        "server certificate "
	        "verification failed for mx.example.com[127.0.0.1]:25: "
	        "certificate has expired"),
	    1);
}
END_TEST

START_TEST(may_untrusted_is_present_only_and_not_logged)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_EC_OTHERCA, 0, 0);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(res.level, TLSP_LEV_MAY);
	ck_assert_int_eq(capture_count("verification failed"), 0);
}
END_TEST

START_TEST(encrypt_wrong_name_is_trusted_without_match)
{
	tlsp_hs_start_props(&start, TLSP_LEV_ENCRYPT);
	run(TLSP_LEV_ENCRYPT, TLSP_PKI_EC_WRONG, 0, 0);
	ck_assert_int_eq(res.peer_status, ST_TRUSTED);
	ck_assert_int_eq(res.level, TLSP_LEV_ENCRYPT);
}
END_TEST

START_TEST(verify_hostname_matches)
{
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	run(TLSP_LEV_VERIFY, TLSP_PKI_RSA_GOOD, verify_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert_int_eq(res.level, TLSP_LEV_VERIFY);
}
END_TEST

START_TEST(verify_nexthop_matches_only_exact_name)
{
	static const char *const nexthop[] = {"NEXTHOP"};

	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	start.nexthop = "mx.example.com";
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_GOOD, nexthop, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	tlsp_tls_result_free(&res);
	start.nexthop = "example.com";
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_GOOD, nexthop, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(secure_dot_nexthop_matches_subdomain)
{
	static const char *const dot[] = {"dot-nexthop"};

	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, dot, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
}
END_TEST

START_TEST(literal_dot_domain_matches_subdomain)
{
	static const char *const dot[] = {".example.com"};

	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, dot, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
}
END_TEST

START_TEST(wildcard_matches_one_label_only)
{
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	start.host = "a.example.org";
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_WILD, verify_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert_str_eq(res.peer_CN, "*.example.org");
	tlsp_tls_result_free(&res);
	start.host = "a.b.example.org";
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_WILD, verify_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	tlsp_tls_result_free(&res);
	start.host = "example.org";
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_WILD, verify_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(no_usable_match_name_fails_matching)
{
	static const char *const dot[] = {"."};

	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, dot, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(capture_count("warning: mx.example.com[127.0.0.1]:25: "
	                               "ignoring invalid match name: \".\""),
	                 1);
	ck_assert_int_eq(capture_count("warning: mx.example.com[127.0.0.1]:25: "
	                               "could not configure peer name checks"),
	                 1);
	ck_assert_int_eq(capture_count("num=1:unspecified certificate "
	                               "verification error"),
	                 1);
}
END_TEST

START_TEST(missing_cn_falls_back_to_matched_dns_id)
{
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_NOCN, verify_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert_str_eq(res.peer_CN, "mx.example.com");
	tlsp_tls_result_free(&res);
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_EC_NOCN, 0, 0);
	ck_assert_str_eq(res.peer_CN, "");
}
END_TEST

/* Fingerprint level: smtp(8) sends 3 0 255 and 3 1 255 per digest. */
static void
fingerprint_records(X509 *cert, int pkey)
{
	set_tlsa(0, 3, pkey, 255, cert, EVP_sha256());
	set_tlsa(1, 3, pkey, 255, cert, EVP_sha256());
	tlsa[0].selector = 0;
	tlsa[1].selector = 1;
	use_tlsa(2, "");
	start.dane = 1;
}

START_TEST(fingerprint_cert_digest_matches)
{
	tlsp_hs_start_props(&start, TLSP_LEV_FPRINT);
	fingerprint_records(tlsp_pki_get(TLSP_PKI_EC_OTHERCA)->cert, 0);
	init.log_level = "peercert";
	run(TLSP_LEV_FPRINT, TLSP_PKI_EC_OTHERCA, 0, 0);
	ck_assert_int_eq(capture_count("mx.example.com[127.0.0.1]:25: Matched "
	                               "fingerprint: "),
	                 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert_int_eq(res.level, TLSP_LEV_FPRINT);
}
END_TEST

START_TEST(fingerprint_pubkey_digest_matches)
{
	tlsp_hs_start_props(&start, TLSP_LEV_FPRINT);
	fingerprint_records(tlsp_pki_get(TLSP_PKI_EC_WRONG)->cert, 1);
	run(TLSP_LEV_FPRINT, TLSP_PKI_EC_WRONG, 0, 0);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
}
END_TEST

START_TEST(fingerprint_mismatch_is_not_matched)
{
	tlsp_hs_start_props(&start, TLSP_LEV_FPRINT);
	fingerprint_records(tlsp_pki_get(TLSP_PKI_EC_WRONG)->cert, 0);
	run(TLSP_LEV_FPRINT, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(fingerprint_255_uses_init_mdalg)
{
	/* 255 means the init mdalg (md5 here), not sha256. */
	tlsp_hs_start_props(&start, TLSP_LEV_FPRINT);
	init.mdalg = "md5";
	fingerprint_records(tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert, 0);
	run(TLSP_LEV_FPRINT, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(capture_count("unusable TLSA RR: 3 0 255 "), 1);
	ck_assert_int_eq(capture_count("all fingerprints unusable"), 1);
	tlsp_tls_result_free(&res);
	set_tlsa(0, 3, 0, 255, tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert, EVP_md5());
	run(TLSP_LEV_FPRINT, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
}
END_TEST

static const char *const dane_match[] = {"mx.example.com"};

START_TEST(dane_ee_3_1_1_matches_any_name_and_issuer)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 3, 1, 1, tlsp_pki_get(TLSP_PKI_EC_OTHERCA)->cert,
	         EVP_sha256());
	use_tlsa(1, "mx.example.com");
	init.CAfile = "";
	init.log_level = "verbose";
	run(TLSP_LEV_DANE, TLSP_PKI_EC_OTHERCA, dane_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert_int_eq(res.level, TLSP_LEV_DANE);
	ck_assert_str_eq(srv.sni, "mx.example.com");
	ck_assert_int_eq(
	    capture_count("mx.example.com[127.0.0.1]:25: Matched "
	                  "DANE EE certificate at depth 0: 3 1 1 "),
	    1);
}
END_TEST

START_TEST(dane_ee_mismatch_is_not_matched)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 3, 1, 1, tlsp_pki_get(TLSP_PKI_EC_WRONG)->cert,
	         EVP_sha256());
	use_tlsa(1, "mx.example.com");
	run(TLSP_LEV_DANE, TLSP_PKI_EC_GOOD, dane_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(
	    capture_count("server certificate verification "
	                  "failed for mx.example.com[127.0.0.1]:25: num="),
	    1);
}
END_TEST

START_TEST(dane_ta_2_0_1_matches_with_name)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 2, 0, 1, tlsp_pki_get(TLSP_PKI_CA)->cert, EVP_sha256());
	use_tlsa(1, "mx.example.com");
	init.CAfile = "";
	init.log_level = "certmatch";
	run(TLSP_LEV_DANE, TLSP_PKI_EC_GOOD, dane_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert_int_eq(
	    capture_count("mx.example.com[127.0.0.1]:25: Matched "
	                  "DANE TA certificate at depth 1: 2 0 1 "),
	    1);
}
END_TEST

START_TEST(dane_ta_with_wrong_name_is_not_matched)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 2, 0, 1, tlsp_pki_get(TLSP_PKI_CA)->cert, EVP_sha256());
	use_tlsa(1, "mx.example.com");
	run(TLSP_LEV_DANE, TLSP_PKI_EC_WRONG, dane_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(dane_ta_mismatch_is_not_matched)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 2, 0, 1, tlsp_pki_get(TLSP_PKI_CA2)->cert, EVP_sha256());
	use_tlsa(1, "mx.example.com");
	run(TLSP_LEV_DANE, TLSP_PKI_EC_GOOD, dane_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(half_dane_is_matched_but_never_secured)
{
	tlsp_hs_start_props(&start, TLSP_LEV_HALF_DANE);
	set_tlsa(0, 3, 1, 1, tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert,
	         EVP_sha256());
	use_tlsa(1, "mx.example.com");
	run(TLSP_LEV_HALF_DANE, TLSP_PKI_EC_GOOD, dane_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT |
	                                      TLSP_PEER_TRUSTED |
	                                      TLSP_PEER_MATCHED);
	ck_assert_int_eq(res.level, TLSP_LEV_HALF_DANE);
}
END_TEST

START_TEST(dane_all_unusable_falls_back_to_encrypt)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 4, 1, 1, tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert,
	         EVP_sha256());
	use_tlsa(1, "mx.example.com");
	run(TLSP_LEV_DANE, TLSP_PKI_EC_GOOD, dane_match, 1);
	ck_assert_int_eq(res.level, TLSP_LEV_ENCRYPT);
	ck_assert_int_eq(res.peer_status, ST_TRUSTED);
	ck_assert_int_eq(capture_count("warning: mx.example.com[127.0.0.1]:25: "
	                               "unusable TLSA RR: 4 1 1 "),
	                 1);
	ck_assert_int_eq(
	    capture_count(
	        "warning: mx.example.com[127.0.0.1]:25: "
	        "all TLSA records unusable, fallback to unauthenticated TLS"),
	    1);
}
END_TEST

START_TEST(dane_only_all_unusable_cannot_match)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE_ONLY);
	set_tlsa(0, 3, 1, 7, tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert,
	         EVP_sha256());
	use_tlsa(1, "mx.example.com");
	run(TLSP_LEV_DANE_ONLY, TLSP_PKI_EC_GOOD, dane_match, 1);
	ck_assert_int_eq(res.level, TLSP_LEV_DANE_ONLY);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(capture_count("all TLSA records unusable"), 1);
}
END_TEST

START_TEST(secure_trust_anchor_records_replace_cafile)
{
	X509 *ca = tlsp_pki_get(TLSP_PKI_CA)->cert;
	unsigned char *der = 0;
	int len = i2d_X509(ca, &der);

	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	tlsa[0] = (struct tlsp_tlsa){2, 0, 0, der, (size_t)len};
	tlsa[1] = (struct tlsp_tlsa){3, 0, 0, der, (size_t)len};
	use_tlsa(2, "");
	init.CAfile = "";
	init.log_level = "2";
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, secure_match, 2);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	ck_assert(logged("mx.example.com[127.0.0.1]:25: Matched trust anchor "
	                 "at depth 1"));
	tlsp_tls_result_free(&res);
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_WRONG, secure_match, 2);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	OPENSSL_free(der);
}
END_TEST

START_TEST(capath_directory_supplies_trust)
{
	char dir[] = "/tmp/tlsp_capath.XXXXXX";
	char path[128];
	X509 *ca = tlsp_pki_get(TLSP_PKI_CA)->cert;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%08lx.0", dir,
	         X509_subject_name_hash(ca));
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	PEM_write_X509(fp, ca);
	fclose(fp);
	init.CAfile = "";
	init.CApath = dir;
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_GOOD, verify_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(default_ca_paths_add_no_trust_for_private_ca)
{
	tlsp_hs_params.tls_append_default_CA = 1;
	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_GOOD, verify_match, 1);
	ck_assert_int_eq(res.peer_status, ST_VERIFIED);
	tlsp_tls_result_free(&res);
	run(TLSP_LEV_VERIFY, TLSP_PKI_EC_OTHERCA, verify_match, 1);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(no_ca_at_all_trusts_nothing)
{
	init.CAfile = "";
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
}
END_TEST

START_TEST(dane_with_empty_base_domain_cannot_send_sni)
{
	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	set_tlsa(0, 3, 1, 1, tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert,
	         EVP_sha256());
	use_tlsa(1, "");
	start.match = dane_match;
	start.match_count = 1;
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert(logged("warning: MX.Example.com[127.0.0.1]:25: error setting "
	                 "SNI hostname to: "));
}
END_TEST

START_TEST(tlsa_data_at_limit_starts_and_one_past_fails)
{
	static unsigned char big[TLSP_TLSA_LEN_MAX + 1];

	tlsp_hs_start_props(&start, TLSP_LEV_DANE);
	tlsa[0] = (struct tlsp_tlsa){3, 0, 0, big, TLSP_TLSA_LEN_MAX};
	use_tlsa(1, "mx.example.com");
	start.match = dane_match;
	start.match_count = 1;
	/* Not a certificate: unusable, so DANE falls back to encrypt. */
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 1);
	ck_assert_int_eq(res.level, TLSP_LEV_ENCRYPT);
	ck_assert_int_eq(res.peer_status, ST_TRUSTED);
	ck_assert(logged(
	    "warning: mx.example.com[127.0.0.1]:25: unusable "
	    "TLSA RR: 3 0 0 "
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "..."
	    "000000000000000000000000000000000000000000000000000000000000000"
	    "0"));
	tlsp_tls_result_free(&res);
	tlsa[0].len = TLSP_TLSA_LEN_MAX + 1;
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert(logged("warning: MX.Example.com[127.0.0.1]:25: bad TLSA "
	                 "record data length: 65536"));
}
END_TEST

START_TEST(tls13_ecdsa_details_match_golden)
{
	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	init.log_level = "1";
	run(TLSP_LEV_SECURE, TLSP_PKI_EC_GOOD, secure_match, 2);
	ck_assert_str_eq(res.cipher_protocol, "TLSv1.3");
	ck_assert_str_eq(res.cipher_name, "TLS_AES_256_GCM_SHA384");
	ck_assert_int_eq(res.cipher_usebits, 256);
	ck_assert_int_eq(res.cipher_algbits, 256);
	ck_assert_str_eq(res.key_exchange, "X25519");
	ck_assert_str_eq(res.key_exchange_curve, "");
	ck_assert_int_eq(res.key_exchange_bits, 0);
	ck_assert_str_eq(res.clnt_signature, "");
	ck_assert_str_eq(res.srvr_signature, "ECDSA");
	ck_assert_str_eq(res.srvr_signature_curve, "prime256v1");
	ck_assert_int_eq(res.srvr_signature_bits, 0);
	ck_assert_str_eq(res.srvr_signature_digest, "SHA256");
	ck_assert(
	    logged("Verified TLS connection established to "
	           "mx.example.com[127.0.0.1]:25: TLSv1.3 with cipher "
	           "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 "
	           "server-signature ECDSA (prime256v1) server-digest SHA256"));
}
END_TEST

START_TEST(tls13_rsa_reports_rsa_pss_bits)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_RSA_GOOD, 0, 0);
	ck_assert_str_eq(res.srvr_signature, "RSA-PSS");
	ck_assert_str_eq(res.srvr_signature_curve, "");
	ck_assert_int_eq(res.srvr_signature_bits, 2048);
	ck_assert_str_eq(res.srvr_signature_digest, "SHA256");
}
END_TEST

START_TEST(client_certificate_reports_client_signature)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	init.cert_file = tlsp_pki_get(TLSP_PKI_EC_CLIENT)->file;
	init.key_file = init.cert_file;
	srv.ask_client_cert = 1;
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(res.clnt_signature, "ECDSA");
	ck_assert_str_eq(res.clnt_signature_curve, "prime256v1");
	ck_assert_str_eq(res.clnt_signature_digest, "SHA256");
}
END_TEST

START_TEST(loaded_client_certificate_unused_is_not_reported)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	init.cert_file = tlsp_pki_get(TLSP_PKI_EC_CLIENT)->file;
	init.key_file = init.cert_file;
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(res.clnt_signature, "");
	ck_assert_str_eq(res.clnt_signature_digest, "");
}
END_TEST

START_TEST(tls12_has_no_tls13_details)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.protocols = "<=TLSv1.2";
	init.log_level = "routine";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(res.cipher_protocol, "TLSv1.2");
	ck_assert_str_eq(res.key_exchange, "");
	ck_assert_str_eq(res.srvr_signature, "");
	ck_assert(logged("Trusted TLS connection established to "
	                 "mx.example.com[127.0.0.1]:25: TLSv1.2 with cipher "
	                 "ECDHE-ECDSA-AES256-GCM-SHA384 (256/256 bits)"));
}
END_TEST

START_TEST(protocol_exclusion_applies_to_session)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.protocols = "!TLSv1.3";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(res.cipher_protocol, "TLSv1.2");
}
END_TEST

START_TEST(unsupported_version_bound_only_warns)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.protocols = ">=0x0999 <=0x0998";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(res.cipher_protocol, "TLSv1.3");
	ck_assert(logged("warning: mx.example.com[127.0.0.1]:25: error "
	                 "setting minimum TLS version to: 0x0999"));
	ck_assert(logged("warning: mx.example.com[127.0.0.1]:25: error "
	                 "setting maximum TLS version to: 0x0998"));
}
END_TEST

START_TEST(cipher_exclusion_applies_to_session)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.protocols = "TLSv1.2";
	start.cipher_exclusions = "AES256, CHACHA20";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(res.cipher_name, "ECDHE-ECDSA-AES128-GCM-SHA256");
}
END_TEST

START_TEST(sni_names_follow_smtp_tls_servername)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(srv.sni, "");
	tlsp_tls_result_free(&res);
	start.sni = "hostname";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(srv.sni, "mx.example.com");
	tlsp_tls_result_free(&res);
	start.sni = "nexthop";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(srv.sni, "example.com");
	tlsp_tls_result_free(&res);
	start.sni = "literal.example";
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	ck_assert_str_eq(srv.sni, "literal.example");
}
END_TEST

START_TEST(sni_at_limit_starts_and_one_past_fails)
{
	char name[300];

	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	memset(name, 'a', sizeof(name));
	name[255] = 0;
	start.sni = name;
	srv.cert = TLSP_PKI_EC_GOOD;
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 1);
	tlsp_tls_result_free(&res);
	name[255] = 'a';
	name[256] = 0;
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert_int_eq(capture_count("warning: MX.Example.com[127.0.0.1]:25: "
	                               "ignoring too long SNI hostname: aaaa"),
	                 1);
}
END_TEST

START_TEST(bad_session_settings_do_not_start)
{
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.protocols = "TLSv1.2 TLSv9";
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert_int_eq(
	    capture_count(
	        "warning: MX.Example.com[127.0.0.1]:25: "
	        "Invalid TLS protocol list \"TLSv1.2 TLSv9\": aborting TLS "
	        "session"),
	    1);
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.cipher_grade = "bogus";
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert_int_eq(capture_count("warning: mx.example.com[127.0.0.1]:25: "
	                               "invalid cipher grade: \"bogus\""),
	                 1);
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.cipher_exclusions = "RC4 +MD5";
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert_int_eq(capture_count("invalid unary '!+-@' in cipher "
	                               "exclusion: +MD5"),
	                 1);
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	start.cipher_exclusions = "ALL";
	ck_assert_int_eq(tlsp_hs_run(&init, &start, &srv, &res), 0);
	ck_assert_int_eq(capture_count("error setting cipher grade: "
	                               "\"medium\""),
	                 1);
}
END_TEST

START_TEST(legacy_pubkey_fingerprint_hashes_bit_string)
{
	const ASN1_BIT_STRING *bits;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len;
	char hex[EVP_MAX_MD_SIZE * 3];
	unsigned int i;

	tlsp_hs_params.tls_legacy_public_key_fingerprints = 1;
	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	run(TLSP_LEV_MAY, TLSP_PKI_EC_GOOD, 0, 0);
	bits = X509_get0_pubkey_bitstr(tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert);
	ck_assert(EVP_Digest(bits->data, (size_t)bits->length, md, &len,
	                     EVP_sha256(), 0));
	for (i = 0; i < len; i++)
		snprintf(hex + 3 * i, 4, "%02X%s", md[i],
		         i + 1 < len ? ":" : "");
	ck_assert_str_eq(res.peer_pubkey_fingerprint, hex);
	ck_assert_str_ne(
	    res.peer_pubkey_fingerprint,
	    tlsp_pki_openssl_fprint(TLSP_PKI_EC_GOOD, "sha256", 1));
}
END_TEST

Suite *
tlsp_policy_suite(void)
{
	Suite *s = suite_create("tlsp_policy");
	TCase *tc = tcase_create("handshake");

	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, secure_right_name_is_verified_29);
	tcase_add_test(tc, forced_failure_type_is_never_verified);
	tcase_add_test(tc, empty_forced_failure_type_is_none);
	tcase_add_test(tc, fingerprints_match_openssl_cli_sha256);
	tcase_add_test(tc, fingerprints_use_start_mdalg_md5);
	tcase_add_test(tc, secure_wrong_name_is_neither_matched_nor_trusted);
	tcase_add_test(tc, verify_untrusted_ca_is_not_trusted);
	tcase_add_test(tc, verify_expired_is_not_trusted);
	tcase_add_test(tc, may_untrusted_is_present_only_and_not_logged);
	tcase_add_test(tc, encrypt_wrong_name_is_trusted_without_match);
	tcase_add_test(tc, verify_hostname_matches);
	tcase_add_test(tc, verify_nexthop_matches_only_exact_name);
	tcase_add_test(tc, secure_dot_nexthop_matches_subdomain);
	tcase_add_test(tc, literal_dot_domain_matches_subdomain);
	tcase_add_test(tc, wildcard_matches_one_label_only);
	tcase_add_test(tc, no_usable_match_name_fails_matching);
	tcase_add_test(tc, missing_cn_falls_back_to_matched_dns_id);
	tcase_add_test(tc, fingerprint_cert_digest_matches);
	tcase_add_test(tc, fingerprint_pubkey_digest_matches);
	tcase_add_test(tc, fingerprint_mismatch_is_not_matched);
	tcase_add_test(tc, fingerprint_255_uses_init_mdalg);
	tcase_add_test(tc, dane_ee_3_1_1_matches_any_name_and_issuer);
	tcase_add_test(tc, dane_ee_mismatch_is_not_matched);
	tcase_add_test(tc, dane_ta_2_0_1_matches_with_name);
	tcase_add_test(tc, dane_ta_with_wrong_name_is_not_matched);
	tcase_add_test(tc, dane_ta_mismatch_is_not_matched);
	tcase_add_test(tc, half_dane_is_matched_but_never_secured);
	tcase_add_test(tc, dane_all_unusable_falls_back_to_encrypt);
	tcase_add_test(tc, dane_only_all_unusable_cannot_match);
	tcase_add_test(tc, secure_trust_anchor_records_replace_cafile);
	tcase_add_test(tc, capath_directory_supplies_trust);
	tcase_add_test(tc, default_ca_paths_add_no_trust_for_private_ca);
	tcase_add_test(tc, no_ca_at_all_trusts_nothing);
	tcase_add_test(tc, dane_with_empty_base_domain_cannot_send_sni);
	tcase_add_test(tc, tlsa_data_at_limit_starts_and_one_past_fails);
	tcase_add_test(tc, tls13_ecdsa_details_match_golden);
	tcase_add_test(tc, tls13_rsa_reports_rsa_pss_bits);
	tcase_add_test(tc, client_certificate_reports_client_signature);
	tcase_add_test(tc, loaded_client_certificate_unused_is_not_reported);
	tcase_add_test(tc, tls12_has_no_tls13_details);
	tcase_add_test(tc, protocol_exclusion_applies_to_session);
	tcase_add_test(tc, unsupported_version_bound_only_warns);
	tcase_add_test(tc, cipher_exclusion_applies_to_session);
	tcase_add_test(tc, sni_names_follow_smtp_tls_servername);
	tcase_add_test(tc, sni_at_limit_starts_and_one_past_fails);
	tcase_add_test(tc, bad_session_settings_do_not_start);
	tcase_add_test(tc, legacy_pubkey_fingerprint_hashes_bit_string);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_policy_suite)
