/*
 * base64.c - standard base64 encoder and strict decoder
 *
 * A small codec of our own, so that the exact acceptance rules (see
 * base64.h) are ours to state and test rather than a library's.
 *
 * Limits: none of its own; callers bound the input length.
 * Errors: decode returns -1; nothing is logged.
 * See also: attr_enc.c, attr_dec.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdint.h>

#include "buf.h"

#include "base64.h"

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define BASE64_PAD '='

void
base64_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char *in = data;
	char *dst;
	uint32_t group;
	size_t i;

	/* Four output bytes per started group of three input bytes. */
	dst = buf_reserve(out, (len + 2) / 3 * 4);
	for (i = 0; i + 3 <= len; i += 3) {
		group = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		        in[i + 2];
		*dst++ = base64_alphabet[group >> 18];
		*dst++ = base64_alphabet[group >> 12 & 63];
		*dst++ = base64_alphabet[group >> 6 & 63];
		*dst++ = base64_alphabet[group & 63];
	}
	if (i < len) {
		group = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			group |= (uint32_t)in[i + 1] << 8;
		*dst++ = base64_alphabet[group >> 18];
		*dst++ = base64_alphabet[group >> 12 & 63];
		*dst++ =
		    i + 1 < len ? base64_alphabet[group >> 6 & 63] : BASE64_PAD;
		*dst++ = BASE64_PAD;
	}
	out->len = (size_t)(dst - out->data);
	*dst = 0;
}

/* Returns the 6-bit value of ch, or -1 if ch is not in the alphabet. */
static int
base64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* Decodes one group of four; only the last group may end in padding. */
static int
base64_decode_group(struct buf *out, const char *text, int last)
{
	unsigned char bytes[3];
	uint32_t group = 0;
	int n, v, pad = 0;

	for (n = 0; n < 4; n++) {
		if (last && n >= 2 && text[n] == BASE64_PAD &&
		    (n == 3 || text[3] == BASE64_PAD)) {
			pad++;
			group <<= 6;
			continue;
		}
		if ((v = base64_value((unsigned char)text[n])) < 0)
			return -1;
		group = group << 6 | (uint32_t)v;
	}
	bytes[0] = (unsigned char)(group >> 16);
	bytes[1] = (unsigned char)(group >> 8);
	bytes[2] = (unsigned char)group;
	buf_append(out, bytes, (size_t)(3 - pad));
	return 0;
}

int
base64_decode(struct buf *out, const char *text, size_t len)
{
	size_t i;

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4)
		if (base64_decode_group(out, text + i, i + 4 == len) < 0)
			return -1;
	return 0;
}
