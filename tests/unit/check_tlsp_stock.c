/*
 * check_tlsp_stock.c - the TLS engine against stock Postfix's TLS client
 *
 * Differential test: for each scenario, Postfix 3.7's posttls-finger(1)
 * (stock libpostfix-tls, the same code smtp(8) and tlsproxy(8) run) and
 * our engine connect to the same throwaway TLS server with the same
 * policy, and must log the very same lines: match results, subject and
 * fingerprints, verification errors, TLSA warnings, the summary line.
 * Needs /usr/sbin/posttls-finger (Debian's postfix package).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "buf.h"
#include "capture.h"
#include "runner.h"
#include "client_role/tlsp_ctx.h"
#include "client_role/tlsp_eval.h"
#include "client_role/tlsp_policy.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"

Suite *tlsp_stock_suite(void);

#define STOCK_FINGER "/usr/sbin/posttls-finger"
#define STOCK_LOG "summary,certmatch,peercert,untrusted"

static pid_t server_pid = -1;
static int server_port;
static int server_asks_cert; /* request (and accept any) client cert */

/* One SMTP-over-TLS conversation, just enough for posttls-finger -w. */
static void
server_talk(SSL *ssl)
{
	char line[512];
	int n;

	SSL_write(ssl, "220 mx.example.com ESMTP\r\n", 26);
	while ((n = SSL_read(ssl, line, sizeof(line) - 1)) > 0) {
		line[n] = 0;
		if (strncasecmp(line, "QUIT", 4) == 0) {
			SSL_write(ssl, "221 bye\r\n", 9);
			break;
		}
		if (strncasecmp(line, "EHLO", 4) == 0)
			SSL_write(ssl, "250-mx.example.com\r\n250 8BITMIME\r\n",
			          34);
		else
			SSL_write(ssl, "250 ok\r\n", 8);
	}
}

static int
server_accept_any(int ok, X509_STORE_CTX *store)
{
	(void)ok;
	(void)store;
	return 1;
}

static void
server_loop(int lfd, enum tlsp_pki_which cert)
{
	SSL_CTX *ctx = tlsp_pki_server_ctx(cert);
	SSL *ssl;
	int fd;

	if (server_asks_cert)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, server_accept_any);
	for (;;) {
		if ((fd = accept(lfd, 0, 0)) < 0)
			_exit(0);
		ssl = SSL_new(ctx);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1)
			server_talk(ssl);
		SSL_free(ssl);
		close(fd);
	}
}

static void
server_start(enum tlsp_pki_which cert)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 5), 0);
	getsockname(lfd, (struct sockaddr *)&sa, &len);
	server_port = ntohs(sa.sin_port);
	if ((server_pid = fork()) == 0) {
		/* Check's handlers would take the whole test group down. */
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		server_loop(lfd, cert);
	}
	close(lfd);
}

static void
server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, 0, 0);
	}
	server_pid = -1;
}

/* posttls-finger's lines, without its "posttls-finger: " prefix. */
static char *
stock_run(const char *opts, const char *match)
{
	static const char prefix[] = "posttls-finger: ";
	char cmd[8192];
	char line[4096];
	struct buf out;
	FILE *fp;
	char *text;

	snprintf(cmd, sizeof(cmd),
	         "MAIL_CONFIG='%s' %s -w -c -L %s %s "
	         "'[127.0.0.1]:%d' %s 2>&1",
	         tlsp_pki_path(""), STOCK_FINGER, STOCK_LOG, opts, server_port,
	         match);
	ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
	buf_init(&out);
	while (fgets(line, sizeof(line), fp))
		buf_puts(&out, strncmp(line, prefix, sizeof(prefix) - 1)
		                   ? line
		                   : line + sizeof(prefix) - 1);
	pclose(fp);
	text = strdup(buf_str(&out));
	buf_free(&out);
	return text;
}

/* Our engine's lines for the same connection. */
static char *
ours_run(const struct tlsp_tls_init *init,
         const struct tlsp_client_start *start)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, init);
	struct tlsp_tls_result res;
	struct tlsp_client_conn *conn;
	struct tlsp_client_start settled;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((unsigned short)server_port);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_ptr_nonnull(
	    conn = tlsp_policy_start(ctx, tlsp_hs_settle(start, &settled), fd));
	ck_assert_int_eq(SSL_connect(tlsp_policy_ssl(conn)), 1);
	tlsp_eval_result(conn, &res);
	SSL_write(tlsp_policy_ssl(conn), "QUIT\r\n", 6);
	tlsp_tls_result_free(&res);
	tlsp_policy_free(conn);
	tlsp_ctx_free(ctx);
	close(fd);
	return strdup(capture_text());
}

static struct tlsp_tls_init init;
static struct tlsp_client_start start;
static char namaddr[64];
static struct tlsp_tlsa tlsa[4];
static unsigned char tlsa_data[4][EVP_MAX_MD_SIZE];

static void
setup(void)
{
	FILE *fp;

	tlsp_hs_init_props(&init);
	tlsp_hs_params = tlsp_hs_defaults;
	init.log_param = "-L option";
	init.log_level = STOCK_LOG;
	ck_assert_ptr_nonnull(fp = fopen(tlsp_pki_path("main.cf"), "w"));
	fputs("compatibility_level = 3.6\n", fp);
	fclose(fp);
	capture_start();
}

static void
teardown(void)
{
	server_stop();
	server_asks_cert = 0;
}

/* Start props as posttls-finger builds them for [127.0.0.1]:port. */
static void
props(int level, const char *mdalg)
{
	tlsp_hs_start_props(&start, level);
	snprintf(namaddr, sizeof(namaddr), "127.0.0.1[127.0.0.1]:%d",
	         server_port);
	start.namaddr = namaddr;
	start.nexthop = start.host = "127.0.0.1";
	start.mdalg = init.mdalg = mdalg;
	start.cipher_exclusions = level > TLSP_LEV_MAY ? "aNULL" : "";
}

/* Both clients, same scenario, same lines. */
static void
same(const char *opts, const char *match)
{
	char *stock = stock_run(opts, match);
	char *ours = ours_run(&init, &start);

	ck_assert_str_ne(stock, "");
	ck_assert_str_eq(ours, stock);
	free(stock);
	free(ours);
}

static void
fingerprint(const EVP_MD *md, X509 *cert, int pkey, char *hex, size_t len)
{
	unsigned char *der = 0;
	unsigned int n = 0;
	int dlen;
	unsigned int i;

	if (pkey) {
		dlen = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
		EVP_Digest(der, (size_t)dlen, tlsa_data[0], &n, md, 0);
		OPENSSL_free(der);
	} else {
		X509_digest(cert, md, tlsa_data[0], &n);
	}
	for (i = 0; i < n && 3 * i + 3 <= len; i++)
		snprintf(hex + 3 * i, 4, "%02X%s", tlsa_data[0][i],
		         i + 1 < n ? ":" : "");
	memcpy(tlsa_data[1], tlsa_data[0], n);
	/* posttls-finger prepends: the SPKI record comes out first. */
	tlsa[0] = (struct tlsp_tlsa){3, 1, 255, tlsa_data[0], n};
	tlsa[1] = (struct tlsp_tlsa){3, 0, 255, tlsa_data[1], n};
	start.dane = 1;
	start.dane_domain = "";
	start.tlsa = tlsa;
	start.tlsa_count = 2;
}

static const char *const mx[] = {"mx.example.com"};
static const char *const other[] = {"other.example.com"};

START_TEST(secure_match_as_stock)
{
	char opts[1024];

	server_start(TLSP_PKI_EC_GOOD);
	props(TLSP_LEV_SECURE, "sha256");
	start.match = mx;
	start.match_count = 1;
	snprintf(opts, sizeof(opts), "-l secure -F %s -d sha256", init.CAfile);
	same(opts, "mx.example.com");
}
END_TEST

START_TEST(secure_mismatch_as_stock)
{
	char opts[1024];

	server_start(TLSP_PKI_RSA_GOOD);
	props(TLSP_LEV_SECURE, "sha256");
	start.match = other;
	start.match_count = 1;
	snprintf(opts, sizeof(opts), "-l secure -F %s -d sha256", init.CAfile);
	same(opts, "other.example.com");
}
END_TEST

START_TEST(untrusted_and_expired_as_stock)
{
	char opts[1024];

	server_start(TLSP_PKI_EC_OTHERCA);
	props(TLSP_LEV_VERIFY, "sha256");
	start.match = mx;
	start.match_count = 1;
	snprintf(opts, sizeof(opts), "-l verify -F %s -d sha256", init.CAfile);
	same(opts, "mx.example.com");
	server_stop();
	capture_start();
	server_start(TLSP_PKI_EC_EXPIRED);
	props(TLSP_LEV_VERIFY, "sha256");
	start.match = mx;
	start.match_count = 1;
	same(opts, "mx.example.com");
}
END_TEST

START_TEST(may_and_encrypt_as_stock)
{
	char opts[1024];

	server_start(TLSP_PKI_EC_WRONG);
	props(TLSP_LEV_MAY, "md5");
	snprintf(opts, sizeof(opts), "-l may -F %s -d md5", init.CAfile);
	same(opts, "");
	capture_start();
	props(TLSP_LEV_ENCRYPT, "sha1");
	snprintf(opts, sizeof(opts), "-l encrypt -F %s -d sha1", init.CAfile);
	same(opts, "");
}
END_TEST

START_TEST(fingerprints_as_stock)
{
	X509 *cert = tlsp_pki_get(TLSP_PKI_EC_GOOD)->cert;
	char hex[EVP_MAX_MD_SIZE * 3];

	server_start(TLSP_PKI_EC_GOOD);
	init.CAfile = "";
	props(TLSP_LEV_FPRINT, "sha256");
	fingerprint(EVP_sha256(), cert, 0, hex, sizeof(hex));
	same("-l fingerprint -d sha256", hex);
	capture_start();
	fingerprint(EVP_sha256(), cert, 1, hex, sizeof(hex));
	same("-l fingerprint -d sha256", hex);
	capture_start();
	fingerprint(EVP_sha256(), tlsp_pki_get(TLSP_PKI_CA)->cert, 0, hex,
	            sizeof(hex));
	same("-l fingerprint -d sha256", hex);
	capture_start();
	props(TLSP_LEV_FPRINT, "md5");
	fingerprint(EVP_sha256(), cert, 0, hex, sizeof(hex));
	same("-l fingerprint -d md5", hex);
}
END_TEST

START_TEST(trust_anchor_file_as_stock)
{
	X509 *ca = tlsp_pki_get(TLSP_PKI_CA)->cert;
	unsigned char *der = 0;
	int len = i2d_X509(ca, &der);

	char opts[1024];

	snprintf(opts, sizeof(opts), "-l secure -d sha256 -A '%s'",
	         tlsp_pki_get(TLSP_PKI_CA)->certfile);
	server_start(TLSP_PKI_EC_GOOD);
	init.CAfile = "";
	props(TLSP_LEV_SECURE, "sha256");
	start.match = mx;
	start.match_count = 1;
	tlsa[0] = (struct tlsp_tlsa){3, 0, 0, der, (size_t)len};
	tlsa[1] = (struct tlsp_tlsa){2, 0, 0, der, (size_t)len};
	start.dane = 1;
	start.tlsa = tlsa;
	start.tlsa_count = 2;
	same(opts, "mx.example.com");
	OPENSSL_free(der);
}
END_TEST

START_TEST(wildcards_and_protocols_as_stock)
{
	static const char *const one[] = {"a.example.org"};
	static const char *const two[] = {"a.b.example.org"};
	char opts[1024];

	server_start(TLSP_PKI_EC_WILD);
	snprintf(opts, sizeof(opts), "-l verify -F %s -d sha256", init.CAfile);
	props(TLSP_LEV_VERIFY, "sha256");
	start.match = one;
	start.match_count = 1;
	same(opts, "a.example.org");
	capture_start();
	start.match = two;
	same(opts, "a.b.example.org");
	capture_start();
	snprintf(opts, sizeof(opts), "-l may -F %s -d sha256 -p '<=TLSv1.2'",
	         init.CAfile);
	props(TLSP_LEV_MAY, "sha256");
	start.protocols = "<=TLSv1.2";
	same(opts, "");
}
END_TEST

START_TEST(client_certificates_as_stock)
{
	const char *file = tlsp_pki_get(TLSP_PKI_EC_CLIENT)->file;
	char opts[1024];

	server_asks_cert = 1;
	server_start(TLSP_PKI_RSA_GOOD);
	props(TLSP_LEV_MAY, "sha256");
	init.cert_file = init.key_file = file;
	snprintf(opts, sizeof(opts), "-l may -F %s -d sha256 -k %s -K %s",
	         init.CAfile, file, file);
	same(opts, "");
	ck_assert_int_eq(capture_count("server-signature RSA-PSS (2048 bits) "
	                               "server-digest SHA256 client-signature "
	                               "ECDSA (prime256v1) client-digest "
	                               "SHA256"),
	                 1);
	capture_start();
	init.cert_file = init.key_file = "";
	init.chain_files = file;
	snprintf(opts, sizeof(opts), "-l may -F %s -d sha256 -H %s",
	         init.CAfile, file);
	same(opts, "");
}
END_TEST

/* Text up to and including the line holding the summary. */
static void
cut_after_summary(char *text)
{
	char *cp = strstr(text, "TLS connection established");

	ck_assert_ptr_nonnull(cp);
	if ((cp = strchr(cp, '\n')) != 0)
		cp[1] = 0;
}

START_TEST(debug_level_handshake_lines_as_stock)
{
	char opts[1024];
	char *stock;
	char *ours;

	server_start(TLSP_PKI_EC_GOOD);
	props(TLSP_LEV_SECURE, "sha256");
	start.match = mx;
	start.match_count = 1;
	init.log_level = "2";
	snprintf(opts, sizeof(opts), "-l secure -F %s -d sha256 -L 2",
	         init.CAfile);
	stock = stock_run(opts, "mx.example.com");
	ours = ours_run(&init, &start);
	/* posttls-finger goes on talking SMTP; compare the handshake. */
	cut_after_summary(stock);
	cut_after_summary(ours);
	if (getenv("TLSP_STOCK_SHOW"))
		fputs(stock, stderr);
	ck_assert_str_eq(ours, stock);
	free(stock);
	free(ours);
}
END_TEST

Suite *
tlsp_stock_suite(void)
{
	Suite *s = suite_create("tlsp_stock");
	TCase *tc = tcase_create("posttls-finger");

	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	if (!runner_have_program(STOCK_FINGER, "postfix"))
		return s;
	tcase_add_test(tc, secure_match_as_stock);
	tcase_add_test(tc, secure_mismatch_as_stock);
	tcase_add_test(tc, untrusted_and_expired_as_stock);
	tcase_add_test(tc, may_and_encrypt_as_stock);
	tcase_add_test(tc, fingerprints_as_stock);
	tcase_add_test(tc, trust_anchor_file_as_stock);
	tcase_add_test(tc, wildcards_and_protocols_as_stock);
	tcase_add_test(tc, debug_level_handshake_lines_as_stock);
	tcase_add_test(tc, client_certificates_as_stock);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_stock_suite)
