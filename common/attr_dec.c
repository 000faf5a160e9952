/*
 * attr_dec.c - decode Postfix attribute lists (attr0) from bytes
 *
 * Resumable decoder for the NUL-separated format spoken on the tlsproxy
 * and scache sockets, plus the value conversions and the two ways of
 * reading a decoded list (strict cursor, tolerant by-name lookup).
 * Pure: no I/O, no globals that change, no logging.
 *
 * Storage: each decoder owns one arena (a struct buf) holding every
 * name and value with its NUL, and one array of offsets; both grow by
 * doubling and keep their capacity across attr_dec_reset(), so a
 * long-lived decoder stops allocating once it has seen its largest list.
 * The pair pointers are filled in only at OK, when the arena has stopped
 * moving.
 *
 * Limits: attr_limits (name, value, count, total); checked as each byte
 * arrives,
 * before the arena grows past them.
 * Errors: ATTR_DEC_BAD plus a reason string; the caller logs.
 * See also: attr_enc.c; doc/tlsproxy-protocol.md section 1.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "mem.h"
#include "msg.h"

#include "attr_dec.h"

const struct attr_limits attr_limits_default = {
    .name_max = 100,
    .value_max = 64 * 1024,
    .count_max = 4096,
    .total_max = 1024 * 1024,
};

enum attr_dec_state {
	ATTR_DEC_STATE_NAME,  /* reading a name (or the terminator) */
	ATTR_DEC_STATE_VALUE, /* reading the value of the last name */
	ATTR_DEC_STATE_DONE,  /* OK or BAD returned; reset needed */
};

/* Where one pair's name and value start in the arena. */
struct attr_dec_span {
	size_t name_off;
	size_t value_off;
};

struct attr_dec {
	struct attr_limits limits;
	enum attr_dec_state state;
	size_t fed;                  /* bytes of this list seen */
	size_t token_len;            /* bytes of the current name/value */
	struct buf arena;            /* name NUL value NUL ... */
	struct attr_dec_span *spans; /* one per complete pair */
	struct attr_pair *pairs;     /* filled at OK */
	size_t count;                /* complete pairs */
	size_t capacity;             /* of spans and pairs */
	struct attr_list list;
	char reason[96];
};

struct attr_dec *
attr_dec_create(const struct attr_limits *limits)
{
	struct attr_dec *dec;

	dec = xcalloc(1, sizeof(*dec));
	dec->limits = limits ? *limits : attr_limits_default;
	buf_init(&dec->arena);
	attr_dec_reset(dec);
	return dec;
}

void
attr_dec_free(struct attr_dec *dec)
{
	if (dec == NULL)
		return;
	buf_free(&dec->arena);
	free(dec->spans);
	free(dec->pairs);
	free(dec);
}

void
attr_dec_reset(struct attr_dec *dec)
{
	dec->state = ATTR_DEC_STATE_NAME;
	dec->fed = 0;
	dec->token_len = 0;
	dec->count = 0;
	dec->list.pairs = NULL;
	dec->list.count = 0;
	dec->reason[0] = 0;
	buf_reset(&dec->arena);
}

/* Makes room for one more pair, doubling the arrays. */
static void
attr_dec_grow(struct attr_dec *dec)
{
	size_t cap;

	if (dec->count < dec->capacity)
		return;
	cap = dec->capacity ? dec->capacity * 2 : 16;
	dec->spans = xreallocarray(dec->spans, cap, sizeof(*dec->spans));
	dec->pairs = xreallocarray(dec->pairs, cap, sizeof(*dec->pairs));
	dec->capacity = cap;
}

/* Records BAD with a reason. */
static enum attr_dec_status
attr_dec_bad(struct attr_dec *dec, const char *what, size_t limit)
{
	snprintf(dec->reason, sizeof(dec->reason), "%s exceeds %zu%s", what,
	         limit, strcmp(what, "attribute count") ? " bytes" : "");
	dec->state = ATTR_DEC_STATE_DONE;
	return ATTR_DEC_BAD;
}

/* Points each pair into the arena, now that it no longer moves. */
static void
attr_dec_finish(struct attr_dec *dec)
{
	const char *base = dec->arena.data;
	size_t i, end;

	for (i = 0; i < dec->count; i++) {
		dec->pairs[i].name = base + dec->spans[i].name_off;
		dec->pairs[i].value = base + dec->spans[i].value_off;
		end = i + 1 < dec->count ? dec->spans[i + 1].name_off
		                         : dec->arena.len;
		dec->pairs[i].value_len = end - dec->spans[i].value_off - 1;
	}
	dec->list.pairs = dec->count ? dec->pairs : NULL;
	dec->list.count = dec->count;
	dec->state = ATTR_DEC_STATE_DONE;
}

/*
 * Handles the NUL that ends the current token. Returns OK at the list
 * terminator, NEED_MORE otherwise.
 */
static enum attr_dec_status
attr_dec_end_token(struct attr_dec *dec)
{
	size_t token_off = dec->arena.len - dec->token_len;

	if (dec->state == ATTR_DEC_STATE_NAME && dec->token_len == 0) {
		attr_dec_finish(dec);
		return ATTR_DEC_OK;
	}
	buf_putc(&dec->arena, 0);
	if (dec->state == ATTR_DEC_STATE_NAME) {
		attr_dec_grow(dec);
		dec->spans[dec->count].name_off = token_off;
		dec->state = ATTR_DEC_STATE_VALUE;
	} else {
		dec->spans[dec->count++].value_off = token_off;
		dec->state = ATTR_DEC_STATE_NAME;
	}
	dec->token_len = 0;
	return ATTR_DEC_NEED_MORE;
}

/* Decodes within data[0..len), which the caller keeps inside total_max. */
static enum attr_dec_status
attr_dec_feed_bounded(struct attr_dec *dec, const char *in, size_t len,
                      size_t *consumed)
{
	const char *nul;
	size_t pos = 0, room, window, limit;
	int is_name, capped;

	while (pos < len) {
		is_name = dec->state == ATTR_DEC_STATE_NAME;
		limit = is_name ? dec->limits.name_max : dec->limits.value_max;

		/* A new name means a new pair: count it before storing it. */
		if (is_name && dec->token_len == 0 && in[pos] != 0 &&
		    dec->count >= dec->limits.count_max) {
			*consumed = pos;
			return attr_dec_bad(dec, "attribute count",
			                    dec->limits.count_max);
		}

		/* Look at no more than the limit allows, plus its NUL. */
		room = limit - dec->token_len;
		capped = room < len - pos;
		window = capped ? room + 1 : len - pos;
		nul = memchr(in + pos, 0, window);
		if (nul == NULL && capped) {
			*consumed = pos + window;
			return attr_dec_bad(
			    dec, is_name ? "attribute name" : "attribute value",
			    limit);
		}
		if (nul == NULL) {
			buf_append(&dec->arena, in + pos, window);
			dec->token_len += window;
			pos += window;
			break;
		}
		buf_append(&dec->arena, in + pos, (size_t)(nul - (in + pos)));
		dec->token_len += (size_t)(nul - (in + pos));
		pos = (size_t)(nul - in) + 1;
		if (attr_dec_end_token(dec) == ATTR_DEC_OK) {
			*consumed = pos;
			return ATTR_DEC_OK;
		}
	}
	*consumed = pos;
	return ATTR_DEC_NEED_MORE;
}

enum attr_dec_status
attr_dec_feed(struct attr_dec *dec, const void *data, size_t len,
              size_t *consumed)
{
	size_t allowed = dec->limits.total_max ? dec->limits.total_max - dec->fed
	                                       : (size_t)-1;
	enum attr_dec_status status;

	if (dec->state == ATTR_DEC_STATE_DONE)
		msg_panic("%s: feed after OK or BAD without reset", __func__);
	status = attr_dec_feed_bounded(dec, data, len < allowed ? len : allowed,
	                               consumed);
	dec->fed += *consumed;
	if (status == ATTR_DEC_NEED_MORE && len > allowed)
		return attr_dec_bad(dec, "attribute list",
		                    dec->limits.total_max);
	return status;
}

const struct attr_list *
attr_dec_list(const struct attr_dec *dec)
{
	return &dec->list;
}

const char *
attr_dec_reason(const struct attr_dec *dec)
{
	return dec->reason;
}

int
attr_dec_pending(const struct attr_dec *dec)
{
	return dec->fed > 0 && dec->state != ATTR_DEC_STATE_DONE;
}

/*
 * Parses what C's %u/%lu accept: optional leading white space, one
 * optional sign, at least one digit, nothing after. The magnitude must
 * fit in max (an all-ones mask); a minus sign negates modulo max + 1.
 */
static int
attr_parse_unsigned(const char *value, unsigned long max, unsigned long *out)
{
	unsigned long acc = 0, digit;
	int negative = 0;

	while (*value == ' ' || (*value >= '\t' && *value <= '\r'))
		value++;
	if (*value == '+' || *value == '-')
		negative = *value++ == '-';
	if (*value < '0' || *value > '9')
		return -1;
	for (; *value >= '0' && *value <= '9'; value++) {
		digit = (unsigned long)(*value - '0');
		if (acc > (max - digit) / 10)
			return -1;
		acc = acc * 10 + digit;
	}
	if (*value != 0)
		return -1;
	*out = negative ? (0UL - acc) & max : acc;
	return 0;
}

int
attr_parse_int(const char *value, int *out)
{
	unsigned long result;

	if (attr_parse_unsigned(value, UINT_MAX, &result) < 0)
		return -1;
	*out = (int)(unsigned int)result;
	return 0;
}

int
attr_parse_long(const char *value, long *out)
{
	unsigned long result;

	if (attr_parse_unsigned(value, ULONG_MAX, &result) < 0)
		return -1;
	*out = (long)result;
	return 0;
}

int
attr_parse_data(const char *value, size_t value_len, struct buf *out)
{
	buf_reset(out);
	return base64_decode(out, value, value_len);
}

const struct attr_pair *
attr_list_get(const struct attr_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->pairs[i].name, name) == 0)
			return &list->pairs[i];
	return NULL;
}

void
attr_cursor_init(struct attr_cursor *cur, const struct attr_list *list)
{
	cur->list = list;
	cur->pos = 0;
	cur->reason[0] = 0;
}

/* Quotes a peer's attribute name for a reason, escaped and truncated. */
static const char *
attr_cursor_quote(char *out, size_t outlen, const char *name)
{
	return msg_printable(out, outlen, name, strlen(name));
}

/*
 * Returns the next pair if it is named name; otherwise sets the reason
 * ("missing attribute" at the end, "unexpected attribute" elsewhere) and
 * returns NULL.
 */
static const struct attr_pair *
attr_cursor_expect(struct attr_cursor *cur, const char *name)
{
	const struct attr_pair *pair;
	char quoted[48];

	if (cur->pos >= cur->list->count) {
		snprintf(cur->reason, sizeof(cur->reason),
		         "missing attribute %s", name);
		return NULL;
	}
	pair = &cur->list->pairs[cur->pos];
	if (strcmp(pair->name, name) != 0) {
		snprintf(cur->reason, sizeof(cur->reason),
		         "unexpected attribute %s (expecting: %s)",
		         attr_cursor_quote(quoted, sizeof(quoted), pair->name),
		         name);
		return NULL;
	}
	return pair;
}

/* Sets the reason for a value that did not convert. */
static int
attr_cursor_malformed(struct attr_cursor *cur, const char *kind,
                      const char *name)
{
	snprintf(cur->reason, sizeof(cur->reason),
	         "malformed %s data in attribute %s", kind, name);
	return -1;
}

int
attr_cursor_str(struct attr_cursor *cur, const char *name, const char **value)
{
	const struct attr_pair *pair;

	if ((pair = attr_cursor_expect(cur, name)) == NULL)
		return -1;
	*value = pair->value;
	cur->pos++;
	return 0;
}

int
attr_cursor_int(struct attr_cursor *cur, const char *name, int *value)
{
	const struct attr_pair *pair;

	if ((pair = attr_cursor_expect(cur, name)) == NULL)
		return -1;
	if (attr_parse_int(pair->value, value) < 0)
		return attr_cursor_malformed(cur, "numerical", name);
	cur->pos++;
	return 0;
}

int
attr_cursor_long(struct attr_cursor *cur, const char *name, long *value)
{
	const struct attr_pair *pair;

	if ((pair = attr_cursor_expect(cur, name)) == NULL)
		return -1;
	if (attr_parse_long(pair->value, value) < 0)
		return attr_cursor_malformed(cur, "numerical", name);
	cur->pos++;
	return 0;
}

int
attr_cursor_data(struct attr_cursor *cur, const char *name, struct buf *value)
{
	const struct attr_pair *pair;

	if ((pair = attr_cursor_expect(cur, name)) == NULL)
		return -1;
	if (attr_parse_data(pair->value, pair->value_len, value) < 0)
		return attr_cursor_malformed(cur, "base64", name);
	cur->pos++;
	return 0;
}

int
attr_cursor_end(struct attr_cursor *cur)
{
	char quoted[48];

	if (cur->pos >= cur->list->count)
		return 0;
	snprintf(cur->reason, sizeof(cur->reason),
	         "unexpected attribute %s (expecting: (list terminator))",
	         attr_cursor_quote(quoted, sizeof(quoted),
	                           cur->list->pairs[cur->pos].name));
	return -1;
}
