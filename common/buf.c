/*
 * buf.c - growable byte buffer
 *
 * See buf.h. Capacity doubles, so appending n bytes costs O(n) overall.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "buf.h"

#define BUF_MIN_SIZE 64

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->size = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

char *
buf_reserve(struct buf *b, size_t extra)
{
	size_t need, size;

	if (extra > (size_t)-1 - b->len - 1)
		msg_panic("%s: size overflow", __func__);
	need = b->len + extra + 1;
	if (need > b->size) {
		size = b->size ? b->size : BUF_MIN_SIZE;
		while (size < need)
			size = size > (size_t)-1 / 2 ? need : size * 2;
		b->data = xreallocarray(b->data, size, 1);
		b->size = size;
		b->data[b->len] = 0;
	}
	return b->data + b->len;
}

void
buf_append(struct buf *b, const void *data, size_t len)
{
	char *end = buf_reserve(b, len);

	if (len > 0)
		memcpy(end, data, len);
	b->len += len;
	b->data[b->len] = 0;
}

void
buf_putc(struct buf *b, int ch)
{
	char c = (char)ch;

	buf_append(b, &c, 1);
}

void
buf_puts(struct buf *b, const char *str)
{
	buf_append(b, str, strlen(str));
}

void
buf_put_udec(struct buf *b, unsigned long long value)
{
	char digits[20]; /* 2^64 - 1 has 20 */
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	buf_append(b, digits + n, sizeof(digits) - n);
}

void
buf_put_dec(struct buf *b, long long value)
{
	if (value < 0) {
		buf_putc(b, '-');
		/* Negated in unsigned arithmetic: LLONG_MIN has no positive. */
		buf_put_udec(b, 0 - (unsigned long long)value);
	} else {
		buf_put_udec(b, (unsigned long long)value);
	}
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		msg_panic("%s: bad format \"%s\"", __func__, fmt);
	vsnprintf(buf_reserve(b, (size_t)n), (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
