/*
 * tlsp_pki.h - throwaway CAs, server certificates and a TLS test server
 *
 * Generated with the OpenSSL API at fixture set-up in a fresh temporary
 * directory; no key material is committed. For the tlsproxy TLS tests.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_TLSP_PKI_H
#define TLSREUSE_TESTS_TLSP_PKI_H

#include <openssl/ssl.h>
#include <openssl/x509.h>

enum tlsp_pki_which {
	TLSP_PKI_CA,         /* "Test Root CA" (EC) */
	TLSP_PKI_CA2,        /* "Other Root CA" (EC), trusted by nobody */
	TLSP_PKI_EC_GOOD,    /* mx.example.com, EC P-256, by CA */
	TLSP_PKI_RSA_GOOD,   /* mx.example.com, RSA 2048, by CA */
	TLSP_PKI_EC_WRONG,   /* other.example.net, by CA */
	TLSP_PKI_EC_WILD,    /* *.example.org, by CA */
	TLSP_PKI_EC_EXPIRED, /* mx.example.com, expired, by CA */
	TLSP_PKI_EC_OTHERCA, /* mx.example.com, by CA2 */
	TLSP_PKI_EC_NOCN,    /* no subject CN, SAN mx.example.com, by CA */
	TLSP_PKI_EC_CLIENT,  /* client.example.com, by CA */
	TLSP_PKI_COUNT
};

struct tlsp_pki_id {
	EVP_PKEY *key;
	X509 *cert;
	X509 *issuer;   /* NULL for the roots */
	char *file;     /* key, cert, issuer as one PEM file */
	char *certfile; /* the certificate alone */
};

/* Creates everything once per process (call from the suite function). */
void tlsp_pki_create(void);

/* Removes the directory and frees everything; only in the creator
 * process, so it is safe as an atexit() handler under CK_FORK. */
void tlsp_pki_destroy(void);

const struct tlsp_pki_id *tlsp_pki_get(enum tlsp_pki_which which);

/* dir/name in the fixture directory; static storage, one at a time. */
const char *tlsp_pki_path(const char *name);

/*
 * Runs "openssl x509 -fingerprint" (pkey = 0) or the SPKI digest pipeline
 * (pkey = 1) on which's certificate file, returns "AB:CD:..." (static).
 */
const char *tlsp_pki_openssl_fprint(enum tlsp_pki_which which,
                                    const char *mdalg, int pkey);

/* A TLS server context presenting which (with its issuer). */
SSL_CTX *tlsp_pki_server_ctx(enum tlsp_pki_which which);

/*
 * Drives SSL_connect on client and SSL_accept on server (non-blocking,
 * over a socketpair) until both finish; 1 on success, 0 on failure.
 */
int tlsp_pki_handshake(SSL *client, SSL *server);

#endif
