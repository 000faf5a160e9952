/*
 * attr_enc.c - encode Postfix attribute lists (attr0) into a buf
 *
 * The mirror of attr_dec.c: each call appends one name NUL value NUL
 * pair; integers are printed the way the stock senders print them (%u,
 * %lu of the value), DATA as standard base64.
 *
 * Limits: none; the caller owns what it sends.
 * Errors: an empty name is our bug and panics.
 * See also: attr_dec.c, base64.c; doc/tlsproxy-protocol.md section 1.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include "base64.h"
#include "buf.h"
#include "msg.h"

#include "attr_enc.h"

/* Appends name NUL; an empty name would end the list early. */
static void
attr_enc_name(struct buf *out, const char *name)
{
	if (*name == 0)
		msg_panic("%s: empty attribute name", __func__);
	buf_puts(out, name);
	buf_putc(out, 0);
}

void
attr_enc_str(struct buf *out, const char *name, const char *value)
{
	attr_enc_name(out, name);
	buf_puts(out, value);
	buf_putc(out, 0);
}

void
attr_enc_int(struct buf *out, const char *name, int value)
{
	attr_enc_name(out, name);
	buf_put_udec(out, (unsigned int)value);
	buf_putc(out, 0);
}

void
attr_enc_long(struct buf *out, const char *name, long value)
{
	attr_enc_name(out, name);
	buf_put_udec(out, (unsigned long)value);
	buf_putc(out, 0);
}

void
attr_enc_data(struct buf *out, const char *name, const void *data, size_t len)
{
	attr_enc_name(out, name);
	base64_encode(out, data, len);
	buf_putc(out, 0);
}

void
attr_enc_end(struct buf *out)
{
	buf_putc(out, 0);
}
