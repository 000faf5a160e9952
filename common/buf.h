/*
 * buf.h - growable byte buffer
 *
 * A value type: embed a struct buf, buf_init() it, buf_free() it. The bytes
 * data[0..len) are always followed by a NUL that len does not count, so
 * text can be used as a C string. Growth is overflow-checked (mem.h).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_BUF_H
#define TLSREUSE_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;  /* NUL-terminated; NULL only before the first write */
	size_t len;  /* bytes in use, not counting the NUL */
	size_t size; /* bytes allocated */
};

void buf_init(struct buf *b);

/* Releases the storage; the buf may be reused after buf_init(). */
void buf_free(struct buf *b);

/* Empties the buffer but keeps its storage. */
void buf_reset(struct buf *b);

/* Ensures room for extra more bytes (plus NUL); returns data + len. */
char *buf_reserve(struct buf *b, size_t extra);

void buf_append(struct buf *b, const void *data, size_t len);
void buf_putc(struct buf *b, int ch);
void buf_puts(struct buf *b, const char *str);
/* Appends value in decimal, a '-' first if negative (printf's %lld). */
void buf_put_dec(struct buf *b, long long value);

/* Appends value in decimal (printf's %llu). */
void buf_put_udec(struct buf *b, unsigned long long value);

void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Returns the text, "" when nothing was written yet. Borrowed. */
const char *buf_str(const struct buf *b);

#endif
