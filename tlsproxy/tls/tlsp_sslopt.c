/*
 * tlsp_sslopt.c - SSL_CTX options from tls_disable_workarounds and
 * tls_ssl_options
 *
 * Every OpenSSL workaround is on unless the administrator turns it off;
 * extra options can be turned on, except those Postfix sets itself
 * (protocol exclusions, server cipher preference, unexpected EOF).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_sslopt.h"

/* Bits Postfix manages through other parameters. */
#define TLSP_SSLOPT_MANAGED                                                    \
	(SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF |      \
	 SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |               \
	 SSL_OP_NO_TLSv1_2 | SSL_OP_NO_TLSv1_3)

struct tlsp_sslopt_name {
	const char *name;
	long bits;
};

#define TLSP_SSLOPT(x)                                                         \
	{                                                                      \
#x, (long)SSL_OP_##x                                           \
	}

static const struct tlsp_sslopt_name tlsp_sslopt_bugs[] = {
    TLSP_SSLOPT(MICROSOFT_SESS_ID_BUG),
    TLSP_SSLOPT(NETSCAPE_CHALLENGE_BUG),
    TLSP_SSLOPT(LEGACY_SERVER_CONNECT),
    TLSP_SSLOPT(NETSCAPE_REUSE_CIPHER_CHANGE_BUG),
    {"CVE-2010-4180", (long)SSL_OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG},
    TLSP_SSLOPT(SSLREF2_REUSE_CERT_TYPE_BUG),
    TLSP_SSLOPT(MICROSOFT_BIG_SSLV3_BUFFER),
    TLSP_SSLOPT(MSIE_SSLV2_RSA_PADDING),
    {"CVE-2005-2969", (long)SSL_OP_MSIE_SSLV2_RSA_PADDING},
    TLSP_SSLOPT(SSLEAY_080_CLIENT_DH_BUG),
    TLSP_SSLOPT(TLS_D5_BUG),
    TLSP_SSLOPT(TLS_BLOCK_PADDING_BUG),
    TLSP_SSLOPT(TLS_ROLLBACK_BUG),
    TLSP_SSLOPT(DONT_INSERT_EMPTY_FRAGMENTS),
    TLSP_SSLOPT(CRYPTOPRO_TLSEXT_BUG),
    TLSP_SSLOPT(TLSEXT_PADDING),
    {0, 0},
};

static const struct tlsp_sslopt_name tlsp_sslopt_options[] = {
    TLSP_SSLOPT(LEGACY_SERVER_CONNECT),
    TLSP_SSLOPT(NO_TICKET),
    TLSP_SSLOPT(NO_COMPRESSION),
    TLSP_SSLOPT(NO_RENEGOTIATION),
    TLSP_SSLOPT(NO_SESSION_RESUMPTION_ON_RENEGOTIATION),
    TLSP_SSLOPT(PRIORITIZE_CHACHA),
    TLSP_SSLOPT(ENABLE_MIDDLEBOX_COMPAT),
    {0, 0},
};

/* A "0x..." number, as Postfix's name-mask parser takes it; 0 if not. */
static int
tlsp_sslopt_hex(const char *tok, long *bits)
{
	unsigned long val;
	char *end;

	if (strncasecmp(tok, "0x", 2) != 0)
		return 0;
	errno = 0;
	val = strtoul(tok, &end, 16);
	if (*end != 0 || errno == ERANGE)
		return 0;
	*bits = (long)val;
	return 1;
}

/* The bits of one name; warns and yields 0 when unknown. */
static long
tlsp_sslopt_word(const struct tlsp_sslopt_name *table, const char *param,
                 const char *tok, const char *value)
{
	long bits;

	for (; table->name; table++)
		if (strcasecmp(tok, table->name) == 0)
			return table->bits;
	if (tlsp_sslopt_hex(tok, &bits))
		return bits;
	msg_warn("unknown %s value \"%s\" in \"%s\"", param, tok, value);
	return 0;
}

/* The union of the bits named in value. */
static long
tlsp_sslopt_mask(const struct tlsp_sslopt_name *table, const char *param,
                 const char *value)
{
	char *copy = xstrdup(value);
	char *cursor = copy;
	char *tok;
	long bits = 0;

	while ((tok = token_next(&cursor, TOKEN_SEP_LIST)) != 0)
		bits |= tlsp_sslopt_word(table, param, tok, value);
	free(copy);
	return bits;
}

long
tlsp_sslopt_bits(const char *disable, const char *enable)
{
	long bits = (long)SSL_OP_ALL;

	if (disable && *disable) {
		bits &= ~tlsp_sslopt_mask(tlsp_sslopt_bugs,
		                          "tls_disable_workarounds", disable);
		bits &= ~(long)SSL_OP_SAFARI_ECDHE_ECDSA_BUG;
	}
	if (enable && *enable)
		bits |= tlsp_sslopt_mask(tlsp_sslopt_options, "tls_ssl_options",
		                         enable) &
		        ~((long)SSL_OP_ALL | (long)TLSP_SSLOPT_MANAGED);
	return bits;
}
