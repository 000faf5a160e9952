/*
 * scache_reuse_log.h - the TLS properties of a cached connection, and the
 * log line per hand-out
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_SCACHE_SCACHE_REUSE_LOG_H
#define TLSREUSE_SCACHE_SCACHE_REUSE_LOG_H

#include <time.h>

#include "buf.h"

/* The endpoint property fields read by name. */
enum scache_reuse_field {
	/* Endpoint block. */
	SCACHE_REUSE_F_REUSE_COUNT,
	SCACHE_REUSE_F_EXPIRE_TIME,
	/* TLS summary block. */
	SCACHE_REUSE_F_PEER_CN,
	SCACHE_REUSE_F_ISSUER_CN,
	SCACHE_REUSE_F_PEER_STATUS,
	SCACHE_REUSE_F_PROTOCOL,
	SCACHE_REUSE_F_CIPHER,
	SCACHE_REUSE_F_USEBITS,
	SCACHE_REUSE_F_ALGBITS,
	SCACHE_REUSE_F_KEX,
	SCACHE_REUSE_F_KEX_CURVE,
	SCACHE_REUSE_F_KEX_BITS,
	SCACHE_REUSE_F_SIG,
	SCACHE_REUSE_F_SIG_CURVE,
	SCACHE_REUSE_F_SIG_BITS,
	SCACHE_REUSE_F_SIG_DIGEST,
	SCACHE_REUSE_F_NAMADDR,
	SCACHE_REUSE_F_COUNT,
};

#define SCACHE_REUSE_F_TLS_FIRST SCACHE_REUSE_F_PEER_CN

struct scache_reuse_value {
	const char *text; /* NULL: absent; not NUL-terminated */
	size_t len;
};

/* One endpoint property string, split by field (borrowed from it). */
struct scache_reuse_props {
	struct scache_reuse_value field[SCACHE_REUSE_F_COUNT];
	int tls; /* a TLS summary block is present */
};

/*
 * Fills props from endp_prop (the plain block with reuse_count and
 * expire_time, then the TLS summary block), by name, so any Postfix
 * 3.6-3.12 layout works; unknown names are ignored, missing ones stay
 * absent. Returns props->tls. Values point into endp_prop.
 */
int scache_reuse_props_parse(struct scache_reuse_props *props,
    const char *endp_prop);

/* A field as a decimal number: 0 and *out, or -1 if absent or not one. */
int scache_reuse_props_number(const struct scache_reuse_props *props,
    enum scache_reuse_field f, long long *out);

/* "Verified", "Trusted", "Untrusted" or "Anonymous" from peer_status,
 * as smtp(8) computes it; NULL without a peer_status. */
const char *scache_reuse_props_trust(const struct scache_reuse_props *props);

/*
 * Formats the reuse line for a connection being handed out again, from
 * the endpoint properties smtp(8) stored with it (doc/scache-protocol.md
 * section 4; as parsed by scache_reuse_props_parse()); missing fields are
 * left out of the line.
 * The age is now minus the connection's start, which is expire_time
 * minus reuse_time_limit (smtp_connection_reuse_time_limit, seconds).
 *
 * Returns 1 with the line in out (replacing its contents), or 0, leaving
 * out empty, when the properties carry no TLS summary (plaintext).
 */
int scache_reuse_log_format(struct buf *out, const char *endp_prop,
    time_t now, int reuse_time_limit);

/*
 * Logs the formatted line with msg_info(), if there is one, at the next
 * turn of the event loop: the reply that hands the connection out is
 * written first, so the client goes on while the line travels to the
 * logger (a datagram that wakes postlogd or syslogd). The line keeps the
 * order of the other reuse lines; beyond SCACHE_REUSE_PENDING_MAX bytes
 * waiting they all go at once.
 */
#define SCACHE_REUSE_PENDING_MAX 16384
void scache_reuse_log(const char *endp_prop, time_t now,
    int reuse_time_limit);

/* Logs the lines still waiting now (at exit, in tests). */
void scache_reuse_log_flush(void);

#endif
