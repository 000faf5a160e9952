/*
 * scache_cache.h - the connection store behind scache(8)
 *
 * Two tables, as doc/scache-protocol.md section 3 describes: endpoint label ->
 * FIFO of cached sessions (descriptor + endpoint properties), and
 * destination label -> FIFO of bindings (endpoint label + destination
 * properties). Every entry expires on its own. Pure: the clock is passed
 * in (milliseconds, any monotonic origin), nothing here reads or writes
 * sockets; the only system call is close() on descriptors the cache owns.
 *
 * Bounded: at most session_max sessions and binding_max bindings; saving
 * one more first closes and drops the oldest (by save time).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_SCACHE_SCACHE_CACHE_H
#define TLSREUSE_SCACHE_SCACHE_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct scache_cache;

/*
 * Called when the cache starts (on = 1) or stops (on = 0) owning fd, so
 * the caller can watch cached descriptors. With on = 0 the call happens
 * before the cache closes fd or hands it out.
 */
typedef void (*scache_cache_watch_fn)(int fd, int on, void *ctx);

/*
 * Asked, just before a session is handed out, whether fd can still carry
 * one (1) or not (0); a dead one is closed, counted in evict_dead, and
 * the next session is tried. Catches a peer that closed after the last
 * event-loop pass.
 */
typedef int (*scache_cache_alive_fn)(int fd, void *ctx);

/* Counters since the last scache_cache_counts_reset(). */
struct scache_cache_counts {
	int dest_hits;    /* find_dest found a session */
	int dest_miss;    /* find_dest found none */
	int endp_hits;    /* direct find_endp found a session */
	int endp_miss;    /* direct find_endp found none */
	int max_dests;    /* high-water marks, sampled after each save */
	int max_endps;
	int max_sessions;
	int evict_dead;   /* sessions dropped because the peer went away */
	int evict_limit;  /* sessions dropped to stay under session_max */
	int evict_fd;     /* sessions closed to free a descriptor, or lost
	                     on arrival for want of one */
	int evict_expired; /* sessions closed at their expiry */
};

/* Counters since the cache was created (never reset). */
struct scache_cache_totals {
	unsigned long long dest_hits;
	unsigned long long dest_miss;
	unsigned long long endp_hits;
	unsigned long long endp_miss;
	unsigned long long saved;         /* sessions taken into the cache */
	unsigned long long evict_dead;
	unsigned long long evict_limit;
	unsigned long long evict_expired;
};

/*
 * Returns an empty cache (caller owns) holding at most session_max
 * sessions and binding_max bindings (each at least 1, else panic).
 * watch may be NULL.
 */
struct scache_cache *scache_cache_create(size_t session_max,
    size_t binding_max, scache_cache_watch_fn watch, void *watch_ctx);

/* Installs the hand-out check (NULL: none, every session is alive). */
void scache_cache_set_alive(struct scache_cache *cache,
    scache_cache_alive_fn alive, void *ctx);

/* Closes every cached descriptor and frees everything. Accepts NULL.
 * Panics while a walk is open. */
void scache_cache_free(struct scache_cache *cache);

/*
 * Takes ownership of fd and caches it at the tail of endp_label's list
 * with a copy of endp_prop, expiring ttl_s seconds after now_ms. Returns
 * the number of older sessions closed to make room (0 or 1).
 */
int scache_cache_save_endp(struct scache_cache *cache, uint64_t now_ms,
    int ttl_s, const char *endp_label, const char *endp_prop, int fd);

/*
 * Binds dest_label to endp_label with a copy of dest_prop, expiring ttl_s
 * seconds after now_ms. A binding with the same endpoint label and the
 * same properties only gets the new expiry and keeps its place. Returns 1
 * if it was such a refresh, else 0.
 */
int scache_cache_save_dest(struct scache_cache *cache, uint64_t now_ms,
    int ttl_s, const char *dest_label, const char *dest_prop,
    const char *endp_label);

/*
 * Removes the oldest live session of endp_label. On a hit returns its
 * descriptor (the caller now owns it) and sets *endp_prop (caller
 * frees); on a miss returns -1. Counts a direct endpoint hit or miss.
 */
int scache_cache_find_endp(struct scache_cache *cache, const char *endp_label,
    char **endp_prop);

/*
 * Walks dest_label's bindings oldest first and takes the oldest session
 * of the first endpoint that has one; bindings stay. On a hit returns the
 * descriptor (caller owns) and sets *dest_prop, *endp_prop (caller
 * frees); on a miss returns -1. Counts a destination hit or miss only
 * (never an endpoint one).
 */
int scache_cache_find_dest(struct scache_cache *cache, const char *dest_label,
    char **dest_prop, char **endp_prop);

/* Closes and drops the cached session that owns fd (its peer went away);
 * counts it in evict_dead. Returns 0, or -1 if no session has fd. */
int scache_cache_drop_fd(struct scache_cache *cache, int fd);

/*
 * Closes the oldest session (by save time), so that its descriptor can
 * serve a client while the descriptor table is full; counts it in
 * evict_fd. Returns 1, or 0 if the cache is empty.
 */
int scache_cache_shed(struct scache_cache *cache);

/* A session offered for the cache was lost on arrival (no descriptor to
 * receive it): counts it in evict_fd. */
void scache_cache_count_lost(struct scache_cache *cache);

/*
 * Closes and drops every session and binding whose expiry is at or before
 * now_ms. Returns the milliseconds until the next expiry, or -1 if the
 * cache is empty.
 */
int64_t scache_cache_expire(struct scache_cache *cache, uint64_t now_ms);

/* Current sizes: destination labels, endpoint labels, sessions,
 * bindings. */
size_t scache_cache_dest_count(const struct scache_cache *cache);
size_t scache_cache_endp_count(const struct scache_cache *cache);
size_t scache_cache_session_count(const struct scache_cache *cache);
size_t scache_cache_binding_count(const struct scache_cache *cache);

/* The counters (borrowed), and resetting them all to zero. */
const struct scache_cache_counts *scache_cache_counts(
    const struct scache_cache *cache);
void scache_cache_counts_reset(struct scache_cache *cache);

/* The counters since creation (borrowed); resets leave them alone. */
const struct scache_cache_totals *scache_cache_totals(
    const struct scache_cache *cache);

/*
 * A walk over the cache's contents that survives any change to the cache
 * between two steps, so that a listing can be produced a little at a
 * time from the event loop. It visits the sessions and the bindings that
 * were in the cache when the walk was created and are still there when
 * the walk reaches them, each once: sessions in save order, bindings by
 * destination (in the order destinations were first saved), each
 * destination's bindings first in, first out. Entries saved after the
 * walk was created are not visited.
 *
 * A view's strings are borrowed from the cache: valid until the cache
 * next changes. Times are on the clock passed to the cache.
 */
struct scache_cache_walk;

struct scache_cache_session_view {
	const char *endp_label;
	const char *endp_prop;
	uint64_t saved_ms;  /* when it was saved */
	uint64_t expire_ms; /* when the cache closes it */
};

struct scache_cache_binding_view {
	const char *dest_label;
	const char *dest_prop;
	const char *endp_label;
	uint64_t expire_ms;
};

/* Starts a walk (caller owns; free it before the cache). */
struct scache_cache_walk *scache_cache_walk_create(struct scache_cache *cache);

/* The next session (1), or 0 when every session was visited. */
int scache_cache_walk_session(struct scache_cache_walk *walk,
    struct scache_cache_session_view *view);

/* The next binding (1), or 0 when every binding was visited. */
int scache_cache_walk_binding(struct scache_cache_walk *walk,
    struct scache_cache_binding_view *view);

/* Ends a walk. Accepts NULL. */
void scache_cache_walk_free(struct scache_cache_walk *walk);

#endif
