/*
 * tlsp_conn.c - what a TLS connection of either role holds
 *
 * See tlsp_conn.h. The peer's name is kept lower-cased, as Postfix
 * reports it in TLS_SESS_STATE and in its TLS log lines.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <ctype.h>
#include <stdlib.h>

#include <openssl/ssl.h>

#include "mem.h"
#include "tlsp_conn.h"

void
tlsp_conn_init(struct tlsp_conn *c, const char *namaddr, const char *mdalg,
               int log_mask, int am_server)
{
	char *cp;

	c->ssl = 0;
	c->namaddr = xstrdup(namaddr ? namaddr : "");
	for (cp = c->namaddr; *cp; cp++)
		*cp = (char)tolower((unsigned char)*cp);
	c->mdalg = xstrdup(mdalg ? mdalg : "");
	tlsp_verify_init(&c->verify, log_mask, c->namaddr);
	c->verify.am_server = am_server;
}

void
tlsp_conn_clear(struct tlsp_conn *c)
{
	SSL_free(c->ssl);
	c->ssl = 0;
	tlsp_verify_clear(&c->verify);
	free(c->namaddr);
	c->namaddr = 0;
	free(c->mdalg);
	c->mdalg = 0;
}
