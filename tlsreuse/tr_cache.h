/*
 * tr_cache.h - ask our scache(8) what it holds (request tlsreuse_list)
 *
 * The client side of common/cache_list.h: a pure, resumable reader of
 * the reply, and the fetch that talks to the scache socket. A stock
 * scache answers with its "bad request" status; the listing then says
 * so (stock = 1) instead of holding records.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_CACHE_H
#define TLSREUSE_TLSREUSE_TR_CACHE_H

#include <stddef.h>

#include "buf.h"

/* Records accepted in one listing (sessions plus bindings). */
#define TR_CACHE_RECORDS_MAX 1000000

struct tr_cache_session {
	char *endpoint;           /* the endpoint label */
	long long cached_ms;      /* since it was saved */
	long long time_left_ms;   /* until scache drops it */
	long long conn_use;       /* -1: not stored */
	long long conn_age;       /* seconds; -1: not stored */
	char *trust;              /* this and the rest: NULL if not stored */
	char *server;
	char *protocol;
	char *cipher;
	char *cipher_bits;
	char *peer_CN;
	char *issuer_CN;
};

struct tr_cache_binding {
	char *destination;
	char *endpoint;
	long long time_left_ms;
};

struct tr_cache_listing {
	int stock;     /* answered like a scache without the request */
	int complete;  /* the end list arrived */
	char *version; /* our scache's release */
	long long pid, start_time, time;
	long long sessions_now, bindings_now, session_limit, ttl_limit;
	long long saved, domain_hits, domain_misses, address_hits;
	long long address_misses, expired, closed_by_peer, over_limit;
	size_t nsessions;
	struct tr_cache_session *session;
	size_t nbindings;
	struct tr_cache_binding *binding;
	size_t session_cap, binding_cap; /* allocated */
};

enum tr_cache_status {
	TR_CACHE_MORE, /* feed more bytes */
	TR_CACHE_DONE, /* the listing is complete (or stock answered) */
	TR_CACHE_BAD,  /* see tr_cache_reader_reason() */
};

struct tr_cache_reader;

/* A reader that fills out (zeroed first; caller owns it). */
struct tr_cache_reader *tr_cache_reader_create(struct tr_cache_listing *out);

/*
 * Consumes bytes of the reply (everything after the request was sent).
 * Sets *used to the bytes taken. Bytes after DONE are not taken.
 */
enum tr_cache_status tr_cache_reader_feed(struct tr_cache_reader *r,
    const void *data, size_t len, size_t *used);

/* After BAD: why (borrowed). */
const char *tr_cache_reader_reason(const struct tr_cache_reader *r);

void tr_cache_reader_free(struct tr_cache_reader *r);

/*
 * Connects to the scache socket at path, checks the announcement, sends
 * the request and reads the reply into out, giving up after timeout_ms
 * without progress. Returns 0, or -1 with why set.
 */
int tr_cache_fetch(struct tr_cache_listing *out, const char *path,
    int timeout_ms, struct buf *why);

/* Frees what the listing holds. */
void tr_cache_listing_free(struct tr_cache_listing *l);

#endif
