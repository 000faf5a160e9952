/*
 * check_tlsp_ctx.c - client SSL_CTX construction, its cache, key files
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "capture.h"
#include "runner.h"
#include "client_role/tlsp_ctx.h"
#include "tls/tlsp_libctx.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"

Suite *tlsp_ctx_suite(void);

static struct tlsp_tls_init init;

static void
setup(void)
{
	tlsp_hs_init_props(&init);
	tlsp_hs_params = tlsp_hs_defaults;
	capture_start();
}

/* Builds a context from init; expects success or failure. */
static void
build(int expect_ok)
{
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, &init);

	ck_assert_msg((ctx != 0) == expect_ok, "log: %s", capture_text());
	tlsp_ctx_free(ctx);
}

/* Writes the PEM objects of ids (key and/or cert) into a new file. */
static const char *
write_pem(const char *name, const char *layout)
{
	const char *path = tlsp_pki_path(name);
	FILE *fp = fopen(path, "w");
	const struct tlsp_pki_id *id;
	const char *cp;

	ck_assert_ptr_nonnull(fp);
	for (cp = layout; *cp; cp += 2) {
		id = tlsp_pki_get(cp[1] == 'c'   ? TLSP_PKI_EC_CLIENT
		                  : cp[1] == 'r' ? TLSP_PKI_RSA_GOOD
		                                 : TLSP_PKI_CA);
		if (cp[0] == 'k')
			PEM_write_PrivateKey(fp, id->key, 0, 0, 0, 0, 0);
		else if (cp[0] == 'x')
			PEM_write_X509(fp, id->cert);
		else if (cp[0] == 'p')
			fputs("-----BEGIN PARAMETERS-----\nAAAA\n"
			      "-----END PARAMETERS-----\n",
			      fp);
	}
	fclose(fp);
	return path;
}

START_TEST(unknown_digest_disables_tls)
{
	init.mdalg = "nosuch";
	build(0);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: Digest algorithm "
	    "\"nosuch\" not found\nwarning: disabling TLS support\n");
}
END_TEST

START_TEST(unreadable_ca_data_disables_tls)
{
	init.CAfile = "/nonexistent/ca.pem";
	build(0);
	ck_assert_int_eq(
	    capture_count(
	        "cannot load Certification Authority "
	        "data, CAfile=\"/nonexistent/ca.pem\": disabling TLS support"),
	    1);
	ck_assert_int_gt(capture_count("warning: TLS library problem: "), 0);
	capture_start();
	init.CApath = "/nonexistent/dir";
	build(0);
	ck_assert_int_eq(
	    capture_count("cannot load Certification Authority "
	                  "data, CAfile=\"/nonexistent/ca.pem\", "
	                  "CApath=\"/nonexistent/dir\": disabling TLS support"),
	    1);
}
END_TEST

START_TEST(no_ca_and_default_paths_build)
{
	init.CAfile = "";
	tlsp_hs_params.tls_append_default_CA = 1;
	build(1);
	init.CAfile = 0;
	build(1);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(missing_certificate_file_disables_tls)
{
	init.cert_file = "/nonexistent/cert.pem";
	init.key_file = "/nonexistent/key.pem";
	build(0);
	ck_assert_int_eq(
	    capture_count(
	        "warning: cannot get RSA certificate "
	        "from file \"/nonexistent/cert.pem\": disabling TLS support"),
	    1);
}
END_TEST

START_TEST(mismatched_private_key_disables_tls)
{
	char want[1024];

	init.eccert_file = tlsp_pki_get(TLSP_PKI_EC_CLIENT)->certfile;
	init.eckey_file = write_pem("otherkey.pem", "kr");
	build(0);
	snprintf(want, sizeof(want),
	         "warning: ECDSA private key in %s does "
	         "not match public key in %s: disabling TLS support",
	         init.eckey_file, init.eccert_file);
	ck_assert_int_eq(capture_count(want), 1);
}
END_TEST

START_TEST(separate_cert_and_key_files_load)
{
	init.eccert_file = tlsp_pki_get(TLSP_PKI_EC_CLIENT)->certfile;
	init.eckey_file = tlsp_pki_get(TLSP_PKI_EC_CLIENT)->file;
	build(1);
}
END_TEST

START_TEST(chain_files_load_several_chains)
{
	char files[1024];

	snprintf(files, sizeof(files), "%s, %s",
	         tlsp_pki_get(TLSP_PKI_EC_CLIENT)->file,
	         tlsp_pki_get(TLSP_PKI_RSA_GOOD)->file);
	init.chain_files = files;
	init.cert_file = "/ignored/when/chain/files/are/set";
	build(1);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(chain_file_errors_are_reported)
{
	init.chain_files = write_pem("certfirst.pem", "xckc");
	build(0);
	ck_assert_int_eq(capture_count("warning: error loading chain from "),
	                 1);
	ck_assert_int_eq(capture_count("certfirst.pem: key not first"), 1);
	ck_assert_int_eq(capture_count("warning: error loading private keys "
	                               "and certificates from: "),
	                 1);
	capture_start();
	init.chain_files = write_pem("empty.pem", "");
	build(0);
	ck_assert_int_eq(capture_count("warning: No PEM data in "), 1);
	capture_start();
	init.chain_files = write_pem("keyonly.pem", "kc");
	build(0);
	ck_assert_int_eq(capture_count("warning: No certs for key at index 1 "
	                               "in "),
	                 1);
	capture_start();
	init.chain_files = write_pem("twokeys.pem", "kckrxc");
	build(0);
	ck_assert_int_eq(capture_count("warning: error loading certificate "
	                               "chain: key at index 1 in "),
	                 1);
	ck_assert_int_eq(capture_count("not followed by a certificate"), 1);
	capture_start();
	init.chain_files = write_pem("wrongkey.pem", "krxc");
	build(0);
	ck_assert_int_eq(capture_count("does not match next certificate"), 1);
}
END_TEST

START_TEST(unknown_pem_type_is_skipped_with_warning)
{
	init.chain_files = write_pem("params.pem", "kcxcpc");
	build(1);
	ck_assert_int_eq(capture_count("warning: loading "), 1);
	ck_assert_int_eq(capture_count("params.pem: ignoring PEM type: "
	                               "PARAMETERS"),
	                 1);
}
END_TEST

START_TEST(missing_chain_file_only_warns_as_stock)
{
	init.chain_files = "/nonexistent/chain.pem";
	build(1);
	ck_assert_int_eq(
	    capture_count("warning: error opening chain file: "
	                  "/nonexistent/chain.pem: No such file or directory"),
	    1);
}
END_TEST

START_TEST(single_file_pair_takes_key_anywhere)
{
	init.eccert_file = init.eckey_file = write_pem("mixed.pem", "xckcxa");
	build(1);
	ck_assert_str_eq(capture_text(), "");
	init.eccert_file = init.eckey_file = write_pem("nokey.pem", "xc");
	build(0);
	ck_assert_int_eq(capture_count("warning: No private key found in "), 1);
	capture_start();
	init.eccert_file = init.eckey_file = write_pem("twok.pem", "kcxckr");
	build(1);
	ck_assert_int_eq(capture_count("warning: ignoring 2nd key at index 3 "
	                               "in "),
	                 1);
}
END_TEST

START_TEST(dane_digest_list_errors_warn)
{
	tlsp_hs_params.tls_dane_digests =
	    "sha512 sha256 sha1=3 bogus=4 md5 "
	    "sha256=2 sha384=0 sha384=255 sha384=x sha256 =5";
	build(1);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: tls_dane_digests: digest algorithm \"bogus\"(4) unknown\n"
	    "warning: tls_dane_digests: digest algorithm md5 needs an explicit "
	    "number\n"
	    "warning: tls_dane_digests: matching type 2 can only be sha512\n"
	    "warning: Reserved matching type number in tls_dane_digests: "
	    "sha384=0\n"
	    "warning: Invalid matching type number in tls_dane_digests: "
	    "sha384=255\n"
	    "warning: Invalid matching type number in tls_dane_digests: "
	    "sha384=x\n"
	    "warning: tls_dane_digests: matching type 1 specified more than "
	    "once\n");
}
END_TEST

START_TEST(per_connection_settings_stay_out_of_the_context)
{
	struct tlsp_ctx *ctx;

	/* Groups and options are each connection's (tlsp_settings.c). */
	tlsp_hs_params.tls_eecdh_auto_curves = "X25519, bogus P-256";
	tlsp_hs_params.tls_ssl_options = "NO_TICKET";
	ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, &init);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_str_eq(capture_text(), "");
	ck_assert(!(SSL_CTX_get_options(tlsp_ctx_ssl_ctx(ctx)) &
	            (SSL_OP_NO_TICKET | SSL_OP_TLSEXT_PADDING)));
	ck_assert(SSL_CTX_get_options(tlsp_ctx_ssl_ctx(ctx)) &
	          SSL_OP_IGNORE_UNEXPECTED_EOF);
	tlsp_ctx_free(ctx);
}
END_TEST

START_TEST(key_adds_the_context_wide_settings)
{
	struct buf key;

	buf_init(&key);
	tlsp_hs_params.tls_dane_digests = "sha256";
	tlsp_hs_params.tls_append_default_CA = 1;
	tlsp_hs_params.tls_config_file = "/etc/postfix/strict.cnf";
	tlsp_hs_params.tls_config_name = "strict";
	tlsp_ctx_key(&key, "log_param=smtp_tls_loglevel\n\n", &tlsp_hs_params);
	ck_assert_str_eq(buf_str(&key),
	                 "log_param=smtp_tls_loglevel\n\n"
	                 "tls_dane_digests=sha256\n"
	                 "tls_append_default_CA=1\n"
	                 "tls_config_file=/etc/postfix/strict.cnf\n"
	                 "tls_config_name=strict\n");
	buf_free(&key);
}
END_TEST

START_TEST(cache_reuses_by_exact_key)
{
	struct tlsp_ctx_cache *cache = tlsp_ctx_cache_create();
	struct tlsp_ctx *a = tlsp_ctx_cache_get(cache, "k=1\n\n", NULL,
	                                        &tlsp_hs_params, &init, 1);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(tlsp_ctx_cache_get(cache, "k=1\n\n", NULL,
	                                    &tlsp_hs_params, &init, 0),
	                 a);
	ck_assert_ptr_eq(tlsp_ctx_cache_find(cache, "k=1\n\n"), a);
	ck_assert_ptr_null(tlsp_ctx_cache_find(cache, "k=01\n\n"));
	ck_assert_uint_eq(tlsp_ctx_cache_size(cache), 1);
	ck_assert_int_eq(tlsp_ctx_log_mask(a), 1);
	ck_assert_str_eq(tlsp_ctx_cache_type(a), "smtp");
	tlsp_ctx_cache_free(cache);
}
END_TEST

START_TEST(cache_does_not_keep_failures)
{
	struct tlsp_ctx_cache *cache = tlsp_ctx_cache_create();

	init.mdalg = "nosuch";
	ck_assert_ptr_null(
	    tlsp_ctx_cache_get(cache, "bad", NULL, &tlsp_hs_params, &init, 0));
	ck_assert_ptr_null(
	    tlsp_ctx_cache_get(cache, "bad", NULL, &tlsp_hs_params, &init, 0));
	ck_assert_uint_eq(tlsp_ctx_cache_size(cache), 0);
	ck_assert_int_eq(capture_count("not found"), 2);
	tlsp_ctx_cache_free(cache);
}
END_TEST

START_TEST(cache_at_limit_evicts_oldest_unpinned)
{
	struct tlsp_ctx_cache *cache = tlsp_ctx_cache_create();
	char key[32];
	int i;

	init.CAfile = "";
	for (i = 0; i < TLSP_CTX_CACHE_LIMIT; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		ck_assert_ptr_nonnull(tlsp_ctx_cache_get(
		    cache, key, NULL, &tlsp_hs_params, &init, i == 0));
	}
	ck_assert_uint_eq(tlsp_ctx_cache_size(cache), TLSP_CTX_CACHE_LIMIT);
	ck_assert_ptr_nonnull(tlsp_ctx_cache_find(cache, "key1"));
	ck_assert_ptr_nonnull(tlsp_ctx_cache_get(cache, "one-past", NULL,
	                                         &tlsp_hs_params, &init, 0));
	ck_assert_uint_eq(tlsp_ctx_cache_size(cache), TLSP_CTX_CACHE_LIMIT);
	ck_assert_ptr_nonnull(tlsp_ctx_cache_find(cache, "key0"));
	ck_assert_ptr_null(tlsp_ctx_cache_find(cache, "key1"));
	ck_assert_ptr_nonnull(tlsp_ctx_cache_find(cache, "key2"));
	ck_assert_ptr_nonnull(tlsp_ctx_cache_find(cache, "one-past"));
	tlsp_ctx_cache_free(cache);
}
END_TEST

START_TEST(verbose_level_logs_engine_init)
{
	init.log_level = "2";
	build(1);
	ck_assert_str_eq(capture_text(),
	                 "initializing the client-side TLS engine\n");
}
END_TEST

/*
 * A context made in an OpenSSL configuration (tls_config_file,
 * tls_config_name) keeps that file's SSL settings under the engine's
 * own per-connection ones, as a stock smtp(8) does in its process: the
 * TLS 1.3 ciphers and the protocol options stay, while MaxProtocol is
 * cleared by the connection's protocol bounds (smtp_tls_protocols),
 * which Postfix's client sets on every connection too.
 */
static const struct libctx_case {
	const char *settings;
	const char *version, *cipher; /* cipher NULL: any */
} libctx_cases[] = {
    {"Ciphersuites = TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3",
     "TLS_CHACHA20_POLY1305_SHA256"},
    {"Protocol = ALL,-TLSv1.3", "TLSv1.2", NULL},
    {"MaxProtocol = TLSv1.2", "TLSv1.3", NULL},
    {"", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
};

START_TEST(context_follows_its_openssl_configuration)
{
	const struct libctx_case *c = &libctx_cases[_i];
	char path[] = "/tmp/check_tlsp_ctx.XXXXXX";
	struct tlsp_client_start start;
	struct tlsp_hs_server srv = {.cert = TLSP_PKI_EC_GOOD};
	struct tlsp_tls_result res;
	struct tlsp_libctx *lib;
	struct tlsp_ctx *ctx;
	FILE *fp;

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	ck_assert_ptr_nonnull(fp = fdopen(mkstemp(path), "w"));
	fprintf(fp,
	        "strict = app\n[app]\nssl_conf = ssl\n[ssl]\n"
	        "system_default = sys\n[sys]\n%s\n",
	        c->settings);
	ck_assert_int_eq(fclose(fp), 0);
	lib = tlsp_libctx_create(path, "strict", 0);
	unlink(path);
	ck_assert_msg(lib != NULL || !*c->settings, "%s: %s", c->settings,
	              capture_text());
	tlsp_hs_params.tls_config_file = path;
	tlsp_hs_params.tls_config_name = "strict";
	ck_assert_ptr_nonnull(ctx =
	                          tlsp_ctx_create(lib, &tlsp_hs_params, &init));
	tlsp_hs_start_props(&start, TLSP_LEV_ENCRYPT);
	ck_assert_int_eq(tlsp_hs_run_ctx(ctx, &start, &srv, &res, 0, 0), 1);
	ck_assert_msg(strcmp(res.cipher_protocol, c->version) == 0, "%s: %s",
	              c->settings, res.cipher_protocol);
	if (c->cipher)
		ck_assert_str_eq(res.cipher_name, c->cipher);
	tlsp_tls_result_free(&res);
	tlsp_ctx_free(ctx);
	tlsp_libctx_free(lib);
}
END_TEST

Suite *
tlsp_ctx_suite(void)
{
	Suite *s = suite_create("tlsp_ctx");
	TCase *tc = tcase_create("ctx");

	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_add_checked_fixture(tc, setup, 0);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, unknown_digest_disables_tls);
	tcase_add_test(tc, unreadable_ca_data_disables_tls);
	tcase_add_test(tc, no_ca_and_default_paths_build);
	tcase_add_test(tc, missing_certificate_file_disables_tls);
	tcase_add_test(tc, mismatched_private_key_disables_tls);
	tcase_add_test(tc, separate_cert_and_key_files_load);
	tcase_add_test(tc, chain_files_load_several_chains);
	tcase_add_test(tc, chain_file_errors_are_reported);
	tcase_add_test(tc, unknown_pem_type_is_skipped_with_warning);
	tcase_add_test(tc, missing_chain_file_only_warns_as_stock);
	tcase_add_test(tc, single_file_pair_takes_key_anywhere);
	tcase_add_test(tc, dane_digest_list_errors_warn);
	tcase_add_test(tc, per_connection_settings_stay_out_of_the_context);
	tcase_add_test(tc, key_adds_the_context_wide_settings);
	tcase_add_test(tc, cache_reuses_by_exact_key);
	tcase_add_test(tc, cache_does_not_keep_failures);
	tcase_add_test(tc, cache_at_limit_evicts_oldest_unpinned);
	tcase_add_test(tc, verbose_level_logs_engine_init);
	tcase_add_loop_test(tc, context_follows_its_openssl_configuration, 0,
	                    sizeof(libctx_cases) / sizeof(libctx_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_ctx_suite)
