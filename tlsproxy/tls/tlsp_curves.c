/*
 * tlsp_curves.c - key-exchange groups from tls_eecdh_auto_curves
 *
 * Each name is tried alone on a scratch context first, so names this
 * OpenSSL lacks (X448 on some builds) are skipped quietly, as Postfix
 * does, instead of failing the whole list.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_tlserr.h"
#include "tlsp_curves.h"

/* The NID of a curve name, NID_undef when unknown. */
static int
tlsp_curves_nid(const char *name)
{
	int nid = EC_curve_nist2nid(name);

	if (nid == NID_undef)
		nid = OBJ_sn2nid(name);
	if (nid == NID_undef)
		nid = OBJ_ln2nid(name);
	return nid;
}

/* Collects the supported NIDs; returns how many, counts the others. */
static size_t
tlsp_curves_collect(SSL_CTX *probe, char *list, int *nids, size_t max,
                    int *unsupported)
{
	char *cursor = list;
	char *tok;
	size_t n = 0;
	int nid;

	while (n < max && (tok = token_next(&cursor, TOKEN_SEP_LIST)) != 0) {
		if ((nid = tlsp_curves_nid(tok)) == NID_undef) {
			msg_warn("ignoring unknown ECDHE curve \"%s\"", tok);
			continue;
		}
		if (SSL_CTX_set1_curves(probe, &nid, 1) <= 0) {
			++*unsupported;
			continue;
		}
		nids[n++] = nid;
	}
	return n;
}

void
tlsp_curves_set(SSL_CTX *ctx, const char *curves)
{
	char *list = xstrdup(curves ? curves : "");
	size_t max = strlen(list) / 2 + 1;
	int *nids = xcalloc(max, sizeof(*nids));
	SSL_CTX *probe;
	int unsupported = 0;
	size_t n;

	if ((probe = SSL_CTX_new(TLS_method())) == 0) {
		msg_warn("cannot allocate temp SSL_CTX, using default ECDHE "
		         "curves");
		tlsp_tlserr_log();
	} else if ((n = tlsp_curves_collect(probe, list, nids, max,
	                                    &unsupported)) == 0) {
		if (unsupported > 0)
			msg_warn("none of the configured ECDHE curves are "
			         "supported");
	} else if (SSL_CTX_set1_curves(ctx, nids, (long)n) <= 0) {
		msg_warn("failed to configure ECDHE curves");
		tlsp_tlserr_log();
	}
	SSL_CTX_free(probe);
	free(nids);
	free(list);
}
