/*
 * check_tlsp_libctx.c - OpenSSL configurations in library contexts
 *
 * Each test runs in its own (forked) process, so each sees OpenSSL not
 * yet initialised, as tlsproxy at start-up does; tlsp_libctx_init()
 * comes first, as there. The configuration files are written per test;
 * OPENSSL_CONF stands in for OpenSSL's default file. What a context
 * does is read from a handshake with a test server that accepts any
 * protocol, cipher and group.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "capture.h"
#include "runner.h"
#include "tls/tlsp_libctx.h"
#include "tls_pair.h"

Suite *tlsp_libctx_suite(void);

#define CHACHA "TLS_CHACHA20_POLY1305_SHA256"
#define AES128 "TLS_AES_128_GCM_SHA256"
#define AES256 "TLS_AES_256_GCM_SHA384" /* OpenSSL's first choice */

/* The SSL settings of one application section, as a config file. */
#define SSL_APP(app, settings)                                                 \
	app " = " app "_app\n[" app "_app]\nssl_conf = " app "_ssl\n"          \
	    "[" app "_ssl]\nsystem_default = " app "_sys\n[" app               \
	    "_sys]\n" settings "\n"

/* Files written by this test process, removed at its exit. */
static char conf_paths[4][32];
static int conf_count;

static void
conf_unlink(void)
{
	while (conf_count > 0)
		unlink(conf_paths[--conf_count]);
}

/* A new file holding text; its path. */
static const char *
conf_file(const char *text)
{
	char *path = conf_paths[conf_count];
	FILE *fp;
	int fd;

	ck_assert_int_lt(conf_count, 4);
	snprintf(path, sizeof(conf_paths[0]), "/tmp/tlsp_libctx.XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	if (conf_count++ == 0)
		atexit(conf_unlink);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* What a handshake from client_ctx negotiated. */
struct hs_result {
	char version[16];
	char cipher[64];
	int group;
};

static struct hs_result
handshake(SSL_CTX *client_ctx)
{
	SSL_CTX *server_ctx = tls_pair_server_ctx();
	struct hs_result r;
	SSL *client, *server;
	int fds[2];

	ck_assert_ptr_nonnull(client_ctx);
	tls_pair_unix(fds);
	tls_pair_connect(client_ctx, server_ctx, fds, &client, &server);
	snprintf(r.version, sizeof(r.version), "%s", SSL_get_version(client));
	snprintf(r.cipher, sizeof(r.cipher), "%s", SSL_get_cipher_name(client));
	r.group = SSL_get_negotiated_group(client);
	SSL_free(client);
	SSL_free(server);
	SSL_CTX_free(server_ctx);
	close(fds[0]);
	close(fds[1]);
	return r;
}

/* The handshake of a fresh client context of lc (then freed). */
static struct hs_result
handshake_lc(const struct tlsp_libctx *lc)
{
	SSL_CTX *ctx = tlsp_libctx_ssl_ctx(lc, 0);
	struct hs_result r = handshake(ctx);

	SSL_CTX_free(ctx);
	return r;
}

/* --- what a loaded configuration does --------------------------------- */

START_TEST(context_follows_its_file)
{
	const char *path = conf_file(
	    SSL_APP("strict", "Ciphersuites = " CHACHA "\nGroups = secp384r1"));
	struct tlsp_libctx *lc;
	struct hs_result r;

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create(path, "strict", 0));
	ck_assert_str_eq(capture_text(), "");
	r = handshake_lc(lc);
	ck_assert_str_eq(r.version, "TLSv1.3");
	ck_assert_str_eq(r.cipher, CHACHA);
	ck_assert_int_eq(r.group, NID_secp384r1);
	tlsp_libctx_free(lc);
}
END_TEST

START_TEST(context_follows_protocol_limits)
{
	const char *path =
	    conf_file(SSL_APP("tls12", "MaxProtocol = TLSv1.2\nCipherString = "
	                               "ECDHE-ECDSA-AES128-SHA256"));
	struct tlsp_libctx *lc;
	struct hs_result r;

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create(path, "tls12", 0));
	r = handshake_lc(lc);
	ck_assert_str_eq(r.version, "TLSv1.2");
	ck_assert_str_eq(r.cipher, "ECDHE-ECDSA-AES128-SHA256");
	tlsp_libctx_free(lc);
}
END_TEST

/*
 * OpenSSL keeps SSL settings in one table for the process: loading one
 * file after another must change neither the other configuration's
 * contexts nor those of OpenSSL's default context, in either order.
 */
START_TEST(contexts_keep_their_own_settings)
{
	const char *path = conf_file("a = a_app\nb = b_app\n"
	                             "[a_app]\nssl_conf = a_ssl\n"
	                             "[a_ssl]\nsystem_default = a_sys\n"
	                             "[a_sys]\nCiphersuites = " AES128 "\n"
	                             "[b_app]\nssl_conf = b_ssl\n"
	                             "[b_ssl]\nsystem_default = b_sys\n"
	                             "[b_sys]\nCiphersuites = " CHACHA "\n");
	struct tlsp_libctx *a, *b;
	SSL_CTX *plain;

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	ck_assert_ptr_nonnull(a = tlsp_libctx_create(path, "a", _i));
	ck_assert_ptr_nonnull(b = tlsp_libctx_create(path, "b", !_i));
	ck_assert_str_eq(handshake_lc(a).cipher, AES128);
	ck_assert_str_eq(handshake_lc(b).cipher, CHACHA);
	plain = SSL_CTX_new(TLS_client_method());
	ck_assert_str_eq(handshake(plain).cipher, AES256);
	SSL_CTX_free(plain);
	tlsp_libctx_free(b);
	tlsp_libctx_free(a);
}
END_TEST

/* The process's own configuration: "default", OpenSSL's default file. */
START_TEST(default_file_is_opensslconf)
{
	const char *path = conf_file("openssl_conf = main\n"
	                             "[main]\nssl_conf = main_ssl\n"
	                             "[main_ssl]\nsystem_default = sys\n"
	                             "[sys]\nCiphersuites = " CHACHA "\n");
	struct tlsp_libctx *lc;

	ck_assert_int_eq(setenv("OPENSSL_CONF", path, 1), 0);
	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	/* An unknown name falls back to openssl_conf, quietly. */
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create("default", "postfix", 1));
	ck_assert_str_eq(capture_text(), "");
	ck_assert_str_eq(handshake_lc(lc).cipher, CHACHA);
	tlsp_libctx_free(lc);
}
END_TEST

START_TEST(none_loads_nothing)
{
	const char *path = conf_file(SSL_APP("openssl_conf", "Ciphersuites "
	                                                     "= " CHACHA));
	struct tlsp_libctx *lc;

	ck_assert_int_eq(setenv("OPENSSL_CONF", path, 1), 0);
	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create("none", "", _i));
	ck_assert_str_eq(capture_text(), "");
	ck_assert_str_eq(handshake_lc(lc).cipher, AES256);
	tlsp_libctx_free(lc);
}
END_TEST

/* A setting only the server role knows does not stop a client context. */
START_TEST(other_role_settings_are_skipped)
{
	const char *path = conf_file(
	    SSL_APP("strict", "NumTickets = 1\nCiphersuites = " CHACHA));
	struct tlsp_libctx *lc;

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create(path, "strict", 0));
	ck_assert_str_eq(capture_text(), "");
	ck_assert_str_eq(handshake_lc(lc).cipher, CHACHA);
	tlsp_libctx_free(lc);
}
END_TEST

/*
 * The other modules run in the library context, not the process's: the
 * legacy provider brings the SEED ciphers to that context only.
 */
START_TEST(modules_load_into_the_context)
{
	const char *path = conf_file("legacy = app\n[app]\nproviders = prov\n"
	                             "[prov]\ndefault = on\nlegacy = on\n"
	                             "[on]\nactivate = 1\n");
	struct tlsp_libctx *lc;
	SSL_CTX *ctx, *plain;

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create(path, "legacy", 0));
	ck_assert_ptr_nonnull(ctx = tlsp_libctx_ssl_ctx(lc, 0));
	ck_assert_ptr_nonnull(plain = SSL_CTX_new(TLS_client_method()));
	ck_assert_int_eq(SSL_CTX_set_cipher_list(ctx, "SEED:@SECLEVEL=0"), 1);
	ck_assert_int_eq(SSL_CTX_set_cipher_list(plain, "SEED:@SECLEVEL=0"), 0);
	SSL_CTX_free(plain);
	SSL_CTX_free(ctx);
	tlsp_libctx_free(lc);
}
END_TEST

/* --- what disables TLS, and what does not -------------------------------
 */

static const struct bad_case {
	const char *name;
	const char *text; /* the file, NULL: none */
	const char *config_name;
	const char *why; /* the line after Postfix's, "" for none */
} bad_cases[] = {
    {"missing file", NULL, "postfix", ""},
    {"no line for the name (OpenSSL 3.0 is silent)",
     SSL_APP("other", "Ciphersuites = " CHACHA), "strict",
     "no \"strict = <section>\" line"},
    {"no line for openssl_conf", "[x]\n", "",
     "no \"openssl_conf = <section>\" line"},
    {"name refers to a missing section", "strict = gone\n", "strict",
     "strict = gone refers to a missing section [gone]"},
    {"empty SSL section", "strict = a\n[a]\nssl_conf = s\n[s]\n", "strict",
     "ssl_conf = s refers to an empty section [s]"},
    {"a value OpenSSL refuses (3.0 skips it)",
     SSL_APP("strict", "MinProtocol = TLSv9\nCiphersuites = " CHACHA), "strict",
     "OpenSSL refuses the SSL setting \"MinProtocol = TLSv9\""},
    {"a setting OpenSSL does not know", SSL_APP("strict", "Bogus = 1"),
     "strict", "OpenSSL does not know the SSL setting \"Bogus = 1\""},
    {"an abbreviated ssl_conf", "strict = a\n[a]\nssl = s\n", "strict",
     "module name \"ssl\" is not supported, write ssl_conf"},
    {"an unknown module", "strict = a\n[a]\nbogus_module = x\n", "strict", ""},
};

START_TEST(explicit_file_errors_disable_tls)
{
	const struct bad_case *c = &bad_cases[_i];
	const char *path = c->text ? conf_file(c->text) : "/nonexistent.cnf";
	const char *name = *c->config_name ? c->config_name : "global";
	char want[512];

	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_msg(tlsp_libctx_create(path, c->config_name, 0) == NULL,
	              "%s: loaded", c->name);
	snprintf(want, sizeof(want),
	         "warning: error loading the '%s' settings from the %s "
	         "OpenSSL configuration file, disabling TLS support\n",
	         name, path);
	ck_assert_msg(strncmp(capture_text(), want, strlen(want)) == 0,
	              "%s: logged %s", c->name, capture_text());
	snprintf(want, sizeof(want), "warning: %s: %s", path, c->why);
	if (*c->why)
		ck_assert_msg(capture_count(want) == 1, "%s: logged %s",
		              c->name, capture_text());
	else
		ck_assert_msg(capture_count("TLS library problem") > 0,
		              "%s: logged %s", c->name, capture_text());
}
END_TEST

START_TEST(relative_file_disables_tls)
{
	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_ptr_null(tlsp_libctx_create("etc/openssl.cnf", "", 1));
	ck_assert_str_eq(capture_text(),
	                 "warning: non-default tls_config_file = "
	                 "etc/openssl.cnf is not an absolute pathname, "
	                 "disabling TLS support\n");
}
END_TEST

/* OpenSSL's default file is optional and its errors are ignored... */
START_TEST(default_file_problems_are_ignored)
{
	static const char *const texts[] = {
	    NULL,
	    "openssl_conf = gone\n",
	    "openssl_conf = a\n[a]\nssl_conf = s\n[s]\n",
	    SSL_APP("openssl_conf", "MinProtocol = TLSv9"),
	};
	const char *path =
	    texts[_i] ? conf_file(texts[_i]) : "/nonexistent/openssl.cnf";
	struct tlsp_libctx *lc;

	ck_assert_int_eq(setenv("OPENSSL_CONF", path, 1), 0);
	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_ptr_nonnull(lc = tlsp_libctx_create("default", "", _i % 2));
	ck_assert_str_eq(capture_text(), "");
	ck_assert_str_eq(handshake_lc(lc).version, "TLSv1.3");
	tlsp_libctx_free(lc);
}
END_TEST

/* ...unless it sets config_diagnostics. */
START_TEST(default_file_diagnostics_count)
{
	const char *path = conf_file("config_diagnostics = 1\n"
	                             "openssl_conf = gone\n");

	ck_assert_int_eq(setenv("OPENSSL_CONF", path, 1), 0);
	ck_assert_int_eq(tlsp_libctx_init(), 0);
	capture_start();
	ck_assert_ptr_null(tlsp_libctx_create("default", "postfix", 1));
	ck_assert_int_eq(capture_count("warning: error loading the 'postfix' "
	                               "settings from the default OpenSSL "
	                               "configuration file, disabling TLS "
	                               "support"),
	                 1);
}
END_TEST

START_TEST(free_accepts_null)
{
	tlsp_libctx_free(NULL);
}
END_TEST

Suite *
tlsp_libctx_suite(void)
{
	Suite *s = suite_create("tlsp_libctx");
	TCase *tc = tcase_create("contexts");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, context_follows_its_file);
	tcase_add_test(tc, context_follows_protocol_limits);
	tcase_add_loop_test(tc, contexts_keep_their_own_settings, 0, 2);
	tcase_add_test(tc, default_file_is_opensslconf);
	tcase_add_loop_test(tc, none_loads_nothing, 0, 2);
	tcase_add_test(tc, other_role_settings_are_skipped);
	tcase_add_test(tc, modules_load_into_the_context);
	suite_add_tcase(s, tc);
	tc = tcase_create("failures");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, explicit_file_errors_disable_tls, 0,
	                    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, relative_file_disables_tls);
	tcase_add_loop_test(tc, default_file_problems_are_ignored, 0, 4);
	tcase_add_test(tc, default_file_diagnostics_count);
	tcase_add_test(tc, free_accepts_null);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_libctx_suite)
