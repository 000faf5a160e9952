/*
 * tr_out.c - what tlsreuse(1) prints: JSON lines and safe plain text
 *
 * Both escapes walk the bytes once with the strict UTF-8 check of
 * common/utf8.c, which the log lines use too: a sequence that is not
 * well formed, or that would move or hide other text, is one bad byte.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include "msg.h"
#include "utf8.h"
#include "tr_out.h"

/*
 * Length of the character at s: 1 for an ASCII byte, 2 to 4 for a
 * multi-byte character that is safe to show (utf8.h: well formed, and
 * neither a C1 control nor a character that reorders or hides text, so a
 * certificate name cannot rearrange a line), 0 for anything else.
 */
static size_t
tr_out_char_len(const unsigned char *s, size_t len)
{
	return s[0] < 0x80 ? 1 : utf8_printable_len(s, len);
}

void
tr_out_json_escape(struct buf *out, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		if ((n = tr_out_char_len(s + i, len - i)) == 0) {
			buf_puts(out, "\\ufffd");
			i++;
			continue;
		}
		if (n > 1)
			buf_append(out, text + i, n);
		else if (s[i] == '"' || s[i] == '\\')
			buf_printf(out, "\\%c", s[i]);
		else if (s[i] == '\n')
			buf_puts(out, "\\n");
		else if (s[i] == '\t')
			buf_puts(out, "\\t");
		else if (s[i] < 0x20 || s[i] == 0x7f)
			buf_printf(out, "\\u%04x", s[i]);
		else
			buf_putc(out, s[i]);
		i += n;
	}
}

/* '?' for control bytes (but those in keep) and broken UTF-8. */
static void
tr_out_printable(struct buf *out, const char *text, size_t len,
    const char *keep)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		n = tr_out_char_len(s + i, len - i);
		if (n == 0 || (n == 1 && (s[i] < 0x20 || s[i] == 0x7f) &&
		    (s[i] == 0 || strchr(keep, s[i]) == NULL))) {
			buf_putc(out, '?');
			i++;
			continue;
		}
		buf_append(out, text + i, n);
		i += n;
	}
}

void
tr_out_safe(struct buf *out, const char *text, size_t len)
{
	tr_out_printable(out, text, len, "");
}

void
tr_out_safe_lines(struct buf *out, const char *text, size_t len)
{
	tr_out_printable(out, text, len, "\n\t");
}

/* The separator and the name of the next member. */
static void
tr_json_member(struct tr_json *j, const char *name)
{
	if (j->count[j->depth]++ > 0)
		buf_putc(&j->text, ',');
	if (name != NULL) {
		buf_putc(&j->text, '"');
		tr_out_json_escape(&j->text, name, strlen(name));
		buf_puts(&j->text, "\":");
	}
}

void
tr_json_begin(struct tr_json *j, const char *type)
{
	if (j->text.data == NULL)
		buf_init(&j->text);
	buf_reset(&j->text);
	buf_putc(&j->text, '{');
	j->depth = 0;
	j->count[0] = 0;
	tr_json_str(j, "type", type);
}

void
tr_json_strn(struct tr_json *j, const char *name, const char *value,
    size_t len)
{
	tr_json_member(j, name);
	buf_putc(&j->text, '"');
	tr_out_json_escape(&j->text, value, len);
	buf_putc(&j->text, '"');
}

void
tr_json_str(struct tr_json *j, const char *name, const char *value)
{
	tr_json_strn(j, name, value, strlen(value));
}

void
tr_json_int(struct tr_json *j, const char *name, long long value)
{
	tr_json_member(j, name);
	buf_printf(&j->text, "%lld", value);
}

void
tr_json_bool(struct tr_json *j, const char *name, int value)
{
	tr_json_member(j, name);
	buf_puts(&j->text, value ? "true" : "false");
}

void
tr_json_ms(struct tr_json *j, const char *name, long long ms)
{
	tr_json_member(j, name);
	if (ms < 0) {
		buf_putc(&j->text, '-');
		ms = -ms;
	}
	buf_printf(&j->text, "%lld.%03lld", ms / 1000, ms % 1000);
}

static void
tr_json_open(struct tr_json *j, const char *name, int ch)
{
	tr_json_member(j, name);
	if (j->depth + 1 >= TR_JSON_DEPTH_MAX)
		msg_panic("%s: nesting deeper than %d", __func__,
		    TR_JSON_DEPTH_MAX);
	buf_putc(&j->text, ch);
	j->count[++j->depth] = 0;
	j->closer[j->depth] = ch == '[' ? ']' : '}';
}

void
tr_json_array(struct tr_json *j, const char *name)
{
	tr_json_open(j, name, '[');
}

void
tr_json_object(struct tr_json *j, const char *name)
{
	tr_json_open(j, name, '{');
}

void
tr_json_close(struct tr_json *j)
{
	if (j->depth == 0)
		msg_panic("%s: nothing open", __func__);
	buf_putc(&j->text, j->closer[j->depth--]);
}

void
tr_json_end(struct tr_json *j, FILE *out)
{
	if (j->depth != 0)
		msg_panic("%s: %d nested values still open", __func__,
		    j->depth);
	buf_puts(&j->text, "}\n");
	fputs(buf_str(&j->text), out);
	buf_reset(&j->text);
}

void
tr_json_free(struct tr_json *j)
{
	buf_free(&j->text);
}
