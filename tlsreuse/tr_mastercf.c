/*
 * tr_mastercf.c - master.cf as text: entries, fields and their bytes
 *
 * One pass over the physical lines. A line is blank (white space only),
 * a comment (first non-blank byte '#'), a continuation (starts with
 * white space) or the start of an entry. An entry takes the
 * continuation lines that follow it, across comments and blank lines,
 * as master(8) does; its end is the end of its last continuation line,
 * so comments after it stay outside. A comment whose '#' is followed by
 * a word that is not '#' is also read as a one-line entry, marked
 * commented; whether it names anything is for the caller to decide.
 *
 * Words are split at blanks; a word that starts with '{' runs to the
 * matching '}' on the same line (master(5) "{ text with blanks }").
 *
 * Limits: none beyond memory: master.cf is the administrator's file.
 * Errors: none; a short entry has nfields < TR_MCF_FIELDS.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "tr_mastercf.h"

/* One physical line: [start, text_end) without the newline, [.., next). */
struct tr_mcf_line {
	size_t start;
	size_t text_end;
	size_t next;
};

static int
tr_mcf_is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	    ch == '\f';
}

static void
tr_mcf_line_at(const char *text, size_t len, size_t pos,
    struct tr_mcf_line *line)
{
	const char *nl = memchr(text + pos, '\n', len - pos);

	line->start = pos;
	line->text_end = nl ? (size_t)(nl - text) : len;
	line->next = nl ? line->text_end + 1 : len;
}

/* The first non-blank byte of a line, or -1 if there is none. */
static int
tr_mcf_first(const char *text, const struct tr_mcf_line *line)
{
	size_t i;

	for (i = line->start; i < line->text_end; i++)
		if (!tr_mcf_is_blank((unsigned char)text[i]))
			return (unsigned char)text[i];
	return -1;
}

/* The end of the word at pos: a "{...}" group or a run of non-blanks. */
static size_t
tr_mcf_word_end(const char *text, size_t pos, size_t end)
{
	int depth = 0;
	size_t i;

	if (text[pos] != '{') {
		for (i = pos;
		     i < end && !tr_mcf_is_blank((unsigned char)text[i]); i++)
			;
		return i;
	}
	for (i = pos; i < end; i++) {
		if (text[i] == '{')
			depth++;
		else if (text[i] == '}' && --depth == 0)
			return i + 1;
	}
	return end;
}

/* Adds the words of [pos, end) to the entry: fields first, then args. */
static void
tr_mcf_add_words(struct tr_mcf_entry *e, const char *text, size_t pos,
    size_t end)
{
	struct tr_mcf_span w;
	size_t stop;

	while (pos < end) {
		if (tr_mcf_is_blank((unsigned char)text[pos])) {
			pos++;
			continue;
		}
		stop = tr_mcf_word_end(text, pos, end);
		w.off = pos;
		w.len = stop - pos;
		pos = stop;
		if (e->nfields < TR_MCF_FIELDS) {
			e->field[e->nfields++] = w;
			continue;
		}
		e->arg = xreallocarray(e->arg, e->argc + 1, sizeof(*e->arg));
		e->arg[e->argc++] = w;
	}
}

static struct tr_mcf_entry *
tr_mcf_new_entry(struct tr_mcf *mcf, const struct tr_mcf_line *line,
    int lineno, int commented)
{
	struct tr_mcf_entry *e;

	mcf->entry = xreallocarray(mcf->entry, mcf->count + 1,
	    sizeof(*mcf->entry));
	e = &mcf->entry[mcf->count++];
	memset(e, 0, sizeof(*e));
	e->line = lineno;
	e->commented = commented;
	e->start = line->start;
	e->end = line->next;
	return e;
}

struct tr_mcf *
tr_mcf_parse(const char *text, size_t len)
{
	struct tr_mcf *mcf = xcalloc(1, sizeof(*mcf));
	struct tr_mcf_line line;
	struct tr_mcf_entry *e;
	size_t pos, open = 0; /* entry that takes continuations, plus one */
	int lineno = 0, first, after;

	mcf->text = text;
	mcf->len = len;
	for (pos = 0; pos < len; pos = line.next) {
		tr_mcf_line_at(text, len, pos, &line);
		lineno++;
		first = tr_mcf_first(text, &line);
		if (first < 0)
			continue;
		if (first == '#') {
			/* "#name ...": a commented-out entry, for the caller
			 * to recognise; like any comment it ends nothing. */
			after = line.start + 1 < line.text_end ?
			    (unsigned char)text[line.start + 1] : -1;
			if (text[line.start] == '#' && after > 0 &&
			    after != '#' && !tr_mcf_is_blank(after))
				tr_mcf_add_words(tr_mcf_new_entry(mcf, &line,
				    lineno, 1), text, line.start + 1,
				    line.text_end);
			continue;
		}
		if (tr_mcf_is_blank((unsigned char)text[line.start])) {
			/* master(8) ignores one with nothing above it. */
			if (open == 0)
				continue;
			e = &mcf->entry[open - 1];
			tr_mcf_add_words(e, text, line.start, line.text_end);
			e->end = line.next;
			continue;
		}
		e = tr_mcf_new_entry(mcf, &line, lineno, 0);
		open = mcf->count;
		tr_mcf_add_words(e, text, line.start, line.text_end);
	}
	return mcf;
}

void
tr_mcf_free(struct tr_mcf *mcf)
{
	size_t i;

	if (mcf == NULL)
		return;
	for (i = 0; i < mcf->count; i++)
		free(mcf->entry[i].arg);
	free(mcf->entry);
	free(mcf);
}

int
tr_mcf_span_is(const struct tr_mcf *mcf, const struct tr_mcf_span *span,
    const char *str)
{
	return strlen(str) == span->len &&
	    memcmp(mcf->text + span->off, str, span->len) == 0;
}

char *
tr_mcf_span_dup(const struct tr_mcf *mcf, const struct tr_mcf_span *span)
{
	return xstrndup(mcf->text + span->off, span->len);
}

size_t
tr_mcf_find(const struct tr_mcf *mcf, const char *service, const char *type,
    int commented, const struct tr_mcf_entry **first)
{
	const struct tr_mcf_entry *e;
	size_t i, n = 0;

	*first = NULL;
	for (i = 0; i < mcf->count; i++) {
		e = &mcf->entry[i];
		if (e->commented != commented || e->nfields < TR_MCF_TYPE + 1 ||
		    !tr_mcf_span_is(mcf, &e->field[TR_MCF_SERVICE], service) ||
		    !tr_mcf_span_is(mcf, &e->field[TR_MCF_TYPE], type))
			continue;
		if (n++ == 0)
			*first = e;
	}
	return n;
}

/* "{ text }" without the braces and the blanks inside them. */
static char *
tr_mcf_unbrace(const char *word, size_t len)
{
	if (len >= 2 && word[0] == '{' && word[len - 1] == '}') {
		word++;
		len -= 2;
		while (len > 0 && tr_mcf_is_blank((unsigned char)word[0])) {
			word++;
			len--;
		}
		while (len > 0 &&
		    tr_mcf_is_blank((unsigned char)word[len - 1]))
			len--;
	}
	return xstrndup(word, len);
}

size_t
tr_mcf_options(const struct tr_mcf *mcf, const struct tr_mcf_entry *e,
    char ***opts)
{
	const struct tr_mcf_span *a;
	const char *word;
	size_t i, n = 0;

	*opts = NULL;
	for (i = 0; i < e->argc; i++) {
		a = &e->arg[i];
		word = mcf->text + a->off;
		if (a->len < 2 || word[0] != '-' || word[1] != 'o')
			continue;
		*opts = xreallocarray(*opts, n + 1, sizeof(**opts));
		if (a->len > 2) {
			(*opts)[n++] = tr_mcf_unbrace(word + 2, a->len - 2);
		} else if (i + 1 < e->argc) {
			a = &e->arg[++i];
			(*opts)[n++] = tr_mcf_unbrace(mcf->text + a->off,
			    a->len);
		}
	}
	return n;
}

void
tr_mcf_options_free(char **opts, size_t nopts)
{
	while (nopts > 0)
		free(opts[--nopts]);
	free(opts);
}
