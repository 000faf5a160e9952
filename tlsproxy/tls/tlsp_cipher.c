/*
 * tlsp_cipher.c - cipher grade and exclusions to an OpenSSL cipher list
 *
 * The base list of each grade comes from the global settings given
 * (tlsproxy's own in the server role, the request's in the client role);
 * the requester chooses the grade and adds exclusions. Postfix 3.8 and
 * later send no low or export list and use the medium one for those
 * grades. TLS 1.3 cipher suites are left at OpenSSL's defaults, as
 * Postfix does.
 *
 * Errors: a warning in Postfix's wording, then NULL.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_cipher.h"
#include "tlsp_tlserr.h"

/* The configured base list for a grade name, or NULL. */
static const char *
tlsp_cipher_base(const struct tlsp_tls_params *params, const char *grade)
{
	if (strcasecmp(grade, "high") == 0)
		return params->tls_high_cipherlist;
	if (strcasecmp(grade, "medium") == 0)
		return params->tls_medium_cipherlist;
	if (strcasecmp(grade, "low") == 0)
		return params->tls_low_cipherlist
		           ? params->tls_low_cipherlist
		           : params->tls_medium_cipherlist;
	if (strcasecmp(grade, "export") == 0)
		return params->tls_export_cipherlist
		           ? params->tls_export_cipherlist
		           : params->tls_medium_cipherlist;
	if (strcasecmp(grade, "null") == 0)
		return params->tls_null_cipherlist;
	return 0;
}

/* Appends ":!TOKEN" per exclusion; -1 (warned) on a unary prefix. */
static int
tlsp_cipher_exclude(struct buf *list, const char *exclusions,
                    const char *namaddr)
{
	char *copy = xstrdup(exclusions);
	char *cursor = copy;
	char *tok;
	int ret = 0;

	while ((tok = token_next(&cursor, TOKEN_SEP_LIST ":")) != 0) {
		if (strchr("!+-@", *tok)) {
			msg_warn("%s: invalid unary '!+-@' in cipher "
			         "exclusion: %s",
			         namaddr, tok);
			ret = -1;
			break;
		}
		buf_printf(list, ":!%s", tok);
	}
	free(copy);
	return ret;
}

char *
tlsp_cipher_list(const struct tlsp_tls_params *params, const char *grade,
                 const char *exclusions, const char *namaddr)
{
	const char *base = tlsp_cipher_base(params, grade ? grade : "");
	struct buf list;
	char *result;

	if (base == 0 || *base == 0) {
		msg_warn("%s: invalid cipher grade: \"%s\"", namaddr,
		         grade ? grade : "");
		return 0;
	}
	buf_init(&list);
	buf_puts(&list, base);
	if (exclusions && tlsp_cipher_exclude(&list, exclusions, namaddr) < 0) {
		buf_free(&list);
		return 0;
	}
	result = xstrdup(buf_str(&list));
	buf_free(&list);
	return result;
}

char *
tlsp_cipher_apply(const struct tlsp_conn *c,
                  const struct tlsp_tls_params *params, const char *grade,
                  const char *exclusions, const char *log_namaddr)
{
	char *list = tlsp_cipher_list(params, grade, exclusions, c->namaddr);

	if (list == 0)
		return 0;
	ERR_clear_error();
	if (SSL_set_cipher_list(c->ssl, list) == 0) {
		msg_warn("%s: error setting cipher grade: \"%s\"", c->namaddr,
		         tlsp_tls_str(grade));
		tlsp_tlserr_log();
		free(list);
		return 0;
	}
	if (c->verify.log_mask & TLSP_LOG_VERBOSE)
		msg_info("%s: TLS cipher list \"%s\"", log_namaddr, list);
	return list;
}
