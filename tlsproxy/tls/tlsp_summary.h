/*
 * tlsp_summary.h - the "<Status> TLS connection established ..." line
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SUMMARY_H
#define TLSREUSE_TLSPROXY_TLSP_SUMMARY_H

#include "buf.h"
#include "tlsp_tls.h"

/*
 * Appends to out the summary text for res (no trailing newline):
 * "<Anonymous|Verified|Trusted|Untrusted> TLS connection
 * <established|reused> <direction> <namaddr>[ to <sni>]: <protocol> with
 * cipher ..." plus the TLS 1.3 key-exchange and signature parts that are
 * non-empty. direction is "to" (client role) or "from"; sni is NULL or ""
 * unless a server-role SNI name matched. Pure.
 */
void tlsp_summary_format(struct buf *out, const struct tlsp_tls_result *res,
                         int reused, const char *direction, const char *sni);

#endif
