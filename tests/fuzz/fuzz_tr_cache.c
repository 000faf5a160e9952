/*
 * fuzz_tr_cache.c - libFuzzer target for tlsreuse(1)'s listing reader
 *
 * The input is what a scache socket answered to tlsreuse_list. The first
 * byte chooses how the rest is cut into pieces (the reader is
 * resumable); every piece must be consumed or the reader must stop with
 * DONE or BAD, never reading past what it was given, and the listing it
 * built must stay within its bounds.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tr_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tr_cache_listing l;
	struct tr_cache_reader *r;
	enum tr_cache_status st = TR_CACHE_MORE;
	size_t piece, off = 1, n, used;

	if (size == 0)
		return 0;
	piece = (size_t)data[0] + 1;
	r = tr_cache_reader_create(&l);
	while (st == TR_CACHE_MORE && off < size) {
		n = size - off < piece ? size - off : piece;
		st = tr_cache_reader_feed(r, data + off, n, &used);
		if (used > n || (st == TR_CACHE_MORE && used != n))
			abort();
		off += used;
	}
	if (l.nsessions + l.nbindings > TR_CACHE_RECORDS_MAX ||
	    (l.stock && (l.nsessions || l.nbindings)))
		abort();
	tr_cache_reader_free(r);
	tr_cache_listing_free(&l);
	return 0;
}
