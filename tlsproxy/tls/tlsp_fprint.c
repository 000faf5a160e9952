/*
 * tlsp_fprint.c - certificate and public-key fingerprints
 *
 * The digest is whatever the requester named (smtp_tls_fingerprint_digest);
 * the text form is what smtp(8) compares and logs: upper-case hex pairs
 * separated by colons, as "openssl x509 -fingerprint" prints them.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mem.h"
#include "tlsp_fprint.h"

const EVP_MD *
tlsp_fprint_md(const char *mdalg)
{
	const EVP_MD *md;
	EVP_MD_CTX *mdctx;
	int ok;

	if (mdalg == 0 || (md = EVP_get_digestbyname(mdalg)) == 0)
		return 0;
	if ((mdctx = EVP_MD_CTX_new()) == 0)
		return 0;
	ok = EVP_DigestInit_ex(mdctx, md, 0);
	EVP_MD_CTX_free(mdctx);
	return ok ? md : 0;
}

/* "AB:01:..." upper-case hex bytes joined by ':'; "" for len 0. Owned. */
static char *
tlsp_fprint_encode(const unsigned char *data, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xcalloc(len ? len : 1, 3);
	size_t i;

	for (i = 0; i < len; i++) {
		out[3 * i] = hex[data[i] >> 4];
		out[3 * i + 1] = hex[data[i] & 0x0f];
		out[3 * i + 2] = i + 1 < len ? ':' : 0;
	}
	return out;
}

/* Digest of data with mdalg, encoded; NULL if the digest is unusable. */
static char *
tlsp_fprint_data(const unsigned char *data, size_t len, const char *mdalg)
{
	const EVP_MD *md = tlsp_fprint_md(mdalg);
	unsigned char mdbuf[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	if (md == 0 || !EVP_Digest(data, len, mdbuf, &mdlen, md, 0))
		return 0;
	return tlsp_fprint_encode(mdbuf, mdlen);
}

char *
tlsp_fprint_cert(X509 *cert, const char *mdalg)
{
	unsigned char *der = 0;
	int len = i2d_X509(cert, &der);
	char *result;

	if (len <= 0)
		return 0;
	result = tlsp_fprint_data(der, (size_t)len, mdalg);
	OPENSSL_free(der);
	return result;
}

char *
tlsp_fprint_pkey(X509 *cert, const char *mdalg, int legacy)
{
	const ASN1_BIT_STRING *bits;
	unsigned char *der = 0;
	char *result;
	int len;

	if (legacy) {
		if ((bits = X509_get0_pubkey_bitstr(cert)) == 0)
			return 0;
		return tlsp_fprint_data(bits->data, (size_t)bits->length,
		                        mdalg);
	}
	if ((len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der)) <= 0)
		return 0;
	result = tlsp_fprint_data(der, (size_t)len, mdalg);
	OPENSSL_free(der);
	return result;
}
