/*
 * check_tlsp_pump.c - tests for tlsproxy/tlsp_pump.c
 *
 * A real TLS session: the test plays the remote TLS server on one end of
 * the ciphertext socket pair and the local client (smtp(8)) on one end of
 * the plaintext pair; the pump holds the other two ends and the client
 * SSL. All three run on the same event loop. Streams carry a position-
 * dependent pattern, so loss, duplication and reordering all show up.
 * Timeout and idle-release tests move an injected clock.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "event.h"
#include "runner.h"
#include "tls_pair.h"
#include "tlsp_pump.h"

#define SEED_UP 1   /* client to remote */
#define SEED_DOWN 2 /* remote to client */
#define MIB (1024u * 1024u)

Suite *tlsp_pump_suite(void);

/* --- patterns */

static unsigned char
pattern_byte(uint64_t off, unsigned seed)
{
	return (unsigned char)((off * (2 * seed + 5)) ^ (off >> 9) ^ seed);
}

static void
pattern_fill(unsigned char *buf, size_t len, uint64_t off, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern_byte(off + i, seed);
}

/* Returns the number of bytes that differ from the pattern. */
static unsigned
pattern_bad(const unsigned char *buf, size_t len, uint64_t off, unsigned seed)
{
	unsigned bad = 0;
	size_t i;

	for (i = 0; i < len; i++)
		bad += buf[i] != pattern_byte(off + i, seed);
	return bad;
}

/* --- the remote TLS server, played by the test */

struct remote {
	SSL *ssl;
	int fd;
	uint64_t to_send, sent, got;
	unsigned bad;
	unsigned records, full_records; /* SSL_read calls that got data */
	int reading;
	int closed; /* close_notify seen */
	int err;    /* another SSL error seen */
	unsigned char wbuf[TLSP_PUMP_RECORD];
	size_t wlen; /* SSL_write to repeat with the same bytes */
};

static void remote_event(int fd, unsigned events, void *ctx);

static void
remote_send(struct remote *r)
{
	int n;

	while (r->sent < r->to_send && !r->err) {
		if (r->wlen == 0) {
			r->wlen = r->to_send - r->sent < sizeof(r->wbuf)
			              ? r->to_send - r->sent
			              : sizeof(r->wbuf);
			pattern_fill(r->wbuf, r->wlen, r->sent, SEED_DOWN);
		}
		n = SSL_write(r->ssl, r->wbuf, (int)r->wlen);
		if (n <= 0) {
			int err = SSL_get_error(r->ssl, n);

			if (err != SSL_ERROR_WANT_WRITE &&
			    err != SSL_ERROR_WANT_READ)
				r->err = err;
			return;
		}
		r->sent += (uint64_t)n;
		r->wlen = 0;
	}
}

static void
remote_receive(struct remote *r)
{
	unsigned char buf[TLSP_PUMP_RECORD];
	int n, err;

	while (r->reading && !r->closed && !r->err) {
		n = SSL_read(r->ssl, buf, sizeof(buf));
		if (n > 0) {
			r->bad += pattern_bad(buf, (size_t)n, r->got, SEED_UP);
			r->got += (uint64_t)n;
			r->records++;
			r->full_records += n == TLSP_PUMP_RECORD;
			continue;
		}
		err = SSL_get_error(r->ssl, n);
		if (err == SSL_ERROR_ZERO_RETURN)
			r->closed = 1;
		else if (err != SSL_ERROR_WANT_READ &&
		         err != SSL_ERROR_WANT_WRITE)
			r->err = err;
		ERR_clear_error();
		return;
	}
}

static void
remote_arm(struct remote *r)
{
	unsigned mask = 0;

	if (r->reading && !r->closed && !r->err)
		mask |= EVENT_READ;
	if (r->sent < r->to_send && !r->err)
		mask |= EVENT_WRITE;
	event_set(r->fd, mask, remote_event, r);
}

static void
remote_event(int fd, unsigned events, void *ctx)
{
	struct remote *r = ctx;

	remote_send(r);
	remote_receive(r);
	remote_arm(r);
}

/* --- the local client (smtp(8)), played by the test */

struct plain {
	int fd;
	uint64_t to_send, sent, got;
	unsigned bad;
	int reading;
	int eof;
	int err;             /* a recv() error other than EAGAIN */
	int shut_after_send; /* shutdown(SHUT_WR) once all is sent */
};

static void plain_event(int fd, unsigned events, void *ctx);

static void
plain_send(struct plain *c)
{
	unsigned char buf[65536];
	size_t len;
	ssize_t n;

	while (c->sent < c->to_send) {
		len = c->to_send - c->sent < sizeof(buf) ? c->to_send - c->sent
		                                         : sizeof(buf);
		pattern_fill(buf, len, c->sent, SEED_UP);
		n = send(c->fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		c->sent += (uint64_t)n;
	}
	if (c->shut_after_send) {
		(void)shutdown(c->fd, SHUT_WR);
		c->shut_after_send = 0;
	}
}

static void
plain_receive(struct plain *c)
{
	unsigned char buf[65536];
	ssize_t n;

	while (c->reading && !c->eof) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno != EAGAIN)
				c->err = errno;
			return;
		}
		if (n == 0) {
			c->eof = 1;
			return;
		}
		c->bad += pattern_bad(buf, (size_t)n, c->got, SEED_DOWN);
		c->got += (uint64_t)n;
	}
}

static void
plain_arm(struct plain *c)
{
	unsigned mask = 0;

	if (c->reading && !c->eof)
		mask |= EVENT_READ;
	if (c->sent < c->to_send || c->shut_after_send)
		mask |= EVENT_WRITE;
	event_set(c->fd, mask, plain_event, c);
}

static void
plain_event(int fd, unsigned events, void *ctx)
{
	struct plain *c = ctx;

	plain_send(c);
	plain_receive(c);
	plain_arm(c);
}

/* --- fixture */

struct done {
	int called;
	char reason[128];
	struct tlsp_pump_stats stats;
};

static SSL_CTX *cctx, *sctx;
static int plain_sv[2], cipher_sv[2]; /* [0]: the pump's end */
static struct tlsp_pump *pump;
static struct remote rem;
static struct plain cli;
static struct done done;
static uint64_t fake_now;

static void
on_done(struct tlsp_pump *p, const char *reason, void *ctx)
{
	struct done *d = ctx;

	ck_assert_ptr_eq(p, pump);
	d->called++;
	snprintf(d->reason, sizeof(d->reason), "%s", reason);
	tlsp_pump_stats(p, &d->stats);
	tlsp_pump_free(p);
	pump = NULL;
}

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
setup(void)
{
	(void)signal(SIGPIPE, SIG_IGN);
	cctx = tls_pair_client_ctx();
	sctx = tls_pair_server_ctx();
	memset(&rem, 0, sizeof(rem));
	memset(&cli, 0, sizeof(cli));
	memset(&done, 0, sizeof(done));
	tls_pair_unix(plain_sv);
}

/* Connects TLS over a UNIX or TCP pair and starts the pump. */
static void
start(int tcp, unsigned timeout_ms)
{
	SSL *client;

	if (tcp)
		tls_pair_tcp(cipher_sv);
	else
		tls_pair_unix(cipher_sv);
	tls_pair_connect(cctx, sctx, cipher_sv, &client, &rem.ssl);
	rem.fd = cipher_sv[1];
	rem.reading = 1;
	cli.fd = plain_sv[1];
	cli.reading = 1;
	pump = tlsp_pump_create(plain_sv[0], client, cipher_sv[0], timeout_ms,
	                        on_done, &done);
	remote_arm(&rem);
	plain_arm(&cli);
}

/* Runs the loop until cond holds; fails after max_rounds. */
#define RUN_UNTIL(cond, max_rounds)                                            \
	do {                                                                   \
		int round_;                                                    \
		for (round_ = 0; !(cond) && round_ < (max_rounds); round_++)   \
			event_loop(10);                                        \
		ck_assert_msg((cond), "timed out waiting for %s", #cond);      \
	} while (0)

/* On the fake clock: lets every ready callback run. */
static void
settle(void)
{
	int i;

	for (i = 0; i < 50; i++)
		event_loop(0);
}

static void
advance(uint64_t ms)
{
	fake_now += ms;
	settle();
}

static int
fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

static int
open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while (readdir(dir) != NULL)
		n++;
	(void)closedir(dir);
	return n;
}

/* --- data */

START_TEST(test_tlsp_pump_moves_1mib_each_way_intact)
{
	struct tlsp_pump_stats st;

	start(0, 60000);
	rem.to_send = MIB;
	cli.to_send = MIB;
	remote_arm(&rem);
	plain_arm(&cli);
	RUN_UNTIL(rem.got == MIB && cli.got == MIB, 5000);
	ck_assert_uint_eq(rem.bad, 0);
	ck_assert_uint_eq(cli.bad, 0);
	tlsp_pump_stats(pump, &st);
	ck_assert_uint_eq(st.to_remote, MIB);
	ck_assert_uint_eq(st.to_plain, MIB);
	ck_assert_uint_le(st.buffered, 2 * TLSP_PUMP_BUFFER + TLSP_PUMP_WIRE);
	/* The records of one turn leave together: fewer sends than records. */
	ck_assert_uint_gt(st.wire_sends, 0);
	ck_assert_uint_lt(st.wire_sends, MIB / TLSP_PUMP_RECORD);
	ck_assert_int_eq(done.called, 0);
}
END_TEST

/* A BIO callback that only passes the result on (a packet dump's place). */
static long
count_bio_cb(BIO *bio, int cmd, const char *argp, size_t len, int argi,
             long argl, int ret, size_t *processed)
{
	(void)bio;
	(void)cmd;
	(void)argp;
	(void)len;
	(void)argi;
	(void)argl;
	(void)processed;
	return ret;
}

START_TEST(test_tlsp_pump_with_packet_dump_writes_each_record)
{
	struct tlsp_pump_stats st;
	SSL *client;

	tls_pair_unix(cipher_sv);
	tls_pair_connect(cctx, sctx, cipher_sv, &client, &rem.ssl);
	BIO_set_callback_ex(SSL_get_rbio(client), count_bio_cb);
	rem.fd = cipher_sv[1];
	rem.reading = 1;
	cli.fd = plain_sv[1];
	cli.reading = 1;
	pump = tlsp_pump_create(plain_sv[0], client, cipher_sv[0], 60000,
	                        on_done, &done);
	cli.to_send = MIB;
	remote_arm(&rem);
	plain_arm(&cli);
	RUN_UNTIL(rem.got == MIB, 5000);
	ck_assert_uint_eq(rem.bad, 0);
	tlsp_pump_stats(pump, &st);
	/* Straight to the socket BIO, where the dump sees every record. */
	ck_assert_uint_eq(st.wire_sends, 0);
	ck_assert_ptr_eq(SSL_get_wbio(client), SSL_get_rbio(client));
}
END_TEST

START_TEST(test_tlsp_pump_stops_reading_remote_when_client_stalls)
{
	struct tlsp_pump_stats st, later;
	uint64_t last = 0;
	int quiet = 0, i;

	start(0, 60000);
	cli.reading = 0;
	plain_arm(&cli);
	rem.to_send = 8 * MIB;
	remote_arm(&rem);
	/* Until the remote cannot write any more. */
	while (quiet < 5) {
		event_loop(20);
		quiet = rem.sent == last ? quiet + 1 : 0;
		last = rem.sent;
	}
	ck_assert_uint_lt(rem.sent, 2 * MIB);
	tlsp_pump_stats(pump, &st);
	ck_assert_uint_le(st.buffered, 2 * TLSP_PUMP_BUFFER);
	/* Stalled: no wakeups at all, so nothing is polled in a loop. */
	for (i = 0; i < 5; i++)
		event_loop(20);
	tlsp_pump_stats(pump, &later);
	ck_assert_uint_eq(later.wakeups, st.wakeups);
	ck_assert_uint_eq(later.to_plain, st.to_plain);
	/* The client reads again: everything arrives, intact. */
	cli.reading = 1;
	plain_arm(&cli);
	RUN_UNTIL(cli.got == 8 * MIB, 20000);
	ck_assert_uint_eq(cli.bad, 0);
}
END_TEST

START_TEST(test_tlsp_pump_stops_reading_client_when_remote_stalls)
{
	uint64_t last = 0;
	int quiet = 0;

	start(0, 60000);
	rem.reading = 0;
	remote_arm(&rem);
	cli.to_send = 8 * MIB;
	plain_arm(&cli);
	while (quiet < 5) {
		event_loop(20);
		quiet = cli.sent == last ? quiet + 1 : 0;
		last = cli.sent;
	}
	ck_assert_uint_lt(cli.sent, 2 * MIB);
	rem.reading = 1;
	remote_arm(&rem);
	RUN_UNTIL(rem.got == 8 * MIB, 20000);
	ck_assert_uint_eq(rem.bad, 0);
	/* Bulk data goes out in full-size records (one SSL_read each). */
	ck_assert_uint_ge(rem.full_records, rem.records * 9 / 10);
}
END_TEST

START_TEST(test_tlsp_pump_half_closed_client_still_gets_remote_bytes)
{
	int small = 4096, i;

	ck_assert_int_eq(setsockopt(plain_sv[0], SOL_SOCKET, SO_SNDBUF, &small,
	                            sizeof(small)),
	                 0);
	start(0, 60000);
	cli.reading = 0;
	plain_arm(&cli);
	rem.to_send = 65536;
	remote_arm(&rem);
	RUN_UNTIL(rem.sent == 65536, 1000);
	/* The client says QUIT and half-closes, with replies unread. */
	cli.to_send = 6;
	cli.shut_after_send = 1;
	plain_arm(&cli);
	RUN_UNTIL(rem.closed, 1000);
	ck_assert_uint_eq(rem.got, 6);
	for (i = 0; i < 20; i++)
		event_loop(10);
	ck_assert_int_eq(done.called, 0); /* holding what it already has */
	cli.reading = 1;
	plain_arm(&cli);
	RUN_UNTIL(cli.eof, 1000);
	ck_assert_uint_gt(cli.got, 0);
	ck_assert_uint_eq(cli.bad, 0);
	ck_assert_int_eq(done.called, 1);
	ck_assert_str_eq(done.reason, "plaintext EOF");
}
END_TEST

START_TEST(test_tlsp_pump_vanished_client_ends_with_plaintext_error)
{
	int small = 4096;

	ck_assert_int_eq(setsockopt(plain_sv[0], SOL_SOCKET, SO_SNDBUF, &small,
	                            sizeof(small)),
	                 0);
	start(0, 60000);
	cli.reading = 0;
	plain_arm(&cli);
	rem.to_send = 65536;
	remote_arm(&rem);
	RUN_UNTIL(rem.sent == 65536, 1000);
	/* The client goes away with replies unread: the pump reads a reset. */
	event_clear(cli.fd);
	(void)close(cli.fd);
	RUN_UNTIL(done.called && rem.closed, 2000);
	ck_assert_msg(strncmp(done.reason, "plaintext error: ", 17) == 0,
	              "reason: %s", done.reason);
	ck_assert(fd_closed(plain_sv[0]));
	ck_assert(fd_closed(cipher_sv[0]));
}
END_TEST

START_TEST(test_tlsp_pump_client_eof_waits_for_stalled_remote)
{
	int i;

	start(0, 60000);
	rem.reading = 0;
	remote_arm(&rem);
	cli.to_send = MIB;
	cli.shut_after_send = 1;
	plain_arm(&cli);
	for (i = 0; i < 50; i++)
		event_loop(10);
	ck_assert_int_eq(done.called, 0); /* bytes still to deliver */
	rem.reading = 1;
	remote_arm(&rem);
	RUN_UNTIL(done.called && rem.closed, 5000);
	ck_assert_str_eq(done.reason, "plaintext EOF");
	ck_assert_uint_eq(rem.got, MIB);
	ck_assert_uint_eq(rem.bad, 0);
}
END_TEST

START_TEST(test_tlsp_pump_garbage_from_remote_is_a_tls_error)
{
	static const char junk[] = "HTTP/1.0 400 Bad Request\r\n\r\n";

	start(0, 60000);
	event_clear(rem.fd);
	ck_assert_int_eq(send(rem.fd, junk, sizeof(junk) - 1, 0),
	                 (ssize_t)sizeof(junk) - 1);
	RUN_UNTIL(done.called && cli.eof, 1000);
	ck_assert_msg(strncmp(done.reason, "TLS error: ", 11) == 0,
	              "reason: %s", done.reason);
	ck_assert(fd_closed(plain_sv[0]));
	ck_assert(fd_closed(cipher_sv[0]));
}
END_TEST

/* --- endings */

START_TEST(test_tlsp_pump_client_eof_sends_close_notify_then_eof)
{
	char byte;

	start(0, 60000);
	cli.to_send = 100000;
	cli.shut_after_send = 1;
	plain_arm(&cli);
	RUN_UNTIL(done.called && rem.closed, 2000);
	ck_assert_str_eq(done.reason, "plaintext EOF");
	ck_assert_uint_eq(rem.got, 100000);
	ck_assert_uint_eq(rem.bad, 0);
	ck_assert_int_eq(rem.err, 0);
	/* After close_notify, the TCP-level EOF. */
	ck_assert_int_eq(recv(rem.fd, &byte, 1, 0), 0);
	ck_assert(fd_closed(plain_sv[0]));
	ck_assert(fd_closed(cipher_sv[0]));
}
END_TEST

START_TEST(test_tlsp_pump_remote_close_flushes_client_then_eof)
{
	int small = 4096, i;

	/* A small socket buffer, so the pump must hold bytes back. */
	ck_assert_int_eq(setsockopt(plain_sv[0], SOL_SOCKET, SO_SNDBUF, &small,
	                            sizeof(small)),
	                 0);
	start(0, 60000);
	cli.reading = 0;
	plain_arm(&cli);
	/* Less than the pump buffers, so it sees the close_notify early. */
	rem.to_send = 20000;
	remote_arm(&rem);
	RUN_UNTIL(rem.sent == 20000, 1000);
	ck_assert_int_eq(SSL_shutdown(rem.ssl), 0);
	for (i = 0; i < 20; i++)
		event_loop(10);
	ck_assert_int_eq(done.called, 0); /* still holding the client's bytes */
	/* A command nobody will read: the client must still see EOF, not
	 * ECONNRESET, after the bytes. */
	cli.to_send = 6;
	plain_arm(&cli);
	for (i = 0; i < 5; i++)
		event_loop(10);
	ck_assert_uint_eq(cli.sent, 6);
	cli.reading = 1;
	plain_arm(&cli);
	RUN_UNTIL(cli.eof, 2000);
	ck_assert_uint_eq(cli.got, 20000);
	ck_assert_int_eq(cli.err, 0);
	ck_assert_uint_eq(cli.bad, 0);
	ck_assert_int_eq(done.called, 1);
	ck_assert_str_eq(done.reason, "remote close");
	ck_assert(fd_closed(plain_sv[0]));
	ck_assert(fd_closed(cipher_sv[0]));
}
END_TEST

START_TEST(test_tlsp_pump_remote_reset_ends_session_and_closes_fds)
{
	struct linger lg = {1, 0};
	int before;

	start(1, 60000);
	rem.to_send = 4 * MIB;
	remote_arm(&rem);
	RUN_UNTIL(cli.got >= 65536, 2000);
	before = open_fds();
	/* Abortive close: the pump's next read gets a TCP reset. */
	ck_assert_int_eq(
	    setsockopt(rem.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	event_clear(rem.fd);
	(void)close(rem.fd);
	RUN_UNTIL(done.called, 2000);
	ck_assert_msg(strncmp(done.reason, "TLS error: ", 11) == 0,
	              "reason: %s", done.reason);
	ck_assert_uint_eq(cli.bad, 0);
	ck_assert(fd_closed(plain_sv[0]));
	ck_assert(fd_closed(cipher_sv[0]));
	ck_assert_int_eq(open_fds(), before - 3);
	RUN_UNTIL(cli.eof, 1000);
}
END_TEST

START_TEST(test_tlsp_pump_times_out_after_inactivity)
{
	char byte;

	fake_now = 1000000;
	event_clock_set(fake_clock);
	start(0, 5000);
	settle();
	advance(4999);
	ck_assert_int_eq(done.called, 0);
	/* One byte of activity restarts the clock. */
	cli.to_send = 1;
	plain_arm(&cli);
	settle();
	ck_assert_uint_eq(rem.got, 1);
	advance(4999);
	ck_assert_int_eq(done.called, 0);
	advance(2);
	ck_assert_int_eq(done.called, 1);
	ck_assert_str_eq(done.reason, "timeout");
	ck_assert_int_eq(rem.closed, 1); /* the one close_notify */
	ck_assert_int_eq(recv(cli.fd, &byte, 1, 0), 0);
	event_clock_set(NULL);
}
END_TEST

START_TEST(test_tlsp_pump_releases_buffers_while_idle)
{
	struct tlsp_pump_stats st;

	fake_now = 1000000;
	event_clock_set(fake_clock);
	start(0, 300000);
	settle();
	cli.to_send = 10;
	rem.to_send = 10;
	plain_arm(&cli);
	remote_arm(&rem);
	settle();
	ck_assert_uint_eq(rem.got, 10);
	ck_assert_uint_eq(cli.got, 10);
	tlsp_pump_stats(pump, &st);
	ck_assert_uint_eq(st.buffered, 2 * TLSP_PUMP_BUFFER + TLSP_PUMP_WIRE);
	advance(TLSP_PUMP_RELEASE_MS - 1);
	tlsp_pump_stats(pump, &st);
	ck_assert_uint_eq(st.buffered, 2 * TLSP_PUMP_BUFFER + TLSP_PUMP_WIRE);
	advance(2);
	tlsp_pump_stats(pump, &st);
	ck_assert_uint_eq(st.buffered, 0);
	/* The next bytes bring back the buffer they need. */
	cli.to_send = 20;
	plain_arm(&cli);
	settle();
	ck_assert_uint_eq(rem.got, 20);
	ck_assert_uint_eq(rem.bad, 0);
	tlsp_pump_stats(pump, &st);
	ck_assert_uint_eq(st.buffered, TLSP_PUMP_BUFFER + TLSP_PUMP_WIRE);
	ck_assert_int_eq(done.called, 0);
	event_clock_set(NULL);
}
END_TEST

START_TEST(test_tlsp_pump_free_before_done_closes_without_callback)
{
	start(0, 60000);
	tlsp_pump_free(pump);
	pump = NULL;
	ck_assert(fd_closed(plain_sv[0]));
	ck_assert(fd_closed(cipher_sv[0]));
	settle();
	ck_assert_int_eq(done.called, 0);
}
END_TEST

Suite *
tlsp_pump_suite(void)
{
	Suite *s = suite_create("tlsp_pump");
	TCase *tc;

	tc = tcase_create("data");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tlsp_pump_moves_1mib_each_way_intact);
	tcase_add_test(tc, test_tlsp_pump_with_packet_dump_writes_each_record);
	tcase_add_test(tc,
	               test_tlsp_pump_stops_reading_remote_when_client_stalls);
	tcase_add_test(tc,
	               test_tlsp_pump_stops_reading_client_when_remote_stalls);
	suite_add_tcase(s, tc);

	tc = tcase_create("endings");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	               test_tlsp_pump_client_eof_sends_close_notify_then_eof);
	tcase_add_test(tc, test_tlsp_pump_remote_close_flushes_client_then_eof);
	tcase_add_test(tc,
	               test_tlsp_pump_remote_reset_ends_session_and_closes_fds);
	tcase_add_test(tc, test_tlsp_pump_client_eof_waits_for_stalled_remote);
	tcase_add_test(
	    tc, test_tlsp_pump_vanished_client_ends_with_plaintext_error);
	tcase_add_test(
	    tc, test_tlsp_pump_half_closed_client_still_gets_remote_bytes);
	tcase_add_test(tc, test_tlsp_pump_garbage_from_remote_is_a_tls_error);
	tcase_add_test(tc,
	               test_tlsp_pump_free_before_done_closes_without_callback);
	suite_add_tcase(s, tc);

	tc = tcase_create("timers");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tlsp_pump_times_out_after_inactivity);
	tcase_add_test(tc, test_tlsp_pump_releases_buffers_while_idle);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_pump_suite)
