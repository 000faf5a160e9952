/*
 * tr_switch.c - point master.cf at our daemons or back at stock, as text
 *
 * The plan is a short list of edits, each "replace these bytes of the
 * old text with those", applied in order at the end. What each entry
 * gets:
 *
 *   scache   enable: command scache -> tlsreuse/scache
 *            disable: tlsreuse/scache -> scache, and a trailing
 *            reuse_log= word dropped (stock rejects it)
 *   tlsproxy enable: tlsproxy -> tlsreuse/tlsproxy; if only a
 *            commented-out entry exists, a copy of it, uncommented and
 *            with our command, goes in below the marker right after it;
 *            if none exists, a new entry (chroot as the scache entry's)
 *            below the marker right after the scache entry
 *            disable: an entry below the marker goes, marker and all;
 *            otherwise tlsreuse/tlsproxy -> tlsproxy
 *
 * The marker is one full comment line, so master(8), postconf(1) and
 * "postfix check" see an ordinary comment.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "tr_mastercf.h"
#include "tr_switch.h"

#define TR_SWITCH_EDITS_MAX 4

struct tr_switch_edit {
	size_t off;
	size_t len;
	char *text; /* owned */
};

struct tr_switch_ctx {
	struct tr_switch_plan *plan;
	const struct tr_mcf *mcf;
	enum tr_switch_to to;
	struct tr_switch_edit edit[TR_SWITCH_EDITS_MAX];
	int nedits;
};

void
tr_switch_plan_init(struct tr_switch_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	buf_init(&plan->text);
	buf_init(&plan->notes);
	buf_init(&plan->error);
}

void
tr_switch_plan_free(struct tr_switch_plan *plan)
{
	buf_free(&plan->text);
	buf_free(&plan->notes);
	buf_free(&plan->error);
}

static void
tr_switch_add_edit(struct tr_switch_ctx *ctx, size_t off, size_t len,
    char *text)
{
	struct tr_switch_edit *e;

	if (ctx->nedits == TR_SWITCH_EDITS_MAX)
		msg_panic("%s: more than %d edits", __func__,
		    TR_SWITCH_EDITS_MAX);
	e = &ctx->edit[ctx->nedits++];
	e->off = off;
	e->len = len;
	e->text = text;
}

static int
tr_switch_edit_cmp(const void *a, const void *b)
{
	const struct tr_switch_edit *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Writes the new text: the old one with the edits in place. */
static void
tr_switch_apply(struct tr_switch_ctx *ctx)
{
	const struct tr_mcf *mcf = ctx->mcf;
	struct buf *out = &ctx->plan->text;
	size_t pos = 0;
	int i;

	qsort(ctx->edit, (size_t)ctx->nedits, sizeof(ctx->edit[0]),
	    tr_switch_edit_cmp);
	buf_reset(out);
	for (i = 0; i < ctx->nedits; i++) {
		buf_append(out, mcf->text + pos, ctx->edit[i].off - pos);
		buf_puts(out, ctx->edit[i].text);
		pos = ctx->edit[i].off + ctx->edit[i].len;
	}
	buf_append(out, mcf->text + pos, mcf->len - pos);
	ctx->plan->changed = out->len != mcf->len ||
	    memcmp(buf_str(out), mcf->text, mcf->len) != 0;
}

/* The program word for name on this side: "scache" or "tlsreuse/scache". */
static char *
tr_switch_command(const char *name, enum tr_switch_to to)
{
	size_t len = strlen(TR_SWITCH_OURS_DIR) + strlen(name) + 1;
	char *cmd = xmalloc(len);

	strcpy(cmd, to == TR_SWITCH_OURS ? TR_SWITCH_OURS_DIR : "");
	strcat(cmd, name);
	return cmd;
}

/* 1 ours, 0 stock, -1 something else. */
static int
tr_switch_side(const struct tr_mcf *mcf, const struct tr_mcf_entry *e,
    const char *program)
{
	char *ours = tr_switch_command(program, TR_SWITCH_OURS);
	int side = -1;

	if (tr_mcf_span_is(mcf, &e->field[TR_MCF_COMMAND], ours))
		side = 1;
	else if (tr_mcf_span_is(mcf, &e->field[TR_MCF_COMMAND], program))
		side = 0;
	free(ours);
	return side;
}

/* Finds the one active entry; 0 (and *e, NULL if none), or -1. */
static int
tr_switch_find(struct tr_switch_ctx *ctx, const char *service,
    const struct tr_mcf_entry **e)
{
	size_t n = tr_mcf_find(ctx->mcf, service, "unix", 0, e);

	if (n > 1) {
		buf_printf(&ctx->plan->error, "master.cf has %zu %s/unix "
		    "entries (lines %d and more); keep one", n, service,
		    (*e)->line);
		return -1;
	}
	if (*e != NULL && (*e)->nfields < TR_MCF_FIELDS) {
		buf_printf(&ctx->plan->error, "master.cf line %d: the %s/unix "
		    "entry has only %d fields", (*e)->line, service,
		    (*e)->nfields);
		return -1;
	}
	return 0;
}

/* Changes an existing entry's command, or says it need not change. */
static int
tr_switch_command_edit(struct tr_switch_ctx *ctx,
    const struct tr_mcf_entry *e, const char *service, const char *program)
{
	const struct tr_mcf *mcf = ctx->mcf;
	int side = tr_switch_side(mcf, e, program);
	char *now = tr_mcf_span_dup(mcf, &e->field[TR_MCF_COMMAND]);
	char *want = tr_switch_command(program, ctx->to);

	if (side < 0) {
		buf_printf(&ctx->plan->error, "master.cf line %d: %s/unix runs "
		    "\"%s\", neither stock %s nor %s; not changed", e->line,
		    service, now, program, want);
		free(now);
		free(want);
		return -1;
	}
	if (side == (ctx->to == TR_SWITCH_OURS)) {
		buf_printf(&ctx->plan->notes, "%s/unix (line %d): runs %s "
		    "already\n", service, e->line, now);
		free(now);
		free(want);
		return 0;
	}
	buf_printf(&ctx->plan->notes, "%s/unix (line %d): command %s -> %s\n",
	    service, e->line, now, want);
	tr_switch_add_edit(ctx, e->field[TR_MCF_COMMAND].off,
	    e->field[TR_MCF_COMMAND].len, want);
	free(now);
	return 0;
}

/* Disable: stock scache refuses our trailing reuse_log= word. */
static void
tr_switch_drop_reuse_log(struct tr_switch_ctx *ctx,
    const struct tr_mcf_entry *e, const char *service)
{
	const struct tr_mcf *mcf = ctx->mcf;
	const struct tr_mcf_span *last;
	size_t from;

	if (e->argc == 0)
		return;
	last = &e->arg[e->argc - 1];
	if (last->len < 10 || memcmp(mcf->text + last->off, "reuse_log=", 10))
		return;
	/* The word and the blanks before it, on its own line. */
	for (from = last->off; from > e->start && (mcf->text[from - 1] == ' ' ||
	     mcf->text[from - 1] == '\t'); from--)
		;
	buf_printf(&ctx->plan->notes, "%s/unix (line %d): dropping \"%.*s\" "
	    "(stock scache rejects it)\n", service, e->line, (int)last->len,
	    mcf->text + last->off);
	tr_switch_add_edit(ctx, from, last->off + last->len - from,
	    xstrdup(""));
}

/* Where a marker line would start if the entry sat right below one. */
static int
tr_switch_below_marker(const struct tr_mcf *mcf, const struct tr_mcf_entry *e,
    size_t *marker)
{
	size_t mlen = strlen(TR_SWITCH_MARKER) + 1;

	if (e->start < mlen)
		return 0;
	*marker = e->start - mlen;
	if (*marker > 0 && mcf->text[*marker - 1] != '\n')
		return 0;
	return memcmp(mcf->text + *marker, TR_SWITCH_MARKER "\n", mlen) == 0;
}

/* Inserts marker + entry at pos (the start of a line, or the end). */
static void
tr_switch_insert(struct tr_switch_ctx *ctx, size_t pos, const char *entry,
    size_t entry_len)
{
	const struct tr_mcf *mcf = ctx->mcf;
	struct buf add;

	buf_init(&add);
	/* At the end of a text without a final newline: keep it so. */
	if (pos == mcf->len && pos > 0 && mcf->text[pos - 1] != '\n') {
		buf_puts(&add, "\n" TR_SWITCH_MARKER "\n");
		buf_append(&add, entry, entry_len);
	} else {
		buf_puts(&add, TR_SWITCH_MARKER "\n");
		buf_append(&add, entry, entry_len);
		buf_putc(&add, '\n');
	}
	tr_switch_add_edit(ctx, pos, 0, add.data ? add.data : xstrdup(""));
}

/*
 * Where an entry can go at or after pos (the start of a line) without
 * changing any other: not between an active entry and its continuation
 * lines (a comment may sit there), and not above continuation lines that
 * continue nothing (master(8) ignores those; below a new entry they
 * would become its own). So: past every continuation line that follows
 * pos across comments and blank lines.
 */
static size_t
tr_switch_after(const struct tr_mcf *mcf, size_t pos)
{
	const char *text = mcf->text, *nl;
	size_t line, next, i, insert = pos;

	for (i = 0; i < mcf->count; i++)
		if (!mcf->entry[i].commented && mcf->entry[i].start < pos &&
		    pos < mcf->entry[i].end)
			insert = pos = mcf->entry[i].end;
	for (line = pos; line < mcf->len; line = next) {
		nl = memchr(text + line, '\n', mcf->len - line);
		next = nl ? (size_t)(nl - text) + 1 : mcf->len;
		for (i = line; i < next && (text[i] == ' ' || text[i] == '\t' ||
		     text[i] == '\r' || text[i] == '\v' || text[i] == '\f');
		     i++)
			;
		if (i == next || text[i] == '\n' || text[i] == '#')
			continue;
		if (i == line)
			break;
		insert = next;
	}
	return insert;
}

/* Enable with a commented-out entry: an active copy below it. */
static void
tr_switch_uncomment(struct tr_switch_ctx *ctx, const struct tr_mcf_entry *c,
    const char *service, const char *program)
{
	const struct tr_mcf *mcf = ctx->mcf;
	const struct tr_mcf_span *cmd = &c->field[TR_MCF_COMMAND];
	size_t text_end = c->end;
	struct buf entry;
	char *want = tr_switch_command(program, TR_SWITCH_OURS);

	if (text_end > c->start && mcf->text[text_end - 1] == '\n')
		text_end--;
	buf_init(&entry);
	buf_append(&entry, mcf->text + c->start + 1, cmd->off - c->start - 1);
	buf_puts(&entry, want);
	buf_append(&entry, mcf->text + cmd->off + cmd->len,
	    text_end - cmd->off - cmd->len);
	buf_printf(&ctx->plan->notes, "%s/unix: commented out (line %d); "
	    "adding it below, running %s\n", service, c->line, want);
	tr_switch_insert(ctx, tr_switch_after(mcf, c->end), buf_str(&entry),
	    entry.len);
	buf_free(&entry);
	free(want);
}

/* Enable without any entry: a new one below the scache entry. */
static void
tr_switch_add_new(struct tr_switch_ctx *ctx, const struct tr_mcf_entry *sc,
    const char *service, const char *program)
{
	struct buf entry;
	char *chroot = tr_mcf_span_dup(ctx->mcf, &sc->field[TR_MCF_CHROOT]);
	char *want = tr_switch_command(program, TR_SWITCH_OURS);

	buf_init(&entry);
	buf_printf(&entry, "%-9s unix  -       -       %-7s -       0       %s",
	    service, chroot, want);
	buf_printf(&ctx->plan->notes, "%s/unix: missing; adding it below "
	    "line %d, running %s, chroot %s as scache\n", service, sc->line,
	    want, chroot);
	tr_switch_insert(ctx, tr_switch_after(ctx->mcf, sc->end),
	    buf_str(&entry), entry.len);
	buf_free(&entry);
	free(chroot);
	free(want);
}

/* Disable of an entry that enable added: remove it and its marker. */
static void
tr_switch_remove_added(struct tr_switch_ctx *ctx,
    const struct tr_mcf_entry *e, size_t marker, const char *service)
{
	const struct tr_mcf *mcf = ctx->mcf;
	size_t from = marker;

	/* It was added at the end of a text without a final newline. */
	if (e->end == mcf->len && mcf->text[mcf->len - 1] != '\n' && from > 0)
		from--;
	buf_printf(&ctx->plan->notes, "%s/unix (line %d): added by tlsreuse "
	    "enable; removing it\n", service, e->line);
	tr_switch_add_edit(ctx, from, e->end - from, xstrdup(""));
}

static int
tr_switch_tlsproxy(struct tr_switch_ctx *ctx, const char *service,
    const struct tr_mcf_entry *scache)
{
	const struct tr_mcf_entry *e, *c;
	size_t marker;

	if (tr_switch_find(ctx, service, &e) < 0)
		return -1;
	if (e != NULL && ctx->to == TR_SWITCH_STOCK &&
	    tr_switch_side(ctx->mcf, e, "tlsproxy") == 1 &&
	    tr_switch_below_marker(ctx->mcf, e, &marker)) {
		tr_switch_remove_added(ctx, e, marker, service);
		return 0;
	}
	if (e != NULL)
		return tr_switch_command_edit(ctx, e, service, "tlsproxy");
	if (ctx->to == TR_SWITCH_STOCK) {
		buf_printf(&ctx->plan->notes, "%s/unix: no entry; nothing to "
		    "change\n", service);
		return 0;
	}
	if (tr_mcf_find(ctx->mcf, service, "unix", 1, &c) > 0 &&
	    c->nfields == TR_MCF_FIELDS)
		tr_switch_uncomment(ctx, c, service, "tlsproxy");
	else
		tr_switch_add_new(ctx, scache, service, "tlsproxy");
	return 0;
}

int
tr_switch_plan(struct tr_switch_plan *plan, const char *text, size_t len,
    enum tr_switch_to to, const char *tlsproxy_name, const char *scache_name)
{
	struct tr_switch_ctx ctx = {.plan = plan, .to = to};
	const struct tr_mcf_entry *scache;
	struct tr_mcf *mcf = tr_mcf_parse(text, len);
	int status = -1, i;

	buf_reset(&plan->text);
	buf_reset(&plan->notes);
	buf_reset(&plan->error);
	plan->changed = 0;
	ctx.mcf = mcf;
	/* Edits are C strings; and no master.cf has a NUL in it. */
	if (memchr(text, 0, len) != NULL) {
		buf_puts(&plan->error, "master.cf contains a NUL byte");
		goto done;
	}
	if (tr_switch_find(&ctx, scache_name, &scache) < 0)
		goto done;
	if (scache == NULL) {
		buf_printf(&plan->error, "master.cf has no %s/unix entry; "
		    "add one first", scache_name);
		goto done;
	}
	if (tr_switch_tlsproxy(&ctx, tlsproxy_name, scache) < 0 ||
	    tr_switch_command_edit(&ctx, scache, scache_name, "scache") < 0)
		goto done;
	if (to == TR_SWITCH_STOCK && tr_switch_side(ctx.mcf, scache,
	    "scache") >= 0)
		tr_switch_drop_reuse_log(&ctx, scache, scache_name);
	tr_switch_apply(&ctx);
	status = 0;
done:
	if (status < 0)
		buf_reset(&plan->notes);
	for (i = 0; i < ctx.nedits; i++)
		free(ctx.edit[i].text);
	tr_mcf_free(mcf);
	return status;
}
