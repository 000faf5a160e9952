/*
 * bench_scache.c - save_endp/find_endp cycles against scache(8)
 *
 * SYNOPSIS
 *	bench_scache SOCKET CLIENTS CYCLES
 *
 * DESCRIPTION
 *	CLIENTS processes each connect to SOCKET (private/scache of an
 *	instance), read the protocol announcement, and run CYCLES cycles of
 *	what smtp(8) does around a reused connection: save_endp of a real
 *	socket (one end of a socketpair) with the endpoint property smtp
 *	3.7.11 stores (as captured in tests/data/scache-replay-3.7.11.txt),
 *	then find_endp of the same label, which must hit and hand a
 *	descriptor back (closed at once). Each client has its own label. The
 *	dummy lists around each descriptor transfer are those of
 *	doc/scache-protocol.md section 2.
 *
 *	Prints the total cycles per second, timed from the moment every
 *	client is connected to the end of the last cycle.
 *
 * DIAGNOSTICS
 *	A miss, a bad status or any I/O failure is fatal (exit 1).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "bench_ipc.h"
#include "fdpass.h"
#include "msg.h"

/* smtp's endpoint block plus the TLS context, as in the golden capture. */
static const char scache_property[] =
    "tls_level=8\nreuse_count=0\nendpoint_features=6324239\n"
    "expire_time=1795882710\n\n"
    "peer_CN=mx.tlsreuse.test\nissuer_CN=tlsreuse test CA\n"
    "peer_fingerprint=36:1C:24:83:AB:28:74:E5:42:86:4B:E2:E5:18:88:6C:73:"
    "82:89:08:47:12:C1:45:C1:3A:AD:52:D8:A0:87:D1\n"
    "peer_pubkey_fingerprint=5C:D4:D3:C5:40:1E:B4:02:CF:89:F5:34:F5:2C:D2:"
    "CE:20:01:FE:76:83:12:31:8C:FC:5A:29:4C:AB:A3:17:B3\n"
    "level=8\npeer_status=29\ncipher_protocol=TLSv1.3\n"
    "cipher_name=TLS_AES_256_GCM_SHA384\ncipher_usebits=256\n"
    "cipher_algbits=256\nkey_exchange=X25519\nkey_exchange_curve=\n"
    "key_exchange_bits=0\nclnt_signature=\nclnt_signature_curve=\n"
    "clnt_signature_bits=0\nclnt_signature_digest=\nsrvr_signature=ECDSA\n"
    "srvr_signature_curve=prime256v1\nsrvr_signature_bits=0\n"
    "srvr_signature_digest=SHA256\nnamaddr=127.0.0.1[127.0.0.1]:25\n\n";

/* The connection-cache ttl smtp(8) asks for (smtp_connection_cache_time_limit). */
#define SCACHE_TTL 2

struct scache_client {
	int fd;
	struct attr_dec *dec;
	struct buf out;
	char label[96];
};

static void scache_expect_status(const struct attr_list *list, const char *what)
{
	if (strcmp(ipc_value(list, "status"), "0") != 0)
		msg_fatal("%s: status %s", what, ipc_value(list, "status"));
}

static void scache_dummy(struct scache_client *c)
{
	buf_append(&c->out, FDPASS_DUMMY, FDPASS_DUMMY_LEN);
	ipc_send(c->fd, &c->out);
}

static void scache_save(struct scache_client *c, int conn)
{
	attr_enc_str(&c->out, "request", "save_endp");
	attr_enc_int(&c->out, "ttl", SCACHE_TTL);
	attr_enc_str(&c->out, "label", c->label);
	attr_enc_str(&c->out, "property", scache_property);
	attr_enc_end(&c->out);
	ipc_send(c->fd, &c->out);
	(void)ipc_value(ipc_read_list(c->fd, c->dec, "save_endp"), "dummy");
	if (fdpass_send(c->fd, conn) < 0)
		msg_fatal("save_endp: pass the descriptor: %m");
	scache_expect_status(ipc_read_list(c->fd, c->dec, "save_endp"),
	    "save_endp");
}

static void scache_find(struct scache_client *c)
{
	char byte;
	int fd = -1;

	attr_enc_str(&c->out, "request", "find_endp");
	attr_enc_str(&c->out, "label", c->label);
	attr_enc_end(&c->out);
	ipc_send(c->fd, &c->out);
	scache_expect_status(ipc_read_list(c->fd, c->dec, "find_endp"),
	    "find_endp");
	scache_dummy(c);
	if (fdpass_read(c->fd, &byte, 1, &fd) != 1 || fd < 0)
		msg_fatal("find_endp: no descriptor");
	close(fd);
	scache_dummy(c);
}

/* One client: connect, report ready, wait for go, run the cycles. */
static void scache_client_run(const char *path, int id, long cycles, int ready,
    int go)
{
	struct scache_client c;
	int pair[2];
	char ch;
	long i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
		msg_fatal("socketpair: %m");
	c.fd = ipc_connect_unix(path);
	c.dec = attr_dec_create(NULL);
	buf_init(&c.out);
	snprintf(c.label, sizeof(c.label),
	    "smtp\n[127.0.0.1]:25\n127.0.0.%d\n25\n8\n", id + 1);
	if (strcmp(ipc_value(ipc_read_list(c.fd, c.dec, "announcement"),
		       "protocol"), "connection_cache_protocol") != 0)
		msg_fatal("not a scache socket: %s", path);
	if (write(ready, "r", 1) != 1 || read(go, &ch, 1) != 0)
		msg_fatal("scache client: lost the parent");
	for (i = 0; i < cycles; i++) {
		scache_save(&c, pair[0]);
		scache_find(&c);
	}
	_exit(0);
}

static long scache_number(const char *arg)
{
	char *end;
	long value = strtol(arg, &end, 10);

	if (*arg == 0 || *end != 0 || value < 1)
		msg_fatal("bad number: %s", arg);
	return value;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], i, clients, status, failed = 0;
	long cycles;
	long long t0;
	char ch;

	if (argc != 4)
		msg_fatal("usage: bench_scache SOCKET CLIENTS CYCLES");
	clients = (int)scache_number(argv[2]);
	cycles = scache_number(argv[3]);
	if (pipe(ready) < 0 || pipe(go) < 0)
		msg_fatal("pipe: %m");
	for (i = 0; i < clients; i++) {
		pid_t pid = fork();

		if (pid < 0)
			msg_fatal("fork: %m");
		if (pid == 0) {
			close(go[1]);
			scache_client_run(argv[1], i, cycles, ready[1], go[0]);
		}
	}
	for (i = 0; i < clients; i++)
		if (read(ready[0], &ch, 1) != 1)
			msg_fatal("a client failed to connect");
	t0 = ipc_now_us();
	close(go[1]);
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (failed)
		msg_fatal("a client failed");
	printf("%.1f\n", (double)clients * (double)cycles * 1e6 /
	    (double)(ipc_now_us() - t0));
	return 0;
}
