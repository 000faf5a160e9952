/*
 * scache_stats.c - scache(8)'s periodic "statistics:" log lines
 *
 * The four stock lines, in stock order and wording (the singular
 * "connection=" and the integer-division percentage included), so log
 * watchers written for stock scache keep working. Our eviction counters
 * get a fifth line of their own instead of changing a stock one.
 *
 * See also: doc/scache-protocol.md section 5.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <time.h>

#include "msg.h"
#include "scache_stats.h"

static int
scache_stats_any(const struct scache_cache_counts *c)
{
	return c->dest_hits || c->dest_miss || c->endp_hits || c->endp_miss
	    || c->max_dests || c->max_endps || c->max_sessions
	    || c->evict_dead || c->evict_limit || c->evict_fd;
}

static void
scache_stats_lookups(const char *what, int hits, int miss)
{
	if (hits + miss > 0)
		msg_info("statistics: %s lookup hits=%d miss=%d success=%d%%",
		    what, hits, miss, hits * 100 / (hits + miss));
}

void
scache_stats_dump(struct scache_cache *cache, time_t *start_time, time_t now)
{
	const struct scache_cache_counts *c = scache_cache_counts(cache);
	char when[26];

	if (scache_stats_any(c)) {
		/* ctime() text minus the weekday: "Nov  3 09:05:01". */
		if (ctime_r(start_time, when) == NULL)
			when[4] = 0;
		msg_info("statistics: start interval %.15s", when + 4);
	}
	scache_stats_lookups("domain", c->dest_hits, c->dest_miss);
	scache_stats_lookups("address", c->endp_hits, c->endp_miss);
	if (c->max_dests || c->max_endps || c->max_sessions)
		msg_info("statistics: max simultaneous domains=%d addresses=%d "
		    "connection=%d", c->max_dests, c->max_endps,
		    c->max_sessions);
	if (c->evict_dead || c->evict_limit || c->evict_fd)
		msg_info("statistics: evicted connections closed-by-peer=%d "
		    "over-limit=%d fd-shortage=%d", c->evict_dead,
		    c->evict_limit, c->evict_fd);
	scache_cache_counts_reset(cache);
	*start_time = now;
}
