/*
 * tlsp_protocols.c - parse a Postfix TLS protocol list
 *
 * Accepts exactly what Postfix 3.7's protocol-list parser accepts: named
 * inclusions and "!" exclusions, and ">="/"<=" version bounds given by
 * name or as a hexadecimal number. Pure: no logging, the caller carps.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>

#include "mem.h"
#include "token.h"
#include "tlsp_protocols.h"

struct tlsp_protocols_name {
	const char *name;
	int code;
};

static const struct tlsp_protocols_name tlsp_protocols_masks[] = {
    {"SSLv2", TLSP_PROTOCOL_SSLv2},
    {"SSLv3", TLSP_PROTOCOL_SSLv3},
    {"TLSv1", TLSP_PROTOCOL_TLSv1},
    {"TLSv1.1", TLSP_PROTOCOL_TLSv1_1},
    {"TLSv1.2", TLSP_PROTOCOL_TLSv1_2},
    {"TLSv1.3", TLSP_PROTOCOL_TLSv1_3},
    {0, -1},
};

static const struct tlsp_protocols_name tlsp_protocols_versions[] = {
    {"None", 0},
    {"SSLv3", SSL3_VERSION},
    {"TLSv1", TLS1_VERSION},
    {"TLSv1.1", TLS1_1_VERSION},
    {"TLSv1.2", TLS1_2_VERSION},
    {"TLSv1.3", TLS1_3_VERSION},
    {0, -1},
};

/* Table lookup, case-insensitive; the terminator's code when absent. */
static int
tlsp_protocols_lookup(const struct tlsp_protocols_name *table, const char *name)
{
	for (; table->name; table++)
		if (strcasecmp(name, table->name) == 0)
			break;
	return table->code;
}

/* A version bound: a name, or hex digits (strtoul base 16 rules). */
static int
tlsp_protocols_version(const char *tok, int *version)
{
	unsigned long val;
	char *end;
	int code;

	if ((code = tlsp_protocols_lookup(tlsp_protocols_versions, tok)) !=
	    -1) {
		*version = code;
		return 0;
	}
	errno = 0;
	val = strtoul(tok, &end, 16);
	if (*end != 0 || (val == ULONG_MAX && errno == ERANGE) || val > INT_MAX)
		return -1;
	*version = (int)val;
	return 0;
}

/* One token; updates the include/exclude masks or the bounds. */
static int
tlsp_protocols_token(const char *tok, struct tlsp_protocols *out, int *include)
{
	int code;

	if (strncmp(tok, ">=", 2) == 0)
		return tlsp_protocols_version(tok + 2, &out->floor);
	if (strncmp(tok, "<=", 2) == 0)
		return tlsp_protocols_version(tok + 2, &out->ceiling);
	if (*tok == '!') {
		code = tlsp_protocols_lookup(tlsp_protocols_masks, tok + 1);
		out->exclude |= code;
	} else {
		code = tlsp_protocols_lookup(tlsp_protocols_masks, tok);
		*include |= code;
	}
	return code == -1 ? -1 : 0;
}

int
tlsp_protocols_parse(const char *plist, struct tlsp_protocols *out)
{
	char *copy = xstrdup(plist ? plist : "");
	char *cursor = copy;
	char *tok;
	int include = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	while ((tok = token_next(&cursor, TOKEN_SEP_LIST ":")) != 0) {
		if ((ret = tlsp_protocols_token(tok, out, &include)) < 0)
			break;
	}
	free(copy);
	if (ret == 0 && include)
		out->exclude |= TLSP_PROTOCOL_KNOWN & ~include;
	return ret;
}

long
tlsp_protocols_ssl_options(int exclude)
{
	long opts = 0;

	if (exclude & TLSP_PROTOCOL_SSLv3)
		opts |= SSL_OP_NO_SSLv3;
	if (exclude & TLSP_PROTOCOL_TLSv1)
		opts |= SSL_OP_NO_TLSv1;
	if (exclude & TLSP_PROTOCOL_TLSv1_1)
		opts |= SSL_OP_NO_TLSv1_1;
	if (exclude & TLSP_PROTOCOL_TLSv1_2)
		opts |= SSL_OP_NO_TLSv1_2;
	if (exclude & TLSP_PROTOCOL_TLSv1_3)
		opts |= SSL_OP_NO_TLSv1_3;
	return opts;
}
