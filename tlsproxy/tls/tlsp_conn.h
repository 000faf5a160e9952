/*
 * tlsp_conn.h - what a TLS connection of either role holds
 *
 * Each engine keeps one object per connection (struct tlsp_client_conn,
 * struct tlsp_server_conn) that starts with this part: the SSL, its
 * verification state (tlsp_verify.h) and the two strings every log line
 * and result about the peer uses. The functions of tlsp_peer.h read it.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLS_TLSP_CONN_H
#define TLSREUSE_TLSPROXY_TLS_TLSP_CONN_H

#include <openssl/ssl.h>

#include "tlsp_verify.h"

struct tlsp_conn {
	SSL *ssl;                  /* NULL until the engine creates it */
	struct tlsp_verify verify; /* log mask, recorded errors, role */
	char *namaddr;             /* the peer, lower-cased, for the logs */
	char *mdalg;               /* fingerprint digest */
};

/*
 * Sets up *c for one connection: a lower-cased copy of namaddr, a copy
 * of mdalg (NULL counts as ""), verification state with log_mask for
 * the role (am_server: 1 for the server role), no SSL yet.
 */
void tlsp_conn_init(struct tlsp_conn *c, const char *namaddr, const char *mdalg,
                    int log_mask, int am_server);

/* Frees the SSL (the descriptor stays open) and what *c holds. */
void tlsp_conn_clear(struct tlsp_conn *c);

#endif
