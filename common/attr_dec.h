/*
 * attr_dec.h - decode Postfix attribute lists (attr0) from bytes
 *
 * Wire grammar (doc/tlsproxy-protocol.md section 1): a list is a run of
 * name NUL value NUL pairs ended by an empty name (one NUL). Nested
 * structures are flat runs of pairs inside the same list.
 *
 * The decoder is pure and resumable: feed it bytes as they arrive; it
 * returns NEED_MORE until one whole list is in, then OK with the number of
 * bytes it consumed (bytes after the terminator are left to the caller,
 * because a descriptor may ride on the next byte). Limits are checked as
 * bytes arrive, before anything grows past them. No I/O, no logging.
 *
 * The decoded list is then read either strictly (attr_cursor: exact order,
 * as the stock peers require of each other) or by name (attr_list_get:
 * tolerant, to serve several Postfix versions).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_ATTR_DEC_H
#define TLSREUSE_COMMON_ATTR_DEC_H

#include <stddef.h>

#include "buf.h"

struct attr_limits {
	size_t name_max;  /* bytes in one name */
	size_t value_max; /* bytes in one value */
	size_t count_max; /* pairs in one list */
	size_t total_max; /* bytes in one list incl. NULs; 0: no list bound */
};

/* Defaults: names 100 bytes, values 64 KiB, 4096 pairs, 1 MiB per list. */
extern const struct attr_limits attr_limits_default;

enum attr_dec_status {
	ATTR_DEC_NEED_MORE,
	ATTR_DEC_OK,
	ATTR_DEC_BAD,
};

struct attr_pair {
	const char *name;  /* NUL-terminated */
	const char *value; /* NUL-terminated; value_len bytes */
	size_t value_len;
};

struct attr_list {
	const struct attr_pair *pairs; /* in wire order */
	size_t count;
};

struct attr_dec;

/* Returns a decoder that enforces a copy of *limits (NULL: defaults). */
struct attr_dec *attr_dec_create(const struct attr_limits *limits);

/* Accepts NULL. */
void attr_dec_free(struct attr_dec *dec);

/*
 * Consumes bytes from data[0..len). Sets *consumed to the bytes taken
 * (all of them on NEED_MORE; up to and including the terminator on OK).
 * After OK or BAD, call attr_dec_reset() before feeding the next list.
 */
enum attr_dec_status attr_dec_feed(struct attr_dec *dec, const void *data,
    size_t len, size_t *consumed);

/* After OK: the list. Borrowed; valid until reset or free. */
const struct attr_list *attr_dec_list(const struct attr_dec *dec);

/* After BAD: why, e.g. "attribute name exceeds 100 bytes". Borrowed. */
const char *attr_dec_reason(const struct attr_dec *dec);

/* True when some bytes of an unfinished list have been fed. */
int attr_dec_pending(const struct attr_dec *dec);

void attr_dec_reset(struct attr_dec *dec);

/*
 * Value conversions with the stock receivers' rules: INT and LONG accept
 * optional leading white space and one sign, then digits and nothing
 * else, and wrap like C's %u/%lu (so "4294967295" is -1). DATA is standard
 * base64 with padding. Each returns 0 on success, -1 on malformed input.
 * attr_parse_data() and attr_cursor_data() replace the contents of out
 * (value); after a failure it holds an unspecified partial result.
 */
int attr_parse_int(const char *value, int *out);
int attr_parse_long(const char *value, long *out);
int attr_parse_data(const char *value, size_t value_len, struct buf *out);

/* Tolerant access: the first pair named name, or NULL. */
const struct attr_pair *attr_list_get(const struct attr_list *list,
    const char *name);

/*
 * Strict access: a cursor walks the pairs in order. Each expect call
 * succeeds (0) only if the next pair has exactly that name and a valid
 * value, and then advances; on failure (-1) it sets a reason (borrowed,
 * valid until the next call) and does not advance.
 */
struct attr_cursor {
	const struct attr_list *list;
	size_t pos;
	char reason[160];
};

void attr_cursor_init(struct attr_cursor *cur, const struct attr_list *list);
int attr_cursor_str(struct attr_cursor *cur, const char *name,
    const char **value);
int attr_cursor_int(struct attr_cursor *cur, const char *name, int *value);
int attr_cursor_long(struct attr_cursor *cur, const char *name, long *value);
int attr_cursor_data(struct attr_cursor *cur, const char *name,
    struct buf *value);

/* Returns 0 when every pair was consumed, else -1 with a reason. */
int attr_cursor_end(struct attr_cursor *cur);

#endif
