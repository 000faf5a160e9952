/*
 * scache_stats.h - scache(8)'s periodic "statistics:" log lines
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_SCACHE_SCACHE_STATS_H
#define TLSREUSE_SCACHE_SCACHE_STATS_H

#include <time.h>

#include "scache_cache.h"

/*
 * Logs the statistics of the interval that began at *start_time with
 * stock scache's exact text (doc/scache-protocol.md section 5), plus our own
 * "statistics: evicted ..." line when any connection was evicted; logs
 * nothing when every counter is zero. Then resets the cache's counters
 * and sets *start_time = now.
 */
void scache_stats_dump(struct scache_cache *cache, time_t *start_time,
    time_t now);

#endif
