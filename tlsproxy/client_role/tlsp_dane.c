/*
 * tlsp_dane.c - DANE matching types per SSL_CTX, TLSA records per SSL
 *
 * All three uses of TLSA records (DNS DANE, fingerprints as 3 x 255
 * records, trust-anchor files as 2/3 x 0 records) end up here; OpenSSL's
 * DANE verifier does the matching. Matching type 255 is Postfix's private
 * "fingerprint digest" code point and must never come from DNS (smtp(8)
 * drops it there).
 *
 * See also: tlsp_policy.c, which picks the records per level.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_tlserr.h"
#include "tlsp_dane.h"

#define TLSP_DANE_PARAM "tls_dane_digests"
#define TLSP_DANE_HEAD 32 /* logged bytes of long TLSA data */
#define TLSP_DANE_TAIL 32

struct tlsp_dane_mtype {
	const EVP_MD *md;
	uint8_t ord; /* 1 = most preferred; 0 = not listed */
};

struct tlsp_dane_table {
	struct tlsp_dane_mtype m[256];
	uint8_t ord; /* ordinals handed out */
	int maxtype; /* highest code point configured so far */
};

/* The explicit "=number" of a token: 1..254, -1 for none, -2 if bad. */
static int
tlsp_dane_codepoint(const char *name, const char *num)
{
	unsigned long val;
	char *end;

	if (num == 0 || *num == 0)
		return -1;
	errno = 0;
	val = strtoul(num, &end, 10);
	if (*end || errno || end == num || val >= 255) {
		msg_warn("Invalid matching type number in %s: %s=%s",
		         TLSP_DANE_PARAM, name, num);
		return -2;
	}
	if (val == 0) {
		msg_warn("Reserved matching type number in %s: %s=%s",
		         TLSP_DANE_PARAM, name, num);
		return -2;
	}
	return (int)val;
}

/* Checks the name against code points 1 and 2; -2 (warned) if wrong. */
static int
tlsp_dane_fixed(const char *name, int code)
{
	if (code == -1 || code == 1 || code == 2) {
		if (strcasecmp(name, "sha256") == 0 && code != 2)
			return 1;
		if (strcasecmp(name, "sha512") == 0 && code != 1)
			return 2;
	}
	if (code == 1 || code == 2) {
		msg_warn("%s: matching type %d can only be %s", TLSP_DANE_PARAM,
		         code, code == 1 ? "sha256" : "sha512");
		return -2;
	}
	if (code == -1) {
		msg_warn("%s: digest algorithm %s needs an explicit number",
		         TLSP_DANE_PARAM, name);
		return -2;
	}
	return code;
}

/* One "name[=number]" token into the table. */
static void
tlsp_dane_token(struct tlsp_dane_table *t, char *tok)
{
	char *num = strchr(tok, '=');
	int code;

	if (num)
		*num++ = 0;
	if ((code = tlsp_dane_codepoint(tok, num)) == -2)
		return;
	if (code > t->maxtype)
		t->maxtype = code;
	if (*tok == 0) {
		/* "=n" disables n; a bare "" is nothing. */
		if (code > 0)
			t->m[code].md = 0;
		return;
	}
	if ((code = tlsp_dane_fixed(tok, code)) < 0)
		return;
	if (t->m[code].ord != 0) {
		msg_warn("%s: matching type %d specified more than once",
		         TLSP_DANE_PARAM, code);
		return;
	}
	t->m[code].ord = ++t->ord;
	if ((t->m[code].md = tlsp_fprint_md(tok)) == 0)
		msg_warn("%s: digest algorithm \"%s\"(%d) unknown",
		         TLSP_DANE_PARAM, tok, code);
}

/* Hands one code point to OpenSSL; the first listed ranks highest. */
static void
tlsp_dane_mtype_set(SSL_CTX *ctx, const struct tlsp_dane_table *t, int m)
{
	uint8_t ord = (uint8_t)(t->ord - t->m[m].ord + 1);

	if (SSL_CTX_dane_mtype_set(ctx, t->m[m].md, (uint8_t)m, ord) <= 0) {
		msg_warn("%s: error configuring matching type %d",
		         TLSP_DANE_PARAM, m);
		tlsp_tlserr_log();
	}
}

void
tlsp_dane_digest_init(SSL_CTX *ctx, const char *digests, const EVP_MD *fpt_md)
{
	struct tlsp_dane_table *t = xcalloc(1, sizeof(*t));
	char *copy = xstrdup(digests ? digests : "");
	char *cursor = copy;
	char *tok;
	int m;

	t->maxtype = 2;
	t->m[255].md = fpt_md;
	while ((tok = token_next(&cursor, TOKEN_SEP_LIST)) != 0)
		tlsp_dane_token(t, tok);
	free(copy);
	for (m = 1; m <= t->maxtype; m++)
		tlsp_dane_mtype_set(ctx, t, m);
	tlsp_dane_mtype_set(ctx, t, 255);
	free(t);
}

/* Upper-case hex of data, long data as head...tail. */
static void
tlsp_dane_hex(struct buf *hex, const unsigned char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (len > TLSP_DANE_HEAD + TLSP_DANE_TAIL &&
		    i == TLSP_DANE_HEAD) {
			buf_puts(hex, "...");
			i = len - TLSP_DANE_TAIL;
		}
		buf_printf(hex, "%02X", data[i]);
	}
}

/* "<namaddr>: <what>: u s m HEX" ("..." for no data). */
static void
tlsp_dane_carp(const char *namaddr, const char *what, const struct tlsp_tlsa *r)
{
	struct buf hex;

	buf_init(&hex);
	if (r->len == 0)
		buf_puts(&hex, "...");
	tlsp_dane_hex(&hex, r->data, r->len);
	msg_warn("%s: %s: %u %u %u %s", namaddr, what, r->usage, r->selector,
	         r->mtype, buf_str(&hex));
	buf_free(&hex);
}

int
tlsp_dane_add(SSL *ssl, const char *namaddr, const struct tlsp_tlsa *tlsa,
              size_t count)
{
	int usable = 0;
	size_t i;
	int ret;

	for (i = 0; i < count; i++) {
		ret =
		    SSL_dane_tlsa_add(ssl, tlsa[i].usage, tlsa[i].selector,
		                      tlsa[i].mtype, tlsa[i].data, tlsa[i].len);
		if (ret > 0) {
			++usable;
		} else if (ret == 0) {
			tlsp_dane_carp(namaddr, "unusable TLSA RR", &tlsa[i]);
		} else {
			tlsp_dane_carp(namaddr, "error loading trust settings",
			               &tlsa[i]);
			tlsp_tlserr_log();
			return -1;
		}
	}
	return usable;
}

void
tlsp_dane_log(SSL *ssl, int level, const char *namaddr)
{
	EVP_PKEY *mspki = 0;
	const unsigned char *data = 0;
	uint8_t u = 0, sel = 0, m = 0;
	size_t len = 0;
	struct buf hex;
	int depth = SSL_get0_dane_authority(ssl, 0, &mspki);

	if (depth < 0)
		return;
	if (level == TLSP_LEV_VERIFY || level == TLSP_LEV_SECURE) {
		msg_info("%s: Matched trust anchor at depth %d", namaddr,
		         depth);
		return;
	}
	(void)SSL_get0_dane_tlsa(ssl, &u, &sel, &m, &data, &len);
	buf_init(&hex);
	tlsp_dane_hex(&hex, data, len);
	if (level == TLSP_LEV_FPRINT)
		msg_info("%s: Matched fingerprint: %s", namaddr, buf_str(&hex));
	else
		msg_info("%s: Matched DANE %s at depth %d: %u %u %u %s",
		         namaddr,
		         mspki   ? "TA public key verified certificate"
		         : depth ? "TA certificate"
		                 : "EE certificate",
		         depth, u, sel, m, buf_str(&hex));
	buf_free(&hex);
}
