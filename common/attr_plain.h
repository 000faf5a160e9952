/*
 * attr_plain.h - the "plain" attribute format: name=value lines
 *
 * Used for cache keys and for the endpoint properties that smtp(8) stores
 * in scache(8): one "name=value\n" line per attribute, then an empty line.
 * A value is split at the first '='. Values must not contain '\n'.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_ATTR_PLAIN_H
#define TLSREUSE_COMMON_ATTR_PLAIN_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends one line; panics if value contains '\n', or name is empty or
 * contains '=' or '\n' (our bug, not input).
 */
void attr_plain_str(struct buf *out, const char *name, const char *value);
void attr_plain_int(struct buf *out, const char *name, int value);

/* Appends the terminating empty line. */
void attr_plain_end(struct buf *out);

/*
 * Iterates over one plain list in text[0..len). Each call to
 * attr_plain_next() yields the next name and value (pointers into text,
 * not NUL-terminated, with lengths) and returns 1; it returns 0 at the
 * empty line that ends the list (it->rest then points just past it) or at
 * the end of text, and -1 for a line without '=' or with an empty name
 * (then it stays on that line). A last line without '\n' is cut short
 * and also gives -1, as stock Postfix's plain scanner rejects it.
 */
struct attr_plain_iter {
	const char *pos;
	const char *end;
	const char *rest;
};

void attr_plain_iter_init(struct attr_plain_iter *it, const char *text,
    size_t len);
int attr_plain_next(struct attr_plain_iter *it, const char **name,
    size_t *name_len, const char **value, size_t *value_len);

#endif
