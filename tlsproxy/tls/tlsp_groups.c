/*
 * tlsp_groups.c - key-exchange groups from a client's settings
 *
 * Postfix 3.8 and later configure the groups from tls_eecdh_auto_curves
 * and tls_ffdhe_auto_groups together; 3.6 and 3.7 from the curves alone
 * (their requests carry no tls_ffdhe_auto_groups). Either way each name
 * is tried alone on a scratch context, so names this OpenSSL lacks are
 * skipped quietly instead of failing the whole list, and the rest is
 * offered in the configured order. The list is resolved once per
 * distinct setting (the caller keeps it) and set on each connection.
 *
 * Errors: the warnings of the requester's release family; nothing fails.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_tls.h"
#include "tlsp_tlserr.h"
#include "tlsp_groups.h"

/* 3.6/3.7 take a curve by its NIST, short or long name. */
static int
tlsp_groups_curve_nid(const char *name)
{
	int nid = EC_curve_nist2nid(name);

	if (nid == NID_undef)
		nid = OBJ_sn2nid(name);
	if (nid == NID_undef)
		nid = OBJ_ln2nid(name);
	return nid;
}

/* 1 if OpenSSL accepts name as the only group of probe. */
static int
tlsp_groups_usable(SSL_CTX *probe, const char *name)
{
	int ok;

	ERR_set_mark();
	ok = SSL_CTX_set1_groups_list(probe, name) > 0;
	ERR_pop_to_mark();
	return ok;
}

/* Appends name unless the list has it (case-insensitively). */
static void
tlsp_groups_add(struct buf *list, const char *name)
{
	const char *p = buf_str(list);
	size_t len = strlen(name);

	while (*p) {
		if (strncasecmp(p, name, len) == 0 &&
		    (p[len] == ':' || !p[len]))
			return;
		p += strcspn(p, ":");
		p += *p == ':';
	}
	if (list->len)
		buf_putc(list, ':');
	buf_puts(list, name);
}

/*
 * 3.6/3.7: the curves of eecdh into list. Unknown names warn; names this
 * OpenSSL cannot use are counted in *unsupported.
 */
static void
tlsp_groups_curves(SSL_CTX *probe, const char *eecdh, struct buf *list,
                   int *unsupported)
{
	char *copy = xstrdup(eecdh);
	char *cursor = copy;
	char *tok;
	int nid;

	while ((tok = token_next(&cursor, TOKEN_SEP_LIST)) != 0) {
		if ((nid = tlsp_groups_curve_nid(tok)) == NID_undef) {
			msg_warn("ignoring unknown ECDHE curve \"%s\"", tok);
		} else if (!tlsp_groups_usable(probe, OBJ_nid2sn(nid))) {
			++*unsupported;
		} else {
			tlsp_groups_add(list, OBJ_nid2sn(nid));
		}
	}
	free(copy);
}

/* 3.8+: the usable groups of eecdh and ffdhe into list; 0 if none. */
static int
tlsp_groups_names(SSL_CTX *probe, const char *origin, const char *eecdh,
                  const char *ffdhe, struct buf *list)
{
	struct buf all;
	char *cursor;
	char *tok;
	int named = 0;

	buf_init(&all);
	buf_printf(&all, "%s %s", eecdh, ffdhe);
	cursor = all.data;
	while ((tok = token_next(&cursor, TOKEN_SEP_LIST ":")) != 0) {
		named = 1;
		if (tlsp_groups_usable(probe, tok))
			tlsp_groups_add(list, tok);
	}
	buf_free(&all);
	if (!named)
		msg_warn("no %s key exchange group - OpenSSL requires at "
		         "least one",
		         origin);
	else if (list->len == 0)
		msg_warn("none of the %s key exchange groups are supported",
		         origin);
	return list->len > 0;
}

/* 3.8+: the configured groups, else Postfix's, else OpenSSL's. */
static void
tlsp_groups_auto(SSL_CTX *probe, const char *eecdh, const char *ffdhe,
                 struct buf *list)
{
	if (!*eecdh && !*ffdhe)
		return;
	if (tlsp_groups_names(probe, "configured", eecdh, ffdhe, list))
		return;
	if (strcmp(eecdh, TLSP_TLS_DEF310_EECDH_AUTO_CURVES) != 0 ||
	    strcmp(ffdhe, TLSP_TLS_DEF310_FFDHE_AUTO_GROUPS) != 0) {
		msg_warn("using Postfix default key exchange groups instead");
		if (tlsp_groups_names(probe, "Postfix default",
		                      TLSP_TLS_DEF310_EECDH_AUTO_CURVES,
		                      TLSP_TLS_DEF310_FFDHE_AUTO_GROUPS, list))
			return;
	}
	msg_warn("using OpenSSL default key exchange groups instead");
}

char *
tlsp_groups_resolve(const char *eecdh, const char *ffdhe)
{
	struct buf list;
	SSL_CTX *probe;
	int unsupported = 0;
	char *result = 0;

	if ((probe = SSL_CTX_new(TLS_method())) == 0) {
		msg_warn("cannot allocate temp SSL_CTX, using default ECDHE "
		         "curves");
		tlsp_tlserr_log();
		return 0;
	}
	buf_init(&list);
	if (ffdhe == 0) {
		tlsp_groups_curves(probe, eecdh ? eecdh : "", &list,
		                   &unsupported);
		if (list.len == 0 && unsupported > 0)
			msg_warn("none of the configured ECDHE curves are "
			         "supported");
	} else {
		tlsp_groups_auto(probe, eecdh ? eecdh : "", ffdhe, &list);
	}
	if (list.len > 0)
		result = xstrdup(buf_str(&list));
	buf_free(&list);
	SSL_CTX_free(probe);
	return result;
}

/* The warning after OpenSSL refused a resolved list. */
static int
tlsp_groups_refused(const char *list)
{
	msg_warn("failed to set up the key exchange groups \"%s\"", list);
	tlsp_tlserr_log();
	return -1;
}

int
tlsp_groups_apply(SSL *ssl, const char *list)
{
	if (list == 0 || SSL_set1_groups_list(ssl, list) > 0)
		return 0;
	return tlsp_groups_refused(list);
}

int
tlsp_groups_apply_ctx(SSL_CTX *ctx, const char *list)
{
	if (list == 0 || SSL_CTX_set1_groups_list(ctx, list) > 0)
		return 0;
	return tlsp_groups_refused(list);
}
