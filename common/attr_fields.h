/*
 * attr_fields.h - fill a typed struct from attribute pairs, by name
 *
 * A Postfix attribute list often carries a structure as a flat run of
 * (name, value) pairs. A static table maps each known name to a member
 * of a struct (string or int, with a range); attr_fields_apply() stores
 * one pair if its name is in the table. Unknown names are left to the
 * caller (which may skip them, to serve newer Postfix releases). Each
 * name may occur once per run; attr_fields_check() then reports the
 * first required name that never came.
 *
 * Strings are copied into const char * members (owned by the struct,
 * read-only to its readers, released by attr_fields_free), at most
 * ATTR_FIELD_STR_MAX bytes and never with a '\n' (the values can end up
 * in the plain attribute format, where '\n' ends a line).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_ATTR_FIELDS_H
#define TLSREUSE_COMMON_ATTR_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "attr_dec.h"

/* Longest string value accepted in any field, in bytes. */
#define ATTR_FIELD_STR_MAX 4096

/* Room for a reason; peer text inside it is quoted and truncated. */
#define ATTR_FIELD_REASON_MAX 200

/* Most entries in one table (the seen set is a 64-bit mask). */
#define ATTR_FIELD_TABLE_MAX 64

enum attr_field_type {
	ATTR_FIELD_STR, /* const char *, NULL while absent */
	ATTR_FIELD_INT, /* int in [min, max]; left alone while absent */
};

struct attr_field {
	const char *name;
	enum attr_field_type type;
	size_t offset; /* offsetof() the member in the target struct */
	int required;
	int min, max; /* ATTR_FIELD_INT only */
};

/* One struct being filled from one run of pairs. */
struct attr_fields_run {
	const struct attr_field *table;
	size_t count;
	void *base;       /* the struct the offsets refer to */
	const char *what; /* structure name for reasons, e.g. "INIT_PROPS" */
	uint64_t seen;    /* bit i: table[i] was stored */
};

/* Starts a run; panics if count exceeds ATTR_FIELD_TABLE_MAX. */
void attr_fields_begin(struct attr_fields_run *run,
                       const struct attr_field *table, size_t count, void *base,
                       const char *what);

/*
 * Stores pair if its name is in the table: returns 1 when stored, 0 when
 * the name is unknown (nothing changed), -1 with a reason in reason[0..
 * ATTR_FIELD_REASON_MAX) for a repeated name, an over-long string, a
 * string with '\n', a malformed number or one out of range.
 */
int attr_fields_apply(struct attr_fields_run *run, const struct attr_pair *pair,
                      char *reason);

/* True when the named table entry was stored in this run. */
int attr_fields_seen(const struct attr_fields_run *run, const char *name);

/* Returns 0 when every required entry was stored, else -1 and a reason. */
int attr_fields_check(const struct attr_fields_run *run, char *reason);

/* Frees every string member of base named in the table, sets it NULL. */
void attr_fields_free(const struct attr_field *table, size_t count, void *base);

/*
 * The checks attr_fields_apply() makes, for pairs outside any table
 * (array members, nested records): each returns 0, or -1 with a reason
 * that starts with what. attr_fields_str() stores a copy the caller owns.
 */
int attr_fields_str(const struct attr_pair *pair, const char *what,
                    const char **value, char *reason);
int attr_fields_int(const struct attr_pair *pair, const char *what, int min,
                    int max, int *value, char *reason);

#endif
