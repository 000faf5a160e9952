/*
 * tlsp_names.c - peer name checks from the match list
 *
 * OpenSSL does the matching (SAN DNS-IDs before the CN, one-label "*"
 * wildcards, a leading "." meaning "any subdomain"); this module only
 * maps smtp(8)'s match keywords to names. With no names OpenSSL would
 * check none, so that case poisons verification instead.
 *
 * Missing: non-ASCII (U-label) names are passed as is, not converted
 * to A-labels.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "msg.h"
#include "tlsp_names.h"

/* Length of a leading full-stop variant (ASCII or IDNA2003 UTF-8), or 0. */
static size_t
tlsp_names_dot(const char *name)
{
	static const char *const dots[] = {
	    "\xe3\x80\x82",
	    "\xef\xbc\x8e",
	    "\xef\xbd\xa1",
	};
	size_t i;

	if (*name == '.')
		return 1;
	for (i = 0; i < sizeof(dots) / sizeof(dots[0]); i++)
		if (strncmp(name, dots[i], 3) == 0 && name[3] != 0)
			return 3;
	return 0;
}

/* Adds one name (with a leading "." when subdomain); 1 if accepted. */
static int
tlsp_names_add_one(struct tlsp_client_conn *conn, const char *name,
                   int subdomain)
{
	struct buf dotted;
	int ok;

	buf_init(&dotted);
	buf_printf(&dotted, "%s%s", subdomain ? "." : "", name);
	if (!(ok = SSL_add1_host(conn->tls.ssl, buf_str(&dotted))))
		msg_warn("%s: error loading match name: \"%s\"",
		         conn->tls.namaddr, buf_str(&dotted));
	buf_free(&dotted);
	return ok;
}

/* One match list element; 1 if a name was added. */
static int
tlsp_names_element(struct tlsp_client_conn *conn,
                   const struct tlsp_client_start *props, const char *name)
{
	size_t skip;

	if (strcasecmp(name, "nexthop") == 0)
		return tlsp_names_add_one(
		    conn, props->nexthop ? props->nexthop : "", 0);
	if (strcasecmp(name, "dot-nexthop") == 0)
		return tlsp_names_add_one(
		    conn, props->nexthop ? props->nexthop : "", 1);
	if (strcasecmp(name, "hostname") == 0)
		return tlsp_names_add_one(conn, props->host ? props->host : "",
		                          0);
	if (strcmp(name, ".") == 0) {
		msg_warn("%s: ignoring invalid match name: \".\"",
		         conn->tls.namaddr);
		return 0;
	}
	if ((skip = tlsp_names_dot(name)) > 0)
		return tlsp_names_add_one(conn, name + skip, 1);
	return tlsp_names_add_one(conn, name, 0);
}

void
tlsp_names_add(struct tlsp_client_conn *conn,
               const struct tlsp_client_start *props)
{
	int count = 0;
	size_t i;

	SSL_set_hostflags(conn->tls.ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	for (i = 0; i < props->match_count; i++)
		count += tlsp_names_element(
		    conn, props, props->match[i] ? props->match[i] : "");
	if (count == 0) {
		msg_warn("%s: could not configure peer name checks",
		         conn->tls.namaddr);
		conn->tls.verify.must_fail = 1;
	}
}
