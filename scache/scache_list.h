/*
 * scache_list.h - the cache listing (request tlsreuse_list), a chunk at
 * a time
 *
 * One struct scache_list per listing client: the header with the
 * counters since start, then one attribute list per cached connection
 * and per destination binding, then the end list (common/cache_list.h).
 * The listing is produced by a walk over the live cache, a bounded chunk
 * per call, so a long listing never holds up the event loop and never
 * needs more memory than one chunk; the cache may change between calls.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_SCACHE_SCACHE_LIST_H
#define TLSREUSE_SCACHE_SCACHE_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "scache_cache.h"

/* A call stops adding records once this many bytes were added. */
#define SCACHE_LIST_CHUNK 16384

/* What the header reports besides the cache's own figures. */
struct scache_list_info {
	long pid;
	time_t start_time;     /* when the process started serving */
	size_t session_limit;  /* session_max */
	int ttl_limit;         /* connection_cache_ttl_limit, seconds */
	int reuse_time_limit;  /* smtp_connection_reuse_time_limit */
};

struct scache_list;

/* Starts a listing of cache (caller owns it; free it before the cache).
 * Copies info. */
struct scache_list *scache_list_create(struct scache_cache *cache,
    const struct scache_list_info *info);

/*
 * Appends the next lists to out: the header on the first call, then
 * records until at least SCACHE_LIST_CHUNK bytes were added or the end
 * list was. now_ms is the cache's clock, now the time of day. Returns 1
 * while more is to come, 0 once the end list was appended.
 */
int scache_list_next(struct scache_list *list, struct buf *out,
    uint64_t now_ms, time_t now);

/* Accepts NULL. */
void scache_list_free(struct scache_list *list);

#endif
