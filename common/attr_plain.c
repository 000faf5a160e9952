/*
 * attr_plain.c - the "plain" attribute format: name=value lines
 *
 * Printer and iterator for the text form Postfix uses for cache keys and
 * for the endpoint/destination properties that smtp(8) stores in
 * scache(8): "name=value\n" per attribute, an empty line after the list.
 * Several lists may follow each other in one string (an endpoint
 * property is smtp's block, then the TLS summary block).
 *
 * Limits: none of its own; the iterator never reads past text + len.
 * Errors: a malformed line makes attr_plain_next() return -1; printing
 *         a name or value that would break the framing panics.
 * See also: attr_enc.c; doc/tlsproxy-protocol.md section 1 and
 * doc/scache-protocol.md section 4 (where the format is used).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include "buf.h"
#include "msg.h"

#include "attr_plain.h"

/* Appends "name=", refusing names that would break the framing. */
static void
attr_plain_name(struct buf *out, const char *name)
{
	if (*name == 0 || strpbrk(name, "=\n") != NULL)
		msg_panic("%s: bad attribute name", __func__);
	buf_puts(out, name);
	buf_putc(out, '=');
}

void
attr_plain_str(struct buf *out, const char *name, const char *value)
{
	if (strchr(value, '\n') != NULL)
		msg_panic("%s: newline in value of %s", __func__, name);
	attr_plain_name(out, name);
	buf_puts(out, value);
	buf_putc(out, '\n');
}

void
attr_plain_int(struct buf *out, const char *name, int value)
{
	attr_plain_name(out, name);
	buf_printf(out, "%u\n", (unsigned int)value);
}

void
attr_plain_end(struct buf *out)
{
	buf_putc(out, '\n');
}

void
attr_plain_iter_init(struct attr_plain_iter *it, const char *text, size_t len)
{
	it->pos = text;
	it->end = text + len;
	it->rest = it->end;
}

int
attr_plain_next(struct attr_plain_iter *it, const char **name, size_t *name_len,
                const char **value, size_t *value_len)
{
	const char *eol, *eq;
	size_t line_len;

	if (it->pos >= it->end)
		return 0;
	if ((eol = memchr(it->pos, '\n', (size_t)(it->end - it->pos))) == NULL)
		return -1;
	line_len = (size_t)(eol - it->pos);

	/* The empty line ends this list; the caller may go on from rest. */
	if (line_len == 0) {
		it->rest = it->pos + 1;
		it->pos = it->end;
		return 0;
	}
	eq = memchr(it->pos, '=', line_len);
	if (eq == NULL || eq == it->pos)
		return -1;
	*name = it->pos;
	*name_len = (size_t)(eq - it->pos);
	*value = eq + 1;
	*value_len = line_len - *name_len - 1;
	it->pos = eol + 1;
	return 1;
}
