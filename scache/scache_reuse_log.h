/*
 * scache_reuse_log.h - one log line per hand-out of a cached TLS connection
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_SCACHE_SCACHE_REUSE_LOG_H
#define TLSREUSE_SCACHE_SCACHE_REUSE_LOG_H

#include <time.h>

#include "buf.h"

/*
 * Formats the reuse line for a connection being handed out again, from
 * the endpoint properties smtp(8) stored with it (doc/scache-protocol.md
 * section 4: the plain block with reuse_count and expire_time, then the
 * TLS summary block). Fields are taken by name, so any Postfix 3.6-3.12
 * layout works; unknown names are ignored and missing fields are left
 * out of the line.
 * The age is now minus the connection's start, which is expire_time
 * minus reuse_time_limit (smtp_connection_reuse_time_limit, seconds).
 *
 * Returns 1 with the line in out (replacing its contents), or 0, leaving
 * out empty, when the properties carry no TLS summary (plaintext).
 */
int scache_reuse_log_format(struct buf *out, const char *endp_prop,
    time_t now, int reuse_time_limit);

/* Logs the formatted line with msg_info() if there is one. */
void scache_reuse_log(const char *endp_prop, time_t now,
    int reuse_time_limit);

#endif
