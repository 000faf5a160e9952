/*
 * tlsp_pemload.c - keys and certificate chains from PEM files
 *
 * A small state machine over the PEM objects, as Postfix 3.7 reads
 * smtp_tls_chain_files: each private key starts a group, the next
 * certificate is its leaf and further certificates its chain; a group is
 * installed when the next key (or the end) arrives, and must match. In
 * "mixed" mode (cert_file = key_file) the single key may come anywhere.
 * Other PEM types are skipped with a warning.
 *
 * Errors: Postfix's warning texts, then -1.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_tlserr.h"
#include "tlsp_pemload.h"

enum tlsp_pemload_state {
	TLSP_PEM_NOGO = -2, /* unusable object or order */
	TLSP_PEM_FAIL = -1, /* libcrypto error */
	TLSP_PEM_DONE = 0,  /* end of file (return value only) */
	TLSP_PEM_INIT,      /* nothing seen yet */
	TLSP_PEM_PKEY,      /* last object was a key */
	TLSP_PEM_CERT,      /* last object was a certificate */
	TLSP_PEM_BOTH,      /* mixed: key and leaf seen */
};

struct tlsp_pemload {
	SSL_CTX *ctx; /* the target: ctx, or else ssl */
	SSL *ssl;
	const char *origin; /* what the final warning names */
	const char *source; /* current file */
	const char *keysrc; /* file of the current key */
	EVP_PKEY *pkey;
	X509 *cert;
	STACK_OF(X509) * chain;
	int keynum; /* object number of the current key */
	int objnum; /* object number in the current file */
	int state;
	int mixed;
};

/* Frees the pending key, leaf and chain. */
static void
tlsp_pemload_discard(struct tlsp_pemload *st)
{
	X509_free(st->cert);
	st->cert = 0;
	EVP_PKEY_free(st->pkey);
	st->pkey = 0;
	sk_X509_pop_free(st->chain, X509_free);
	st->chain = 0;
}

/* Installs the pending key+leaf+chain; 1 on success. Always clears. */
static int
tlsp_pemload_use(struct tlsp_pemload *st)
{
	int ok = st->ctx ? SSL_CTX_use_cert_and_key(st->ctx, st->cert, st->pkey,
	                                            st->chain, 0)
	                 : SSL_use_cert_and_key(st->ssl, st->cert, st->pkey,
	                                        st->chain, 0);

	tlsp_pemload_discard(st);
	return ok;
}

/* Adds cert as leaf or chain member. */
static void
tlsp_pemload_place_cert(struct tlsp_pemload *st, X509 *cert)
{
	if (st->state == TLSP_PEM_PKEY || st->state == TLSP_PEM_INIT) {
		st->cert = cert;
		st->state = st->mixed && st->state == TLSP_PEM_PKEY
		                ? TLSP_PEM_BOTH
		                : TLSP_PEM_CERT;
		return;
	}
	if ((st->chain == 0 && (st->chain = sk_X509_new_null()) == 0) ||
	    !sk_X509_push(st->chain, cert)) {
		X509_free(cert);
		st->state = TLSP_PEM_FAIL;
	}
}

/* One CERTIFICATE object. */
static void
tlsp_pemload_cert(struct tlsp_pemload *st, const unsigned char *der, long len)
{
	const unsigned char *p = der;
	X509 *cert = d2i_X509(0, &p, len);

	if (!st->mixed && st->state == TLSP_PEM_INIT) {
		msg_warn("error loading chain from %s: key not first",
		         st->source);
		X509_free(cert);
		st->state = TLSP_PEM_NOGO;
	} else if (cert == 0) {
		msg_warn("error loading certificate (PEM object number %d) "
		         "from %s",
		         st->objnum, st->source);
		st->state = TLSP_PEM_FAIL;
	} else if (p - der != len) {
		msg_warn("error loading certificate (PEM object number %d) "
		         "from %s: excess data",
		         st->objnum, st->source);
		X509_free(cert);
		st->state = TLSP_PEM_NOGO;
	} else {
		tlsp_pemload_place_cert(st, cert);
	}
}

/* Decodes a key object; type is an EVP_PKEY_* or NID_undef (PKCS#8). */
static EVP_PKEY *
tlsp_pemload_decode_key(int type, const unsigned char **p, long len)
{
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_PKEY *pkey = 0;

	if (type != NID_undef)
		return d2i_PrivateKey(type, 0, p, len);
	if ((p8 = d2i_PKCS8_PRIV_KEY_INFO(0, p, len)) != 0) {
		pkey = EVP_PKCS82PKEY(p8);
		PKCS8_PRIV_KEY_INFO_free(p8);
	}
	return pkey;
}

/* A key after a key (or after key+leaf in mixed mode). */
static void
tlsp_pemload_extra_key(struct tlsp_pemload *st)
{
	if (st->mixed) {
		msg_warn("ignoring 2nd key at index %d in %s after 1st at %d",
		         st->objnum, st->source, st->keynum);
		return;
	}
	msg_warn("error loading certificate chain: key at index %d in %s "
	         "not followed by a certificate",
	         st->keynum, st->keysrc);
	st->state = TLSP_PEM_NOGO;
}

/* One private key object. */
static void
tlsp_pemload_key(struct tlsp_pemload *st, int type, const unsigned char *der,
                 long len)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = tlsp_pemload_decode_key(type, &p, len);

	if (st->state == TLSP_PEM_PKEY || st->state == TLSP_PEM_BOTH) {
		EVP_PKEY_free(pkey);
		tlsp_pemload_extra_key(st);
		return;
	}
	if (st->state == TLSP_PEM_CERT && !st->mixed && !tlsp_pemload_use(st)) {
		msg_warn("error loading certificate chain: key at index %d in "
		         "%s does not match the certificate",
		         st->keynum, st->keysrc);
		EVP_PKEY_free(pkey);
		st->state = TLSP_PEM_FAIL;
	} else if (pkey == 0) {
		msg_warn("error loading private key (PEM object number %d) "
		         "from %s",
		         st->objnum, st->source);
		st->state = TLSP_PEM_FAIL;
	} else if (p - der != len) {
		msg_warn("error loading private key (PEM object number %d) "
		         "from %s: excess data",
		         st->objnum, st->source);
		EVP_PKEY_free(pkey);
		st->state = TLSP_PEM_NOGO;
	} else {
		st->pkey = pkey;
		st->state = st->state == TLSP_PEM_CERT && st->mixed
		                ? TLSP_PEM_BOTH
		                : TLSP_PEM_PKEY;
	}
}

/* The key type a PEM label announces; -1 if not a key label. */
static int
tlsp_pemload_key_type(const char *label)
{
	if (strcmp(label, PEM_STRING_PKCS8INF) == 0)
		return NID_undef;
	if (strcmp(label, PEM_STRING_RSA) == 0)
		return EVP_PKEY_RSA;
	if (strcmp(label, PEM_STRING_ECPRIVATEKEY) == 0)
		return EVP_PKEY_EC;
	if (strcmp(label, PEM_STRING_DSA) == 0)
		return EVP_PKEY_DSA;
	return -1;
}

/* Reads and handles one PEM object; returns the new state or DONE. */
static int
tlsp_pemload_object(struct tlsp_pemload *st, BIO *bio)
{
	char *label = 0;
	char *header = 0;
	unsigned char *der = 0;
	long len;
	int type;

	if (!PEM_read_bio(bio, &label, &header, &der, &len)) {
		if (ERR_GET_REASON(ERR_peek_last_error()) !=
		    PEM_R_NO_START_LINE)
			return st->state = TLSP_PEM_FAIL;
		ERR_clear_error();
		return TLSP_PEM_DONE;
	}
	if (strcmp(label, PEM_STRING_X509) == 0 ||
	    strcmp(label, PEM_STRING_X509_OLD) == 0)
		tlsp_pemload_cert(st, der, len);
	else if ((type = tlsp_pemload_key_type(label)) != -1)
		tlsp_pemload_key(st, type, der, len);
	else if (!st->mixed)
		msg_warn("loading %s: ignoring PEM type: %s", st->source,
		         label);
	OPENSSL_free(label);
	OPENSSL_free(header);
	OPENSSL_free(der);
	return st->state;
}

/* All objects of one file; the last state seen. */
static int
tlsp_pemload_file(struct tlsp_pemload *st, BIO *bio)
{
	int state = st->state;

	ERR_clear_error();
	for (st->objnum = 1; state > TLSP_PEM_DONE; ++st->objnum) {
		state = tlsp_pemload_object(st, bio);
		if ((st->mixed && st->keynum == 0 &&
		     (state == TLSP_PEM_PKEY || state == TLSP_PEM_BOTH)) ||
		    (!st->mixed && state == TLSP_PEM_PKEY)) {
			st->keynum = st->objnum;
			st->keysrc = st->source;
		}
	}
	BIO_free(bio);
	return state;
}

/* After the last file: install the last group or explain; 0 or -1. */
static int
tlsp_pemload_finish(struct tlsp_pemload *st)
{
	switch (st->state) {
	case TLSP_PEM_FAIL:
		tlsp_tlserr_log();
		break;
	case TLSP_PEM_INIT:
		msg_warn("No PEM data in %s", st->origin);
		break;
	case TLSP_PEM_PKEY:
		msg_warn("No certs for key at index %d in %s", st->keynum,
		         st->keysrc);
		break;
	case TLSP_PEM_CERT:
		if (st->mixed) {
			msg_warn("No private key found in %s", st->origin);
			break;
		}
		/* FALLTHROUGH */
	case TLSP_PEM_BOTH:
		if (tlsp_pemload_use(st))
			return 0;
		msg_warn("key at index %d in %s does not match next "
		         "certificate",
		         st->keynum, st->keysrc);
		tlsp_tlserr_log();
		break;
	default:
		break;
	}
	tlsp_pemload_discard(st);
	msg_warn("error loading private keys and certificates from: %s: %s",
	         st->origin,
	         st->ctx ? "disabling TLS support" : "aborting TLS handshake");
	return -1;
}

/* Opens file as the current source; NULL (warned) on failure. */
static BIO *
tlsp_pemload_open(struct tlsp_pemload *st, const char *file)
{
	BIO *bio;

	st->source = file;
	if ((bio = BIO_new_file(file, "r")) == 0)
		msg_warn("error opening chain file: %s: %m", file);
	return bio;
}

int
tlsp_pemload_chain_files(SSL_CTX *ctx, const char *chain_files)
{
	struct tlsp_pemload st = {
	    .ctx = ctx, .origin = chain_files, .state = TLSP_PEM_INIT};
	char *copy = xstrdup(chain_files);
	char *cursor = copy;
	char *file = token_next(&cursor, TOKEN_SEP_LIST);
	char *next;
	BIO *bio;
	int ret = 0;

	for (; file && ret == 0; file = next) {
		next = token_next(&cursor, TOKEN_SEP_LIST);
		if ((bio = tlsp_pemload_open(&st, file)) == 0)
			break;
		if (tlsp_pemload_file(&st, bio) < TLSP_PEM_DONE || next == 0)
			ret = tlsp_pemload_finish(&st);
	}
	tlsp_pemload_discard(&st);
	free(copy);
	return ret;
}

int
tlsp_pemload_mixed(SSL_CTX *ctx, const char *file)
{
	struct tlsp_pemload st = {
	    .ctx = ctx, .origin = file, .state = TLSP_PEM_INIT, .mixed = 1};
	BIO *bio;

	if ((bio = tlsp_pemload_open(&st, file)) == 0)
		return -1;
	(void)tlsp_pemload_file(&st, bio);
	return tlsp_pemload_finish(&st);
}

int
tlsp_pemload_sni(SSL *ssl, const char *pem, const char *sni)
{
	struct tlsp_pemload st = {.ssl = ssl, .state = TLSP_PEM_INIT};
	char origin[TLSP_PEMLOAD_ORIGIN_MAX];
	BIO *bio;

	snprintf(origin, sizeof(origin), "SNI data for %s", sni);
	st.origin = st.source = origin;
	if ((bio = BIO_new_mem_buf(pem, -1)) == 0) {
		msg_warn("error opening memory BIO for %s", origin);
		tlsp_tlserr_log();
		return -1;
	}
	(void)tlsp_pemload_file(&st, bio);
	return tlsp_pemload_finish(&st);
}
