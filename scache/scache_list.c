/*
 * scache_list.c - the cache listing (request tlsreuse_list), a chunk at
 * a time
 *
 * The listing is for the administrator's tool: what is cached, for how
 * much longer, how often each connection was used, and its TLS
 * properties as smtp(8) stored them (scache_reuse_log.c reads them), so
 * that the tool never sees raw properties and scache never hands out a
 * descriptor or a byte it was not asked for. Labels go out as they are
 * (the tool splits them); TLS values are cut at CACHE_LIST_FIELD_MAX.
 *
 * Steps: the header (counters since start), the sessions, the bindings,
 * the end list. Each call of scache_list_next() adds about one chunk and
 * returns to the event loop; the cache walk makes that safe against
 * everything the other clients do meanwhile.
 *
 * Limits: SCACHE_LIST_CHUNK per call; a record is bounded by the
 * request limits on labels and by CACHE_LIST_FIELD_MAX per TLS value.
 * Errors: none; a property smtp(8) did not store is left out.
 * See also: common/cache_list.h, scache_cache.h (walks).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_enc.h"
#include "cache_list.h"
#include "mem.h"
#include "version.h"
#include "scache_reuse_log.h"
#include "scache_list.h"

enum scache_list_step {
	SCACHE_LIST_HEADER,
	SCACHE_LIST_SESSIONS,
	SCACHE_LIST_BINDINGS,
	SCACHE_LIST_DONE,
};

struct scache_list {
	struct scache_cache *cache;
	struct scache_cache_walk *walk;
	struct scache_list_info info;
	enum scache_list_step step;
	long sessions; /* listed so far */
	long bindings;
};

struct scache_list *
scache_list_create(struct scache_cache *cache,
    const struct scache_list_info *info)
{
	struct scache_list *list = xcalloc(1, sizeof(*list));

	list->cache = cache;
	list->walk = scache_cache_walk_create(cache);
	list->info = *info;
	return list;
}

void
scache_list_free(struct scache_list *list)
{
	if (list == NULL)
		return;
	scache_cache_walk_free(list->walk);
	free(list);
}

/* Milliseconds from now_ms to deadline_ms, 0 if it is past. */
static long
scache_list_ms_left(uint64_t now_ms, uint64_t deadline_ms)
{
	return deadline_ms > now_ms ? (long)(deadline_ms - now_ms) : 0;
}

static void
scache_list_header(struct scache_list *list, struct buf *out, time_t now)
{
	const struct scache_cache_totals *t = scache_cache_totals(list->cache);

	attr_enc_int(out, CACHE_LIST_A_STATUS, 0);
	attr_enc_int(out, CACHE_LIST_A_FORMAT, CACHE_LIST_FORMAT);
	attr_enc_str(out, CACHE_LIST_A_VERSION, version_release());
	attr_enc_long(out, CACHE_LIST_A_PID, list->info.pid);
	attr_enc_long(out, CACHE_LIST_A_START_TIME,
	    (long)list->info.start_time);
	attr_enc_long(out, CACHE_LIST_A_TIME, (long)now);
	attr_enc_long(out, CACHE_LIST_A_SESSIONS,
	    (long)scache_cache_session_count(list->cache));
	attr_enc_long(out, CACHE_LIST_A_BINDINGS,
	    (long)scache_cache_binding_count(list->cache));
	attr_enc_long(out, CACHE_LIST_A_SESSION_LIMIT,
	    (long)list->info.session_limit);
	attr_enc_int(out, CACHE_LIST_A_TTL_LIMIT, list->info.ttl_limit);
	attr_enc_long(out, CACHE_LIST_A_SAVED, (long)t->saved);
	attr_enc_long(out, CACHE_LIST_A_DOMAIN_HITS, (long)t->dest_hits);
	attr_enc_long(out, CACHE_LIST_A_DOMAIN_MISSES, (long)t->dest_miss);
	attr_enc_long(out, CACHE_LIST_A_ADDRESS_HITS, (long)t->endp_hits);
	attr_enc_long(out, CACHE_LIST_A_ADDRESS_MISSES, (long)t->endp_miss);
	attr_enc_long(out, CACHE_LIST_A_EXPIRED, (long)t->evict_expired);
	attr_enc_long(out, CACHE_LIST_A_CLOSED_BY_PEER, (long)t->evict_dead);
	attr_enc_long(out, CACHE_LIST_A_OVER_LIMIT, (long)t->evict_limit);
	attr_enc_end(out);
}

/* One stored TLS value, cut at CACHE_LIST_FIELD_MAX, if present. */
static void
scache_list_field(struct buf *out, const char *name,
    const struct scache_reuse_props *props, enum scache_reuse_field f)
{
	const struct scache_reuse_value *v = &props->field[f];
	char value[CACHE_LIST_FIELD_MAX + 1];
	size_t len;

	if (v->text == NULL || v->len == 0)
		return;
	len = v->len < CACHE_LIST_FIELD_MAX ? v->len : CACHE_LIST_FIELD_MAX;
	memcpy(value, v->text, len);
	value[len] = 0;
	attr_enc_str(out, name, value);
}

/* conn_use, conn_age and the TLS summary, as far as smtp(8) stored them. */
static void
scache_list_props(struct scache_list *list, struct buf *out,
    const char *endp_prop, time_t now)
{
	struct scache_reuse_props props;
	const char *trust;
	long long n, use, alg;
	char bits[48];

	scache_reuse_props_parse(&props, endp_prop);
	if (scache_reuse_props_number(&props, SCACHE_REUSE_F_REUSE_COUNT,
	    &n) == 0 && n >= 0)
		attr_enc_long(out, CACHE_LIST_A_CONN_USE, (long)(n + 1));
	if (scache_reuse_props_number(&props, SCACHE_REUSE_F_EXPIRE_TIME,
	    &n) == 0 && n - list->info.reuse_time_limit <= (long long)now)
		attr_enc_long(out, CACHE_LIST_A_CONN_AGE,
		    (long)(now - (n - list->info.reuse_time_limit)));
	if (!props.tls)
		return;
	if ((trust = scache_reuse_props_trust(&props)) != NULL)
		attr_enc_str(out, CACHE_LIST_A_TRUST, trust);
	scache_list_field(out, CACHE_LIST_A_SERVER, &props,
	    SCACHE_REUSE_F_NAMADDR);
	scache_list_field(out, CACHE_LIST_A_PROTOCOL, &props,
	    SCACHE_REUSE_F_PROTOCOL);
	scache_list_field(out, CACHE_LIST_A_CIPHER, &props,
	    SCACHE_REUSE_F_CIPHER);
	if (scache_reuse_props_number(&props, SCACHE_REUSE_F_USEBITS,
	    &use) == 0 && scache_reuse_props_number(&props,
	    SCACHE_REUSE_F_ALGBITS, &alg) == 0) {
		snprintf(bits, sizeof(bits), "%lld/%lld", use, alg);
		attr_enc_str(out, CACHE_LIST_A_CIPHER_BITS, bits);
	}
	scache_list_field(out, CACHE_LIST_A_PEER_CN, &props,
	    SCACHE_REUSE_F_PEER_CN);
	scache_list_field(out, CACHE_LIST_A_ISSUER_CN, &props,
	    SCACHE_REUSE_F_ISSUER_CN);
}

/* The next session's list; 0 when there is none. */
static int
scache_list_session(struct scache_list *list, struct buf *out,
    uint64_t now_ms, time_t now)
{
	struct scache_cache_session_view v;

	if (!scache_cache_walk_session(list->walk, &v))
		return 0;
	attr_enc_str(out, CACHE_LIST_A_RECORD, CACHE_LIST_SESSION);
	attr_enc_str(out, CACHE_LIST_A_ENDPOINT, v.endp_label);
	attr_enc_long(out, CACHE_LIST_A_CACHED,
	    now_ms > v.saved_ms ? (long)(now_ms - v.saved_ms) : 0);
	attr_enc_long(out, CACHE_LIST_A_TIME_LEFT,
	    scache_list_ms_left(now_ms, v.expire_ms));
	scache_list_props(list, out, v.endp_prop, now);
	attr_enc_end(out);
	list->sessions++;
	return 1;
}

/* The next binding's list; 0 when there is none. */
static int
scache_list_binding(struct scache_list *list, struct buf *out,
    uint64_t now_ms)
{
	struct scache_cache_binding_view v;

	if (!scache_cache_walk_binding(list->walk, &v))
		return 0;
	attr_enc_str(out, CACHE_LIST_A_RECORD, CACHE_LIST_BINDING);
	attr_enc_str(out, CACHE_LIST_A_DESTINATION, v.dest_label);
	attr_enc_str(out, CACHE_LIST_A_ENDPOINT, v.endp_label);
	attr_enc_long(out, CACHE_LIST_A_TIME_LEFT,
	    scache_list_ms_left(now_ms, v.expire_ms));
	attr_enc_end(out);
	list->bindings++;
	return 1;
}

static void
scache_list_end(struct scache_list *list, struct buf *out)
{
	attr_enc_str(out, CACHE_LIST_A_RECORD, CACHE_LIST_END);
	attr_enc_long(out, CACHE_LIST_A_SESSIONS, list->sessions);
	attr_enc_long(out, CACHE_LIST_A_BINDINGS, list->bindings);
	attr_enc_end(out);
}

int
scache_list_next(struct scache_list *list, struct buf *out, uint64_t now_ms,
    time_t now)
{
	size_t stop = out->len + SCACHE_LIST_CHUNK;

	while (list->step != SCACHE_LIST_DONE && out->len < stop) {
		switch (list->step) {
		case SCACHE_LIST_HEADER:
			scache_list_header(list, out, now);
			list->step = SCACHE_LIST_SESSIONS;
			break;
		case SCACHE_LIST_SESSIONS:
			if (!scache_list_session(list, out, now_ms, now))
				list->step = SCACHE_LIST_BINDINGS;
			break;
		case SCACHE_LIST_BINDINGS:
			if (!scache_list_binding(list, out, now_ms)) {
				scache_list_end(list, out);
				list->step = SCACHE_LIST_DONE;
			}
			break;
		case SCACHE_LIST_DONE:
			break;
		}
	}
	return list->step != SCACHE_LIST_DONE;
}
