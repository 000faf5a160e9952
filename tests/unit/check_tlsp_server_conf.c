/*
 * check_tlsp_server_conf.c - server-role parameters and enablement
 *
 * Defaults are compared with what the installed postconf(1) reports;
 * the enablement decision with stock's warnings, word for word.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "runner.h"
#include "conf.h"
#include "msg.h"
#include "server_role/tlsp_server_conf.h"

#ifndef POSTCONF_PATH
#define POSTCONF_PATH ""
#endif

Suite *tlsp_server_conf_suite(void);

#define FATAL_MATCHED 42

static struct tlsp_server_conf conf;
static struct tlsp_server_role role;
static const struct tlsp_tls_params params = TLSP_TLS_PARAMS_DEFAULTS;

static void
setup(void)
{
	conf_init("/nonexistent-tlssrv");
	conf_set("compatibility_level", "0");
	capture_start();
}

static void
teardown(void)
{
	tlsp_server_role_free(&role);
}

/* Reads the table after the given main.cf settings ("a=b" pairs). */
static int
decide(const char *const *settings)
{
	for (; settings && *settings; settings++)
		conf_set_option(*settings);
	tlsp_server_conf_read(&conf);
	return tlsp_server_conf_decide(&conf, &role);
}

/* Trailing blanks off, so "name =" and "name = " compare equal. */
static void
rtrim(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		s[--len] = 0;
}

START_TEST(defaults_match_postconf)
{
	char *ours = 0;
	size_t len = 0;
	FILE *out = open_memstream(&ours, &len);
	char cmd[8192];
	char line[1024];
	char *save = 0;
	char *ln;
	char dir[] = "/tmp/check_tlssrv.XXXXXX";
	FILE *pc;
	int n = 0;

	tlsp_server_conf_read(&conf);
	conf_print_used(out);
	fclose(out);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (ln = strtok_r(ours, "\n", &save); ln;
	     ln = strtok_r(0, "\n", &save)) {
		if (strncmp(ln, "compatibility_level", 19) == 0)
			continue;
		snprintf(cmd, sizeof(cmd), "%s -c %s -xd %.*s 2>/dev/null",
		         POSTCONF_PATH, dir, (int)strcspn(ln, " "), ln);
		ck_assert_ptr_nonnull(pc = popen(cmd, "r"));
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), pc));
		pclose(pc);
		rtrim(line);
		rtrim(ln);
		ck_assert_str_eq(ln, line);
		n++;
	}
	rmdir(dir);
	free(ours);
	/* 55: tls_preempt_cipherlist and tls_session_ticket_cipher are
	 * tlsproxy.c's (its table; man/params-check.sh compares them). */
	ck_assert_int_eq(n, 55);
}
END_TEST

START_TEST(default_config_disables_role_with_stock_warning)
{
	ck_assert_int_eq(decide(0), 0);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: TLS server role is disabled "
	    "with tlsproxy_tls_security_level or tlsproxy_use_tls\n");
}
END_TEST

START_TEST(smtpd_settings_are_inherited)
{
	const char *const set[] = {
	    "smtpd_tls_security_level = may",
	    "smtpd_tls_chain_files = /etc/a.pem, /etc/b.pem", 0};
	struct tlsp_server_init init;

	ck_assert_int_eq(decide(set), 1);
	ck_assert_str_eq(capture_text(), "");
	tlsp_server_conf_props(&conf, &role, &params, &init);
	ck_assert_str_eq(init.base.chain_files, "/etc/a.pem, /etc/b.pem");
	ck_assert_str_eq(init.base.log_param, "tlsproxy_tls_loglevel");
	ck_assert_str_eq(init.base.cache_type, "smtpd");
	ck_assert_str_eq(init.base.mdalg, "md5");
	ck_assert_int_eq(init.base.verifydepth, 9);
	ck_assert_str_eq(init.protocols, ">=TLSv1");
	ck_assert_str_eq(init.ticket_cipher, "aes-256-cbc");
	ck_assert_int_eq(init.set_sessid, 1);
	ck_assert_int_eq(role.enforce, 0);
	ck_assert_str_eq(role.cipher_grade, "medium");
	ck_assert_str_eq(role.cipher_exclusions, "");
}
END_TEST

START_TEST(tlsproxy_settings_override_smtpd)
{
	const char *const set[] = {"smtpd_tls_security_level = none",
	                           "tlsproxy_tls_security_level = may",
	                           "smtpd_tls_cert_file = /etc/smtpd.pem",
	                           "tlsproxy_tls_cert_file = /etc/tlsp.pem", 0};
	struct tlsp_server_init init;

	ck_assert_int_eq(decide(set), 1);
	tlsp_server_conf_props(&conf, &role, &params, &init);
	ck_assert_str_eq(init.base.cert_file, "/etc/tlsp.pem");
	ck_assert_str_eq(init.base.key_file, "/etc/smtpd.pem");
}
END_TEST

START_TEST(use_tls_without_certs_is_refused_as_stock)
{
	const char *const set[] = {"tlsproxy_use_tls = yes", 0};

	ck_assert_int_eq(decide(set), 0);
	ck_assert_str_eq(capture_text(), "warning: No server certs available. "
	                                 "TLS can't be enabled\n");
}
END_TEST

START_TEST(cert_file_none_enables_without_certificates)
{
	const char *const set[] = {"tlsproxy_tls_security_level = may",
	                           "tlsproxy_tls_cert_file = NONE", 0};

	ck_assert_int_eq(decide(set), 1);
	ck_assert_str_eq(role.cert_file, "");
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(cert_file_none_cannot_ask_for_client_certs)
{
	const char *const set[] = {"tlsproxy_tls_security_level = may",
	                           "tlsproxy_tls_cert_file = none",
	                           "tlsproxy_tls_ask_ccert = yes", 0};

	ck_assert_int_eq(decide(set), 0);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: Need a server cert to "
	    "request client certs\nwarning: No server certs available. TLS "
	    "can't be enabled\n");
}
END_TEST

START_TEST(unsupported_level_becomes_encrypt)
{
	const char *const set[] = {
	    "tlsproxy_tls_security_level = Verify",
	    "tlsproxy_tls_eccert_file = /etc/ec.pem",
	    "tlsproxy_tls_mandatory_protocols = >=TLSv1.2",
	    "tlsproxy_tls_mandatory_ciphers = high",
	    "tlsproxy_tls_exclude_ciphers = RC4",
	    "tlsproxy_tls_mandatory_exclude_ciphers = MD5, SHA1",
	    "tlsproxy_tls_req_ccert = yes",
	    0};

	ck_assert_int_eq(decide(set), 1);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: tlsproxy_tls_security_level: "
	    "unsupported TLS level \"Verify\", using \"encrypt\"\n");
	ck_assert_int_eq(role.enforce, 1);
	ck_assert_int_eq(role.ask_ccert, 1);
	ck_assert_int_eq(role.requirecert, 1);
	ck_assert_str_eq(role.protocols, ">=TLSv1.2");
	ck_assert_str_eq(role.cipher_grade, "high");
	ck_assert_str_eq(role.cipher_exclusions, "RC4 MD5, SHA1 aNULL");
}
END_TEST

START_TEST(chain_and_legacy_files_clash_warns_as_stock)
{
	const char *const set[] = {"tlsproxy_tls_security_level = may",
	                           "tlsproxy_tls_chain_files = /etc/chain.pem",
	                           "tlsproxy_tls_dcert_file = /etc/dsa.pem", 0};

	ck_assert_int_eq(decide(set), 1);
	ck_assert_str_eq(
	    capture_text(),
	    "warning: Both tlsproxy_tls_chain_files "
	    "and one or more of the legacy  tlsproxy_tls_cert_file, "
	    "tlsproxy_tls_eccert_file or tlsproxy_tls_dcert_file are "
	    "non-empty; the legacy  parameters will be ignored\n");
}
END_TEST

START_TEST(req_ccert_without_enforce_warns)
{
	const char *const set[] = {"tlsproxy_tls_security_level = may",
	                           "tlsproxy_tls_cert_file = /etc/rsa.pem",
	                           "tlsproxy_tls_req_ccert = yes", 0};

	ck_assert_int_eq(decide(set), 1);
	ck_assert_str_eq(capture_text(), "warning: Can't require client certs "
	                                 "unless TLS is required\n");
	ck_assert_int_eq(role.ask_ccert, 0);
	ck_assert_int_eq(role.requirecert, 0);
}
END_TEST

START_TEST(enforce_tls_alone_enables_and_enforces)
{
	const char *const set[] = {"tlsproxy_enforce_tls = yes",
	                           "tlsproxy_tls_cert_file = /etc/rsa.pem", 0};

	ck_assert_int_eq(decide(set), 1);
	ck_assert_int_eq(role.enforce, 1);
}
END_TEST

START_TEST(level_none_wins_over_use_tls)
{
	const char *const set[] = {"tlsproxy_tls_security_level = none",
	                           "tlsproxy_use_tls = yes",
	                           "tlsproxy_tls_cert_file = /x", 0};

	ck_assert_int_eq(decide(set), 0);
	ck_assert_int_eq(capture_count("TLS server role is disabled"), 1);
}
END_TEST

/* Ends the fatal test with 42 when the last line is the expected one. */
static void
fatal_check(void)
{
	if (strstr(capture_text(), "fatal: Invalid TLS level \"dane\"\n"))
		_exit(FATAL_MATCHED);
	_exit(1);
}

START_TEST(invalid_level_is_fatal)
{
	const char *const set[] = {"tlsproxy_tls_security_level = dane", 0};

	msg_set_cleanup(fatal_check);
	decide(set);
}
END_TEST

Suite *
tlsp_server_conf_suite(void)
{
	Suite *s = suite_create("tlsp_server_conf");
	TCase *tc = tcase_create("conf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	if (runner_have_program(POSTCONF_PATH, "postfix"))
		tcase_add_test(tc, defaults_match_postconf);
	tcase_add_test(tc, default_config_disables_role_with_stock_warning);
	tcase_add_test(tc, smtpd_settings_are_inherited);
	tcase_add_test(tc, tlsproxy_settings_override_smtpd);
	tcase_add_test(tc, use_tls_without_certs_is_refused_as_stock);
	tcase_add_test(tc, cert_file_none_enables_without_certificates);
	tcase_add_test(tc, cert_file_none_cannot_ask_for_client_certs);
	tcase_add_test(tc, unsupported_level_becomes_encrypt);
	tcase_add_test(tc, chain_and_legacy_files_clash_warns_as_stock);
	tcase_add_test(tc, req_ccert_without_enforce_warns);
	tcase_add_test(tc, enforce_tls_alone_enables_and_enforces);
	tcase_add_test(tc, level_none_wins_over_use_tls);
	tcase_add_exit_test(tc, invalid_level_is_fatal, FATAL_MATCHED);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_server_conf_suite)
