/*
 * pump_bench.c - bytes per CPU-second through tlsp_pump on loopback
 *
 * Not a test: a micro-benchmark of the data path alone. This process
 * runs only the pump (and its event loop) and measures its own CPU time
 * with getrusage(); two forked children play the local client (a UNIX
 * socket, as smtp(8)) and the remote TLS peer (loopback TCP, blocking
 * OpenSSL). The handshake is done in-process before the fork, so the
 * remote child simply continues the server side of the session.
 *
 * Usage: pump_bench [MiB]   (default 256, each direction in turn)
 * Prints one line per direction: bytes, wall seconds, pump CPU seconds,
 * MiB per pump CPU-second, and the negotiated cipher.
 *
 *        pump_bench -idle N
 * Holds N sessions in this process (handshake, one byte each way, then
 * idle past TLSP_PUMP_RELEASE_MS) and prints the heap bytes per session
 * (glibc mallinfo2: client SSL plus pump, no kernel socket buffers)
 * after the handshake, while active, and once idle.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "event.h"
#include "mem.h"
#include "msg.h"
#include "tls_pair.h"
#include "tlsp_pump.h"

#define BENCH_CHUNK 65536

enum bench_dir {
	BENCH_UP,   /* client to remote (mail delivery) */
	BENCH_DOWN, /* remote to client */
};

static int bench_done;

static void
bench_on_done(struct tlsp_pump *pump, const char *reason, void *ctx)
{
	struct tlsp_pump_stats *st = ctx;

	tlsp_pump_stats(pump, st);
	tlsp_pump_free(pump);
	if (strcmp(reason, "plaintext EOF") != 0 &&
	    strcmp(reason, "remote close") != 0)
		msg_fatal("pump ended: %s", reason);
	bench_done = 1;
}

static void
bench_blocking(int fd)
{
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

/* The local client: sends total bytes then EOF, or reads to EOF. */
static void
bench_plain_child(int fd, enum bench_dir dir, uint64_t total)
{
	static char buf[BENCH_CHUNK];
	uint64_t done = 0;
	ssize_t n;

	bench_blocking(fd);
	if (dir == BENCH_UP) {
		for (; done < total; done += (uint64_t)n)
			if ((n = write(fd, buf, sizeof(buf))) <= 0)
				_exit(1);
		(void)shutdown(fd, SHUT_WR);
		while (read(fd, buf, sizeof(buf)) > 0)
			continue;
	} else {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			done += (uint64_t)n;
	}
	_exit(done >= total ? 0 : 2);
}

/* The remote peer: reads to close_notify, or sends total then one. */
static void
bench_remote_child(SSL *ssl, int fd, enum bench_dir dir, uint64_t total)
{
	static char buf[TLSP_PUMP_RECORD];
	uint64_t done = 0;
	int n;

	bench_blocking(fd);
	if (dir == BENCH_UP) {
		while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0)
			done += (uint64_t)n;
	} else {
		for (; done < total; done += (uint64_t)n)
			if ((n = SSL_write(ssl, buf, sizeof(buf))) <= 0)
				_exit(1);
		(void)SSL_shutdown(ssl);
	}
	_exit(done >= total ? 0 : 2);
}

static double
bench_cpu(void)
{
	struct rusage ru;

	(void)getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double
bench_wall(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One run in one direction; prints its line. */
static void
bench_run(SSL_CTX *cctx, SSL_CTX *sctx, enum bench_dir dir, uint64_t total)
{
	struct tlsp_pump_stats st = {0};
	int plain[2], cipher[2], status, ok = 1;
	pid_t kids[2];
	SSL *client, *server;
	const char *cipher_name;
	double cpu, wall;

	tls_pair_unix(plain);
	tls_pair_tcp(cipher);
	tls_pair_connect(cctx, sctx, cipher, &client, &server);
	if ((kids[0] = fork()) == 0) {
		(void)close(plain[0]);
		(void)close(cipher[0]);
		bench_plain_child(plain[1], dir, total);
	}
	if ((kids[1] = fork()) == 0) {
		(void)close(plain[0]);
		(void)close(plain[1]);
		(void)close(cipher[0]);
		bench_remote_child(server, cipher[1], dir, total);
	}
	if (kids[0] < 0 || kids[1] < 0)
		msg_fatal("fork: %m");
	(void)close(plain[1]);
	(void)close(cipher[1]);
	SSL_free(server);
	cipher_name = SSL_CIPHER_get_name(SSL_get_current_cipher(client));

	bench_done = 0;
	cpu = bench_cpu();
	wall = bench_wall();
	(void)tlsp_pump_create(plain[0], client, cipher[0], 600000,
	                       bench_on_done, &st);
	while (!bench_done)
		event_loop(-1);
	cpu = bench_cpu() - cpu;
	wall = bench_wall() - wall;
	for (int i = 0; i < 2; i++)
		ok &= waitpid(kids[i], &status, 0) == kids[i] &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0;
	printf(
	    "%-4s %10llu bytes  %6.3f s wall  %6.3f s pump CPU  "
	    "%8.1f MiB/CPU-s  %8.1f MiB/s  %s%s\n",
	    dir == BENCH_UP ? "up" : "down",
	    (unsigned long long)(dir == BENCH_UP ? st.to_remote : st.to_plain),
	    wall, cpu, (double)total / (1024.0 * 1024.0) / cpu,
	    (double)total / (1024.0 * 1024.0) / wall, cipher_name,
	    ok ? "" : "  (a child failed)");
}

/* Heap bytes in use (glibc). */
static size_t
bench_heap(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

struct bench_idle {
	int plain[2], cipher[2];
	struct tlsp_pump *pump;
};

static void
bench_idle_done(struct tlsp_pump *pump, const char *reason, void *ctx)
{
	msg_fatal("idle session ended: %s", reason);
}

/* Runs the loop until every pump moved a byte each way. */
static void
bench_idle_wait(struct bench_idle *s, int n)
{
	struct tlsp_pump_stats st;
	int i, busy = 1;

	while (busy) {
		event_loop(10);
		for (busy = 0, i = 0; i < n && !busy; i++) {
			tlsp_pump_stats(s[i].pump, &st);
			busy = st.to_remote < 1 || st.to_plain < 1;
		}
	}
}

static void
bench_idle(SSL_CTX *cctx, SSL_CTX *sctx, int n)
{
	struct bench_idle *s = xcalloc((size_t)n, sizeof(*s));
	size_t h0, h1, h2, h3;
	SSL *client, *server;
	uint64_t until;
	int i;

	SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
	h0 = bench_heap();
	for (i = 0; i < n; i++) {
		tls_pair_unix(s[i].plain);
		tls_pair_unix(s[i].cipher);
		tls_pair_connect(cctx, sctx, s[i].cipher, &client, &server);
		/* One byte each way waits in the sockets; the server is done.
		 */
		if (SSL_write(server, "x", 1) != 1 ||
		    write(s[i].plain[1], "y", 1) != 1)
			msg_fatal("cannot write the first bytes");
		SSL_free(server);
		s[i].pump =
		    tlsp_pump_create(s[i].plain[0], client, s[i].cipher[0],
		                     600000, bench_idle_done, NULL);
	}
	h1 = bench_heap();
	bench_idle_wait(s, n);
	h2 = bench_heap();
	until = event_now_refresh() + TLSP_PUMP_RELEASE_MS + 200;
	while (event_now_refresh() < until)
		event_loop(50);
	h3 = bench_heap();
	printf("idle %d sessions: heap per session %zu B after handshake, "
	       "%zu B active, %zu B idle\n",
	       n, (h1 - h0) / (size_t)n, (h2 - h0) / (size_t)n,
	       (h3 - h0) / (size_t)n);
	for (i = 0; i < n; i++) {
		tlsp_pump_free(s[i].pump);
		(void)close(s[i].plain[1]);
		(void)close(s[i].cipher[1]);
	}
	free(s);
}

int
main(int argc, char **argv)
{
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 256;
	SSL_CTX *cctx = tls_pair_client_ctx(), *sctx = tls_pair_server_ctx();

	(void)signal(SIGPIPE, SIG_IGN);
	if (argc > 2 && strcmp(argv[1], "-idle") == 0) {
		bench_idle(cctx, sctx, atoi(argv[2]) > 0 ? atoi(argv[2]) : 1);
	} else {
		if (mib == 0)
			msg_fatal("usage: %s [MiB] | -idle N", argv[0]);
		bench_run(cctx, sctx, BENCH_UP, mib * 1024 * 1024);
		bench_run(cctx, sctx, BENCH_DOWN, mib * 1024 * 1024);
	}
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	return 0;
}
