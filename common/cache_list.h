/*
 * cache_list.h - the cache listing request of our scache(8), on the wire
 *
 * The contract between scache/scache_list.c (which answers) and
 * tlsreuse(1) (which asks). After the usual announcement on the scache
 * socket, the client sends one attribute list:
 *
 *   request=tlsreuse_list
 *
 * and our scache answers with attribute lists, then closes:
 *
 *   1. a header: status=0, format, version, pid, start_time, time, the
 *      current sizes and limits, and the counters since start_time;
 *   2. one list per cached connection: record=session, ...;
 *   3. one list per destination binding: record=binding, ...;
 *   4. a last list: record=end and how many of each were listed.
 *
 * No descriptor travels. Stock scache (and any scache that does not know
 * the request) answers a single list with a non-zero status and no
 * "format" attribute. Attributes are read by name: a reader skips names
 * it does not know, and a session lists only the fields smtp(8) stored.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_CACHE_LIST_H
#define TLSREUSE_COMMON_CACHE_LIST_H

#define CACHE_LIST_REQUEST "tlsreuse_list"
#define CACHE_LIST_FORMAT 1 /* bumped when a reader must change */

/* Bounds: what scache sends, and what a reader accepts. */
#define CACHE_LIST_FIELD_MAX 256  /* bytes of a TLS property value */
#define CACHE_LIST_LABEL_MAX 8192 /* bytes of a label (scache's limit) */
#define CACHE_LIST_PAIRS_MAX 32   /* pairs in one list */
#define CACHE_LIST_LIST_MAX 32768 /* bytes in one list */

/* Every list but the header. */
#define CACHE_LIST_A_RECORD "record"
#define CACHE_LIST_SESSION "session"
#define CACHE_LIST_BINDING "binding"
#define CACHE_LIST_END "end"

/* Header. Times are UNIX seconds; counters since start_time. */
#define CACHE_LIST_A_STATUS "status"   /* 0 */
#define CACHE_LIST_A_FORMAT "format"   /* CACHE_LIST_FORMAT */
#define CACHE_LIST_A_VERSION "version" /* tlsreuse release */
#define CACHE_LIST_A_PID "pid"
#define CACHE_LIST_A_START_TIME "start_time"
#define CACHE_LIST_A_TIME "time"
#define CACHE_LIST_A_SESSIONS "sessions" /* cached now (also in end) */
#define CACHE_LIST_A_BINDINGS "bindings" /* bound now (also in end) */
#define CACHE_LIST_A_SESSION_LIMIT "session_limit"
#define CACHE_LIST_A_TTL_LIMIT "ttl_limit" /* seconds */
#define CACHE_LIST_A_SAVED "saved"         /* connections cached */
#define CACHE_LIST_A_DOMAIN_HITS "domain_hits"
#define CACHE_LIST_A_DOMAIN_MISSES "domain_misses"
#define CACHE_LIST_A_ADDRESS_HITS "address_hits"
#define CACHE_LIST_A_ADDRESS_MISSES "address_misses"
#define CACHE_LIST_A_EXPIRED "expired"
#define CACHE_LIST_A_CLOSED_BY_PEER "closed_by_peer"
#define CACHE_LIST_A_OVER_LIMIT "over_limit"

/* record=session and record=binding. Durations in milliseconds. */
#define CACHE_LIST_A_ENDPOINT "endpoint"       /* endpoint label */
#define CACHE_LIST_A_DESTINATION "destination" /* destination label */
#define CACHE_LIST_A_CACHED "cached"       /* since it was saved */
#define CACHE_LIST_A_TIME_LEFT "time_left" /* until scache drops it */
/* record=session, each only when smtp(8) stored it: */
#define CACHE_LIST_A_CONN_USE "conn_use" /* deliveries it carried */
#define CACHE_LIST_A_CONN_AGE "conn_age" /* seconds since established */
#define CACHE_LIST_A_TRUST "trust"       /* Verified, ..., Anonymous */
#define CACHE_LIST_A_SERVER "server"     /* host[address]:port */
#define CACHE_LIST_A_PROTOCOL "protocol"
#define CACHE_LIST_A_CIPHER "cipher"
#define CACHE_LIST_A_CIPHER_BITS "cipher_bits" /* "used/algorithm" */
#define CACHE_LIST_A_PEER_CN "peer_CN"
#define CACHE_LIST_A_ISSUER_CN "issuer_CN"

#endif
