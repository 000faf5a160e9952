/*
 * tr_cache_out.h - print "tlsreuse cache" as text or JSON lines
 *
 * JSON lines: one "scache" object (the process and its counters), then
 * one "connection" per cached connection with the destinations bound
 * to its endpoint, then one "binding" per binding whose endpoint has no
 * cached connection. A label is an array of its fields. Field names are
 * in tlsreuse(1).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_CACHE_OUT_H
#define TLSREUSE_TLSREUSE_TR_CACHE_OUT_H

#include <stdio.h>

#include "tr_cache.h"

void tr_cache_out_text(const struct tr_cache_listing *l, FILE *out);
void tr_cache_out_json(const struct tr_cache_listing *l, FILE *out);

#endif
