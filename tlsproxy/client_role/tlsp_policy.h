/*
 * tlsp_policy.h - set up one client TLS session from its start props
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_POLICY_H
#define TLSREUSE_TLSPROXY_TLSP_POLICY_H

#include <openssl/ssl.h>

#include "tlsp_client.h"
#include "tlsp_ctx.h"

struct tlsp_client_conn;

/* SNI names longer than this fail the session (TLS host_name limit). */
#define TLSP_POLICY_SNI_MAX 255

/*
 * Creates the SSL for one session on fd (not taken over: the caller
 * keeps closing it) and applies props: protocols, cipher grade and
 * exclusions, DANE / fingerprint / trust-anchor records, peer name
 * checks, SNI, security level. Returns NULL after Postfix's warning when
 * the session must not start (bad protocol list, grade, exclusion, SNI,
 * DANE enable error, unusable mdalg, TLSA data over TLSP_TLSA_LEN_MAX).
 * A must-match level whose trust
 * settings cannot work still starts, but can never be MATCHED. The
 * handshake (SSL_connect) is the caller's; ctx may be freed afterwards.
 */
struct tlsp_client_conn *
tlsp_policy_start(struct tlsp_ctx *ctx, const struct tlsp_client_start *props,
                  int fd);

/* NULL-safe; frees the SSL (does not close fd). */
void tlsp_policy_free(struct tlsp_client_conn *conn);

/* The connection's SSL, for the caller's handshake and I/O. Borrowed. */
SSL *tlsp_policy_ssl(const struct tlsp_client_conn *conn);

/* The tlsmgr session-cache key ("<serverid>&<HEX digest>"). Borrowed. */
const char *tlsp_policy_cache_id(const struct tlsp_client_conn *conn);

#endif
