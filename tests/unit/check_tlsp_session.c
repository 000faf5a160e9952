/*
 * check_tlsp_session.c - tests for tlsproxy/tlsp_session.c
 *
 * A session on one end of a socketpair, driven by the event loop, with
 * the test as smtp(8) on the other end: the announcement; bad input
 * (malformed header, bad flags, a name over the decoder limit, silence)
 * gets one warning and a close without a status, or status 0 where
 * stock answers one; an unusable CAfile, and an OpenSSL configuration
 * that was not loaded before the jail, yield status 0; a full proxied
 * session against an in-process TLS server sends TLS_SESS_STATE before
 * any data, relays both ways and logs CONNECT / summary / DISCONNECT;
 * a byte without a descriptor, a remote that closes or stays silent
 * during the handshake, and a client that leaves during it end the
 * session with stock's lines.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "buf.h"
#include "capture.h"
#include "event.h"
#include "fdpass.h"
#include "runner.h"
#include "tls_pair.h"
#include "client_role/tlsp_ctx.h"
#include "tlsp_golden.h"
#include "tlsp_request.h"
#include "tlsp_session.h"

Suite *tlsp_session_suite(void);

static const struct tlsp_tls_params params = TLSP_TLS_PARAMS_DEFAULTS;

static int disconnects;
static struct tlsp_session_config cfg;
static int client = -1; /* the test's end: smtp(8) */

static void
count_disconnect(int fd)
{
	(void)fd;
	disconnects++;
}

/* A session on a fresh socketpair; the test keeps the other end. */
static void
setup(unsigned init_timeout_ms)
{
	int sv[2];

	capture_start();
	/* As the server skeleton does: a dead peer is an error, not a kill. */
	signal(SIGPIPE, SIG_IGN);
	disconnects = 0;
	cfg.ctx_cache = tlsp_ctx_cache_create();
	cfg.settings = tlsp_settings_cache_create();
	cfg.tls_params = &params;
	cfg.init_timeout_ms = init_timeout_ms;
	cfg.disconnect = count_disconnect;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	client = sv[0];
	ck_assert_ptr_nonnull(tlsp_session_create(sv[1], &cfg));
}

/* Runs the loop until want bytes are read (or EOF); returns the count. */
static size_t
client_read(struct buf *in, size_t want)
{
	ssize_t n;
	int i;

	for (i = 0; i < 2000 && in->len < want; i++) {
		event_loop(5);
		n = read(client, buf_reserve(in, want - in->len),
		         want - in->len);
		if (n == 0)
			break;
		if (n > 0)
			in->len += (size_t)n;
		else
			ck_assert_int_eq(errno, EAGAIN);
	}
	return in->len;
}

/* Runs the loop until the session closed its end; 1 if it did. */
static int
client_sees_eof(void)
{
	char c;
	ssize_t n;
	int i;

	for (i = 0; i < 2000; i++) {
		event_loop(5);
		n = read(client, &c, 1);
		if (n == 0)
			return 1;
		ck_assert_int_lt(n, 1);
	}
	return 0;
}

static void
client_write(const void *data, size_t len)
{
	ck_assert_int_eq(write(client, data, len), (ssize_t)len);
}

/* Reads the 28-byte announcement. */
static void
read_announce(void)
{
	struct buf in;

	buf_init(&in);
	ck_assert_uint_eq(client_read(&in, 28), 28);
	ck_assert_mem_eq(in.data, "protocol\0tlsproxy_protocol\0", 28);
	buf_free(&in);
}

/* Reads a status list and returns its value. */
static int
read_status(void)
{
	struct buf in;
	int status;

	buf_init(&in);
	ck_assert_msg(client_read(&in, 10) == 10, "log: %s", capture_text());
	ck_assert_mem_eq(in.data, "status\0", 7);
	status = in.data[7] - '0';
	ck_assert_mem_eq(in.data + 8, "\0\0", 2);
	buf_free(&in);
	return status;
}

/* The stock end-of-session lines after a header was read. */
static void
assert_failed_session_logged(const char *peer)
{
	struct buf want;

	buf_init(&want);
	buf_printf(&want, "TLS handshake failed for service=smtp peer=%s",
	           peer);
	ck_assert_int_eq(capture_count(buf_str(&want)), 1);
	buf_reset(&want);
	buf_printf(&want, "DISCONNECT %s", peer);
	ck_assert_int_eq(capture_count(buf_str(&want)), 1);
	buf_free(&want);
}

static void
teardown(void)
{
	/* Whatever ended the session also freed it. */
	if (disconnects > 0)
		ck_assert_uint_eq(tlsp_session_count(), 0);
	if (client >= 0)
		(void)close(client);
	client = -1;
	tlsp_ctx_cache_free(cfg.ctx_cache);
	tlsp_settings_cache_free(cfg.settings);
}

START_TEST(test_tlsp_session_announces_then_warns_on_eof)
{
	setup(0);
	read_announce();
	(void)close(client);
	client = -1;
	event_loop(50);
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(
	    capture_count("warning: tlsp_get_request_event: receive request "
	                  "attributes: unexpected end of input"),
	    1);
	ck_assert_int_eq(capture_count("CONNECT"), 0);
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_malformed_header_gets_no_status)
{
	static const char req[] = "remote_endpoint\0[192.0.2.1]:25\0"
	                          "flags\0six\0timeout\0"
	                          "300\0timeout\0"
	                          "600\0"
	                          "serverid\0smtp\0";

	setup(0);
	read_announce();
	client_write(req, sizeof(req));
	ck_assert(client_sees_eof());
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
	ck_assert_int_eq(capture_count("warning: tlsp_get_request_event: "
	                               "receive request attributes: "),
	                 1);
	ck_assert_int_eq(capture_count("CONNECT"), 0);
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_bad_flags_get_status_0)
{
	static const char req[] = "remote_endpoint\0[192.0.2.1]:25\0"
	                          "flags\0"
	                          "3\0timeout\0"
	                          "300\0timeout\0"
	                          "600\0"
	                          "serverid\0smtp\0";

	setup(0);
	read_announce();
	client_write(req, sizeof(req));
	ck_assert_int_eq(read_status(), 0);
	ck_assert_int_eq(capture_count("CONNECT (bogus_direction) "
	                               "[192.0.2.1]:25"),
	                 1);
	ck_assert_int_eq(capture_count("warning: tlsp_get_request_event: bad "
	                               "request flags: 0x3"),
	                 1);
	ck_assert_int_eq(disconnects, 0);
	(void)close(client);
	client = -1;
	event_loop(50);
	ck_assert_int_eq(disconnects, 1);
	assert_failed_session_logged("[192.0.2.1]:25");
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_server_role_gets_status_0)
{
	static const char req[] = "remote_endpoint\0[192.0.2.9]:4567\0"
	                          "flags\0"
	                          "1\0timeout\0"
	                          "300\0timeout\0"
	                          "300\0"
	                          "serverid\0smtpd\0";

	setup(0);
	read_announce();
	client_write(req, sizeof(req));
	ck_assert_int_eq(read_status(), 0);
	ck_assert_int_eq(capture_count("CONNECT from [192.0.2.9]:4567"), 1);
	/* Off by configuration: stock warned at start-up, not here. */
	ck_assert_int_eq(capture_count("warning: "), 0);
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_name_over_limit_is_one_warning)
{
	struct buf req;
	size_t i;

	setup(0);
	read_announce();
	buf_init(&req);
	for (i = 0; i <= tlsp_request_attr_limits.name_max; i++)
		buf_putc(&req, 'n');
	buf_append(&req, "\0v\0\0", 4);
	client_write(req.data, req.len);
	buf_free(&req);
	ck_assert(client_sees_eof());
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
	ck_assert_int_eq(capture_count("warning: tlsp_get_request_event: "
	                               "receive request attributes: "),
	                 1);
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_silent_client_times_out)
{
	setup(100);
	read_announce();
	ck_assert(client_sees_eof());
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("warning: tlsp_get_request_event: "
	                               "receive request attributes: "
	                               "Connection timed out"),
	                 1);
	teardown();
}
END_TEST

/* Appends list number index of the golden client request, edited. */
static void
golden_list(struct buf *out, size_t index, const char *name, const char *value,
            const char *name2, const char *value2)
{
	const struct attr_list *list;
	struct tlsp_tlist tl;
	size_t i;

	tlsp_tlist_golden(&tl, "tlsp-3.7.11-client-request.bin", index);
	if (name != NULL)
		tlsp_tlist_set(&tl, tlsp_tlist_find(&tl, name, 0), value);
	if (name2 != NULL)
		tlsp_tlist_set(&tl, tlsp_tlist_find(&tl, name2, 0), value2);
	list = tlsp_tlist_list(&tl);
	for (i = 0; i < list->count; i++)
		attr_enc_str(out, list->pairs[i].name, list->pairs[i].value);
	attr_enc_end(out);
	tlsp_tlist_free(&tl);
}

START_TEST(test_tlsp_session_unusable_cafile_gets_status_0)
{
	struct buf req;

	setup(0);
	read_announce();
	buf_init(&req);
	golden_list(&req, 0, NULL, NULL, NULL, NULL);
	golden_list(&req, 1, "CAfile", "/nonexistent/ca.pem", NULL, NULL);
	client_write(req.data, req.len);
	buf_free(&req);
	ck_assert_int_eq(read_status(), 0);
	ck_assert_int_eq(capture_count("CONNECT to [127.0.0.1]:40584"), 1);
	ck_assert_int_ge(capture_count("warning: "), 1);
	(void)close(client);
	client = -1;
	event_loop(50);
	ck_assert_int_eq(disconnects, 1);
	assert_failed_session_logged("[127.0.0.1]:40584");
	teardown();
}
END_TEST

/*
 * A request names its OpenSSL configuration (config_file, config_name):
 * one loaded before the jail is served, any other gets status 0 and one
 * warning that names it and the fix.
 */
START_TEST(test_tlsp_session_openssl_config_must_be_loaded)
{
	struct buf req;

	ck_assert_int_eq(setenv("OPENSSL_CONF", "/dev/null", 1), 0);
	cfg.libconf = tlsp_libconf_create("default", "");
	ck_assert_ptr_nonnull(tlsp_libconf_load(cfg.libconf, "none", ""));
	setup(0);
	read_announce();
	buf_init(&req);
	golden_list(&req, 0, NULL, NULL, NULL, NULL);
	golden_list(&req, 1, "config_file", _i ? "none" : "/etc/strict.cnf",
	            "CAfile", "");
	client_write(req.data, req.len);
	buf_free(&req);
	ck_assert_int_eq(read_status(), _i);
	ck_assert_int_eq(capture_count("warning: "), !_i);
	if (!_i)
		ck_assert_int_eq(
		    capture_count(
		        "warning: client request refused: it asks "
		        "for OpenSSL configuration "
		        "tls_config_file=/etc/strict.cnf "
		        "tls_config_name=, which no smtp or lmtp "
		        "transport of main.cf or master.cf named when "
		        "this process started"),
		    1);
	(void)close(client);
	client = -1;
	event_loop(50);
	ck_assert_int_eq(disconnects, 1);
	teardown();
	tlsp_libconf_free(cfg.libconf);
	cfg.libconf = NULL;
}
END_TEST

/* The remote SMTP server: one in-process TLS server SSL. */
struct remote {
	SSL_CTX *ctx;
	SSL *ssl;
	int up;
};

/* One non-blocking step of the server; sends "early" once it is up. */
static void
remote_step(struct remote *r)
{
	if (r->up || SSL_do_handshake(r->ssl) != 1)
		return;
	r->up = 1;
	ck_assert_int_eq(SSL_write(r->ssl, "early", 5), 5);
}

/* Reads exactly len bytes from the server SSL, running the loop. */
static void
remote_read(struct remote *r, char *data, int len)
{
	int got = 0, n, i;

	for (i = 0; i < 2000 && got < len; i++) {
		event_loop(5);
		remote_step(r);
		if (r->up && (n = SSL_read(r->ssl, data + got, len - got)) > 0)
			got += n;
	}
	ck_assert_int_eq(got, len);
}

/*
 * Hands the remote socket over, as smtp(8) does, and runs the session
 * until TLS_SESS_STATE and the server's 5 early bytes are in: in holds
 * them, *used is the context's length, the decoded list is returned.
 */
static const struct attr_list *
handshake_to_context(struct remote *r, int rv[2], struct attr_dec **dec,
                     struct buf *in, size_t *used)
{
	enum attr_dec_status st = ATTR_DEC_NEED_MORE;
	ssize_t n;
	int i;

	tls_pair_unix(rv);
	ck_assert_int_eq(fdpass_send(client, rv[0]), 0);
	(void)close(rv[0]);
	r->ctx = tls_pair_server_ctx();
	r->ssl = SSL_new(r->ctx);
	SSL_set_fd(r->ssl, rv[1]);
	SSL_set_accept_state(r->ssl);

	/* TLS_SESS_STATE comes first, then the server's early bytes. */
	*dec = attr_dec_create(NULL);
	*used = 0;
	buf_init(in);
	for (i = 0; i < 2000 && (st != ATTR_DEC_OK || in->len < *used + 5);
	     i++) {
		event_loop(5);
		remote_step(r);
		n = read(client, buf_reserve(in, 4096), 4096);
		if (n > 0)
			in->len += (size_t)n;
		if (st == ATTR_DEC_NEED_MORE && in->len > 0) {
			st = attr_dec_feed(*dec, in->data, in->len, used);
			if (st == ATTR_DEC_NEED_MORE)
				attr_dec_reset(*dec);
		}
	}
	ck_assert_int_eq(st, ATTR_DEC_OK);
	return attr_dec_list(*dec);
}

START_TEST(test_tlsp_session_sends_context_before_data)
{
	struct remote r = {0};
	struct attr_dec *dec;
	const struct attr_list *list;
	struct buf req, in;
	size_t used = 0;
	char data[16];
	int rv[2], i;

	setup(0);
	read_announce();
	buf_init(&req);
	golden_list(&req, 0, NULL, NULL, NULL, NULL);
	golden_list(&req, 1, "CAfile", "", "tls_level", "2");
	client_write(req.data, req.len);
	buf_free(&req);
	ck_assert_int_eq(read_status(), 1);

	list = handshake_to_context(&r, rv, &dec, &in, &used);
	ck_assert_uint_eq(list->count, 22);
	ck_assert_str_eq(list->pairs[0].name, "peer_CN");
	ck_assert_str_eq(attr_list_get(list, "level")->value, "2");
	ck_assert_str_eq(attr_list_get(list, "namaddr")->value,
	                 "127.0.0.1[127.0.0.1]:40584");
	ck_assert_uint_eq(in.len, used + 5);
	ck_assert_mem_eq(in.data + used, "early", 5);
	attr_dec_free(dec);
	buf_free(&in);

	/* Both directions relay. */
	client_write("EHLO x\r\n", 8);
	remote_read(&r, data, 8);
	ck_assert_mem_eq(data, "EHLO x\r\n", 8);
	ck_assert_int_eq(SSL_write(r.ssl, "250 ok\r\n", 8), 8);
	buf_init(&in);
	ck_assert_uint_eq(client_read(&in, 8), 8);
	ck_assert_mem_eq(in.data, "250 ok\r\n", 8);
	buf_free(&in);

	/* The client closes: close_notify to the server, the session ends. */
	(void)close(client);
	client = -1;
	for (i = 0; i < 2000 && SSL_read(r.ssl, data, sizeof(data)) != 0; i++)
		event_loop(5);
	ck_assert_int_eq(SSL_get_shutdown(r.ssl) & SSL_RECEIVED_SHUTDOWN,
	                 SSL_RECEIVED_SHUTDOWN);
	for (i = 0; i < 200 && disconnects == 0; i++)
		event_loop(5);
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("CONNECT to [127.0.0.1]:40584"), 1);
	ck_assert_int_eq(capture_count("TLS connection established to "
	                               "127.0.0.1[127.0.0.1]:40584: "),
	                 1);
	ck_assert_int_eq(capture_count("DISCONNECT [127.0.0.1]:40584"), 1);
	ck_assert_int_eq(capture_count("handshake failed"), 0);
	ck_assert_int_eq(capture_count("warning: "), 0);
	SSL_free(r.ssl);
	SSL_CTX_free(r.ctx);
	(void)close(rv[1]);
	teardown();
}
END_TEST

/* A 3.10+ body with TLSRPT on: the 3.7.11 one plus the 3.10 tail. */
static void
tlsrpt_body(struct buf *out, const char *forced_failure_type)
{
	static const char *const tail[][2] = {
	    {"tlsrpt", "1"},
	    {"rpt_socket_name", "/run/tlsrpt/tlsrpt.sock"},
	    {"rpt_policy_domain", "example.net"},
	    {"rpt_policy_string", "v=TLSRPTv1; rua=mailto:r@example.net"},
	    {"tls_policy_type", "1"},
	    {"argv_size", "0"},
	    {"tls_policy_domain", "example.net"},
	    {"argv_size", "0"},
	    {"snd_mta_addr", "127.0.0.1"},
	    {"rcv_mta_name", "mx.example.net"},
	    {"rcv_mta_addr", "127.0.0.1"},
	    {"rcv_mta_ehlo", "mx.example.net"},
	    {"skip_reused_hs", "1"},
	    {"flags", "0"},
	};
	const struct attr_list *list;
	struct tlsp_tlist tl;
	size_t i;

	tlsp_tlist_golden(&tl, "tlsp-3.7.11-client-request.bin", 1);
	tlsp_tlist_set(&tl, tlsp_tlist_find(&tl, "CAfile", 0), "");
	tlsp_tlist_set(&tl, tlsp_tlist_find(&tl, "tls_level", 0), "2");
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		tlsp_tlist_insert(&tl, tl.count, tail[i][0], tail[i][1]);
	tlsp_tlist_insert(&tl, tl.count, "forced_failure_type",
	                  forced_failure_type);
	list = tlsp_tlist_list(&tl);
	for (i = 0; i < list->count; i++)
		attr_enc_str(out, list->pairs[i].name, list->pairs[i].value);
	attr_enc_end(out);
	tlsp_tlist_free(&tl);
}

/* forced_failure_type of the request, rpt_reported of the reply. */
static const char *const tlsrpt_cases[][2] = {
    {"", "0"},                   /* smtp(8) reports this session */
    {"sts-policy-invalid", "1"}, /* smtp(8) must not report its own */
};

START_TEST(test_tlsp_session_tlsrpt_request_is_served)
{
	struct remote r = {0};
	struct attr_dec *dec;
	const struct attr_list *list;
	struct buf req, in;
	size_t used;
	char data[16];
	int rv[2], i;

	setup(0);
	read_announce();
	buf_init(&req);
	golden_list(&req, 0, NULL, NULL, NULL, NULL);
	tlsrpt_body(&req, tlsrpt_cases[_i][0]);
	client_write(req.data, req.len);
	buf_free(&req);
	ck_assert_int_eq(read_status(), 1);
	list = handshake_to_context(&r, rv, &dec, &in, &used);
	/* The 3.10-3.11 layout, which ends with rpt_reported. */
	ck_assert_uint_eq(list->count, 25);
	ck_assert_str_eq(list->pairs[24].name, "rpt_reported");
	ck_assert_str_eq(list->pairs[24].value, tlsrpt_cases[_i][1]);
	ck_assert_int_eq(capture_count("warning: TLSRPT: a client asks for "
	                               "TLSRPT reporting"),
	                 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
	attr_dec_free(dec);
	buf_free(&in);
	(void)close(client);
	client = -1;
	for (i = 0; i < 2000 && SSL_read(r.ssl, data, sizeof(data)) != 0; i++)
		event_loop(5);
	for (i = 0; i < 200 && disconnects == 0; i++)
		event_loop(5);
	ck_assert_int_eq(disconnects, 1);
	SSL_free(r.ssl);
	SSL_CTX_free(r.ctx);
	(void)close(rv[1]);
	teardown();
}
END_TEST

/* Sends the edited golden request and reads status 1. */
static void
send_request_ok(const char *timeout)
{
	struct buf req;

	buf_init(&req);
	golden_list(&req, 0, "timeout", timeout, NULL, NULL);
	golden_list(&req, 1, "CAfile", "", "tls_level", "2");
	client_write(req.data, req.len);
	buf_free(&req);
	ck_assert_int_eq(read_status(), 1);
}

START_TEST(test_tlsp_session_byte_without_fd_is_one_warning)
{
	setup(0);
	read_announce();
	send_request_ok("300");
	client_write("", 1);
	ck_assert(client_sees_eof());
	ck_assert_int_eq(disconnects, 1);
	ck_assert_int_eq(capture_count("warning: "), 1);
	ck_assert_int_eq(capture_count("warning: tlsp_get_fd_event: receive "
	                               "remote SMTP peer file descriptor: "),
	                 1);
	assert_failed_session_logged("[127.0.0.1]:40584");
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_remote_close_fails_handshake)
{
	int rv[2];

	setup(0);
	read_announce();
	send_request_ok("300");
	tls_pair_unix(rv);
	ck_assert_int_eq(fdpass_send(client, rv[0]), 0);
	(void)close(rv[0]);
	(void)close(rv[1]);
	/* smtp(8) gets EOF instead of TLS_SESS_STATE. */
	ck_assert(client_sees_eof());
	ck_assert_int_eq(disconnects, 1);
	assert_failed_session_logged("[127.0.0.1]:40584");
	ck_assert_int_eq(capture_count("established"), 0);
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_silent_remote_times_out)
{
	struct buf in;
	int rv[2], i;

	setup(0);
	read_announce();
	/* The header's first timeout is the handshake's: 1 second. */
	send_request_ok("1");
	tls_pair_unix(rv);
	ck_assert_int_eq(fdpass_send(client, rv[0]), 0);
	(void)close(rv[0]);
	buf_init(&in);
	for (i = 0; i < 25 && disconnects == 0; i++)
		event_loop(20);
	ck_assert_int_eq(disconnects, 0);
	for (i = 0; i < 150 && disconnects == 0; i++)
		event_loop(20);
	ck_assert_int_eq(disconnects, 1);
	ck_assert(client_sees_eof());
	assert_failed_session_logged("[127.0.0.1]:40584");
	buf_free(&in);
	(void)close(rv[1]);
	teardown();
}
END_TEST

/* True if fd has bytes to read. */
static int
readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0) == 1;
}

START_TEST(test_tlsp_session_remote_tcp_socket_gets_nodelay)
{
	int rv[2], keep, on = 0, i;
	socklen_t len = sizeof(on);

	setup(0);
	read_announce();
	send_request_ok("300");
	tls_pair_tcp(rv);
	ck_assert_int_ge(keep = dup(rv[0]), 0);
	/* As smtp(8) leaves it: Nagle on (tls_pair turned it off). */
	ck_assert_int_eq(
	    setsockopt(keep, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)), 0);
	ck_assert_int_eq(fdpass_send(client, rv[0]), 0);
	(void)close(rv[0]);
	/* The ClientHello reaching the far end shows the fd was taken. */
	for (i = 0; i < 200 && !readable(rv[1]); i++)
		event_loop(5);
	ck_assert_int_eq(getsockopt(keep, IPPROTO_TCP, TCP_NODELAY, &on, &len),
	                 0);
	ck_assert_int_ne(on, 0);
	(void)close(keep);
	(void)close(rv[1]);
	teardown();
}
END_TEST

START_TEST(test_tlsp_session_client_gone_during_handshake)
{
	int rv[2], i;

	setup(0);
	read_announce();
	send_request_ok("300");
	tls_pair_unix(rv);
	ck_assert_int_eq(fdpass_send(client, rv[0]), 0);
	(void)close(rv[0]);
	for (i = 0; i < 5; i++)
		event_loop(5);
	(void)close(client);
	client = -1;
	for (i = 0; i < 100 && disconnects == 0; i++)
		event_loop(5);
	ck_assert_int_eq(disconnects, 1);
	assert_failed_session_logged("[127.0.0.1]:40584");
	(void)close(rv[1]);
	teardown();
}
END_TEST

Suite *
tlsp_session_suite(void)
{
	Suite *s = suite_create("tlsp_session");
	TCase *tc;

	tc = tcase_create("malformed");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tlsp_session_announces_then_warns_on_eof);
	tcase_add_test(tc, test_tlsp_session_malformed_header_gets_no_status);
	tcase_add_test(tc, test_tlsp_session_bad_flags_get_status_0);
	tcase_add_test(tc, test_tlsp_session_server_role_gets_status_0);
	tcase_add_test(tc, test_tlsp_session_name_over_limit_is_one_warning);
	tcase_add_test(tc, test_tlsp_session_silent_client_times_out);
	tcase_add_test(tc, test_tlsp_session_unusable_cafile_gets_status_0);
	tcase_add_loop_test(tc, test_tlsp_session_openssl_config_must_be_loaded,
	                    0, 2);
	suite_add_tcase(s, tc);
	tc = tcase_create("proxy");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tlsp_session_sends_context_before_data);
	tcase_add_loop_test(
	    tc, test_tlsp_session_tlsrpt_request_is_served, 0,
	    (int)(sizeof(tlsrpt_cases) / sizeof(tlsrpt_cases[0])));
	tcase_add_test(tc, test_tlsp_session_byte_without_fd_is_one_warning);
	tcase_add_test(tc, test_tlsp_session_remote_close_fails_handshake);
	tcase_add_test(tc, test_tlsp_session_silent_remote_times_out);
	tcase_add_test(tc, test_tlsp_session_client_gone_during_handshake);
	tcase_add_test(tc, test_tlsp_session_remote_tcp_socket_gets_nodelay);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_session_suite)
