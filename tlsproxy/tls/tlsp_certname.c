/*
 * tlsp_certname.c - peer and issuer common names for the TLS context
 *
 * smtp(8) logs these and may copy them into headers, so only printable
 * UTF-8 of bounded length passes; anything else is refused (the field
 * falls back as Postfix's does) with Postfix's warning wording.
 *
 * Limits: TLSP_CERTNAME_MAX bytes.
 * See also: tlsp_peer.c, the caller.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "mem.h"
#include "msg.h"
#include "tlsp_tlserr.h"
#include "tlsp_certname.h"

#define TLSP_CERTNAME_FN "tls_text_name"

/* Refuses NUL bytes and ASCII control characters; 0 if acceptable. */
static int
tlsp_certname_check(const unsigned char *utf8, int len, const char *label,
                    const char *namaddr)
{
	int i;

	if (len > TLSP_CERTNAME_MAX) {
		msg_warn("%s: %s: peer %s too long: %d", TLSP_CERTNAME_FN,
		         namaddr, label, len);
		return -1;
	}
	if ((size_t)len != strlen((const char *)utf8)) {
		msg_warn("%s: %s: NULL character in peer %s", TLSP_CERTNAME_FN,
		         namaddr, label);
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (utf8[i] < 0x80 && (utf8[i] < 0x20 || utf8[i] == 0x7f)) {
			msg_warn("%s: %s: non-printable content in peer %s",
			         TLSP_CERTNAME_FN, namaddr, label);
			return -1;
		}
	}
	return 0;
}

/* The first nid entry of name as checked UTF-8, or NULL. Owned. */
static char *
tlsp_certname_text(const X509_NAME *name, int nid, const char *label,
                   const char *namaddr)
{
	const ASN1_STRING *data;
	unsigned char *utf8 = 0;
	char *result = 0;
	int pos;
	int len;

	if (name == 0 || (pos = X509_NAME_get_index_by_NID(name, nid, -1)) < 0)
		return 0;
	data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, pos));
	if (data == 0)
		return 0;
	if ((len = ASN1_STRING_to_UTF8(&utf8, data)) < 0) {
		msg_warn("%s: %s: error decoding peer %s of ASN.1 type=%d",
		         TLSP_CERTNAME_FN, namaddr, label,
		         ASN1_STRING_type(data));
		tlsp_tlserr_log();
		return 0;
	}
	/* Trailing NULs would trip the checks below; they are harmless. */
	while (len > 0 && utf8[len - 1] == 0)
		--len;
	utf8[len] = 0;
	if (tlsp_certname_check(utf8, len, label, namaddr) == 0)
		result = xstrdup((const char *)utf8);
	OPENSSL_free(utf8);
	return result;
}

char *
tlsp_certname_subject(X509 *cert, const char *peername, const char *namaddr)
{
	char *cn = tlsp_certname_text(X509_get_subject_name(cert),
	                              NID_commonName, "subject CN", namaddr);

	if (cn == 0)
		cn = xstrdup(peername ? peername : "");
	return cn;
}

char *
tlsp_certname_issuer(X509 *cert, const char *namaddr)
{
	const X509_NAME *name = X509_get_issuer_name(cert);
	char *cn =
	    tlsp_certname_text(name, NID_commonName, "issuer CN", namaddr);

	if (cn == 0)
		cn = tlsp_certname_text(name, NID_organizationName,
		                        "issuer Organization", namaddr);
	return cn ? cn : xstrdup("");
}
