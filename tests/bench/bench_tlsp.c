/*
 * bench_tlsp.c - drive tlsproxy(8) in the client role, as smtp(8) does
 *
 * SYNOPSIS
 *	bench_tlsp SOCKET PORT CAFILE NAME handshake N full|resumed
 *	bench_tlsp SOCKET PORT CAFILE NAME data BYTES SESSIONS
 *	bench_tlsp SOCKET PORT CAFILE NAME idle N
 *
 * DESCRIPTION
 *	Each session connects to bench_sink on 127.0.0.1:PORT, connects to
 *	the tlsproxy socket SOCKET (private/tlsproxy of an instance), reads
 *	the protocol announcement, sends the request smtp(8) of 3.7.11 sends
 *	(tests/data/tlsp-3.7.11-client-request.bin: flags 6, TLS level
 *	"secure", CAFILE, certificate match NAME), reads the status, passes
 *	the TCP socket, and reads the TLS_SESS_STATE list. It then does one
 *	round trip through the sink ("0\n" / "OK\n"), so that tlsproxy reads
 *	the sink's session ticket as it would during an SMTP dialogue. A
 *	session whose round trip stalls is replaced (see tlsp_open()).
 *
 *	handshake: N sequential sessions; prints "p50_us p99_us" of the time
 *	from connect() to SOCKET to the end of TLS_SESS_STATE. "full" gives
 *	every session its own serverid (a session-cache miss); "resumed"
 *	first warms the cache with one untimed session, then reuses its id.
 *
 *	data: SESSIONS parallel sessions (processes) push BYTES in total
 *	through tlsproxy to the sink and wait for the sink's "OK"; prints the
 *	seconds from the moment all sessions were open to the last "OK".
 *
 *	idle: opens one session, prints "1", waits for a line on stdin, opens
 *	N-1 more, prints N, waits for end of input, then closes them all.
 *
 * DIAGNOSTICS
 *	Any protocol or I/O failure is fatal (exit 1): no figure is printed.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "bench_ipc.h"
#include "fdpass.h"
#include "mem.h"
#include "msg.h"
#include "client_role/tlsp_client.h"

/* The pairs smtp(8) sends unchanged: TLS_CLIENT_PARAMS (20). */
static const char *const tlsp_params[][2] = {
	{ "config_file", "default" },
	{ "config_name", "" },
	{ "tls_high_cipherlist", TLSP_TLS_DEF_HIGH_CIPHERLIST },
	{ "tls_medium_cipherlist", TLSP_TLS_DEF_MEDIUM_CIPHERLIST },
	{ "tls_low_cipherlist", TLSP_TLS_DEF_LOW_CIPHERLIST },
	{ "tls_export_cipherlist", TLSP_TLS_DEF_EXPORT_CIPHERLIST },
	{ "tls_null_cipherlist", TLSP_TLS_DEF_NULL_CIPHERLIST },
	{ "tls_eecdh_auto_curves", TLSP_TLS_DEF_EECDH_AUTO_CURVES },
	{ "tls_eecdh_strong_curve", "prime256v1" },
	{ "tls_eecdh_ultra_curve", "secp384r1" },
	{ "tls_disable_workarounds", "" },
	{ "tls_ssl_options", "" },
	{ "tls_dane_digests", "sha512 sha256" },
	{ "tlsmgr_service_name", "tlsmgr" },
	{ "tls_session_ticket_cipher", "aes-256-cbc" },
	{ "tls_daemon_random_bytes", "32" },
	{ "tls_append_default_CA", "0" },
	{ "tls_legacy_public_key_fingerprints", "0" },
	{ "tls_preempt_cipherlist", "0" },
	{ "tls_wildcard_matches_multiple_labels", "1" },
};

/* TLS_CLIENT_INIT_PROPS (14) up to CAfile, which varies. */
static const char *const tlsp_init_props[][2] = {
	{ "log_param", "smtp_tls_loglevel" },
	{ "log_level", "1" },
	{ "verifydepth", "9" },
	{ "cache_type", "smtp" },
	{ "chain_files", "" },
	{ "cert_file", "" },
	{ "key_file", "" },
	{ "dcert_file", "" },
	{ "dkey_file", "" },
	{ "eccert_file", "" },
	{ "eckey_file", "" },
};

#define TLSP_FLAGS_CLIENT_CONTEXT 6
#define TLSP_DATA_CHUNK 65536
/* Seconds to wait for a new session's first reply, and tries per session. */
#define TLSP_FIRST_REPLY_SECS 5
#define TLSP_ATTEMPTS 3

struct tlsp_target {
	const char *socket;
	unsigned port;
	const char *cafile;
	const char *name;
};

static void tlsp_enc_table(struct buf *out, const char *const (*table)[2],
    size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		attr_enc_str(out, table[i][0], table[i][1]);
}

/* The request header and body, as one write (as smtp(8) does). */
static void tlsp_request(struct buf *out, const struct tlsp_target *t,
    const char *serverid)
{
	char endpoint[64], namaddr[96];

	snprintf(endpoint, sizeof(endpoint), "[127.0.0.1]:%u", t->port);
	snprintf(namaddr, sizeof(namaddr), "127.0.0.1[127.0.0.1]:%u", t->port);
	attr_enc_str(out, "remote_endpoint", endpoint);
	attr_enc_int(out, "flags", TLSP_FLAGS_CLIENT_CONTEXT);
	attr_enc_int(out, "timeout", 300);
	attr_enc_int(out, "timeout", 600);
	attr_enc_str(out, "serverid", "smtp");
	attr_enc_end(out);
	tlsp_enc_table(out, tlsp_params,
	    sizeof(tlsp_params) / sizeof(tlsp_params[0]));
	tlsp_enc_table(out, tlsp_init_props,
	    sizeof(tlsp_init_props) / sizeof(tlsp_init_props[0]));
	attr_enc_str(out, "CAfile", t->cafile);
	attr_enc_str(out, "CApath", "");
	attr_enc_str(out, "mdalg", "sha256");
	attr_enc_int(out, "timeout", 300);
	attr_enc_int(out, "tls_level", TLSP_LEV_SECURE);
	attr_enc_str(out, "nexthop", "127.0.0.1");
	attr_enc_str(out, "host", "127.0.0.1");
	attr_enc_str(out, "namaddr", namaddr);
	attr_enc_str(out, "sni", "");
	attr_enc_str(out, "serverid", serverid);
	attr_enc_str(out, "helo", t->name);
	attr_enc_str(out, "protocols", ">=TLSv1");
	attr_enc_str(out, "cipher_grade", "medium");
	attr_enc_str(out, "cipher_exclusions", "aNULL");
	attr_enc_int(out, "argv_size", 1);
	attr_enc_str(out, "argv_value", t->name);
	attr_enc_str(out, "mdalg", "sha256");
	attr_enc_int(out, "dane", 0);
	attr_enc_end(out);
}

/*
 * Reads exactly len bytes of plaintext. Returns 0, or -1 when the
 * socket's receive timeout expired; fatal on EOF or another error.
 */
static int tlsp_read_exact(int fd, char *data, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		if ((n = read(fd, data + done, len - done)) < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return -1;
		if (n <= 0)
			msg_fatal("plaintext read: %s", n ? strerror(errno) : "EOF");
		done += (size_t)n;
	}
	return 0;
}

/*
 * Sends "N\n", then N filler bytes (N may be 0), and awaits "OK\n".
 * Returns 0, or -1 if the reply did not come within the receive timeout.
 */
static int tlsp_push(int fd, unsigned long long bytes)
{
	static char chunk[TLSP_DATA_CHUNK];
	struct buf out;
	char reply[3];
	size_t len;

	buf_init(&out);
	buf_printf(&out, "%llu\n", bytes);
	ipc_send(fd, &out);
	memset(chunk, 'x', sizeof(chunk));
	while (bytes > 0) {
		len = bytes < sizeof(chunk) ? (size_t)bytes : sizeof(chunk);
		buf_append(&out, chunk, len);
		ipc_send(fd, &out);
		bytes -= len;
	}
	buf_free(&out);
	if (tlsp_read_exact(fd, reply, sizeof(reply)) < 0)
		return -1;
	if (memcmp(reply, "OK\n", 3) != 0)
		msg_fatal("sink reply is not OK");
	return 0;
}

static void tlsp_set_rcvtimeo(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs, .tv_usec = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		msg_fatal("setsockopt: %m");
}

/*
 * One session up to TLS_SESS_STATE; returns the plaintext socket and
 * sets *elapsed_us to the time from connect to the end of the state.
 */
static int tlsp_handshake(const struct tlsp_target *t, const char *serverid,
    long long *elapsed_us)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	const struct attr_list *list;
	struct buf out;
	int tcp = ipc_connect_tcp(t->port), fd;
	long long t0 = ipc_now_us();

	buf_init(&out);
	fd = ipc_connect_unix(t->socket);
	list = ipc_read_list(fd, dec, "announcement");
	if (strcmp(ipc_value(list, "protocol"), "tlsproxy_protocol") != 0)
		msg_fatal("not a tlsproxy socket: %s", t->socket);
	tlsp_request(&out, t, serverid);
	ipc_send(fd, &out);
	list = ipc_read_list(fd, dec, "status");
	if (strcmp(ipc_value(list, "status"), "0") == 0)
		msg_fatal("tlsproxy: client role not available");
	if (fdpass_send(fd, tcp) < 0)
		msg_fatal("pass the TCP socket: %m");
	close(tcp);
	list = ipc_read_list(fd, dec, "TLS_SESS_STATE");
	(void)ipc_value(list, "cipher_protocol");
	*elapsed_us = ipc_now_us() - t0;
	attr_dec_free(dec);
	buf_free(&out);
	return fd;
}

/*
 * A session ready for data: the handshake, then one round trip through
 * the sink. A session whose first round trip stalls (seen now and then
 * with stock tlsproxy: the reply never comes back) is reported on
 * stderr and replaced, up to TLSP_ATTEMPTS times; bench.sh counts the
 * reports per run.
 */
static int tlsp_open(const struct tlsp_target *t, const char *serverid,
    long long *elapsed_us)
{
	int attempt, fd;

	for (attempt = 1; attempt <= TLSP_ATTEMPTS; attempt++) {
		fd = tlsp_handshake(t, serverid, elapsed_us);
		tlsp_set_rcvtimeo(fd, TLSP_FIRST_REPLY_SECS);
		if (tlsp_push(fd, 0) == 0) {
			tlsp_set_rcvtimeo(fd, IPC_TIMEOUT_SECS);
			return fd;
		}
		close(fd);
		fprintf(stderr, "bench_tlsp: stalled session: no reply through "
				"tlsproxy in %d s (attempt %d)\n",
		    TLSP_FIRST_REPLY_SECS, attempt);
	}
	msg_fatal("%d sessions in a row stalled", TLSP_ATTEMPTS);
}

static int tlsp_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void tlsp_handshakes(const struct tlsp_target *t, int n, int resumed)
{
	long long *us = xcalloc((size_t)n, sizeof(*us)), ignored;
	char serverid[96];
	int i;

	snprintf(serverid, sizeof(serverid), "bench&%ld&resumed&", (long)getpid());
	if (resumed)
		close(tlsp_open(t, serverid, &ignored));
	for (i = 0; i < n; i++) {
		if (!resumed)
			snprintf(serverid, sizeof(serverid), "bench&%ld&full%d&",
			    (long)getpid(), i);
		close(tlsp_open(t, serverid, &us[i]));
	}
	qsort(us, (size_t)n, sizeof(*us), tlsp_cmp_ll);
	printf("%lld %lld\n", us[n / 2], us[(n * 99 + 99) / 100 - 1]);
	free(us);
}

/* One data session: open, report ready, wait for go, push, exit. */
static void tlsp_data_child(const struct tlsp_target *t,
    unsigned long long bytes, int ready, int go)
{
	long long ignored;
	char ch;
	int fd = tlsp_open(t, "bench&data&", &ignored);

	if (write(ready, "r", 1) != 1 || read(go, &ch, 1) != 0)
		msg_fatal("data session: lost the parent");
	if (tlsp_push(fd, bytes) < 0)
		msg_fatal("data session: no reply in %d s", IPC_TIMEOUT_SECS);
	close(fd);
	_exit(0);
}

static void tlsp_data(const struct tlsp_target *t, unsigned long long total,
    int sessions)
{
	int ready[2], go[2], i, status, failed = 0;
	long long t0;
	char ch;

	if (pipe(ready) < 0 || pipe(go) < 0)
		msg_fatal("pipe: %m");
	for (i = 0; i < sessions; i++) {
		pid_t pid = fork();

		if (pid < 0)
			msg_fatal("fork: %m");
		if (pid == 0) {
			close(go[1]);
			tlsp_data_child(t, total / (unsigned)sessions, ready[1],
			    go[0]);
		}
	}
	for (i = 0; i < sessions; i++)
		if (read(ready[0], &ch, 1) != 1)
			msg_fatal("a data session failed to open");
	t0 = ipc_now_us();
	close(go[1]);
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (failed)
		msg_fatal("a data session failed");
	printf("%.6f\n", (double)(ipc_now_us() - t0) / 1e6);
}

static void tlsp_idle(const struct tlsp_target *t, int n)
{
	int *fds = xcalloc((size_t)n, sizeof(*fds)), i;
	long long ignored;
	char line[64];

	for (i = 0; i < n; i++) {
		fds[i] = tlsp_open(t, "bench&idle&", &ignored);
		if (i == 0 || i == n - 1) {
			printf("%d\n", i + 1);
			fflush(stdout);
			if (i == 0 && fgets(line, sizeof(line), stdin) == NULL)
				msg_fatal("idle: no go-ahead on stdin");
		}
	}
	while (fgets(line, sizeof(line), stdin) != NULL)
		;
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
}

static long tlsp_number(const char *arg, long min)
{
	char *end;
	long value = strtol(arg, &end, 10);

	if (*arg == 0 || *end != 0 || value < min)
		msg_fatal("bad number: %s", arg);
	return value;
}

int main(int argc, char **argv)
{
	struct tlsp_target t;

	if (argc < 7)
		msg_fatal("usage: bench_tlsp SOCKET PORT CAFILE NAME "
			  "handshake|data|idle ARGS...");
	t.socket = argv[1];
	t.port = (unsigned)tlsp_number(argv[2], 1);
	t.cafile = argv[3];
	t.name = argv[4];
	if (strcmp(argv[5], "handshake") == 0 && argc == 8 &&
	    (strcmp(argv[7], "full") == 0 || strcmp(argv[7], "resumed") == 0))
		tlsp_handshakes(&t, (int)tlsp_number(argv[6], 1),
		    strcmp(argv[7], "resumed") == 0);
	else if (strcmp(argv[5], "data") == 0 && argc == 8)
		tlsp_data(&t, (unsigned long long)tlsp_number(argv[6], 0),
		    (int)tlsp_number(argv[7], 1));
	else if (strcmp(argv[5], "idle") == 0 && argc == 7)
		tlsp_idle(&t, (int)tlsp_number(argv[6], 1));
	else
		msg_fatal("bad arguments for %s", argv[5]);
	return 0;
}
