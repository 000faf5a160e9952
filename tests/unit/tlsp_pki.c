/*
 * tlsp_pki.c - throwaway CAs, server certificates and a TLS test server
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mem.h"
#include "tlsp_pki.h"

#define TLSP_PKI_DAY (24L * 3600L)

struct tlsp_pki_spec {
	const char *name; /* file base name */
	const char *cn;   /* subject CN, NULL for none */
	const char *san;  /* subjectAltName value, NULL for none */
	int rsa;
	int issuer;      /* index, -1 = self-signed CA */
	long not_before; /* seconds from now */
	long not_after;
};

static const struct tlsp_pki_spec tlsp_pki_specs[TLSP_PKI_COUNT] = {
    {"ca", "Test Root CA", 0, 0, -1, -TLSP_PKI_DAY, 30 * TLSP_PKI_DAY},
    {"ca2", "Other Root CA", 0, 0, -1, -TLSP_PKI_DAY, 30 * TLSP_PKI_DAY},
    {"ecgood", "mx.example.com", "DNS:mx.example.com", 0, 0, -TLSP_PKI_DAY,
     30 * TLSP_PKI_DAY},
    {"rsagood", "mx.example.com", "DNS:mx.example.com", 1, 0, -TLSP_PKI_DAY,
     30 * TLSP_PKI_DAY},
    {"ecwrong", "other.example.net", "DNS:other.example.net", 0, 0,
     -TLSP_PKI_DAY, 30 * TLSP_PKI_DAY},
    {"ecwild", "*.example.org", "DNS:*.example.org", 0, 0, -TLSP_PKI_DAY,
     30 * TLSP_PKI_DAY},
    {"ecexpired", "mx.example.com", "DNS:mx.example.com", 0, 0,
     -30 * TLSP_PKI_DAY, -TLSP_PKI_DAY},
    {"ecotherca", "mx.example.com", "DNS:mx.example.com", 0, 1, -TLSP_PKI_DAY,
     30 * TLSP_PKI_DAY},
    {"ecnocn", 0, "DNS:mx.example.com", 0, 0, -TLSP_PKI_DAY, 30 * TLSP_PKI_DAY},
    {"ecclient", "client.example.com", "DNS:client.example.com", 0, 0,
     -TLSP_PKI_DAY, 30 * TLSP_PKI_DAY},
};

static char tlsp_pki_dir[256];
static pid_t tlsp_pki_owner; /* forked test children must not clean up */
static struct tlsp_pki_id tlsp_pki_ids[TLSP_PKI_COUNT];

static void
tlsp_pki_check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "tlsp_pki: %s failed\n", what);
		abort();
	}
}

static EVP_PKEY *
tlsp_pki_key(int rsa)
{
	EVP_PKEY *key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("prime256v1");

	tlsp_pki_check(key != 0, "key generation");
	return key;
}

static void
tlsp_pki_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&v3, issuer ? issuer : cert, cert, 0, 0, 0);
	ext = X509V3_EXT_conf_nid(0, &v3, nid, value);
	tlsp_pki_check(ext && X509_add_ext(cert, ext, -1), "extension");
	X509_EXTENSION_free(ext);
}

static X509 *
tlsp_pki_cert(const struct tlsp_pki_spec *s, EVP_PKEY *key,
              const struct tlsp_pki_id *issuer, long serial)
{
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();

	tlsp_pki_check(cert && name, "X509_new");
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(cert), s->not_before);
	X509_gmtime_adj(X509_getm_notAfter(cert), s->not_after);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	                           (const unsigned char *)"tlsreuse tests", -1,
	                           -1, 0);
	if (s->cn)
		X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
		                           (const unsigned char *)s->cn, -1, -1,
		                           0);
	X509_set_subject_name(cert, name);
	X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer->cert)
	                                  : name);
	X509_set_pubkey(cert, key);
	tlsp_pki_ext(cert, issuer ? issuer->cert : 0, NID_basic_constraints,
	             issuer ? "critical,CA:FALSE" : "critical,CA:TRUE");
	if (s->san)
		tlsp_pki_ext(cert, issuer ? issuer->cert : 0,
		             NID_subject_alt_name, s->san);
	tlsp_pki_check(
	    X509_sign(cert, issuer ? issuer->key : key, EVP_sha256()) > 0,
	    "X509_sign");
	X509_NAME_free(name);
	return cert;
}

const char *
tlsp_pki_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", tlsp_pki_dir, name);
	return path;
}

static char *
tlsp_pki_write(const char *name, const char *suffix, EVP_PKEY *key, X509 *cert,
               X509 *issuer)
{
	char base[64];
	char *path;
	FILE *fp;

	snprintf(base, sizeof(base), "%s%s", name, suffix);
	path = xstrdup(tlsp_pki_path(base));
	tlsp_pki_check((fp = fopen(path, "w")) != 0, "fopen");
	if (key)
		PEM_write_PrivateKey(fp, key, 0, 0, 0, 0, 0);
	PEM_write_X509(fp, cert);
	if (issuer)
		PEM_write_X509(fp, issuer);
	fclose(fp);
	return path;
}

void
tlsp_pki_create(void)
{
	const struct tlsp_pki_spec *s;
	struct tlsp_pki_id *id;
	int i;

	if (tlsp_pki_dir[0])
		return;
	snprintf(tlsp_pki_dir, sizeof(tlsp_pki_dir), "/tmp/tlsp_pki.XXXXXX");
	tlsp_pki_check(mkdtemp(tlsp_pki_dir) != 0, "mkdtemp");
	tlsp_pki_owner = getpid();
	for (i = 0; i < TLSP_PKI_COUNT; i++) {
		s = &tlsp_pki_specs[i];
		id = &tlsp_pki_ids[i];
		id->key = tlsp_pki_key(s->rsa);
		id->cert = tlsp_pki_cert(
		    s, id->key, s->issuer < 0 ? 0 : &tlsp_pki_ids[s->issuer],
		    1000 + i);
		id->issuer = s->issuer < 0 ? 0 : tlsp_pki_ids[s->issuer].cert;
		id->file = tlsp_pki_write(s->name, ".pem", id->key, id->cert,
		                          id->issuer);
		id->certfile = tlsp_pki_write(s->name, ".crt", 0, id->cert, 0);
	}
}

void
tlsp_pki_destroy(void)
{
	char cmd[300];
	int i;

	if (getpid() != tlsp_pki_owner)
		return;
	for (i = 0; i < TLSP_PKI_COUNT; i++) {
		EVP_PKEY_free(tlsp_pki_ids[i].key);
		X509_free(tlsp_pki_ids[i].cert);
		free(tlsp_pki_ids[i].file);
		free(tlsp_pki_ids[i].certfile);
		memset(&tlsp_pki_ids[i], 0, sizeof(tlsp_pki_ids[i]));
	}
	if (tlsp_pki_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tlsp_pki_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "tlsp_pki: cannot remove %s\n",
			        tlsp_pki_dir);
	}
	tlsp_pki_dir[0] = 0;
}

const struct tlsp_pki_id *
tlsp_pki_get(enum tlsp_pki_which which)
{
	return &tlsp_pki_ids[which];
}

const char *
tlsp_pki_openssl_fprint(enum tlsp_pki_which which, const char *mdalg, int pkey)
{
	static char out[512];
	char cmd[1024];
	char *cp;
	FILE *fp;
	const char *file = tlsp_pki_ids[which].certfile;

	if (pkey)
		snprintf(
		    cmd, sizeof(cmd),
		    "openssl x509 -pubkey -noout -in "
		    "'%s' | openssl pkey -pubin -outform DER | openssl dgst "
		    "-%s -c",
		    file, mdalg);
	else
		snprintf(cmd, sizeof(cmd),
		         "openssl x509 -fingerprint -%s "
		         "-noout -in '%s'",
		         mdalg, file);
	tlsp_pki_check((fp = popen(cmd, "r")) != 0, "popen");
	tlsp_pki_check(fgets(out, sizeof(out), fp) != 0, "openssl output");
	pclose(fp);
	if ((cp = strchr(out, '=')) != 0)
		memmove(out, cp + 1 + strspn(cp + 1, " "), strlen(cp));
	out[strcspn(out, " \n")] = 0;
	for (cp = out; *cp; cp++)
		if (*cp >= 'a' && *cp <= 'f')
			*cp = (char)(*cp - 'a' + 'A');
	return out;
}

SSL_CTX *
tlsp_pki_server_ctx(enum tlsp_pki_which which)
{
	const struct tlsp_pki_id *id = &tlsp_pki_ids[which];
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509) *chain = sk_X509_new_null();

	tlsp_pki_check(ctx && chain, "server SSL_CTX_new");
	if (id->issuer) {
		X509_up_ref(id->issuer);
		sk_X509_push(chain, id->issuer);
	}
	tlsp_pki_check(
	    SSL_CTX_use_cert_and_key(ctx, id->cert, id->key, chain, 1) == 1,
	    "server cert");
	sk_X509_pop_free(chain, X509_free);
	return ctx;
}

/* One step of one side: 1 done, 0 wants more, -1 failed. */
static int
tlsp_pki_step(SSL *ssl, int (*fn)(SSL *))
{
	int ret = fn(ssl);

	if (ret == 1)
		return 1;
	switch (SSL_get_error(ssl, ret)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	default:
		return -1;
	}
}

int
tlsp_pki_handshake(SSL *client, SSL *server)
{
	int cdone = 0;
	int sdone = 0;
	int i;

	for (i = 0; i < 1000 && !(cdone && sdone); i++) {
		if (!cdone && (cdone = tlsp_pki_step(client, SSL_connect)) < 0)
			return 0;
		if (!sdone && (sdone = tlsp_pki_step(server, SSL_accept)) < 0)
			return 0;
	}
	return cdone && sdone;
}
