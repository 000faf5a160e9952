/*
 * tls_pair.h - throwaway TLS endpoints for tests and benchmarks
 *
 * A self-signed P-256 certificate made in memory (never on disk), a
 * server and a client SSL_CTX, connected socket pairs (UNIX or loopback
 * TCP), and an in-process handshake between two non-blocking SSLs.
 * Any setup failure aborts: these run only in tests.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_TLS_PAIR_H
#define TLSREUSE_TESTS_TLS_PAIR_H

#include <openssl/ssl.h>

/* A server context with a fresh self-signed certificate. */
SSL_CTX *tls_pair_server_ctx(void);

/* A client context that verifies nothing (the pump does not care). */
SSL_CTX *tls_pair_client_ctx(void);

/* Connected AF_UNIX stream pair; both ends non-blocking, cloexec. */
void tls_pair_unix(int sv[2]);

/* Connected loopback TCP pair (127.0.0.1); both ends non-blocking. */
void tls_pair_tcp(int sv[2]);

/*
 * Makes a client SSL on fds[0] and a server SSL on fds[1] and completes
 * the handshake in this process; both are returned established.
 */
void tls_pair_connect(SSL_CTX *cctx, SSL_CTX *sctx, const int fds[2],
                      SSL **client, SSL **server);

#endif
