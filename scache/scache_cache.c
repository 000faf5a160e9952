/*
 * scache_cache.c - the connection store behind scache(8)
 *
 * Sessions and bindings each sit on two intrusive lists: their label's
 * FIFO (what find takes from) and one cache-wide list in save order (what
 * the size cap evicts from, oldest first). Labels are looked up by a walk
 * over the table list: the tables hold at most session_max endpoints and
 * binding_max destinations, and a few hundred string compares per request
 * cost less than the request's own system calls.
 *
 * Walks (for the listing) keep a cursor into those lists; every place
 * that unlinks a session, binding or destination first moves the cursor
 * of each open walk past it, so a cursor never points at freed memory.
 * Entries carry a serial number from one counter, so a walk can tell
 * the entries that existed when it started from later ones.
 *
 * Limits: session_max, binding_max (scache_cache_create()).
 * Errors: misuse panics; a failing close() is a warning.
 * See also: doc/scache-protocol.md sections 3 and 5; scache_proto.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "msg.h"
#include "scache_cache.h"

struct scache_link {
	struct scache_link *prev;
	struct scache_link *next;
};

#define SCACHE_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct scache_endp {
	struct scache_link in_table;
	struct scache_link sessions; /* FIFO of struct scache_session */
	char *label;
};

struct scache_session {
	struct scache_link in_endp;
	struct scache_link in_age;
	struct scache_endp *endp;
	char *prop;
	int fd;
	uint64_t saved_ms;
	uint64_t expire_ms;
	uint64_t serial;
};

struct scache_dest {
	struct scache_link in_table;
	struct scache_link bindings; /* FIFO of struct scache_binding */
	char *label;
};

struct scache_binding {
	struct scache_link in_dest;
	struct scache_link in_age;
	struct scache_dest *dest;
	char *endp_label;
	char *prop;
	uint64_t expire_ms;
	uint64_t serial;
};

/* Cursors: the next session (in session_age), the destination whose
 * bindings are being visited (NULL: none yet, or it went away), the next
 * binding in it, and the next destination (in dests). */
struct scache_cache_walk {
	struct scache_link in_cache;
	struct scache_cache *cache;
	uint64_t serial_end; /* entries from here on are newer than the walk */
	struct scache_link *next_session;
	struct scache_dest *dest;
	struct scache_link *next_binding;
	struct scache_link *next_dest;
};

struct scache_cache {
	struct scache_link endps;        /* struct scache_endp */
	struct scache_link dests;        /* struct scache_dest */
	struct scache_link session_age;  /* every session, oldest first */
	struct scache_link binding_age;  /* every binding, oldest first */
	size_t endp_count;
	size_t dest_count;
	size_t session_count;
	size_t binding_count;
	size_t session_max;
	size_t binding_max;
	scache_cache_watch_fn watch;
	void *watch_ctx;
	scache_cache_alive_fn alive;
	void *alive_ctx;
	struct scache_cache_counts counts;
	struct scache_cache_totals totals;
	uint64_t serial;            /* the next entry's serial number */
	struct scache_link walks;   /* open struct scache_cache_walk */
};

/* Counts an event both in the interval and since creation. */
#define SCACHE_CACHE_COUNT(cache, field) \
	((cache)->counts.field++, (cache)->totals.field++)

static void
scache_link_init(struct scache_link *head)
{
	head->prev = head->next = head;
}

static int
scache_link_empty(const struct scache_link *head)
{
	return head->next == head;
}

static void
scache_link_append(struct scache_link *head, struct scache_link *item)
{
	item->prev = head->prev;
	item->next = head;
	head->prev->next = item;
	head->prev = item;
}

static void
scache_link_remove(struct scache_link *item)
{
	item->prev->next = item->next;
	item->next->prev = item->prev;
	scache_link_init(item);
}

static void
scache_cache_watch(struct scache_cache *cache, int fd, int on)
{
	if (cache->watch != NULL)
		cache->watch(fd, on, cache->watch_ctx);
}

struct scache_cache *
scache_cache_create(size_t session_max, size_t binding_max,
    scache_cache_watch_fn watch, void *watch_ctx)
{
	struct scache_cache *cache;

	if (session_max == 0 || binding_max == 0)
		msg_panic("%s: zero session or binding limit", __func__);
	cache = xcalloc(1, sizeof(*cache));
	scache_link_init(&cache->endps);
	scache_link_init(&cache->dests);
	scache_link_init(&cache->session_age);
	scache_link_init(&cache->binding_age);
	scache_link_init(&cache->walks);
	cache->session_max = session_max;
	cache->binding_max = binding_max;
	cache->watch = watch;
	cache->watch_ctx = watch_ctx;
	return cache;
}

void
scache_cache_set_alive(struct scache_cache *cache, scache_cache_alive_fn alive,
    void *ctx)
{
	cache->alive = alive;
	cache->alive_ctx = ctx;
}

static uint64_t
scache_cache_deadline(uint64_t now_ms, int ttl_s)
{
	if (ttl_s <= 0)
		msg_panic("%s: bad ttl %d", __func__, ttl_s);
	return now_ms + (uint64_t)ttl_s * 1000;
}

/* --- endpoints and sessions */

static struct scache_endp *
scache_cache_endp_lookup(struct scache_cache *cache, const char *label)
{
	struct scache_link *l;
	struct scache_endp *endp;

	for (l = cache->endps.next; l != &cache->endps; l = l->next) {
		endp = SCACHE_OF(l, struct scache_endp, in_table);
		if (strcmp(endp->label, label) == 0)
			return endp;
	}
	return NULL;
}

/* Unlinks a session (deleting its endpoint if that empties it) and
 * returns its descriptor, which the caller now owns. */
static int
scache_session_unlink(struct scache_cache *cache, struct scache_session *sess)
{
	struct scache_endp *endp = sess->endp;
	struct scache_link *l;
	struct scache_cache_walk *walk;
	int fd = sess->fd;

	for (l = cache->walks.next; l != &cache->walks; l = l->next) {
		walk = SCACHE_OF(l, struct scache_cache_walk, in_cache);
		if (walk->next_session == &sess->in_age)
			walk->next_session = sess->in_age.next;
	}
	scache_link_remove(&sess->in_endp);
	scache_link_remove(&sess->in_age);
	cache->session_count--;
	if (scache_link_empty(&endp->sessions)) {
		scache_link_remove(&endp->in_table);
		cache->endp_count--;
		free(endp->label);
		free(endp);
	}
	free(sess->prop);
	free(sess);
	scache_cache_watch(cache, fd, 0);
	return fd;
}

static void
scache_session_close(struct scache_cache *cache, struct scache_session *sess)
{
	int fd = scache_session_unlink(cache, sess);

	if (close(fd) < 0)
		msg_warn("%s: close(%d): %m", __func__, fd);
}

/* High-water marks, sampled as stock does: endpoints always, sessions
 * after an endpoint save, destinations after a binding save. */
static void
scache_cache_sample(struct scache_cache *cache, int dests, int sessions)
{
	struct scache_cache_counts *c = &cache->counts;

	if (dests && (int)cache->dest_count > c->max_dests)
		c->max_dests = (int)cache->dest_count;
	if ((int)cache->endp_count > c->max_endps)
		c->max_endps = (int)cache->endp_count;
	if (sessions && (int)cache->session_count > c->max_sessions)
		c->max_sessions = (int)cache->session_count;
}

int
scache_cache_save_endp(struct scache_cache *cache, uint64_t now_ms,
    int ttl_s, const char *endp_label, const char *endp_prop, int fd)
{
	struct scache_endp *endp;
	struct scache_session *sess;
	int evicted = 0;

	if (fd < 0)
		msg_panic("%s: bad fd %d", __func__, fd);
	if (cache->session_count >= cache->session_max) {
		scache_session_close(cache, SCACHE_OF(cache->session_age.next,
		    struct scache_session, in_age));
		SCACHE_CACHE_COUNT(cache, evict_limit);
		evicted = 1;
	}
	if ((endp = scache_cache_endp_lookup(cache, endp_label)) == NULL) {
		endp = xcalloc(1, sizeof(*endp));
		endp->label = xstrdup(endp_label);
		scache_link_init(&endp->sessions);
		scache_link_append(&cache->endps, &endp->in_table);
		cache->endp_count++;
	}
	sess = xcalloc(1, sizeof(*sess));
	sess->endp = endp;
	sess->prop = xstrdup(endp_prop);
	sess->fd = fd;
	sess->saved_ms = now_ms;
	sess->expire_ms = scache_cache_deadline(now_ms, ttl_s);
	sess->serial = cache->serial++;
	scache_link_append(&endp->sessions, &sess->in_endp);
	scache_link_append(&cache->session_age, &sess->in_age);
	cache->session_count++;
	cache->totals.saved++;
	scache_cache_watch(cache, fd, 1);
	scache_cache_sample(cache, 0, 1);
	return evicted;
}

/* The oldest live session of endp_label, unlinked, or -1; dead ones on
 * the way are closed. Counts only those. */
static int
scache_cache_take(struct scache_cache *cache, const char *endp_label,
    char **endp_prop)
{
	struct scache_endp *endp;
	struct scache_session *sess;

	while ((endp = scache_cache_endp_lookup(cache, endp_label)) != NULL) {
		sess = SCACHE_OF(endp->sessions.next, struct scache_session,
		    in_endp);
		if (cache->alive && !cache->alive(sess->fd, cache->alive_ctx)) {
			scache_session_close(cache, sess);
			SCACHE_CACHE_COUNT(cache, evict_dead);
			continue;
		}
		*endp_prop = sess->prop;
		sess->prop = NULL;
		return scache_session_unlink(cache, sess);
	}
	return -1;
}

int
scache_cache_find_endp(struct scache_cache *cache, const char *endp_label,
    char **endp_prop)
{
	int fd = scache_cache_take(cache, endp_label, endp_prop);

	if (fd < 0)
		SCACHE_CACHE_COUNT(cache, endp_miss);
	else
		SCACHE_CACHE_COUNT(cache, endp_hits);
	return fd;
}

int
scache_cache_drop_fd(struct scache_cache *cache, int fd)
{
	struct scache_link *l;
	struct scache_session *sess;

	for (l = cache->session_age.next; l != &cache->session_age;
	     l = l->next) {
		sess = SCACHE_OF(l, struct scache_session, in_age);
		if (sess->fd == fd) {
			scache_session_close(cache, sess);
			SCACHE_CACHE_COUNT(cache, evict_dead);
			return 0;
		}
	}
	return -1;
}

int
scache_cache_shed(struct scache_cache *cache)
{
	if (cache->session_count == 0)
		return 0;
	scache_session_close(cache, SCACHE_OF(cache->session_age.next,
	    struct scache_session, in_age));
	cache->counts.evict_fd++;
	return 1;
}

void
scache_cache_count_lost(struct scache_cache *cache)
{
	cache->counts.evict_fd++;
}

/* --- destinations and bindings */

static struct scache_dest *
scache_cache_dest_lookup(struct scache_cache *cache, const char *label)
{
	struct scache_link *l;
	struct scache_dest *dest;

	for (l = cache->dests.next; l != &cache->dests; l = l->next) {
		dest = SCACHE_OF(l, struct scache_dest, in_table);
		if (strcmp(dest->label, label) == 0)
			return dest;
	}
	return NULL;
}

/* Moves every walk's cursors off a binding, and off its destination
 * when that goes with it. */
static void
scache_cache_walks_skip(struct scache_cache *cache,
    struct scache_binding *bind, int dest_goes)
{
	struct scache_link *l;
	struct scache_cache_walk *walk;

	for (l = cache->walks.next; l != &cache->walks; l = l->next) {
		walk = SCACHE_OF(l, struct scache_cache_walk, in_cache);
		if (walk->next_binding == &bind->in_dest)
			walk->next_binding = bind->in_dest.next;
		if (!dest_goes)
			continue;
		if (walk->dest == bind->dest)
			walk->dest = NULL;
		if (walk->next_dest == &bind->dest->in_table)
			walk->next_dest = bind->dest->in_table.next;
	}
}

static void
scache_binding_free(struct scache_cache *cache, struct scache_binding *bind)
{
	struct scache_dest *dest = bind->dest;

	scache_cache_walks_skip(cache, bind,
	    dest->bindings.next == &bind->in_dest &&
	    dest->bindings.prev == &bind->in_dest);
	scache_link_remove(&bind->in_dest);
	scache_link_remove(&bind->in_age);
	cache->binding_count--;
	if (scache_link_empty(&dest->bindings)) {
		scache_link_remove(&dest->in_table);
		cache->dest_count--;
		free(dest->label);
		free(dest);
	}
	free(bind->endp_label);
	free(bind->prop);
	free(bind);
}

static struct scache_binding *
scache_dest_binding_lookup(struct scache_dest *dest, const char *endp_label,
    const char *dest_prop)
{
	struct scache_link *l;
	struct scache_binding *bind;

	for (l = dest->bindings.next; l != &dest->bindings; l = l->next) {
		bind = SCACHE_OF(l, struct scache_binding, in_dest);
		if (strcmp(bind->endp_label, endp_label) == 0 &&
		    strcmp(bind->prop, dest_prop) == 0)
			return bind;
	}
	return NULL;
}

static void
scache_cache_bind(struct scache_cache *cache, struct scache_dest *dest,
    uint64_t expire_ms, const char *dest_prop, const char *endp_label)
{
	struct scache_binding *bind;

	bind = xcalloc(1, sizeof(*bind));
	bind->dest = dest;
	bind->endp_label = xstrdup(endp_label);
	bind->prop = xstrdup(dest_prop);
	bind->expire_ms = expire_ms;
	bind->serial = cache->serial++;
	scache_link_append(&dest->bindings, &bind->in_dest);
	scache_link_append(&cache->binding_age, &bind->in_age);
	cache->binding_count++;
}

int
scache_cache_save_dest(struct scache_cache *cache, uint64_t now_ms,
    int ttl_s, const char *dest_label, const char *dest_prop,
    const char *endp_label)
{
	uint64_t expire_ms = scache_cache_deadline(now_ms, ttl_s);
	struct scache_dest *dest;
	struct scache_binding *bind;
	int refreshed = 0;

	dest = scache_cache_dest_lookup(cache, dest_label);
	if (dest != NULL &&
	    (bind = scache_dest_binding_lookup(dest, endp_label, dest_prop))) {
		/* Same binding: new expiry, same place in its FIFO; the cap
		 * sees it as just saved. */
		bind->expire_ms = expire_ms;
		scache_link_remove(&bind->in_age);
		scache_link_append(&cache->binding_age, &bind->in_age);
		refreshed = 1;
	} else {
		if (cache->binding_count >= cache->binding_max)
			scache_binding_free(cache, SCACHE_OF(
			    cache->binding_age.next, struct scache_binding,
			    in_age));
		/* The eviction may have deleted dest: look it up again. */
		if ((dest = scache_cache_dest_lookup(cache, dest_label)) == NULL) {
			dest = xcalloc(1, sizeof(*dest));
			dest->label = xstrdup(dest_label);
			scache_link_init(&dest->bindings);
			scache_link_append(&cache->dests, &dest->in_table);
			cache->dest_count++;
		}
		scache_cache_bind(cache, dest, expire_ms, dest_prop,
		    endp_label);
	}
	scache_cache_sample(cache, 1, 0);
	return refreshed;
}

int
scache_cache_find_dest(struct scache_cache *cache, const char *dest_label,
    char **dest_prop, char **endp_prop)
{
	struct scache_dest *dest;
	struct scache_binding *bind;
	struct scache_link *l;
	int fd;

	if ((dest = scache_cache_dest_lookup(cache, dest_label)) != NULL) {
		for (l = dest->bindings.next; l != &dest->bindings;
		     l = l->next) {
			bind = SCACHE_OF(l, struct scache_binding, in_dest);
			fd = scache_cache_take(cache, bind->endp_label,
			    endp_prop);
			if (fd >= 0) {
				*dest_prop = xstrdup(bind->prop);
				SCACHE_CACHE_COUNT(cache, dest_hits);
				return fd;
			}
		}
	}
	SCACHE_CACHE_COUNT(cache, dest_miss);
	return -1;
}

/* --- expiry, sizes, counters */

int64_t
scache_cache_expire(struct scache_cache *cache, uint64_t now_ms)
{
	struct scache_link *l, *next;
	struct scache_session *sess;
	struct scache_binding *bind;
	uint64_t soonest = UINT64_MAX;

	for (l = cache->session_age.next; l != &cache->session_age; l = next) {
		next = l->next;
		sess = SCACHE_OF(l, struct scache_session, in_age);
		if (sess->expire_ms <= now_ms) {
			scache_session_close(cache, sess);
			SCACHE_CACHE_COUNT(cache, evict_expired);
		} else if (sess->expire_ms < soonest)
			soonest = sess->expire_ms;
	}
	for (l = cache->binding_age.next; l != &cache->binding_age; l = next) {
		next = l->next;
		bind = SCACHE_OF(l, struct scache_binding, in_age);
		if (bind->expire_ms <= now_ms)
			scache_binding_free(cache, bind);
		else if (bind->expire_ms < soonest)
			soonest = bind->expire_ms;
	}
	return soonest == UINT64_MAX ? -1 : (int64_t)(soonest - now_ms);
}

void
scache_cache_free(struct scache_cache *cache)
{
	if (cache == NULL)
		return;
	if (!scache_link_empty(&cache->walks))
		msg_panic("%s: a walk is still open", __func__);
	while (!scache_link_empty(&cache->session_age))
		scache_session_close(cache, SCACHE_OF(cache->session_age.next,
		    struct scache_session, in_age));
	while (!scache_link_empty(&cache->binding_age))
		scache_binding_free(cache, SCACHE_OF(cache->binding_age.next,
		    struct scache_binding, in_age));
	free(cache);
}

size_t
scache_cache_dest_count(const struct scache_cache *cache)
{
	return cache->dest_count;
}

size_t
scache_cache_endp_count(const struct scache_cache *cache)
{
	return cache->endp_count;
}

size_t
scache_cache_session_count(const struct scache_cache *cache)
{
	return cache->session_count;
}

size_t
scache_cache_binding_count(const struct scache_cache *cache)
{
	return cache->binding_count;
}

const struct scache_cache_counts *
scache_cache_counts(const struct scache_cache *cache)
{
	return &cache->counts;
}

void
scache_cache_counts_reset(struct scache_cache *cache)
{
	memset(&cache->counts, 0, sizeof(cache->counts));
}

const struct scache_cache_totals *
scache_cache_totals(const struct scache_cache *cache)
{
	return &cache->totals;
}

/* --- walks */

struct scache_cache_walk *
scache_cache_walk_create(struct scache_cache *cache)
{
	struct scache_cache_walk *walk = xcalloc(1, sizeof(*walk));

	walk->cache = cache;
	walk->serial_end = cache->serial;
	walk->next_session = cache->session_age.next;
	walk->next_dest = cache->dests.next;
	scache_link_append(&cache->walks, &walk->in_cache);
	return walk;
}

int
scache_cache_walk_session(struct scache_cache_walk *walk,
    struct scache_cache_session_view *view)
{
	struct scache_cache *cache = walk->cache;
	struct scache_session *sess;

	if (walk->next_session == &cache->session_age)
		return 0;
	sess = SCACHE_OF(walk->next_session, struct scache_session, in_age);
	/* Save order: every session after this one is newer still. */
	if (sess->serial >= walk->serial_end) {
		walk->next_session = &cache->session_age;
		return 0;
	}
	walk->next_session = sess->in_age.next;
	view->endp_label = sess->endp->label;
	view->endp_prop = sess->prop;
	view->saved_ms = sess->saved_ms;
	view->expire_ms = sess->expire_ms;
	return 1;
}

int
scache_cache_walk_binding(struct scache_cache_walk *walk,
    struct scache_cache_binding_view *view)
{
	struct scache_cache *cache = walk->cache;
	struct scache_binding *bind;

	for (;;) {
		if (walk->dest == NULL ||
		    walk->next_binding == &walk->dest->bindings) {
			if (walk->next_dest == &cache->dests)
				return 0;
			walk->dest = SCACHE_OF(walk->next_dest,
			    struct scache_dest, in_table);
			walk->next_dest = walk->next_dest->next;
			walk->next_binding = walk->dest->bindings.next;
			continue;
		}
		bind = SCACHE_OF(walk->next_binding, struct scache_binding,
		    in_dest);
		walk->next_binding = bind->in_dest.next;
		/* A refresh keeps its place and serial; newer ones are
		 * skipped. */
		if (bind->serial >= walk->serial_end)
			continue;
		view->dest_label = walk->dest->label;
		view->dest_prop = bind->prop;
		view->endp_label = bind->endp_label;
		view->expire_ms = bind->expire_ms;
		return 1;
	}
}

void
scache_cache_walk_free(struct scache_cache_walk *walk)
{
	if (walk == NULL)
		return;
	scache_link_remove(&walk->in_cache);
	free(walk);
}
