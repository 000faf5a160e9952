/*
 * tlsp_result.c - building and releasing a struct tlsp_tls_result
 *
 * Keeps the "every string owned, never NULL" rule of the result in one
 * place, so encoders can send each field without checks.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "tlsp_result.h"

/* The string fields, for init and free. */
static const char **
tlsp_result_field(struct tlsp_tls_result *res, size_t i)
{
	const char **fields[] = {
	    &res->peer_CN,
	    &res->issuer_CN,
	    &res->peer_fingerprint,
	    &res->peer_pubkey_fingerprint,
	    &res->cipher_protocol,
	    &res->cipher_name,
	    &res->key_exchange,
	    &res->key_exchange_curve,
	    &res->clnt_signature,
	    &res->clnt_signature_curve,
	    &res->clnt_signature_digest,
	    &res->srvr_signature,
	    &res->srvr_signature_curve,
	    &res->srvr_signature_digest,
	    &res->namaddr,
	    0,
	};

	return fields[i];
}

void
tlsp_result_init(struct tlsp_tls_result *res)
{
	const char **f;
	size_t i;

	memset(res, 0, sizeof(*res));
	for (i = 0; (f = tlsp_result_field(res, i)) != 0; i++)
		*f = xstrdup("");
}

void
tlsp_tls_result_free(struct tlsp_tls_result *res)
{
	const char **f;
	size_t i;

	if (res == 0)
		return;
	for (i = 0; (f = tlsp_result_field(res, i)) != 0; i++)
		xfree_const(*f);
	memset(res, 0, sizeof(*res));
}

void
tlsp_result_set(const char **field, const char *value)
{
	tlsp_result_adopt(field, xstrdup(value ? value : ""));
}

void
tlsp_result_adopt(const char **field, char *value)
{
	xfree_const(*field);
	*field = value ? value : xstrdup("");
}
