/*
 * tlsp_sigparams.c - TLS 1.3 key-exchange and signature details
 *
 * These only feed log lines (ours and smtp(8)'s), but smtp(8) logs them
 * from our reply, so the spelling must be Postfix's: names are taken
 * from the keys (the peer's certificate, our own certificate), the
 * digest from the handshake signature.
 *
 * See also: the captured replies in tests/data/tlsp-*-sess-state-*.bin.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "mem.h"
#include "tlsp_result.h"
#include "tlsp_sigparams.h"

/* The group name of an EC key, NULL if it has none. Owned. */
static char *
tlsp_sigparams_group(const EVP_PKEY *pkey)
{
	size_t len = 0;
	char *name;

	if (!EVP_PKEY_get_group_name(pkey, 0, 0, &len))
		return 0;
	name = xmalloc(++len);
	if (!EVP_PKEY_get_group_name(pkey, name, len, 0)) {
		free(name);
		return 0;
	}
	return name;
}

/* The key-exchange share the peer sent. */
static void
tlsp_sigparams_kex(SSL *ssl, struct tlsp_tls_result *res)
{
	EVP_PKEY *pkey = 0;
	int id;

	if (!SSL_get_peer_tmp_key(ssl, &pkey))
		return;
	switch (id = EVP_PKEY_get_id(pkey)) {
	case EVP_PKEY_DH:
		tlsp_result_set(&res->key_exchange, "DHE");
		res->key_exchange_bits = EVP_PKEY_get_bits(pkey);
		break;
	case EVP_PKEY_EC:
		tlsp_result_set(&res->key_exchange, "ECDHE");
		tlsp_result_adopt(&res->key_exchange_curve,
		                  tlsp_sigparams_group(pkey));
		break;
	default:
		tlsp_result_set(&res->key_exchange,
		                OBJ_nid2sn(EVP_PKEY_type(id)));
		break;
	}
	EVP_PKEY_free(pkey);
}

/* Name, curve and bits of a signing key, into the given fields. */
static void
tlsp_sigparams_key(EVP_PKEY *pkey, const char **name, const char **curve,
                   int *bits)
{
	int nid = EVP_PKEY_type(EVP_PKEY_get_id(pkey));

	switch (nid) {
	case NID_undef:
		return;
	case EVP_PKEY_RSA:
		tlsp_result_set(name, "RSA-PSS");
		*bits = EVP_PKEY_get_bits(pkey);
		return;
	case EVP_PKEY_EC:
		tlsp_result_set(name, "ECDSA");
		tlsp_result_adopt(curve, tlsp_sigparams_group(pkey));
		return;
	default:
		tlsp_result_set(name, OBJ_nid2sn(nid));
		return;
	}
}

/* The short name of a signature digest, unless undefined (EdDSA). */
static void
tlsp_sigparams_digest(int ok, int nid, const char **digest)
{
	if (ok && nid != NID_undef)
		tlsp_result_set(digest, OBJ_nid2sn(nid));
}

/* One end's signature name/curve/bits and digest, by role. */
static void
tlsp_sigparams_end(struct tlsp_tls_result *res, int server_end, EVP_PKEY *pkey,
                   int ok, int nid)
{
	if (server_end) {
		tlsp_sigparams_key(pkey, &res->srvr_signature,
		                   &res->srvr_signature_curve,
		                   &res->srvr_signature_bits);
		tlsp_sigparams_digest(ok, nid, &res->srvr_signature_digest);
	} else {
		tlsp_sigparams_key(pkey, &res->clnt_signature,
		                   &res->clnt_signature_curve,
		                   &res->clnt_signature_bits);
		tlsp_sigparams_digest(ok, nid, &res->clnt_signature_digest);
	}
}

void
tlsp_sigparams_get(SSL *ssl, struct tlsp_tls_result *res)
{
	int srvr = SSL_is_server(ssl);
	X509 *cert;
	int nid = NID_undef;
	int ok;

	if (SSL_version(ssl) < TLS1_3_VERSION)
		return;
	tlsp_sigparams_kex(ssl, res);
	/* A client certificate may be loaded yet unused: ask the handshake. */
	if ((srvr || SSL_get_signature_nid(ssl, &nid)) &&
	    (cert = SSL_get_certificate(ssl)) != 0) {
		ok = SSL_get_signature_nid(ssl, &nid);
		tlsp_sigparams_end(res, srvr, X509_get0_pubkey(cert), ok, nid);
	}
	if ((cert = SSL_get0_peer_certificate(ssl)) != 0) {
		ok = SSL_get_peer_signature_nid(ssl, &nid);
		tlsp_sigparams_end(res, !srvr, X509_get0_pubkey(cert), ok, nid);
	}
}
