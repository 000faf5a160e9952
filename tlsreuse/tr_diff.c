/*
 * tr_diff.c - show a change to a text file as a unified diff
 *
 * The longest common subsequence of lines by dynamic programming (a
 * master.cf has a few hundred lines, so the table is small), walked
 * from the start into an edit script of kept, removed and added lines
 * (removals first, as diff -u shows them);
 * hunks are runs of edits with up to three kept lines around them.
 * Above TR_DIFF_CELLS_MAX cells: the common head and tail are kept and
 * everything between is one replacement.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "tr_diff.h"

#define TR_DIFF_CONTEXT 3

struct tr_diff_line {
	const char *text;
	size_t len; /* with its newline, if it has one */
};

enum tr_diff_op {
	TR_DIFF_KEEP = ' ',
	TR_DIFF_DEL = '-',
	TR_DIFF_ADD = '+',
};

struct tr_diff_edit {
	enum tr_diff_op op;
	size_t old_line; /* index in the old text (KEEP, DEL) */
	size_t new_line; /* index in the new text (KEEP, ADD) */
};

static size_t
tr_diff_split(const char *text, size_t len, struct tr_diff_line **lines)
{
	const char *p = text, *end = text + len, *nl;
	size_t n = 0;

	*lines = NULL;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		*lines = xreallocarray(*lines, n + 1, sizeof(**lines));
		(*lines)[n].text = p;
		(*lines)[n].len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		p += (*lines)[n++].len;
	}
	return n;
}

static int
tr_diff_same(const struct tr_diff_line *a, const struct tr_diff_line *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* The edit script by LCS; returns its length. */
static size_t
tr_diff_script(const struct tr_diff_line *a, size_t na,
    const struct tr_diff_line *b, size_t nb, struct tr_diff_edit *ed)
{
	size_t *lcs = xcalloc((na + 1) * (nb + 1), sizeof(*lcs));
	size_t i, j, n = 0;

#define LCS(i, j) lcs[(i) * (nb + 1) + (j)]
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			LCS(i, j) = tr_diff_same(&a[i], &b[j]) ?
			    LCS(i + 1, j + 1) + 1 :
			    (LCS(i + 1, j) > LCS(i, j + 1) ? LCS(i + 1, j) :
			    LCS(i, j + 1));
	for (i = j = 0; i < na || j < nb;) {
		if (i < na && j < nb && tr_diff_same(&a[i], &b[j]))
			ed[n++] = (struct tr_diff_edit){TR_DIFF_KEEP, i++, j++};
		else if (i < na && (j == nb || LCS(i + 1, j) >= LCS(i, j + 1)))
			ed[n++] = (struct tr_diff_edit){TR_DIFF_DEL, i++, j};
		else
			ed[n++] = (struct tr_diff_edit){TR_DIFF_ADD, i, j++};
	}
#undef LCS
	free(lcs);
	return n;
}

/* The edit script for big texts: common head and tail, one change. */
static size_t
tr_diff_script_coarse(const struct tr_diff_line *a, size_t na,
    const struct tr_diff_line *b, size_t nb, struct tr_diff_edit *ed)
{
	size_t head = 0, tail = 0, i, n = 0;

	while (head < na && head < nb && tr_diff_same(&a[head], &b[head]))
		head++;
	while (tail < na - head && tail < nb - head &&
	    tr_diff_same(&a[na - 1 - tail], &b[nb - 1 - tail]))
		tail++;
	for (i = 0; i < head; i++)
		ed[n++] = (struct tr_diff_edit){TR_DIFF_KEEP, i, i};
	for (i = head; i < na - tail; i++)
		ed[n++] = (struct tr_diff_edit){TR_DIFF_DEL, i, head};
	for (i = head; i < nb - tail; i++)
		ed[n++] = (struct tr_diff_edit){TR_DIFF_ADD, na - tail, i};
	for (i = 0; i < tail; i++)
		ed[n++] = (struct tr_diff_edit){TR_DIFF_KEEP, na - tail + i,
		    nb - tail + i};
	return n;
}

static void
tr_diff_put_line(struct buf *out, int op, const struct tr_diff_line *l)
{
	buf_putc(out, op);
	buf_append(out, l->text, l->len);
	if (l->len == 0 || l->text[l->len - 1] != '\n')
		buf_puts(out, "\n\\ No newline at end of file\n");
}

/* One hunk: edits [from, to). */
static void
tr_diff_hunk(struct buf *out, const struct tr_diff_edit *ed, size_t from,
    size_t to, const struct tr_diff_line *a, const struct tr_diff_line *b)
{
	size_t k, old_n = 0, new_n = 0;

	for (k = from; k < to; k++) {
		old_n += ed[k].op != TR_DIFF_ADD;
		new_n += ed[k].op != TR_DIFF_DEL;
	}
	buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n",
	    ed[from].old_line + (old_n > 0), old_n,
	    ed[from].new_line + (new_n > 0), new_n);
	for (k = from; k < to; k++)
		tr_diff_put_line(out, ed[k].op, ed[k].op == TR_DIFF_ADD ?
		    &b[ed[k].new_line] : &a[ed[k].old_line]);
}

void
tr_diff(struct buf *out, const char *old_label, const char *old_text,
    size_t old_len, const char *new_label, const char *new_text,
    size_t new_len)
{
	struct tr_diff_line *a, *b;
	struct tr_diff_edit *ed;
	size_t na, nb, n, k, from, to, last;

	na = tr_diff_split(old_text, old_len, &a);
	nb = tr_diff_split(new_text, new_len, &b);
	ed = xcalloc(na + nb + 1, sizeof(*ed));
	n = (double)(na + 1) * (nb + 1) > TR_DIFF_CELLS_MAX ?
	    tr_diff_script_coarse(a, na, b, nb, ed) :
	    tr_diff_script(a, na, b, nb, ed);
	for (k = 0; k < n; k = to) {
		/* The next change, and the context around it; changes
		 * closer than twice the context share a hunk. */
		while (k < n && ed[k].op == TR_DIFF_KEEP)
			k++;
		if (k == n)
			break;
		if (old_label != NULL) {
			buf_printf(out, "--- %s\n+++ %s\n", old_label,
			    new_label);
			old_label = NULL;
		}
		from = k > TR_DIFF_CONTEXT ? k - TR_DIFF_CONTEXT : 0;
		for (last = to = k; to < n; to++) {
			if (ed[to].op != TR_DIFF_KEEP)
				last = to;
			else if (to - last > 2 * TR_DIFF_CONTEXT)
				break;
		}
		to = last + 1 + TR_DIFF_CONTEXT < n ? last + 1 +
		    TR_DIFF_CONTEXT : n;
		tr_diff_hunk(out, ed, from, to, a, b);
	}
	free(ed);
	free(a);
	free(b);
}
