/*
 * base64.h - standard base64 (RFC 4648 section 4, with '=' padding)
 *
 * The DATA encoding of Postfix attribute lists. Decoding is strict: the
 * length must be a multiple of 4, every byte must be in the alphabet, and
 * '=' may appear only as one or two padding bytes at the very end. No line
 * breaks, no white space.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_BASE64_H
#define TLSREUSE_COMMON_BASE64_H

#include <stddef.h>

#include "buf.h"

/* Appends the encoding of data[0..len) to out (nothing for len 0). */
void base64_encode(struct buf *out, const void *data, size_t len);

/*
 * Appends the decoding of text[0..len) to out and returns 0, or returns
 * -1 for malformed input (out then holds an unspecified partial result).
 */
int base64_decode(struct buf *out, const char *text, size_t len);

#endif
