/*
 * check_tlsp_server_daemon.c - tests for tlsproxy/tlsp_server_daemon.c
 *
 * The server role from main.cf settings: off by default, for other stock
 * reasons and when the engine cannot be built (one warning each, no
 * engine), but only a warning for a missing chain file (as stock); on,
 * it serves postscreen through tlsp_session.c: the
 * test writes postscreen's request on one end of a socketpair, passes a
 * "remote client" socket whose other end is an in-process TLS client,
 * and checks status 1, the handshake, stock's summary line, that no TLS
 * context is sent (but one is with flag 4), the relay both ways and
 * DISCONNECT. A client that
 * sends garbage or hangs up mid-handshake ends with stock's lines while
 * a second session of the same process completes.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "attr_dec.h"
#include "buf.h"
#include "capture.h"
#include "conf.h"
#include "event.h"
#include "fdpass.h"
#include "runner.h"
#include "tls_pair.h"
#include "tlsp_pki.h"
#include "tlsp_server_daemon.h"
#include "tlsp_session.h"

Suite *tlsp_server_daemon_suite(void);

static const struct tlsp_tls_params params = TLSP_TLS_PARAMS_DEFAULTS;

/* A server-role request (flags "1" as postscreen's, "5" with context). */
#define SERVER_REQUEST(peer, flags)                                            \
	"remote_endpoint\0" peer "\0flags\0" flags "\0timeout\0"               \
	"300\0timeout\0"                                                       \
	"300\0serverid\0smtpd\0"
#define POSTSCREEN_REQUEST(peer) SERVER_REQUEST(peer, "1")

static struct tlsp_server_daemon *daemon_obj;
static struct tlsp_session_config cfg;
static int disconnects;

static void
count_disconnect(int fd)
{
	(void)fd;
	disconnects++;
}

static void
setup(void)
{
	capture_start();
	signal(SIGPIPE, SIG_IGN);
	conf_init("/nonexistent-tlsdsrv");
	conf_set("compatibility_level", "3.6");
	daemon_obj = NULL;
	disconnects = 0;
}

static void
teardown(void)
{
	tlsp_server_daemon_free(daemon_obj);
	daemon_obj = NULL;
}

/* The role from "name=value" settings (NULL-terminated). */
static struct tlsp_server_daemon *
create(const char *const *settings)
{
	for (; *settings; settings++)
		conf_set_option(*settings);
	return tlsp_server_daemon_create(&params, NULL, NULL);
}

START_TEST(test_tlsp_server_daemon_default_config_is_off)
{
	static const char *const none[] = {NULL};

	ck_assert_ptr_null(create(none));
	ck_assert_int_eq(capture_count("warning: TLS server role is disabled "
	                               "with tlsproxy_tls_security_level or "
	                               "tlsproxy_use_tls"),
	                 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
}
END_TEST

START_TEST(test_tlsp_server_daemon_may_without_certs_is_off)
{
	static const char *const may[] = {"smtpd_tls_security_level=may", NULL};

	ck_assert_ptr_null(create(may));
	ck_assert_int_eq(capture_count("warning: No server certs available. "
	                               "TLS can't be enabled"),
	                 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
}
END_TEST

START_TEST(test_tlsp_server_daemon_own_level_none_wins_over_smtpd)
{
	const char *settings[] = {"smtpd_tls_security_level=may",
	                          "tlsproxy_tls_security_level=none", NULL,
	                          NULL};
	struct buf chain;

	buf_init(&chain);
	buf_printf(&chain, "smtpd_tls_chain_files=%s",
	           tlsp_pki_get(TLSP_PKI_EC_GOOD)->file);
	settings[2] = buf_str(&chain);
	ck_assert_ptr_null(create(settings));
	ck_assert_int_eq(capture_count("warning: TLS server role is disabled"),
	                 1);
	buf_free(&chain);
}
END_TEST

START_TEST(test_tlsp_server_daemon_bad_protocols_are_off)
{
	static const char *const settings[] = {
	    "smtpd_tls_security_level=may", "smtpd_tls_cert_file=none",
	    "tlsproxy_tls_protocols=TLSv9", NULL};

	ck_assert_ptr_null(create(settings));
	ck_assert_int_eq(capture_count("warning: Invalid TLS protocol list "
	                               "\"TLSv9\": disabling TLS support"),
	                 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
}
END_TEST

/* Stock 3.7.11 too only warns and keeps the role, without a key. */
START_TEST(test_tlsp_server_daemon_missing_chain_file_only_warns)
{
	static const char *const settings[] = {
	    "smtpd_tls_security_level=may",
	    "smtpd_tls_chain_files=/nonexistent-tlsdsrv/chain.pem", NULL};

	daemon_obj = create(settings);
	ck_assert_ptr_nonnull(daemon_obj);
	ck_assert_int_eq(capture_count("warning: error opening chain file: "
	                               "/nonexistent-tlsdsrv/chain.pem: No "
	                               "such file or directory"),
	                 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
}
END_TEST

/* --- sessions, with the role on --------------------------------------- */

/* postscreen's end and the remote client's TLS end of one session. */
struct ps_session {
	int ps;     /* postscreen's end of the tlsproxy connection */
	int remote; /* the remote client's end of the passed socket */
	SSL *ssl;   /* the remote client, or NULL for raw bytes */
	int up;
};

static SSL_CTX *client_ctx;

/* The role with the EC chain, then a session up to the passed socket. */
static void
role_on(void)
{
	const char *settings[] = {"smtpd_tls_security_level=may",
	                          "smtpd_tls_loglevel=1", NULL, NULL};
	struct buf chain;

	buf_init(&chain);
	buf_printf(&chain, "smtpd_tls_chain_files=%s",
	           tlsp_pki_get(TLSP_PKI_EC_GOOD)->file);
	settings[2] = buf_str(&chain);
	daemon_obj = create(settings);
	ck_assert_msg(daemon_obj != NULL, "log: %s", capture_text());
	buf_free(&chain);
	cfg.tls_params = &params;
	cfg.server = daemon_obj;
	cfg.disconnect = count_disconnect;
	cfg.init_timeout_ms = 0;
	client_ctx = tls_pair_client_ctx();
}

static void
role_off(void)
{
	SSL_CTX_free(client_ctx);
	client_ctx = NULL;
}

/* Reads len bytes from fd within the loop; returns how many came. */
static size_t
ps_read(int fd, char *data, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int i;

	for (i = 0; i < 2000 && got < len; i++) {
		event_loop(5);
		n = read(fd, data + got, len - got);
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
	}
	return got;
}

/* Announcement, request, status 1, and the remote socket passed. */
static void
ps_start(struct ps_session *p, const char *req, size_t len)
{
	char in[28];
	int sv[2], rv[2];

	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	p->ps = sv[0];
	ck_assert_ptr_nonnull(tlsp_session_create(sv[1], &cfg));
	ck_assert_uint_eq(ps_read(p->ps, in, 28), 28);
	ck_assert_mem_eq(in, "protocol\0tlsproxy_protocol\0", 28);
	ck_assert_int_eq(write(p->ps, req, len), (ssize_t)len);
	ck_assert_uint_eq(ps_read(p->ps, in, 10), 10);
	ck_assert_mem_eq(in,
	                 "status\0"
	                 "1\0\0",
	                 10);
	tls_pair_unix(rv);
	ck_assert_int_eq(fdpass_send(p->ps, rv[0]), 0);
	(void)close(rv[0]);
	p->remote = rv[1];
}

/* Starts the remote client's TLS handshake (non-blocking). */
static void
ps_tls(struct ps_session *p)
{
	p->ssl = SSL_new(client_ctx);
	SSL_set_fd(p->ssl, p->remote);
	SSL_set_connect_state(p->ssl);
}

/* Runs the loop until the remote client's handshake is done. */
static void
ps_handshake(struct ps_session *p)
{
	int i;

	for (i = 0; i < 2000 && !p->up; i++) {
		event_loop(5);
		p->up = SSL_do_handshake(p->ssl) == 1;
	}
	ck_assert_msg(p->up, "log: %s", capture_text());
}

/* The remote client sends text; postscreen reads it as plaintext. */
static void
ps_relay(struct ps_session *p)
{
	char data[8];
	int got = 0, n, i;

	ck_assert_int_eq(SSL_write(p->ssl, "EHLO x\r\n", 8), 8);
	/* No TLS context for postscreen: the first bytes are the client's. */
	ck_assert_uint_eq(ps_read(p->ps, data, 8), 8);
	ck_assert_mem_eq(data, "EHLO x\r\n", 8);
	ck_assert_int_eq(write(p->ps, "250 ok\r\n", 8), 8);
	for (i = 0; i < 2000 && got < 8; i++) {
		event_loop(5);
		if ((n = SSL_read(p->ssl, data + got, 8 - got)) > 0)
			got += n;
	}
	ck_assert_int_eq(got, 8);
	ck_assert_mem_eq(data, "250 ok\r\n", 8);
}

/* Runs the loop until fd reads EOF; 1 if it did. */
static int
ps_sees_eof(int fd)
{
	char c;
	ssize_t n;
	int i;

	for (i = 0; i < 2000; i++) {
		event_loop(5);
		n = read(fd, &c, 1);
		if (n == 0)
			return 1;
	}
	return 0;
}

static void
ps_free(struct ps_session *p)
{
	SSL_free(p->ssl);
	if (p->ps >= 0)
		(void)close(p->ps);
	if (p->remote >= 0)
		(void)close(p->remote);
}

#define PEER1 "[192.0.2.9]:4567"
#define PEER2 "[192.0.2.10]:4568"

START_TEST(test_tlsp_server_daemon_serves_postscreen)
{
	static const char req[] = POSTSCREEN_REQUEST(PEER1);
	struct ps_session p;

	role_on();
	ps_start(&p, req, sizeof(req));
	ps_tls(&p);
	ps_handshake(&p);
	ps_relay(&p);
	/* postscreen hangs up: close_notify to the client, session ends. */
	(void)close(p.ps);
	p.ps = -1;
	ck_assert(ps_sees_eof(p.remote));
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("CONNECT from " PEER1), 1);
	ck_assert_int_eq(capture_count("Anonymous TLS connection established "
	                               "from " PEER1 ": TLSv1.3 with cipher "),
	                 1);
	ck_assert_int_eq(capture_count("DISCONNECT " PEER1), 1);
	ck_assert_int_eq(capture_count("handshake failed"), 0);
	ck_assert_int_eq(capture_count("warning: "), 0);
	ps_free(&p);
	role_off();
}
END_TEST

/* Flag 4 in the server role (HEAD's smtpd): the context, then data. */
START_TEST(test_tlsp_server_daemon_sends_context_when_asked)
{
	static const char req[] = SERVER_REQUEST(PEER1, "5");
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	struct ps_session p;
	struct buf in;
	size_t used = 0;
	ssize_t n;
	int i;

	role_on();
	ps_start(&p, req, sizeof(req));
	ps_tls(&p);
	ps_handshake(&p);
	ck_assert_int_eq(SSL_write(p.ssl, "EHLO x\r\n", 8), 8);
	buf_init(&in);
	for (i = 0; i < 2000 && (used == 0 || in.len < used + 8); i++) {
		event_loop(5);
		if ((n = read(p.ps, buf_reserve(&in, 4096), 4096)) > 0)
			in.len += (size_t)n;
		if (used == 0 && in.len > 0 &&
		    attr_dec_feed(dec, in.data, in.len, &used) != ATTR_DEC_OK) {
			used = 0;
			attr_dec_reset(dec);
		}
	}
	ck_assert_uint_gt(used, 0);
	list = attr_dec_list(dec);
	ck_assert_uint_eq(list->count, 22);
	ck_assert_str_eq(list->pairs[0].name, "peer_CN");
	ck_assert_str_eq(attr_list_get(list, "namaddr")->value, PEER1);
	ck_assert_str_eq(attr_list_get(list, "cipher_protocol")->value,
	                 "TLSv1.3");
	ck_assert_uint_eq(in.len, used + 8);
	ck_assert_mem_eq(in.data + used, "EHLO x\r\n", 8);
	attr_dec_free(dec);
	buf_free(&in);
	ps_free(&p);
	role_off();
}
END_TEST

/* A broken client beside a good one: stock's lines, the good one done. */
static void
broken_beside_good(const void *bytes, size_t len)
{
	static const char req1[] = POSTSCREEN_REQUEST(PEER1);
	static const char req2[] = POSTSCREEN_REQUEST(PEER2);
	struct ps_session good, bad;
	int i;

	role_on();
	ps_start(&good, req1, sizeof(req1));
	ps_tls(&good);
	ps_handshake(&good);
	ps_start(&bad, req2, sizeof(req2));
	ck_assert_int_eq(write(bad.remote, bytes, len), (ssize_t)len);
	(void)shutdown(bad.remote, SHUT_WR);
	/* tlsproxy hangs up on postscreen and on the remote client. */
	ck_assert(ps_sees_eof(bad.ps));
	ck_assert(ps_sees_eof(bad.remote));
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("TLS handshake failed for "
	                               "service=smtpd peer=" PEER2),
	                 1);
	ck_assert_int_eq(capture_count("DISCONNECT " PEER2), 1);
	ps_relay(&good);
	ck_assert_int_eq(capture_count("DISCONNECT " PEER1), 0);
	ps_free(&good);
	ps_free(&bad);
	for (i = 0; i < 200 && disconnects < 2; i++)
		event_loop(5);
	ck_assert_int_eq(disconnects, 2);
	role_off();
}

START_TEST(test_tlsp_server_daemon_garbage_instead_of_hello)
{
	static const char garbage[] = "GET / HTTP/1.0\r\n\r\n";

	broken_beside_good(garbage, sizeof(garbage) - 1);
	ck_assert_int_eq(capture_count("warning: TLS library problem: "), 1);
}
END_TEST

START_TEST(test_tlsp_server_daemon_hangup_mid_hello)
{
	/* A handshake record of 512 bytes, ClientHello, then nothing. */
	static const unsigned char part[] = {22, 3, 1,   2, 0, 1,
	                                     0,  1, 252, 3, 3};

	broken_beside_good(part, sizeof(part));
	ck_assert_int_eq(capture_count("warning: "), 0);
}
END_TEST

static void
pki_setup(void)
{
	tlsp_pki_create();
}

static void
pki_teardown(void)
{
	tlsp_pki_destroy();
}

Suite *
tlsp_server_daemon_suite(void)
{
	Suite *s = suite_create("tlsp_server_daemon");
	TCase *tc;

	tc = tcase_create("enablement");
	tcase_add_unchecked_fixture(tc, pki_setup, pki_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tlsp_server_daemon_default_config_is_off);
	tcase_add_test(tc, test_tlsp_server_daemon_may_without_certs_is_off);
	tcase_add_test(tc,
	               test_tlsp_server_daemon_own_level_none_wins_over_smtpd);
	tcase_add_test(tc, test_tlsp_server_daemon_bad_protocols_are_off);
	tcase_add_test(tc,
	               test_tlsp_server_daemon_missing_chain_file_only_warns);
	suite_add_tcase(s, tc);

	tc = tcase_create("sessions");
	tcase_add_unchecked_fixture(tc, pki_setup, pki_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tlsp_server_daemon_serves_postscreen);
	tcase_add_test(tc, test_tlsp_server_daemon_sends_context_when_asked);
	tcase_add_test(tc, test_tlsp_server_daemon_garbage_instead_of_hello);
	tcase_add_test(tc, test_tlsp_server_daemon_hangup_mid_hello);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_server_daemon_suite)
