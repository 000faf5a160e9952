/*
 * bench_sink.c - the TLS server at the far end of the tlsproxy benchmarks
 *
 * SYNOPSIS
 *	bench_sink CHAIN_FILE
 *
 * DESCRIPTION
 *	Listens on 127.0.0.1 (a port the kernel picks, printed on stdout as
 *	one line), completes a TLS handshake with every client (key and
 *	certificate chain from CHAIN_FILE, PEM), and then speaks a one-line
 *	protocol through TLS: the client sends "N\n" and N bytes, which are
 *	discarded, and the sink answers "OK\n" once all N have arrived. A
 *	client that sends nothing is simply held open (the idle benchmark).
 *	Session tickets are on (OpenSSL's default), so clients can resume.
 *
 *	One thread, epoll, nonblocking OpenSSL; runs until SIGTERM or SIGINT,
 *	which it also gets when its parent (the benchmark script) dies.
 *
 * DIAGNOSTICS
 *	Setup failures are fatal (exit 1). A client's TLS or protocol error
 *	closes that client only; the counts are printed on stderr at exit.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"

/* The longest "N\n" header, and the read size per SSL_read(). */
#define SINK_HEADER_MAX 24
#define SINK_READ_SIZE 65536
#define SINK_EVENTS 64

struct sink_conn {
	int fd;
	SSL *ssl;
	int handshake_done;
	char header[SINK_HEADER_MAX];
	size_t header_len;
	int have_count;
	unsigned long long want; /* bytes still expected after the header */
	int reply_pending;	 /* "OK\n" not yet written */
};

static volatile sig_atomic_t sink_stop;
static unsigned long sink_accepted, sink_failed;

static void sink_on_signal(int sig)
{
	(void)sig;
	sink_stop = 1;
}

static SSL_CTX *sink_ctx_create(const char *chain_file)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL ||
	    SSL_CTX_use_certificate_chain_file(ctx, chain_file) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, chain_file, SSL_FILETYPE_PEM) != 1)
		msg_fatal("cannot load %s: %s", chain_file,
		    ERR_error_string(ERR_get_error(), NULL));
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"bench", 5);
	return ctx;
}

static int sink_listen(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, 4096) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		msg_fatal("cannot listen on 127.0.0.1: %m");
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

static void sink_close(struct sink_conn *conn, int failed)
{
	if (failed)
		sink_failed++;
	SSL_free(conn->ssl);
	close(conn->fd);
	free(conn);
}

/* Watch for reading, and for writing while OpenSSL wants to write. */
static void sink_watch(int ep, struct sink_conn *conn, int want_write)
{
	struct epoll_event ev;

	ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0);
	ev.data.ptr = conn;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, conn->fd, &ev) < 0)
		msg_fatal("epoll_ctl: %m");
}

static void sink_accept(int ep, int lfd, SSL_CTX *ctx)
{
	struct epoll_event ev;
	struct sink_conn *conn;
	int fd, on = 1;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		/* No Nagle delay on the small "OK\n" behind the tickets. */
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) < 0)
			msg_fatal("setsockopt TCP_NODELAY: %m");
		conn = xcalloc(1, sizeof(*conn));
		conn->fd = fd;
		if ((conn->ssl = SSL_new(ctx)) == NULL)
			msg_fatal("SSL_new failed");
		SSL_set_fd(conn->ssl, fd);
		SSL_set_accept_state(conn->ssl);
		ev.events = EPOLLIN;
		ev.data.ptr = conn;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			msg_fatal("epoll_ctl: %m");
		sink_accepted++;
	}
	if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		msg_warn("accept: %m");
}

/*
 * Takes header bytes from data; returns how many it used, or -1 for a
 * malformed header.
 */
static ssize_t sink_header(struct sink_conn *conn, const char *data, size_t len)
{
	size_t used = 0;
	char *end;

	while (used < len && !conn->have_count) {
		char ch = data[used++];

		if (ch != '\n') {
			if (conn->header_len + 1 >= SINK_HEADER_MAX)
				return -1;
			conn->header[conn->header_len++] = ch;
			continue;
		}
		conn->header[conn->header_len] = 0;
		conn->want = strtoull(conn->header, &end, 10);
		if (end == conn->header || *end != 0)
			return -1;
		conn->have_count = 1;
	}
	return (ssize_t)used;
}

/* Consumes decrypted bytes; returns -1 on a protocol error. */
static int sink_consume(struct sink_conn *conn, const char *data, size_t len)
{
	ssize_t used = sink_header(conn, data, len);

	if (used < 0)
		return -1;
	len -= (size_t)used;
	if (len > conn->want)
		return -1;
	conn->want -= len;
	if (conn->have_count && conn->want == 0) {
		conn->reply_pending = 1;
		conn->have_count = 0;
		conn->header_len = 0;
	}
	return 0;
}

/* Returns 1 to keep the connection, 0 if it ended, -1 on error. */
static int sink_ssl_result(int ep, struct sink_conn *conn, int ret)
{
	switch (SSL_get_error(conn->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		sink_watch(ep, conn, 0);
		return 1;
	case SSL_ERROR_WANT_WRITE:
		sink_watch(ep, conn, 1);
		return 1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		ERR_clear_error();
		return -1;
	}
}

static int sink_write_reply(int ep, struct sink_conn *conn)
{
	int ret = SSL_write(conn->ssl, "OK\n", 3);

	if (ret > 0) {
		conn->reply_pending = 0;
		sink_watch(ep, conn, 0);
		return 1;
	}
	return sink_ssl_result(ep, conn, ret);
}

/* One readiness event: handshake, then read until OpenSSL would block. */
static int sink_service(int ep, struct sink_conn *conn)
{
	static char data[SINK_READ_SIZE];
	int ret, reads;

	if (!conn->handshake_done) {
		if ((ret = SSL_do_handshake(conn->ssl)) != 1)
			return sink_ssl_result(ep, conn, ret);
		conn->handshake_done = 1;
	}
	if (conn->reply_pending)
		return sink_write_reply(ep, conn);
	/*
	 * The reply goes out as soon as the last byte is in: the client sends
	 * nothing more until it has it, so no later event would carry it.
	 */
	for (reads = 0; reads < 64; reads++) {
		if ((ret = SSL_read(conn->ssl, data, sizeof(data))) <= 0)
			return sink_ssl_result(ep, conn, ret);
		if (sink_consume(conn, data, (size_t)ret) < 0)
			return -1;
		if (conn->reply_pending)
			return sink_write_reply(ep, conn);
	}
	return 1;
}

static void sink_run(int ep, int lfd, SSL_CTX *ctx)
{
	struct epoll_event events[SINK_EVENTS];
	int n, i, status;

	while (!sink_stop) {
		if ((n = epoll_wait(ep, events, SINK_EVENTS, -1)) < 0) {
			if (errno == EINTR)
				continue;
			msg_fatal("epoll_wait: %m");
		}
		for (i = 0; i < n; i++) {
			if (events[i].data.ptr == NULL) {
				sink_accept(ep, lfd, ctx);
				continue;
			}
			status = sink_service(ep, events[i].data.ptr);
			if (status <= 0)
				sink_close(events[i].data.ptr, status < 0);
		}
	}
}

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct sigaction sa;
	SSL_CTX *ctx;
	int lfd, ep;

	if (argc != 2)
		msg_fatal("usage: bench_sink CHAIN_FILE");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sink_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
		msg_fatal("prctl: %m");
	signal(SIGPIPE, SIG_IGN);
	ctx = sink_ctx_create(argv[1]);
	lfd = sink_listen();
	if ((ep = epoll_create1(0)) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0)
		msg_fatal("epoll: %m");
	sink_run(ep, lfd, ctx);
	fprintf(stderr, "bench_sink: %lu connections, %lu failed\n",
	    sink_accepted, sink_failed);
	return 0;
}
