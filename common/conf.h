/*
 * conf.h - the process-wide parameter store (main.cf, -o, typed reads)
 *
 * Postfix semantics (postconf(5)): main.cf values
 * are stored unexpanded; -o overrides replace them; a typed read expands
 * the value (or the compiled default, which is then stored so later $name
 * references see it), converts it, checks its range, and is fatal on a bad
 * value with Postfix's wording. Every parameter read is remembered with
 * its effective value, for conf_print_used().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_CONF_H
#define TLSREUSE_COMMON_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

enum conf_type {
	CONF_STR,   /* target: const char ** (expanded, process lifetime) */
	CONF_RAW,   /* target: const char ** (never expanded) */
	CONF_INT,   /* target: int * */
	CONF_LONG,  /* target: long * */
	CONF_BOOL,  /* target: int * (0/1) */
	CONF_TIME,  /* target: int * seconds; def carries the unit, "100s" */
	CONF_NINT,  /* int whose default is an expression */
	CONF_NBOOL, /* bool whose default is an expression */
};

struct conf_param {
	enum conf_type type;
	const char *name;
	const char *def; /* default text as "postconf -d" shows it */
	void *target;
	long min;        /* STR: min length; numbers: min value */
	long max;        /* STR: max length (0 = none); numbers: 0 = none */
};

/* Receives one "name = value" of main.cf text and the number of the
 * physical line where its logical line starts. Name and value are
 * borrowed for the call. */
typedef void (*conf_entry_fn)(const char *name, const char *value,
    int lineno, void *ctx);

/* Receives the text of a warning (a skipped line), without the path. */
typedef void (*conf_notice_fn)(const char *text, void *ctx);

/*
 * Splits main.cf text (len bytes, NULs allowed) into logical lines and
 * name = value pairs as Postfix does. Pure: no I/O, no
 * logging. Returns 0, or -1 at the first bad line with why holding
 * "line <n>: missing attribute name: \"<line>\"" (or "missing '=' after
 * attribute name"); entries before it have been delivered.
 */
int conf_parse_text(const char *data, size_t len, conf_entry_fn entry,
    conf_notice_fn notice, void *ctx, struct buf *why);

/* Empties the store and sets config_directory (NULL: $MAIL_CONFIG or
 * /etc/postfix). */
void conf_init(const char *config_dir);

/* Returns the configuration directory chosen by conf_init(). */
const char *conf_directory(void);

/* Reads <config_directory>/main.cf; fatal if it cannot be opened or has
 * a syntax error, as Postfix is. */
void conf_read_main_cf(void);

/* Stores name = value unexpanded (main.cf lines, -o, -i, -m, computed). */
void conf_set(const char *name, const char *value);

/* Parses "name = value" as -o does; fatal with Postfix's wording. */
void conf_set_option(const char *name_equals_value);

/* The stored, unexpanded value or NULL. Borrowed. */
const char *conf_lookup(const char *name);

/* Reads a NULL-name-terminated table, in order. A CONF_STR/CONF_RAW
 * target stays valid until the next conf_init(). Fatal on a bad value. */
void conf_read_params(const struct conf_param *table);

/* Converts a time value as Postfix does ("30", "5m"; def_unit is the
 * unit letter of a bare number, s m h d or w): 0 and *seconds, or -1. */
int conf_parse_time(const char *value, int def_unit, int *seconds);

/* Expands text against the store; fatal on a syntax error. Caller frees. */
char *conf_expand_value(const char *text);

/* Prints "name = value" for every parameter read so far, in read order. */
void conf_print_used(FILE *out);

#endif
