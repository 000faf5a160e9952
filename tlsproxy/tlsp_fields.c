/*
 * tlsp_fields.c - fill a typed struct from attribute pairs, by name
 *
 * Table-driven, so that each request structure is described once (names,
 * types, ranges, required or not) instead of by a hand-written scanner.
 * Pure: no I/O, no logging; errors come back as a reason string.
 *
 * Limits: TLSP_FIELD_STR_MAX bytes per string, integer ranges per entry.
 * See also: tlsp_request.c; spec tlsproxy-protocol.md sections 2.2, 7.4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_fields.h"

void
tlsp_fields_begin(struct tlsp_fields_run *run, const struct tlsp_field *table,
                  size_t count, void *base, const char *what)
{
	if (count > TLSP_FIELD_TABLE_MAX)
		msg_panic("%s: table for %s has %zu entries", __func__, what,
		          count);
	run->table = table;
	run->count = count;
	run->base = base;
	run->what = what;
	run->seen = 0;
}

const char *
tlsp_fields_quote(const struct attr_pair *pair, char *out, size_t outlen)
{
	return msg_printable(out, outlen, pair->value, pair->value_len);
}

int
tlsp_fields_str(const struct attr_pair *pair, const char *what, char **value,
                char *reason)
{
	if (pair->value_len > TLSP_FIELD_STR_MAX) {
		snprintf(reason, TLSP_FIELD_REASON_MAX,
		         "%s: %s value of %zu bytes exceeds %d bytes", what,
		         pair->name, pair->value_len, TLSP_FIELD_STR_MAX);
		return -1;
	}
	if (memchr(pair->value, '\n', pair->value_len) != NULL) {
		snprintf(reason, TLSP_FIELD_REASON_MAX,
		         "%s: %s value contains a newline", what, pair->name);
		return -1;
	}
	*value = xmemdup(pair->value, pair->value_len);
	return 0;
}

int
tlsp_fields_int(const struct attr_pair *pair, const char *what, int min,
                int max, int *value, char *reason)
{
	char quoted[48];
	int number;

	if (attr_parse_int(pair->value, &number) < 0) {
		snprintf(reason, TLSP_FIELD_REASON_MAX,
		         "%s: malformed number in %s: \"%s\"", what, pair->name,
		         tlsp_fields_quote(pair, quoted, sizeof(quoted)));
		return -1;
	}
	if (number < min || number > max) {
		snprintf(reason, TLSP_FIELD_REASON_MAX,
		         "%s: %s %d is outside %d..%d", what, pair->name,
		         number, min, max);
		return -1;
	}
	*value = number;
	return 0;
}

/* Index of name in the table, or -1. */
static int
tlsp_fields_find(const struct tlsp_fields_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->count; i++)
		if (strcmp(run->table[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
tlsp_fields_apply(struct tlsp_fields_run *run, const struct attr_pair *pair,
                  char *reason)
{
	const struct tlsp_field *field;
	char *member;
	int i, rc;

	if ((i = tlsp_fields_find(run, pair->name)) < 0)
		return 0;
	field = run->table + i;
	if (run->seen & (UINT64_C(1) << i)) {
		snprintf(reason, TLSP_FIELD_REASON_MAX,
		         "%s: repeated attribute %s", run->what, field->name);
		return -1;
	}
	member = (char *)run->base + field->offset;
	if (field->type == TLSP_FIELD_STR)
		rc = tlsp_fields_str(pair, run->what, (char **)(void *)member,
		                     reason);
	else
		rc = tlsp_fields_int(pair, run->what, field->min, field->max,
		                     (int *)(void *)member, reason);
	if (rc < 0)
		return -1;
	run->seen |= UINT64_C(1) << i;
	return 1;
}

int
tlsp_fields_seen(const struct tlsp_fields_run *run, const char *name)
{
	int i = tlsp_fields_find(run, name);

	if (i < 0)
		msg_panic("%s: %s has no field %s", __func__, run->what, name);
	return (run->seen & (UINT64_C(1) << i)) != 0;
}

int
tlsp_fields_check(const struct tlsp_fields_run *run, char *reason)
{
	size_t i;

	for (i = 0; i < run->count; i++) {
		if (run->table[i].required &&
		    !(run->seen & (UINT64_C(1) << i))) {
			snprintf(reason, TLSP_FIELD_REASON_MAX,
			         "%s: missing attribute %s", run->what,
			         run->table[i].name);
			return -1;
		}
	}
	return 0;
}

void
tlsp_fields_free(const struct tlsp_field *table, size_t count, void *base)
{
	char **member;
	size_t i;

	for (i = 0; i < count; i++) {
		if (table[i].type != TLSP_FIELD_STR)
			continue;
		member = (char **)(void *)((char *)base + table[i].offset);
		free(*member);
		*member = NULL;
	}
}
