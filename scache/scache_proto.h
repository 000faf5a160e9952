/*
 * scache_proto.h - scache(8)'s wire protocol, per client and per process
 *
 * struct scache_proto is the running service: the cache, its expiry and
 * statistics timers, the watch on cached descriptors, and the clients.
 * Each accepted client gets the protocol announcement, then requests are
 * read without blocking (doc/scache-protocol.md section 2): save_endp,
 * find_endp, save_dest, find_dest, with the dummy lists around every
 * descriptor hand-over. A malformed request or a stalled client gets one
 * warning and its connection closed; everyone else carries on.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_SCACHE_SCACHE_PROTO_H
#define TLSREUSE_SCACHE_SCACHE_PROTO_H

#include <stddef.h>

/* Limits on one request list (name bytes are attr_dec's default). */
#define SCACHE_PROTO_VALUE_MAX 8192 /* bytes in a label or properties */
#define SCACHE_PROTO_PAIRS_MAX 8    /* pairs in one list (stock: <= 5) */
#define SCACHE_PROTO_LIST_MAX 16384 /* bytes in one request list */

/* Replies not yet written above which a client's requests wait. */
#define SCACHE_PROTO_OUTPUT_MAX 16384

/* Descriptors kept free for clients, logging and the skeleton. */
#define SCACHE_PROTO_FD_HEADROOM_MIN 32

/* Destination bindings allowed per cacheable session. */
#define SCACHE_PROTO_BINDINGS_PER_SESSION 4

/*
 * The daemon's own switch, given as the last word of its master.cf
 * command line so that stock postconf and "postfix check" never see an
 * unknown parameter name: "reuse_log=no" (or "=yes", the default).
 */
#define SCACHE_PROTO_ARG_REUSE_LOG "reuse_log="

struct scache_proto_config {
	int ttl_limit;                /* connection_cache_ttl_limit, s */
	int status_update_time;       /* connection_cache_status_update_time */
	unsigned request_timeout_ms;  /* a request, or a hand-over, in flight */
	unsigned idle_timeout_ms;     /* between requests (ipc_timeout) */
	int reuse_log;                /* log each hand-out of a TLS session */
	int reuse_time_limit;         /* smtp_connection_reuse_time_limit */
	size_t session_max;           /* cached descriptors */
	size_t binding_max;           /* destination bindings */
	/* Skeleton hook (NULL in tests): a client connection closed. */
	void (*disconnect)(int fd);
};

struct scache_proto;

/* Starts the service: empty cache, statistics timer armed. Copies cfg. */
struct scache_proto *scache_proto_create(const struct scache_proto_config *cfg);

/* Serves a new client on fd (taken over): sends the announcement. */
void scache_proto_accept(struct scache_proto *proto, int fd);

/* Logs the final statistics (stock does so on every normal exit). */
void scache_proto_exit(struct scache_proto *proto);

/* Closes every client and cached descriptor and frees proto. NULL ok. */
void scache_proto_free(struct scache_proto *proto);

/*
 * The descriptor table is full: closes the oldest cached connection so
 * that a client can be served. Returns 1, or 0 if the cache is empty.
 */
int scache_proto_shed(struct scache_proto *proto);

/* Clients connected now. */
size_t scache_proto_client_count(const struct scache_proto *proto);

/* The cache (for tests and statistics). Borrowed. */
struct scache_cache *scache_proto_cache(struct scache_proto *proto);

/*
 * How many descriptors to cache under a descriptor limit of nofile:
 * nofile minus max(nofile / 4, SCACHE_PROTO_FD_HEADROOM_MIN), at least 1.
 */
size_t scache_proto_session_limit(long nofile);

/*
 * If the last argument is SCACHE_PROTO_ARG_REUSE_LOG "yes" or "no" (and
 * not the value of a preceding option), removes it from argv and sets
 * *reuse_log. Fatal on another value, as a bad main.cf value is.
 */
void scache_proto_take_args(int *argc, char **argv, int *reuse_log);

#endif
