/*
 * attr_fields.c - fill a typed struct from attribute pairs, by name
 *
 * Table-driven, so that each structure is described once (names, types,
 * ranges, required or not) instead of by a hand-written scanner. Numbers
 * are read with the stock receivers' rules (attr_parse_int()), then
 * range-checked. Pure: no I/O, no logging; errors come back as a reason
 * string.
 *
 * Limits: ATTR_FIELD_STR_MAX bytes per string, integer ranges per entry.
 * See also: tlsproxy/tlsp_request.c, the first user.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "mem.h"
#include "msg.h"
#include "attr_fields.h"

void
attr_fields_begin(struct attr_fields_run *run, const struct attr_field *table,
                  size_t count, void *base, const char *what)
{
	if (count > ATTR_FIELD_TABLE_MAX)
		msg_panic("%s: table for %s has %zu entries", __func__, what,
		          count);
	run->table = table;
	run->count = count;
	run->base = base;
	run->what = what;
	run->seen = 0;
}

/* The value of pair, quoted for a reason: printable, at most ~40 bytes. */
static const char *
attr_fields_quote(const struct attr_pair *pair, char *out, size_t outlen)
{
	return msg_printable(out, outlen, pair->value, pair->value_len);
}

int
attr_fields_str(const struct attr_pair *pair, const char *what,
                const char **value, char *reason)
{
	if (pair->value_len > ATTR_FIELD_STR_MAX) {
		snprintf(reason, ATTR_FIELD_REASON_MAX,
		         "%s: %s value of %zu bytes exceeds %d bytes", what,
		         pair->name, pair->value_len, ATTR_FIELD_STR_MAX);
		return -1;
	}
	if (memchr(pair->value, '\n', pair->value_len) != NULL) {
		snprintf(reason, ATTR_FIELD_REASON_MAX,
		         "%s: %s value contains a newline", what, pair->name);
		return -1;
	}
	*value = xmemdup(pair->value, pair->value_len);
	return 0;
}

int
attr_fields_int(const struct attr_pair *pair, const char *what, int min,
                int max, int *value, char *reason)
{
	char quoted[48];
	int number;

	if (attr_parse_int(pair->value, &number) < 0) {
		snprintf(reason, ATTR_FIELD_REASON_MAX,
		         "%s: malformed number in %s: \"%s\"", what, pair->name,
		         attr_fields_quote(pair, quoted, sizeof(quoted)));
		return -1;
	}
	if (number < min || number > max) {
		snprintf(reason, ATTR_FIELD_REASON_MAX,
		         "%s: %s %d is outside %d..%d", what, pair->name,
		         number, min, max);
		return -1;
	}
	*value = number;
	return 0;
}

/* Index of name in the table, or -1. */
static int
attr_fields_find(const struct attr_fields_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->count; i++)
		if (strcmp(run->table[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
attr_fields_apply(struct attr_fields_run *run, const struct attr_pair *pair,
                  char *reason)
{
	const struct attr_field *field;
	char *member;
	int i, rc;

	if ((i = attr_fields_find(run, pair->name)) < 0)
		return 0;
	field = run->table + i;
	if (run->seen & (UINT64_C(1) << i)) {
		snprintf(reason, ATTR_FIELD_REASON_MAX,
		         "%s: repeated attribute %s", run->what, field->name);
		return -1;
	}
	member = (char *)run->base + field->offset;
	if (field->type == ATTR_FIELD_STR)
		rc = attr_fields_str(pair, run->what,
		                     (const char **)(void *)member, reason);
	else
		rc = attr_fields_int(pair, run->what, field->min, field->max,
		                     (int *)(void *)member, reason);
	if (rc < 0)
		return -1;
	run->seen |= UINT64_C(1) << i;
	return 1;
}

int
attr_fields_seen(const struct attr_fields_run *run, const char *name)
{
	int i = attr_fields_find(run, name);

	if (i < 0)
		msg_panic("%s: %s has no field %s", __func__, run->what, name);
	return (run->seen & (UINT64_C(1) << i)) != 0;
}

int
attr_fields_check(const struct attr_fields_run *run, char *reason)
{
	size_t i;

	for (i = 0; i < run->count; i++) {
		if (run->table[i].required &&
		    !(run->seen & (UINT64_C(1) << i))) {
			snprintf(reason, ATTR_FIELD_REASON_MAX,
			         "%s: missing attribute %s", run->what,
			         run->table[i].name);
			return -1;
		}
	}
	return 0;
}

void
attr_fields_free(const struct attr_field *table, size_t count, void *base)
{
	const char **member;
	size_t i;

	for (i = 0; i < count; i++) {
		if (table[i].type != ATTR_FIELD_STR)
			continue;
		member =
		    (const char **)(void *)((char *)base + table[i].offset);
		xfree_const(*member);
		*member = NULL;
	}
}
