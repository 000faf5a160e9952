/*
 * tlsp_names.h - peer name checks from the match list
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_NAMES_H
#define TLSREUSE_TLSPROXY_TLSP_NAMES_H

#include "tlsp_client.h"
#include "tlsp_client_conn.h"

/*
 * Gives OpenSSL the reference identifiers for conn->ssl from props->match:
 * "nexthop", "dot-nexthop", "hostname" (case-insensitive keywords),
 * ".domain" (any subdomain) or a literal name; no partial-label
 * wildcards. When no name could be added, warns and sets must_fail.
 */
void tlsp_names_add(struct tlsp_client_conn *conn,
                    const struct tlsp_client_start *props);

#endif
