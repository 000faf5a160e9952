/*
 * tr_status_out.c - print "tlsreuse status" as text or JSON lines
 *
 * The text is for a person at a terminal: the instance, the daemons,
 * the transports, the problems, each a short block. Everything that
 * came from a file or a process goes through tr_out_safe().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>
#include <time.h>

#include "buf.h"
#include "tr_out.h"
#include "tr_status_out.h"

static const char *const tr_status_out_states[] = {
	[TR_DAEMON_ACTIVE] = "active",
	[TR_DAEMON_COMMENTED] = "commented-out",
	[TR_DAEMON_MISSING] = "missing",
};

/* "tlsreuse", "stock", "other" or "missing". */
static const char *
tr_status_out_impl(const struct tr_status_daemon *d)
{
	if (d->state != TR_DAEMON_ACTIVE)
		return "none";
	if (d->ident == TR_IDENT_OURS)
		return "tlsreuse";
	if (d->ident == TR_IDENT_MISSING)
		return "missing";
	return d->stock ? "stock" : "other";
}

static void
tr_status_out_time(struct buf *b, double when)
{
	char text[64];
	time_t t = (time_t)when;

	strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", localtime(&t));
	buf_puts(b, text);
}

/* Appends text made safe for the terminal. */
static void
tr_status_out_put(struct buf *b, const char *text)
{
	tr_out_safe(b, text, strlen(text));
}

/* --- text */

static void
tr_status_out_text_instance(const struct tr_status *st, struct buf *b)
{
	const struct tr_conf *conf = st->conf;

	buf_puts(b, "Postfix ");
	tr_status_out_put(b, conf->mail_version);
	buf_puts(b, ", configuration ");
	tr_status_out_put(b, conf->config_directory);
	if (st->master.pid == 0) {
		buf_puts(b, ": not running\n");
		return;
	}
	buf_printf(b, ": running, master pid %ld since ", st->master.pid);
	tr_status_out_time(b, st->master.started);
	buf_puts(b, ", configuration read ");
	tr_status_out_time(b, st->master.reloaded);
	buf_puts(b, st->master.qmgr_pid ? " (start of qmgr)\n" :
	    " (start of master)\n");
}

static void
tr_status_out_text_daemon(const struct tr_status *st,
    const struct tr_status_daemon *d, struct buf *b)
{
	buf_puts(b, "  ");
	tr_status_out_put(b, d->service);
	buf_printf(b, "/unix (%s): ", d->role);
	if (d->state == TR_DAEMON_MISSING) {
		buf_puts(b, "no entry in master.cf\n");
		return;
	}
	if (d->state == TR_DAEMON_COMMENTED) {
		buf_printf(b, "commented out, line %d\n", d->line);
		return;
	}
	buf_printf(b, "line %d, ", d->line);
	if (d->command == NULL) {
		buf_puts(b, "incomplete entry\n");
		return;
	}
	tr_status_out_put(b, d->command);
	if (d->ident == TR_IDENT_OURS) {
		buf_puts(b, ": tlsreuse ");
		tr_status_out_put(b, d->release);
	} else if (d->ident == TR_IDENT_MISSING) {
		buf_puts(b, ": not installed");
	} else if (d->stock) {
		buf_puts(b, ": stock Postfix ");
		tr_status_out_put(b, st->conf->mail_version);
	} else {
		buf_puts(b, ": not tlsreuse, not stock");
	}
	buf_puts(b, ", process limit ");
	tr_status_out_put(b, d->maxproc);
	buf_puts(b, ", chroot ");
	tr_status_out_put(b, d->chroot);
	buf_putc(b, '\n');
}

static void
tr_status_out_text_map(const struct tr_policy_map *m, struct buf *b)
{
	size_t i;

	buf_puts(b, "      ");
	tr_status_out_put(b, m->spec);
	if (m->listed == NULL) {
		buf_puts(b, ": not listed (");
		tr_status_out_put(b, m->note ? m->note : "?");
		buf_puts(b, ")\n");
		return;
	}
	buf_printf(b, ": %zu connection_reuse entr%s%s\n", m->count,
	    m->count == 1 ? "y" : "ies", m->more ? " (more not shown)" : "");
	for (i = 0; i < m->count; i++) {
		buf_puts(b, "        ");
		tr_status_out_put(b, m->entry[i].key);
		buf_puts(b, "  ");
		tr_status_out_put(b, m->entry[i].value);
		buf_putc(b, '\n');
	}
}

static void
tr_status_out_text_transport(const struct tr_status_transport *t,
    struct buf *b)
{
	size_t i;

	buf_puts(b, "  ");
	tr_status_out_put(b, t->service);
	buf_printf(b, "/unix (%s, line %d): %s = ", t->client, t->line,
	    t->reuse_param);
	tr_status_out_put(b, t->reuse_value);
	buf_printf(b, " (%s)\n", t->reuse_from);
	if (t->policy.count > 0) {
		buf_printf(b, "    %s:\n", t->policy_param);
		for (i = 0; i < t->policy.count; i++)
			tr_status_out_text_map(&t->policy.map[i], b);
	}
}

void
tr_status_out_text(const struct tr_status *st, FILE *out)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	tr_status_out_text_instance(st, &b);
	buf_puts(&b, "\nDaemons (master.cf):\n");
	for (i = 0; i < st->ndaemons; i++)
		tr_status_out_text_daemon(st, &st->daemon[i], &b);
	buf_puts(&b, "\nTransports (TLS connection reuse):\n");
	if (st->ntransports == 0)
		buf_puts(&b, "  no smtp or lmtp entries in master.cf\n");
	for (i = 0; i < st->ntransports; i++)
		tr_status_out_text_transport(&st->transport[i], &b);
	buf_puts(&b, st->nproblems ? "\nProblems:\n" :
	    "\nNo problems found.\n");
	for (i = 0; i < st->nproblems; i++) {
		buf_puts(&b, "  ");
		tr_status_out_put(&b, st->problem[i].text);
		buf_putc(&b, '\n');
	}
	fputs(buf_str(&b), out);
	buf_free(&b);
}

/* --- JSON */

static void
tr_status_out_json_instance(const struct tr_status *st, struct tr_json *j,
    FILE *out)
{
	const struct tr_conf *conf = st->conf;

	tr_json_begin(j, "postfix");
	tr_json_str(j, "config_directory", conf->config_directory);
	tr_json_str(j, "mail_version", conf->mail_version);
	tr_json_str(j, "daemon_directory", conf->daemon_directory);
	tr_json_str(j, "queue_directory", conf->queue_directory);
	tr_json_bool(j, "running", st->master.pid != 0);
	if (st->master.pid != 0) {
		tr_json_int(j, "master_pid", st->master.pid);
		tr_json_int(j, "started", (long long)st->master.started);
		tr_json_int(j, "configuration_read",
		    (long long)st->master.reloaded);
	}
	tr_json_int(j, "problems", (long long)st->nproblems);
	tr_json_end(j, out);
}

static void
tr_status_out_json_daemon(const struct tr_status *st,
    const struct tr_status_daemon *d, struct tr_json *j, FILE *out)
{
	tr_json_begin(j, "daemon");
	tr_json_str(j, "role", d->role);
	tr_json_str(j, "service", d->service);
	tr_json_str(j, "state", tr_status_out_states[d->state]);
	if (d->line > 0)
		tr_json_int(j, "line", d->line);
	if (d->command != NULL) {
		tr_json_str(j, "command", d->command);
		tr_json_str(j, "program", d->program);
		tr_json_str(j, "process_limit", d->maxproc);
		tr_json_str(j, "chroot", d->chroot);
	}
	tr_json_str(j, "implementation", tr_status_out_impl(d));
	if (d->ident == TR_IDENT_OURS)
		tr_json_str(j, "version", d->release);
	else if (strcmp(tr_status_out_impl(d), "stock") == 0)
		tr_json_str(j, "version", st->conf->mail_version);
	tr_json_end(j, out);
}

static void
tr_status_out_json_maps(const struct tr_status_transport *t,
    struct tr_json *j)
{
	const struct tr_policy_map *m;
	size_t i, k;

	tr_json_array(j, "policy_maps");
	for (i = 0; i < t->policy.count; i++) {
		m = &t->policy.map[i];
		tr_json_object(j, NULL);
		tr_json_str(j, "map", m->spec);
		tr_json_bool(j, "listed", m->listed != NULL);
		if (m->note != NULL)
			tr_json_str(j, "note", m->note);
		tr_json_array(j, "entries");
		for (k = 0; k < m->count; k++) {
			tr_json_object(j, NULL);
			tr_json_str(j, "destination", m->entry[k].key);
			tr_json_str(j, "policy", m->entry[k].value);
			tr_json_bool(j, "connection_reuse", m->entry[k].reuse);
			tr_json_close(j);
		}
		tr_json_close(j);
		tr_json_close(j);
	}
	tr_json_close(j);
}

static void
tr_status_out_json_transport(const struct tr_status_transport *t,
    struct tr_json *j, FILE *out)
{
	tr_json_begin(j, "transport");
	tr_json_str(j, "service", t->service);
	tr_json_int(j, "line", t->line);
	tr_json_str(j, "client", t->client);
	tr_json_str(j, "reuse_parameter", t->reuse_param);
	tr_json_str(j, "reuse_value", t->reuse_value);
	tr_json_bool(j, "reuse", t->reuse == 1);
	tr_json_str(j, "reuse_from", t->reuse_from);
	tr_json_bool(j, "policy_reuse", t->policy_reuse);
	tr_json_str(j, "policy_maps_value", t->policy_maps);
	tr_status_out_json_maps(t, j);
	if (t->time_limit >= 0)
		tr_json_int(j, "cache_time_limit", t->time_limit);
	tr_json_str(j, "tlsproxy_service", t->tlsproxy_service);
	tr_json_str(j, "scache_service", t->scache_service);
	tr_json_end(j, out);
}

void
tr_status_out_json(const struct tr_status *st, FILE *out)
{
	struct tr_json j = {0};
	size_t i;

	tr_status_out_json_instance(st, &j, out);
	for (i = 0; i < st->ndaemons; i++)
		tr_status_out_json_daemon(st, &st->daemon[i], &j, out);
	for (i = 0; i < st->ntransports; i++)
		tr_status_out_json_transport(&st->transport[i], &j, out);
	for (i = 0; i < st->nproblems; i++) {
		tr_json_begin(&j, "problem");
		tr_json_str(&j, "problem", st->problem[i].code);
		if (st->problem[i].service != NULL)
			tr_json_str(&j, "service", st->problem[i].service);
		tr_json_str(&j, "text", st->problem[i].text);
		tr_json_end(&j, out);
	}
	tr_json_free(&j);
}
