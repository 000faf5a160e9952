/*
 * check_tlsp_prejail.c - tests for tlsproxy/tlsp_prejail.c
 *
 * The init props computed before the jail equal what smtp(8) sent in the
 * golden request (so the pre-loaded context is the one requests hit);
 * -o overrides of master.cf win over main.cf, $name defaults expand with
 * them; a transport without TLS loads nothing; master.cf entries are
 * found with their -o options across continuation lines and comments;
 * each transport's context is made in the OpenSSL configuration it names.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "buf.h"
#include "capture.h"
#include "conf.h"
#include "runner.h"
#include "tlsp_golden.h"
#include "tlsp_prejail.h"
#include "tlsp_reply.h"
#include "tlsp_request.h"

Suite *tlsp_prejail_suite(void);

/* The key of init props computed for prefix with opts. */
static int
prejail_key(const char *prefix, const char *const *opts, size_t n,
            struct buf *key)
{
	struct tlsp_prejail_conf conf = {prefix, opts, n};
	struct tlsp_tls_init props;
	struct buf why;
	int on;

	buf_init(&why);
	on = tlsp_prejail_props(&conf, &props, &why);
	ck_assert_msg(on >= 0, "unexpected error: %s", buf_str(&why));
	buf_free(&why);
	tlsp_reply_init_key(key, &props);
	tlsp_prejail_props_free(&props);
	return on;
}

START_TEST(test_tlsp_prejail_props_match_golden_request)
{
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr, body;
	struct buf want, got;

	tlsp_tlist_golden(&hdr, "tlsp-3.7.11-client-request.bin", 0);
	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	ck_assert_int_eq(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)),
	                 0);
	ck_assert_int_eq(tlsp_request_parse_body(req, tlsp_tlist_list(&body)),
	                 0);
	buf_init(&want);
	tlsp_reply_init_key(&want, &req->client_init);
	/* The golden capture's main.cf, as far as init props go. */
	conf_set("compatibility_level", "3.6");
	conf_set("smtp_tls_security_level", "secure");
	conf_set("smtp_tls_loglevel", "1");
	conf_set("smtp_tls_CAfile", "/srv/sandbx/tls/ca.pem");
	buf_init(&got);
	ck_assert_int_eq(prejail_key("smtp", NULL, 0, &got), 1);
	ck_assert_str_eq(buf_str(&got), buf_str(&want));
	buf_free(&got);
	buf_free(&want);
	tlsp_tlist_free(&hdr);
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_prejail_overrides_win_and_expand)
{
	static const char *const opts[] = {
	    "smtp_tls_security_level=encrypt",
	    "smtp_tls_cert_file=/etc/c.pem",
	    "smtp_tls_cert_file=/etc/last.pem",
	    "smtp_tls_scert_verifydepth=3",
	};
	static const char want[] = "log_param=smtp_tls_loglevel\n"
	                           "log_level=0\n"
	                           "verifydepth=3\n"
	                           "cache_type=smtp\n"
	                           "chain_files=\n"
	                           "cert_file=/etc/last.pem\n"
	                           "key_file=/etc/last.pem\n"
	                           "dcert_file=\n"
	                           "dkey_file=\n"
	                           "eccert_file=\n"
	                           "eckey_file=\n"
	                           "CAfile=/main/ca.pem\n"
	                           "CApath=\n"
	                           "mdalg=md5\n"
	                           "\n";
	struct buf got;

	conf_set("smtp_tls_security_level", "none");
	conf_set("smtp_tls_CAfile", "/main/ca.pem");
	buf_init(&got);
	ck_assert_int_eq(prejail_key("smtp", opts, 4, &got), 1);
	ck_assert_str_eq(buf_str(&got), want);
	buf_free(&got);
}
END_TEST

START_TEST(test_tlsp_prejail_lmtp_uses_its_own_names)
{
	static const char *const opts[] = {"lmtp_use_tls=yes"};
	struct buf got;

	conf_set("smtp_tls_CAfile", "/smtp/ca.pem");
	conf_set("lmtp_tls_loglevel", "2");
	buf_init(&got);
	ck_assert_int_eq(prejail_key("lmtp", opts, 1, &got), 1);
	ck_assert_ptr_nonnull(strstr(
	    buf_str(&got), "log_param=lmtp_tls_loglevel\nlog_level=2\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&got), "cache_type=lmtp\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&got), "CAfile=\n"));
	buf_free(&got);
}
END_TEST

START_TEST(test_tlsp_prejail_no_tls_is_not_loaded)
{
	static const char *const none[] = {"smtp_tls_security_level=none"};
	struct buf got;

	buf_init(&got);
	ck_assert_int_eq(prejail_key("smtp", NULL, 0, &got), 0);
	ck_assert_int_eq(prejail_key("smtp", none, 1, &got), 0);
	conf_set("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy");
	ck_assert_int_eq(prejail_key("smtp", none, 1, &got), 1);
	buf_free(&got);
}
END_TEST

START_TEST(test_tlsp_prejail_rejects_bad_verifydepth)
{
	static const char *const opts[] = {"smtp_use_tls=yes",
	                                   "smtp_tls_scert_verifydepth=9x"};
	struct tlsp_prejail_conf conf = {"smtp", opts, 2};
	struct tlsp_tls_init props;
	struct buf why;

	buf_init(&why);
	ck_assert_int_eq(tlsp_prejail_props(&conf, &props, &why), -1);
	ck_assert_str_eq(buf_str(&why),
	                 "bad smtp_tls_scert_verifydepth value: 9x");
	ck_assert_ptr_null(props.log_param);
	buf_free(&why);
}
END_TEST

/* What the master.cf walk reported. */
struct seen {
	struct buf text;
};

static void
record(const struct tlsp_prejail_conf *conf, void *ctx)
{
	struct seen *seen = ctx;
	size_t i;

	buf_printf(&seen->text, "%s:", conf->prefix);
	for (i = 0; i < conf->opt_count; i++)
		buf_printf(&seen->text, " %s", conf->opts[i]);
	buf_puts(&seen->text, "\n");
}

START_TEST(test_tlsp_prejail_master_cf_finds_smtp_and_lmtp)
{
	static const char text[] =
	    "# comment smtp unix - - n - - smtp -o x=1\n"
	    "smtp      inet  n       -       y       -       -       smtpd\n"
	    "smtp      unix  -       -       n       -       -       smtp\n"
	    "relay     unix  -       -       n       -       -       smtp\n"
	    "    -o smtp_tls_security_level=secure\n"
	    "# a comment inside the entry\n"
	    "\t-o smtp_tls_CAfile=/r/ca.pem -osmtp_tls_loglevel=1\n"
	    "lmtp      unix  -       -       n       -       -       "
	    "/usr/lib/postfix/sbin/lmtp -o lmtp_use_tls=yes\n"
	    "tlsproxy  unix  -       -       n       -       0       tlsproxy\n"
	    "short smtp\n"
	    "last      unix  -       -       n       -       -       smtp -o";
	struct seen seen;

	buf_init(&seen.text);
	ck_assert_uint_eq(
	    tlsp_prejail_master_cf(text, sizeof(text) - 1, record, &seen), 4);
	ck_assert_str_eq(buf_str(&seen.text),
	                 "smtp:\n"
	                 "smtp: smtp_tls_security_level=secure "
	                 "smtp_tls_CAfile=/r/ca.pem smtp_tls_loglevel=1\n"
	                 "lmtp: lmtp_use_tls=yes\n"
	                 "smtp:\n");
	buf_free(&seen.text);
}
END_TEST

START_TEST(test_tlsp_prejail_master_cf_bounds_options)
{
	struct buf text;
	struct seen seen;
	int i;

	buf_init(&text);
	buf_puts(&text, "s unix - - n - - smtp");
	for (i = 0; i < TLSP_PREJAIL_OPTS_MAX + 5; i++)
		buf_printf(&text, " -o o%d=v", i);
	buf_init(&seen.text);
	ck_assert_uint_eq(
	    tlsp_prejail_master_cf(text.data, text.len, record, &seen), 1);
	ck_assert_ptr_nonnull(strstr(buf_str(&seen.text), " o63=v\n"));
	ck_assert_ptr_null(strstr(buf_str(&seen.text), "o64=v"));
	buf_free(&seen.text);
	buf_free(&text);
}
END_TEST

/* Writes text to dir/name; its path into path (replaced). */
static void
prejail_write(const char *dir, const char *name, const char *text,
              struct buf *path)
{
	FILE *fp;

	buf_reset(path);
	buf_printf(path, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(buf_str(path), "w"));
	ck_assert_int_ge(fputs(text, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
}

/* main.cf in dir with TLS on, and OpenSSL initialised as tlsproxy does. */
static struct tlsp_libconf *
prejail_start(const char *dir)
{
	conf_init(dir);
	conf_set("smtp_tls_security_level", "encrypt");
	ck_assert_int_eq(setenv("OPENSSL_CONF", "/dev/null", 1), 0);
	return tlsp_libconf_create("default", "");
}

START_TEST(test_tlsp_prejail_load_pins_one_context_per_setting)
{
	static const char master_cf[] =
	    "smtp      unix  -       -       n       -       -       smtp\n"
	    "relay     unix  -       -       n       -       -       smtp\n"
	    "  -o smtp_tls_loglevel=1\n"
	    "lmtp      unix  -       -       n       -       -       lmtp\n"
	    "deep      unix  -       -       n       -       -       smtp "
	    "-o smtp_tls_scert_verifydepth=3\n"
	    "plain     unix  -       -       n       -       -       smtp "
	    "-o smtp_tls_security_level=none -o smtp_tls_loglevel=2\n"
	    "digests   unix  -       -       n       -       -       smtp "
	    "-o tls_dane_digests=sha256\n"
	    "tuned     unix  -       -       n       -       -       smtp "
	    "-o tls_high_cipherlist=ECDHE+AESGCM\n";
	static const struct tlsp_tls_params params = TLSP_TLS_PARAMS_DEFAULTS;
	char dir[] = "/tmp/check_tlsp_prejail.XXXXXX";
	struct tlsp_libconf *libconf;
	struct tlsp_ctx_cache *cache;
	struct buf path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	buf_init(&path);
	prejail_write(dir, "master.cf", master_cf, &path);
	libconf = prejail_start(dir);
	cache = tlsp_ctx_cache_create();
	capture_start();
	/* main.cf smtp (= the smtp and tuned services: a cipher list is a
	 * connection's), relay, deep, digests (a context's); lmtp and plain
	 * cannot use TLS. */
	ck_assert_uint_eq(tlsp_prejail_load(cache, libconf, &params, NULL), 4);
	ck_assert_uint_eq(tlsp_ctx_cache_size(cache), 4);
	ck_assert_str_eq(capture_text(), "");
	tlsp_ctx_cache_free(cache);
	tlsp_libconf_free(libconf);
	ck_assert_int_eq(unlink(buf_str(&path)), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	buf_free(&path);
}
END_TEST

START_TEST(test_tlsp_prejail_globals_as_the_transport_sees_them)
{
	static const char *const opts[] = {
	    "tls_dane_digests=$my_digests", "tls_append_default_CA=yes",
	    "tls_config_file=${config_directory}/strict.cnf",
	    "tls_config_name=strict"};
	struct tlsp_prejail_conf conf = {"smtp", opts, 4};
	struct tlsp_prejail_conf bare = {"smtp", NULL, 0};
	struct tlsp_prejail_globals g;
	struct buf why;

	buf_init(&why);
	conf_set("my_digests", "sha256");
	conf_set("config_directory", "/etc/postfix");
	ck_assert_int_eq(tlsp_prejail_globals(&conf, &g, &why), 0);
	ck_assert_str_eq(g.tls_dane_digests, "sha256");
	ck_assert_int_eq(g.tls_append_default_CA, 1);
	ck_assert_str_eq(g.tls_config_file, "/etc/postfix/strict.cnf");
	ck_assert_str_eq(g.tls_config_name, "strict");
	tlsp_prejail_globals_free(&g);
	/* Postfix's defaults, as every release sends them. */
	ck_assert_int_eq(tlsp_prejail_globals(&bare, &g, &why), 0);
	ck_assert_str_eq(g.tls_dane_digests, "sha512 sha256");
	ck_assert_int_eq(g.tls_append_default_CA, 0);
	ck_assert_str_eq(g.tls_config_file, "default");
	ck_assert_str_eq(g.tls_config_name, "");
	tlsp_prejail_globals_free(&g);
	/* main.cf's, as for any global setting. */
	conf_set("tls_config_name", "postfix");
	ck_assert_int_eq(tlsp_prejail_globals(&bare, &g, &why), 0);
	ck_assert_str_eq(g.tls_config_name, "postfix");
	tlsp_prejail_globals_free(&g);
	buf_free(&why);
}
END_TEST

/* The pinned context of a transport's pair, as its requests key it. */
static const struct tlsp_ctx *
prejail_pinned(struct tlsp_ctx_cache *cache, const char *file, const char *name)
{
	struct tlsp_prejail_conf conf = {"smtp", NULL, 0};
	struct tlsp_tls_params params = TLSP_TLS_PARAMS_DEFAULTS;
	struct buf init_key, key;
	const struct tlsp_ctx *ctx;

	buf_init(&init_key);
	buf_init(&key);
	(void)prejail_key(conf.prefix, conf.opts, conf.opt_count, &init_key);
	params.tls_config_file = file;
	params.tls_config_name = name;
	tlsp_ctx_key(&key, buf_str(&init_key), &params);
	ctx = tlsp_ctx_cache_find(cache, buf_str(&key));
	buf_free(&key);
	buf_free(&init_key);
	return ctx;
}

/*
 * Each transport's tls_config_file and tls_config_name are loaded before
 * the jail, and its context is made in that configuration; one that
 * fails to load gets no context, and its requests are refused.
 */
START_TEST(test_tlsp_prejail_load_uses_each_transports_openssl_config)
{
	static const char cnf[] = "strict = app\n[app]\nssl_conf = ssl\n"
	                          "[ssl]\nsystem_default = sys\n"
	                          "[sys]\nCiphersuites = "
	                          "TLS_CHACHA20_POLY1305_SHA256\n";
	static const struct tlsp_tls_params params = TLSP_TLS_PARAMS_DEFAULTS;
	char dir[] = "/tmp/check_tlsp_prejail.XXXXXX";
	struct tlsp_libconf *libconf;
	struct tlsp_ctx_cache *cache;
	const struct tlsp_ctx *strict;
	struct buf path, cnf_path, master_cf;
	SSL *ssl;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	buf_init(&cnf_path);
	prejail_write(dir, "strict.cnf", cnf, &cnf_path);
	buf_init(&master_cf);
	buf_printf(
	    &master_cf,
	    "smtp   unix - - n - - smtp\n"
	    "strict unix - - n - - smtp -o tls_config_file=%s "
	    "-o tls_config_name=strict\n"
	    "broken unix - - n - - smtp -o tls_config_file=%s/none.cnf\n",
	    buf_str(&cnf_path), dir);
	buf_init(&path);
	prejail_write(dir, "master.cf", buf_str(&master_cf), &path);
	buf_free(&master_cf);
	libconf = prejail_start(dir);
	cache = tlsp_ctx_cache_create();
	capture_start();
	ck_assert_uint_eq(tlsp_prejail_load(cache, libconf, &params, NULL), 2);
	ck_assert_int_eq(capture_count("warning: error loading the 'global' "
	                               "settings from the "),
	                 1);
	ck_assert_ptr_nonnull(prejail_pinned(cache, "default", ""));
	ck_assert_ptr_nonnull(
	    strict = prejail_pinned(cache, buf_str(&cnf_path), "strict"));
	ck_assert_ptr_nonnull(ssl = SSL_new(tlsp_ctx_ssl_ctx(strict)));
	ck_assert_str_eq(
	    SSL_CIPHER_get_name(sk_SSL_CIPHER_value(SSL_get_ciphers(ssl), 0)),
	    "TLS_CHACHA20_POLY1305_SHA256");
	SSL_free(ssl);
	ck_assert_ptr_nonnull(
	    tlsp_libconf_find(libconf, buf_str(&cnf_path), "strict"));
	ck_assert_int_eq(unlink(buf_str(&path)), 0);
	buf_reset(&path);
	buf_printf(&path, "%s/none.cnf", dir);
	capture_start();
	ck_assert_ptr_null(tlsp_libconf_find(libconf, buf_str(&path), ""));
	ck_assert_int_eq(capture_count("which could not be loaded at start-up"),
	                 1);
	tlsp_ctx_cache_free(cache);
	tlsp_libconf_free(libconf);
	ck_assert_int_eq(unlink(buf_str(&cnf_path)), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	buf_free(&path);
	buf_free(&cnf_path);
}
END_TEST

Suite *
tlsp_prejail_suite(void)
{
	Suite *s = suite_create("tlsp_prejail");
	TCase *tc;

	tc = tcase_create("props");
	tcase_add_test(tc, test_tlsp_prejail_props_match_golden_request);
	tcase_add_test(tc, test_tlsp_prejail_overrides_win_and_expand);
	tcase_add_test(tc, test_tlsp_prejail_lmtp_uses_its_own_names);
	tcase_add_test(tc, test_tlsp_prejail_no_tls_is_not_loaded);
	tcase_add_test(tc, test_tlsp_prejail_rejects_bad_verifydepth);
	tcase_add_test(tc,
	               test_tlsp_prejail_globals_as_the_transport_sees_them);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tlsp_prejail_load_pins_one_context_per_setting);
	tcase_add_test(
	    tc, test_tlsp_prejail_load_uses_each_transports_openssl_config);
	suite_add_tcase(s, tc);
	tc = tcase_create("master_cf");
	tcase_add_test(tc, test_tlsp_prejail_master_cf_finds_smtp_and_lmtp);
	tcase_add_test(tc, test_tlsp_prejail_master_cf_bounds_options);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_prejail_suite)
