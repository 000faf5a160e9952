/*
 * fuzz_attr_dec.c - libFuzzer target for common/attr_dec.c
 *
 * Feeds arbitrary bytes to the decoder twice, in one shot and in chunks
 * whose sizes come from a PRNG seeded by the input, and requires the
 * same status, consumed count, reason and pairs; after each whole list
 * both decoders are reset and go on with the bytes that follow. Each decoded
 * list is then read every way a daemon reads one: by name (attr_list_get), with
 * the strict cursor (typed conversions that may fail without advancing,
 * a fixed request schema), re-encoded byte for byte with attr_enc, and
 * each value run through the plain-format iterator. Two limit sets are
 * used so that the BAD paths are reached as often as the OK ones.
 *
 * Any failed check aborts, which libFuzzer reports as a crash.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "attr_plain.h"
#include "buf.h"
#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

static const struct attr_limits fuzz_small_limits = {16, 64, 8, 256};

/* FNV-1a over the input: the seed of the chunk sizes. */
static uint64_t
fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 14695981039346656037ULL;

	while (size-- > 0)
		h = (h ^ *data++) * 1099511628211ULL;
	return h;
}

/* Returns the next chunk size, 1..16, from an xorshift state. */
static size_t
fuzz_next_chunk(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (size_t)(*state % 16) + 1;
}

/* Feeds data in PRNG-sized chunks until the decoder stops needing more. */
static enum attr_dec_status
fuzz_feed_chunked(struct attr_dec *dec, const uint8_t *data, size_t size,
                  size_t *total)
{
	enum attr_dec_status st = ATTR_DEC_NEED_MORE;
	uint64_t state = fuzz_hash(data, size) | 1;
	size_t pos = 0, n, used;

	*total = 0;
	while (pos < size && st == ATTR_DEC_NEED_MORE) {
		n = fuzz_next_chunk(&state);
		if (n > size - pos)
			n = size - pos;
		st = attr_dec_feed(dec, data + pos, n, &used);
		FUZZ_CHECK(used <= n);
		FUZZ_CHECK(st != ATTR_DEC_NEED_MORE || used == n);
		*total += used;
		pos += n;
	}
	return st;
}

/* The two decodings must agree pair for pair. */
static void
fuzz_compare_lists(const struct attr_list *a, const struct attr_list *b)
{
	size_t i;

	FUZZ_CHECK(a->count == b->count);
	for (i = 0; i < a->count; i++) {
		FUZZ_CHECK(strcmp(a->pairs[i].name, b->pairs[i].name) == 0);
		FUZZ_CHECK(a->pairs[i].value_len == b->pairs[i].value_len);
		FUZZ_CHECK(memcmp(a->pairs[i].value, b->pairs[i].value,
		                  a->pairs[i].value_len + 1) == 0);
	}
}

/* Tolerant access: every name finds its first occurrence. */
static void
fuzz_tolerant(const struct attr_list *list)
{
	const struct attr_pair *pair;
	size_t i;

	for (i = 0; i < list->count; i++) {
		pair = attr_list_get(list, list->pairs[i].name);
		FUZZ_CHECK(pair != NULL && pair <= &list->pairs[i]);
		FUZZ_CHECK(strcmp(pair->name, list->pairs[i].name) == 0);
	}
	FUZZ_CHECK(attr_list_get(list, "") == NULL);
}

/* Strict access: typed reads by each pair's own name, then the string. */
static void
fuzz_strict_walk(const struct attr_list *list, struct buf *scratch)
{
	struct attr_cursor cur;
	const char *value;
	size_t i;
	long l;
	int n;

	attr_cursor_init(&cur, list);
	for (i = 0; i < list->count; i++) {
		const char *name = list->pairs[i].name;

		if (attr_cursor_int(&cur, name, &n) == 0)
			FUZZ_CHECK(cur.pos == i + 1 && cur.pos-- > 0);
		if (attr_cursor_long(&cur, name, &l) == 0)
			FUZZ_CHECK(cur.pos == i + 1 && cur.pos-- > 0);
		if (attr_cursor_data(&cur, name, scratch) == 0)
			FUZZ_CHECK(cur.pos == i + 1 && cur.pos-- > 0);
		FUZZ_CHECK(cur.pos == i);
		FUZZ_CHECK(attr_cursor_str(&cur, name, &value) == 0);
		FUZZ_CHECK(value == list->pairs[i].value);
	}
	FUZZ_CHECK(attr_cursor_end(&cur) == 0);
	FUZZ_CHECK(attr_cursor_str(&cur, "more", &value) == -1);
}

/* Strict access with a fixed schema: the tlsproxy request header. */
static void
fuzz_strict_schema(const struct attr_list *list)
{
	struct attr_cursor cur;
	const char *s;
	int n;

	attr_cursor_init(&cur, list);
	if (attr_cursor_str(&cur, "remote_endpoint", &s) < 0 ||
	    attr_cursor_int(&cur, "flags", &n) < 0 ||
	    attr_cursor_int(&cur, "timeout", &n) < 0 ||
	    attr_cursor_int(&cur, "timeout", &n) < 0 ||
	    attr_cursor_str(&cur, "serverid", &s) < 0 ||
	    attr_cursor_end(&cur) < 0)
		FUZZ_CHECK(cur.reason[0] != 0);
}

/* Re-encoding must give back exactly the consumed bytes. */
static void
fuzz_reencode(const struct attr_list *list, const uint8_t *data,
              size_t consumed, struct buf *out)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < list->count; i++)
		attr_enc_str(out, list->pairs[i].name, list->pairs[i].value);
	attr_enc_end(out);
	FUZZ_CHECK(out->len == consumed);
	FUZZ_CHECK(memcmp(out->data, data, consumed) == 0);
}

/* Values may hold plain-format properties; iterate them as smtp would. */
static void
fuzz_plain(const struct attr_list *list)
{
	struct attr_plain_iter it;
	const char *name, *value;
	size_t i, name_len, value_len;

	for (i = 0; i < list->count; i++) {
		attr_plain_iter_init(&it, list->pairs[i].value,
		                     list->pairs[i].value_len);
		while (attr_plain_next(&it, &name, &name_len, &value,
		                       &value_len) == 1)
			FUZZ_CHECK(name_len > 0 && value + value_len <= it.end);
		FUZZ_CHECK(it.rest >= list->pairs[i].value &&
		           it.rest <= it.end);
	}
}

/*
 * Decodes one list both ways and checks it. Returns the bytes the list
 * took, or 0 when no whole list was decoded.
 */
static size_t
fuzz_list(struct attr_dec *whole, struct attr_dec *chunked, const uint8_t *data,
          size_t size, struct buf *scratch)
{
	enum attr_dec_status st, st2;
	size_t used, used2;

	st = attr_dec_feed(whole, data, size, &used);
	st2 = fuzz_feed_chunked(chunked, data, size, &used2);
	FUZZ_CHECK(st == st2);
	FUZZ_CHECK(strcmp(attr_dec_reason(whole), attr_dec_reason(chunked)) ==
	           0);
	FUZZ_CHECK((st == ATTR_DEC_BAD) == (attr_dec_reason(whole)[0] != 0));
	FUZZ_CHECK(attr_dec_pending(whole) == (st == ATTR_DEC_NEED_MORE));
	if (st != ATTR_DEC_BAD)
		FUZZ_CHECK(used == used2);
	if (st != ATTR_DEC_OK)
		return 0;
	fuzz_compare_lists(attr_dec_list(whole), attr_dec_list(chunked));
	fuzz_tolerant(attr_dec_list(whole));
	fuzz_strict_walk(attr_dec_list(whole), scratch);
	fuzz_strict_schema(attr_dec_list(whole));
	fuzz_reencode(attr_dec_list(whole), data, used, scratch);
	fuzz_plain(attr_dec_list(whole));
	return used;
}

/* Decodes list after list, reusing both decoders across resets. */
static void
fuzz_one(const struct attr_limits *limits, const uint8_t *data, size_t size)
{
	struct attr_dec *whole = attr_dec_create(limits);
	struct attr_dec *chunked = attr_dec_create(limits);
	struct buf scratch;
	size_t used;

	buf_init(&scratch);
	while (size > 0 &&
	       (used = fuzz_list(whole, chunked, data, size, &scratch)) > 0) {
		data += used;
		size -= used;
		attr_dec_reset(whole);
		attr_dec_reset(chunked);
	}
	buf_free(&scratch);
	attr_dec_free(whole);
	attr_dec_free(chunked);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(NULL, data, size);
	fuzz_one(&fuzz_small_limits, data, size);
	return 0;
}
