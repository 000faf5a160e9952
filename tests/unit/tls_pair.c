/*
 * tls_pair.c - throwaway TLS endpoints for tests and benchmarks
 *
 * The certificate is built with the X509 API from an EC key generated on
 * the spot, so no test key material lives in the repository.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "msg.h"

#include "tls_pair.h"

/* Handshake rounds before giving up (each round moves one flight). */
#define TLS_PAIR_ROUNDS 100

static void
tls_pair_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		msg_panic("%s: fcntl: %m", __func__);
}

/* A self-signed certificate for key, valid for a day. */
static X509 *
tls_pair_cert(EVP_PKEY *key)
{
	X509 *cert = X509_new();
	X509_NAME *name;

	if (cert == NULL)
		msg_panic("%s: X509_new failed", __func__);
	(void)X509_set_version(cert, 2);
	(void)ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
	(void)X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	(void)X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
	name = X509_get_subject_name(cert);
	(void)X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	                                 (const unsigned char *)"tls-pair.test",
	                                 -1, -1, 0);
	if (X509_set_issuer_name(cert, name) != 1 ||
	    X509_set_pubkey(cert, key) != 1 ||
	    X509_sign(cert, key, EVP_sha256()) == 0)
		msg_panic("%s: cannot build the certificate", __func__);
	return cert;
}

SSL_CTX *
tls_pair_server_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert;

	if (ctx == NULL || key == NULL)
		msg_panic("%s: OpenSSL setup failed", __func__);
	cert = tls_pair_cert(key);
	if (SSL_CTX_use_certificate(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, key) != 1)
		msg_panic("%s: cannot install the certificate", __func__);
	X509_free(cert);
	EVP_PKEY_free(key);
	return ctx;
}

SSL_CTX *
tls_pair_client_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		msg_panic("%s: OpenSSL setup failed", __func__);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	return ctx;
}

void
tls_pair_unix(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		msg_panic("%s: socketpair: %m", __func__);
	tls_pair_nonblock(sv[0]);
	tls_pair_nonblock(sv[1]);
}

void
tls_pair_tcp(int sv[2])
{
	struct sockaddr_in sin = {0};
	socklen_t len = sizeof(sin);
	int lsock, one = 1;

	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lsock < 0 || bind(lsock, (struct sockaddr *)&sin, len) != 0 ||
	    listen(lsock, 1) != 0 ||
	    getsockname(lsock, (struct sockaddr *)&sin, &len) != 0)
		msg_panic("%s: listener: %m", __func__);
	sv[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sv[0] < 0 || connect(sv[0], (struct sockaddr *)&sin, len) != 0 ||
	    (sv[1] = accept4(lsock, NULL, NULL, SOCK_CLOEXEC)) < 0)
		msg_panic("%s: connect: %m", __func__);
	(void)close(lsock);
	(void)setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	tls_pair_nonblock(sv[0]);
	tls_pair_nonblock(sv[1]);
}

/* Steps one side; returns 1 once its handshake is complete. */
static int
tls_pair_step(SSL *ssl)
{
	int ret = SSL_do_handshake(ssl), err;

	if (ret == 1)
		return 1;
	err = SSL_get_error(ssl, ret);
	if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
		msg_panic("%s: handshake failed (SSL error %d)", __func__, err);
	return 0;
}

void
tls_pair_connect(SSL_CTX *cctx, SSL_CTX *sctx, const int fds[2], SSL **client,
                 SSL **server)
{
	int round, cdone = 0, sdone = 0;

	*client = SSL_new(cctx);
	*server = SSL_new(sctx);
	if (*client == NULL || *server == NULL ||
	    SSL_set_fd(*client, fds[0]) != 1 ||
	    SSL_set_fd(*server, fds[1]) != 1)
		msg_panic("%s: SSL setup failed", __func__);
	SSL_set_connect_state(*client);
	SSL_set_accept_state(*server);
	for (round = 0; round < TLS_PAIR_ROUNDS && !(cdone && sdone); round++) {
		cdone = tls_pair_step(*client);
		sdone = tls_pair_step(*server);
		if (!(cdone && sdone))
			(void)usleep(round < 10 ? 0 : 1000);
	}
	if (!(cdone && sdone))
		msg_panic("%s: handshake did not finish", __func__);
}
