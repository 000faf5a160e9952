/*
 * tr_mastercf.h - master.cf as text: entries, fields and their bytes
 *
 * Reads master.cf the way master(8) does (a line that starts with white
 * space continues the entry above it; comment and blank lines are
 * skipped, also between an entry's lines) and remembers where every
 * field lies in the text, so that an edit can change one field and leave
 * every other byte alone. A comment line that reads like an entry
 * ("#tlsproxy unix - - y - 0 tlsproxy", as Debian ships it) is kept as
 * a commented-out entry of its own.
 *
 * Pure: no I/O, no logging. The text is borrowed and must outlive the
 * parse.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_MASTERCF_H
#define TLSREUSE_TLSREUSE_TR_MASTERCF_H

#include <stddef.h>

/* The eight columns, in master.cf order. */
enum tr_mcf_field {
	TR_MCF_SERVICE,
	TR_MCF_TYPE,
	TR_MCF_PRIVATE,
	TR_MCF_UNPRIV,
	TR_MCF_CHROOT,
	TR_MCF_WAKEUP,
	TR_MCF_MAXPROC,
	TR_MCF_COMMAND,
	TR_MCF_FIELDS,
};

/* Bytes [off, off + len) of the text. */
struct tr_mcf_span {
	size_t off;
	size_t len;
};

struct tr_mcf_entry {
	int line;      /* number of its first line, from 1 */
	int commented; /* a comment line that reads like an entry */
	size_t start;  /* its first byte */
	size_t end;    /* after the newline of its last line (or the text) */
	int nfields;   /* < TR_MCF_FIELDS: too short for master(8) */
	struct tr_mcf_span field[TR_MCF_FIELDS];
	size_t argc;   /* words after the command; "{ ... }" is one */
	struct tr_mcf_span *arg;
};

struct tr_mcf {
	const char *text; /* borrowed */
	size_t len;
	size_t count;
	struct tr_mcf_entry *entry; /* in text order */
};

/* Parses text (any bytes; never fails). Caller frees the result. */
struct tr_mcf *tr_mcf_parse(const char *text, size_t len);

/* Accepts NULL. */
void tr_mcf_free(struct tr_mcf *mcf);

/*
 * The entries named service with the given type, active (commented = 0)
 * or commented out (1), in text order: returns how many there are and
 * sets *first to the first one (NULL if none).
 */
size_t tr_mcf_find(const struct tr_mcf *mcf, const char *service,
    const char *type, int commented, const struct tr_mcf_entry **first);

/* True if the span's bytes are exactly str. */
int tr_mcf_span_is(const struct tr_mcf *mcf, const struct tr_mcf_span *span,
    const char *str);

/* A copy of the span's bytes (caller frees). */
char *tr_mcf_span_dup(const struct tr_mcf *mcf, const struct tr_mcf_span *span);

/*
 * The -o settings of an entry, in order, as "name=value" strings in
 * the form master(8) passes them ("-o name=value", "-oname=value", or
 * "-o { name = value }" with the braces and outer blanks removed).
 * Returns how many; *opts is an array of copies (caller frees each and
 * the array, or call tr_mcf_options_free()). A trailing "-o" without a
 * value is ignored.
 */
size_t tr_mcf_options(const struct tr_mcf *mcf, const struct tr_mcf_entry *e,
    char ***opts);

/* Frees what tr_mcf_options() returned. Accepts NULL. */
void tr_mcf_options_free(char **opts, size_t nopts);

#endif
