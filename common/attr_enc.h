/*
 * attr_enc.h - encode Postfix attribute lists (attr0) into a buf
 *
 * Mirrors attr_dec.h. Integers are written as the stock senders write
 * them (%u / %lu of the value, so -1 becomes 4294967295), DATA as
 * standard base64. Nested structures are simply more pairs; only
 * attr_enc_end() writes the list terminator.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_ATTR_ENC_H
#define TLSREUSE_COMMON_ATTR_ENC_H

#include <stddef.h>

#include "buf.h"

/* Appends name NUL value NUL. Panics if name is empty or has a NUL. */
void attr_enc_str(struct buf *out, const char *name, const char *value);
void attr_enc_int(struct buf *out, const char *name, int value);
void attr_enc_long(struct buf *out, const char *name, long value);
void attr_enc_data(struct buf *out, const char *name, const void *data,
    size_t len);

/* Appends the list terminator (one NUL). */
void attr_enc_end(struct buf *out);

#endif
