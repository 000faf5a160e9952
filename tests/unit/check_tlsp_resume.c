/*
 * check_tlsp_resume.c - session cache key, session save and resumption
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "mem.h"
#include "runner.h"
#include "client_role/tlsp_ctx.h"
#include "client_role/tlsp_resume.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"

Suite *tlsp_resume_suite(void);

/* The captured 3.7.11 smtp(8) -> tlsproxy request and tlsproxy -> tlsmgr
 * lookup (OpenSSL 805306720). */
#define GOLDEN_SERVERID "smtp&[127.0.0.1]:40584&127.0.0.1&127.0.0.1&"
#define GOLDEN_CACHE_ID                                                        \
	GOLDEN_SERVERID "&61E7DDCEA8700A7597351867E229"                        \
	                "EC545DFA99D56A28B1918E1D34F01BD3FEC6"

static struct tlsp_resume_key golden = {
    .serverid = GOLDEN_SERVERID,
    .helo = "mx.pfsandbox.test",
    .openssl_version = 805306720L,
    .protocols = ">=TLSv1",
    .cipher_list = "aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!aNULL",
    .must_fail = 0,
    .level = 8,
    .sni = 0,
    .mdalg = "sha256",
};

static char *
key_of(const struct tlsp_resume_key *k)
{
	char *id = tlsp_resume_key_format(k);

	ck_assert_ptr_nonnull(id);
	return id;
}

START_TEST(cache_id_matches_golden_capture)
{
	char *id = key_of(&golden);

	ck_assert_str_eq(id, GOLDEN_CACHE_ID);
	free(id);
}
END_TEST

START_TEST(cache_id_depends_on_trust_inputs)
{
	static const unsigned char a[] = {1, 2, 3}, b[] = {4, 5};
	struct tlsp_tlsa recs[2] = {{3, 1, 1, a, 3}, {2, 0, 1, b, 2}};
	struct tlsp_tlsa swapped[2] = {{2, 0, 1, b, 2}, {3, 1, 1, a, 3}};
	struct tlsp_resume_key k = golden;
	char *base = key_of(&golden);
	char *other;
	char *id;

	k.must_fail = 1;
	ck_assert_str_ne(id = key_of(&k), base);
	free(id);
	k = golden;
	k.sni = "mx.example";
	ck_assert_str_ne(id = key_of(&k), base);
	free(id);
	k.level = 2; /* at encrypt SNI and TLSA are not keyed */
	k.tlsa = recs;
	k.tlsa_count = 2;
	id = key_of(&k);
	k = golden;
	k.level = 2;
	other = key_of(&k);
	ck_assert_str_eq(id, other);
	free(id);
	free(other);
	k = golden;
	k.tlsa = recs;
	k.tlsa_count = 2;
	id = key_of(&k);
	k.tlsa = swapped;
	other = key_of(&k);
	ck_assert_str_eq(other, id); /* order does not matter */
	ck_assert_str_ne(id, base);
	free(id);
	free(other);
	free(base);
}
END_TEST

struct saved {
	unsigned char *der;
	size_t len;
	char *cache_type;
	char *cache_id;
	int calls;
};

static void
save(void *arg, const char *cache_type, const char *cache_id,
     const unsigned char *der, size_t len)
{
	struct saved *s = arg;

	free(s->der);
	free(s->cache_type);
	free(s->cache_id);
	s->der = xmemdup(der, len);
	s->len = len;
	s->cache_type = xstrdup(cache_type);
	s->cache_id = xstrdup(cache_id);
	s->calls++;
}

static struct tlsp_tls_init init;
static struct tlsp_client_start start;
static struct tlsp_hs_server srv;
static struct saved saved;

static void
setup(void)
{
	tlsp_hs_init_props(&init);
	tlsp_hs_params = tlsp_hs_defaults;
	memset(&srv, 0, sizeof(srv));
	memset(&saved, 0, sizeof(saved));
	srv.cert = TLSP_PKI_EC_GOOD;
	srv.ctx = tlsp_pki_server_ctx(srv.cert);
	capture_start();
}

static void
teardown(void)
{
	free(saved.der);
	free(saved.cache_type);
	free(saved.cache_id);
	SSL_CTX_free(srv.ctx);
}

/* Two sessions on one cached context; returns the second's result. */
static void
two_sessions(struct tlsp_tls_result *first, struct tlsp_tls_result *second)
{
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, &init);

	ck_assert_ptr_nonnull(ctx);
	tlsp_ctx_enable_cache(ctx, 3600, save, &saved);
	ck_assert_int_eq(tlsp_hs_run_ctx(ctx, &start, &srv, first, 0, 0), 1);
	ck_assert_int_ge(saved.calls, 1);
	ck_assert_int_eq(
	    tlsp_hs_run_ctx(ctx, &start, &srv, second, saved.der, saved.len),
	    1);
	tlsp_ctx_free(ctx);
}

START_TEST(saved_session_resumes_without_server_digest)
{
	static const char *const match[] = {"hostname"};
	struct tlsp_tls_result first, second;

	init.log_level = "2";
	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	start.match = match;
	start.match_count = 1;
	start.serverid = "smtp&mx.example.com&mx.example.com&127.0.0.1&";
	two_sessions(&first, &second);
	ck_assert_str_eq(saved.cache_type, "smtp");
	ck_assert_int_eq(
	    strncmp(saved.cache_id, start.serverid, strlen(start.serverid)), 0);
	ck_assert_int_eq(first.session_reused, 0);
	ck_assert_str_eq(first.srvr_signature_digest, "SHA256");
	ck_assert_int_eq(second.session_reused, 1);
	ck_assert_int_eq(second.peer_status, 29);
	ck_assert_str_eq(second.srvr_signature, "ECDSA");
	ck_assert_str_eq(second.srvr_signature_curve, "prime256v1");
	ck_assert_str_eq(second.srvr_signature_digest, "");
	ck_assert_int_eq(capture_count("mx.example.com[127.0.0.1]:25: Reusing "
	                               "old session"),
	                 1);
	ck_assert_int_eq(capture_count("reloaded session smtp&"), 1);
	ck_assert_int_ge(capture_count("save session smtp&"), 1);
	ck_assert_int_eq(capture_count("server-signature ECDSA (prime256v1)"),
	                 2);
	ck_assert_int_eq(capture_count("server-digest SHA256"), 1);
	tlsp_tls_result_free(&first);
	tlsp_tls_result_free(&second);
}
END_TEST

START_TEST(resumed_untrusted_session_points_to_earlier_log)
{
	static const char *const match[] = {"hostname"};
	struct tlsp_tls_result first, second;

	tlsp_hs_start_props(&start, TLSP_LEV_VERIFY);
	start.host = "wrong.example.com";
	start.match = match;
	start.match_count = 1;
	two_sessions(&first, &second);
	ck_assert_int_eq(second.session_reused, 1);
	ck_assert_int_eq(second.peer_status, 1);
	ck_assert_int_eq(capture_count("num=62:hostname mismatch"), 1);
	ck_assert_int_eq(
	    capture_count(
	        "MX.Example.com[127.0.0.1]:25: "
	        "re-using session with untrusted certificate, look for details "
	        "earlier in the log"),
	    1);
	tlsp_tls_result_free(&first);
	tlsp_tls_result_free(&second);
}
END_TEST

START_TEST(forced_failure_is_never_verified_even_resumed)
{
	static const char *const match[] = {"hostname"};
	struct tlsp_tls_result first, second;
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, &init);

	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	start.match = match;
	start.match_count = 1;
	tlsp_ctx_enable_cache(ctx, 3600, save, &saved);
	ck_assert_int_eq(tlsp_hs_run_ctx(ctx, &start, &srv, &first, 0, 0), 1);
	ck_assert_int_eq(first.peer_status, 29);
	/*
	 * A client that sends forced_failure_type offered a session that
	 * verified: resumed, the stored verdict is "OK", and still nothing
	 * may come back trusted, matched or secured (nor may it panic).
	 */
	start.forced_failure_type = "sts-policy-invalid";
	ck_assert_int_eq(
	    tlsp_hs_run_ctx(ctx, &start, &srv, &second, saved.der, saved.len),
	    1);
	ck_assert_int_eq(second.session_reused, 1);
	ck_assert_int_eq(second.peer_status, TLSP_PEER_PRESENT);
	tlsp_tls_result_free(&first);
	tlsp_tls_result_free(&second);
	tlsp_ctx_free(ctx);
}
END_TEST

START_TEST(forced_failure_changes_the_cache_key)
{
	static const char *const match[] = {"hostname"};
	struct tlsp_tls_result first, second;
	char *plain_id;

	tlsp_hs_start_props(&start, TLSP_LEV_SECURE);
	start.match = match;
	start.match_count = 1;
	two_sessions(&first, &second);
	plain_id = xstrdup(saved.cache_id);
	tlsp_tls_result_free(&first);
	tlsp_tls_result_free(&second);
	start.forced_failure_type = "sts-webpki-invalid";
	two_sessions(&first, &second);
	ck_assert_str_ne(saved.cache_id, plain_id);
	ck_assert_int_eq(second.peer_status, TLSP_PEER_PRESENT);
	free(plain_id);
	tlsp_tls_result_free(&first);
	tlsp_tls_result_free(&second);
}
END_TEST

START_TEST(undecodable_session_blob_is_ignored)
{
	static const unsigned char junk[] = {0x30, 0x03, 0x01, 0x02};
	struct tlsp_tls_result res;
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, &init);

	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	ck_assert_int_eq(
	    tlsp_hs_run_ctx(ctx, &start, &srv, &res, junk, sizeof(junk)), 1);
	ck_assert_int_eq(res.session_reused, 0);
	ck_assert_int_gt(capture_count("warning: TLS library problem: "), 0);
	tlsp_tls_result_free(&res);
	tlsp_ctx_free(ctx);
}
END_TEST

START_TEST(context_without_cache_saves_nothing)
{
	struct tlsp_tls_result res;
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, &init);

	tlsp_hs_start_props(&start, TLSP_LEV_MAY);
	ck_assert_int_eq(tlsp_hs_run_ctx(ctx, &start, &srv, &res, 0, 0), 1);
	ck_assert_int_eq(saved.calls, 0);
	tlsp_tls_result_free(&res);
	tlsp_ctx_free(ctx);
}
END_TEST

Suite *
tlsp_resume_suite(void)
{
	Suite *s = suite_create("tlsp_resume");
	TCase *key = tcase_create("key");
	TCase *tc = tcase_create("resume");

	tcase_add_test(key, cache_id_matches_golden_capture);
	tcase_add_test(key, cache_id_depends_on_trust_inputs);
	suite_add_tcase(s, key);
	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, saved_session_resumes_without_server_digest);
	tcase_add_test(tc, resumed_untrusted_session_points_to_earlier_log);
	tcase_add_test(tc, forced_failure_is_never_verified_even_resumed);
	tcase_add_test(tc, forced_failure_changes_the_cache_key);
	tcase_add_test(tc, undecodable_session_blob_is_ignored);
	tcase_add_test(tc, context_without_cache_saves_nothing);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_resume_suite)
