/*
 * tr_status.c - "tlsreuse status": is TLS connection reuse working?
 *
 * Three passes over master.cf: the transports (each evaluated with its
 * own -o settings on top of main.cf, as the smtp(8) process would see
 * them), then the daemons (every entry that runs tlsproxy or scache,
 * plus the services the transports and main.cf name, active or not),
 * then the problems, each from one rule below. Whether Postfix has read
 * the files since they changed is decided as tr_proc.h describes.
 *
 * Errors: none; a missing file or a bad value is a problem.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "mem.h"
#include "msg.h"
#include "tr_file.h"
#include "tr_mastercf.h"
#include "tr_status.h"

/* Bytes of master.cf read (it is the administrator's, a few KB). */
#define TR_STATUS_MASTER_CF_MAX (16 * 1024 * 1024)

const char *const tr_status_param_names[] = {
	"smtp_tls_connection_reuse", "lmtp_tls_connection_reuse",
	"smtp_tls_policy_maps", "lmtp_tls_policy_maps",
	"smtp_connection_cache_time_limit", "lmtp_connection_cache_time_limit",
	"connection_cache_ttl_limit", NULL,
};

/* --- small helpers */

static char *
tr_status_concat(const char *a, const char *b, const char *c)
{
	char *s = xmalloc(strlen(a) + strlen(b) + strlen(c) + 1);

	strcpy(s, a);
	strcat(s, b);
	strcat(s, c);
	return s;
}

static void __attribute__((format(printf, 4, 5)))
tr_status_problem(struct tr_status *st, const char *code, const char *service,
    const char *fmt, ...)
{
	struct tr_status_problem *p;
	struct buf text;
	va_list ap;

	buf_init(&text);
	va_start(ap, fmt);
	buf_vprintf(&text, fmt, ap);
	va_end(ap);
	st->problem = xreallocarray(st->problem, st->nproblems + 1,
	    sizeof(*st->problem));
	p = &st->problem[st->nproblems++];
	p->code = code;
	p->service = service ? xstrdup(service) : NULL;
	p->text = text.data;
}

/* A time parameter's value in seconds, -1 if it is not a time. */
static int
tr_status_seconds(const char *value)
{
	int seconds;

	return conf_parse_time(value, 's', &seconds) == 0 ? seconds : -1;
}

static double
tr_status_mtime(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	return (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
}

/* The command word's last component: "tlsreuse/scache" -> "scache". */
static const char *
tr_status_basename(const char *command)
{
	const char *slash = strrchr(command, '/');

	return slash ? slash + 1 : command;
}

/* --- transports */

/* An active, complete master.cf entry of type unix. */
static int
tr_status_unix_entry(const struct tr_mcf *mcf, const struct tr_mcf_entry *e)
{
	return !e->commented && e->nfields == TR_MCF_FIELDS &&
	    tr_mcf_span_is(mcf, &e->field[TR_MCF_TYPE], "unix");
}

static void
tr_status_reuse(struct tr_status_transport *t, const struct tr_conf *conf,
    char *const *opts, size_t nopts)
{
	size_t len = strlen(t->reuse_param);
	char *with, *without;

	tr_conf_load(conf, NULL, 0);
	without = tr_conf_get(conf, t->reuse_param);
	t->reuse_main = tr_conf_bool(without);
	t->reuse_from = tr_conf_is_set(t->reuse_param) ? "main.cf" : "default";
	tr_conf_load(conf, opts, nopts);
	with = tr_conf_get(conf, t->reuse_param);
	t->reuse_value = with;
	t->reuse = tr_conf_bool(with);
	/* The -o settings decide if they change the value, or name it. */
	if (strcmp(with, without) != 0)
		t->reuse_from = "master.cf";
	for (; nopts > 0; nopts--)
		if (strncmp(opts[nopts - 1], t->reuse_param, len) == 0 &&
		    strchr("= \t", opts[nopts - 1][len]) != NULL)
			t->reuse_from = "master.cf";
	free(without);
}

static void
tr_status_transport(struct tr_status *st, const struct tr_mcf *mcf,
    const struct tr_mcf_entry *e, const char *client)
{
	const struct tr_conf *conf = st->conf;
	struct tr_status_transport *t;
	char **opts, *value;
	size_t nopts, i, j;

	st->transport = xreallocarray(st->transport, st->ntransports + 1,
	    sizeof(*st->transport));
	t = &st->transport[st->ntransports++];
	memset(t, 0, sizeof(*t));
	t->service = tr_mcf_span_dup(mcf, &e->field[TR_MCF_SERVICE]);
	t->line = e->line;
	t->client = client;
	t->reuse_param = tr_status_concat(client, "_tls_connection_reuse", "");
	t->policy_param = tr_status_concat(client, "_tls_policy_maps", "");
	t->time_param = tr_status_concat(client, "_connection_cache_time_limit",
	    "");
	nopts = tr_mcf_options(mcf, e, &opts);
	tr_status_reuse(t, conf, opts, nopts);
	/* tr_status_reuse() left this transport's view loaded. */
	t->policy_maps = tr_conf_get(conf, t->policy_param);
	value = tr_conf_get(conf, t->time_param);
	t->time_limit = tr_status_seconds(value);
	free(value);
	t->tlsproxy_service = tr_conf_get(conf, "tlsproxy_service_name");
	t->scache_service = tr_conf_get(conf, "connection_cache_service_name");
	tr_policy_read(&t->policy, t->policy_maps);
	for (i = 0; i < t->policy.count; i++)
		for (j = 0; j < t->policy.map[i].count; j++)
			t->policy_reuse |= t->policy.map[i].entry[j].reuse;
	tr_mcf_options_free(opts, nopts);
}

static void
tr_status_transports(struct tr_status *st, const struct tr_mcf *mcf)
{
	const struct tr_mcf_entry *e;
	size_t i;

	for (i = 0; i < mcf->count; i++) {
		e = &mcf->entry[i];
		if (!tr_status_unix_entry(mcf, e))
			continue;
		if (tr_mcf_span_is(mcf, &e->field[TR_MCF_COMMAND], "smtp"))
			tr_status_transport(st, mcf, e, "smtp");
		else if (tr_mcf_span_is(mcf, &e->field[TR_MCF_COMMAND], "lmtp"))
			tr_status_transport(st, mcf, e, "lmtp");
	}
}

static int
tr_status_reuses(const struct tr_status_transport *t)
{
	return t->reuse == 1 || t->policy_reuse;
}

/* --- daemons */

static struct tr_status_daemon *
tr_status_new_daemon(struct tr_status *st, const char *role,
    const char *service)
{
	struct tr_status_daemon *d;

	st->daemon = xreallocarray(st->daemon, st->ndaemons + 1,
	    sizeof(*st->daemon));
	d = &st->daemon[st->ndaemons++];
	memset(d, 0, sizeof(*d));
	d->role = role;
	d->service = xstrdup(service);
	d->state = TR_DAEMON_MISSING;
	d->ident = TR_IDENT_MISSING;
	return d;
}

static void
tr_status_daemon_entry(struct tr_status *st, struct tr_status_daemon *d,
    const struct tr_mcf *mcf, const struct tr_mcf_entry *e)
{
	d->state = e->commented ? TR_DAEMON_COMMENTED : TR_DAEMON_ACTIVE;
	d->line = e->line;
	if (e->nfields < TR_MCF_FIELDS)
		return;
	d->command = tr_mcf_span_dup(mcf, &e->field[TR_MCF_COMMAND]);
	d->maxproc = tr_mcf_span_dup(mcf, &e->field[TR_MCF_MAXPROC]);
	d->chroot = tr_mcf_span_dup(mcf, &e->field[TR_MCF_CHROOT]);
	d->program = tr_status_concat(st->conf->daemon_directory, "/",
	    d->command);
	d->stock = strcmp(d->command, d->role) == 0;
	if (d->state == TR_DAEMON_ACTIVE)
		d->ident = tr_ident_file(d->program, d->release);
}

static const struct tr_status_daemon *
tr_status_find_daemon(const struct tr_status *st, const char *service)
{
	size_t i;

	for (i = 0; i < st->ndaemons; i++)
		if (strcmp(st->daemon[i].service, service) == 0)
			return &st->daemon[i];
	return NULL;
}

/* A service that main.cf or a transport names: active, commented out
 * or missing, but listed either way. */
static void
tr_status_wanted(struct tr_status *st, const struct tr_mcf *mcf,
    const char *role, const char *service)
{
	const struct tr_mcf_entry *e;

	if (tr_status_find_daemon(st, service) != NULL)
		return;
	if (tr_mcf_find(mcf, service, "unix", 0, &e) == 0)
		tr_mcf_find(mcf, service, "unix", 1, &e);
	if (e == NULL) {
		tr_status_new_daemon(st, role, service);
		return;
	}
	tr_status_daemon_entry(st, tr_status_new_daemon(st, role, service), mcf,
	    e);
}

static void
tr_status_daemons(struct tr_status *st, const struct tr_mcf *mcf)
{
	const struct tr_mcf_entry *e;
	const char *base;
	char *service, *command;
	size_t i;

	for (i = 0; i < mcf->count; i++) {
		e = &mcf->entry[i];
		if (!tr_status_unix_entry(mcf, e))
			continue;
		command = tr_mcf_span_dup(mcf, &e->field[TR_MCF_COMMAND]);
		base = tr_status_basename(command);
		if (strcmp(base, "tlsproxy") == 0 ||
		    strcmp(base, "scache") == 0) {
			service = tr_mcf_span_dup(mcf,
			    &e->field[TR_MCF_SERVICE]);
			tr_status_daemon_entry(st, tr_status_new_daemon(st,
			    strcmp(base, "scache") == 0 ? "scache" : "tlsproxy",
			    service), mcf, e);
			free(service);
		}
		free(command);
	}
	tr_status_wanted(st, mcf, "tlsproxy", st->conf->tlsproxy_service_name);
	tr_status_wanted(st, mcf, "scache",
	    st->conf->connection_cache_service_name);
	for (i = 0; i < st->ntransports; i++) {
		if (!tr_status_reuses(&st->transport[i]))
			continue;
		tr_status_wanted(st, mcf, "tlsproxy",
		    st->transport[i].tlsproxy_service);
		tr_status_wanted(st, mcf, "scache",
		    st->transport[i].scache_service);
	}
}

/* connection_cache_ttl_limit as the scache entry's process sees it. */
static void
tr_status_ttl_limit(struct tr_status *st, const struct tr_mcf *mcf)
{
	const struct tr_mcf_entry *e;
	char **opts = NULL, *value;
	size_t nopts = 0;

	if (tr_mcf_find(mcf, st->conf->connection_cache_service_name, "unix",
	    0, &e) > 0)
		nopts = tr_mcf_options(mcf, e, &opts);
	tr_conf_load(st->conf, opts, nopts);
	value = tr_conf_get(st->conf, "connection_cache_ttl_limit");
	st->ttl_limit = tr_status_seconds(value);
	free(value);
	tr_mcf_options_free(opts, nopts);
}

/* --- problems */

static void
tr_status_check_daemons(struct tr_status *st, int any_reuse)
{
	const struct tr_status_daemon *d;
	size_t i;

	for (i = 0; i < st->ndaemons; i++) {
		d = &st->daemon[i];
		if (d->state == TR_DAEMON_MISSING && any_reuse)
			tr_status_problem(st, strcmp(d->role, "scache") == 0 ?
			    "scache-missing" : "tlsproxy-missing", d->service,
			    "master.cf has no %s/unix entry: no TLS connection "
			    "is reused without it", d->service);
		else if (d->state == TR_DAEMON_COMMENTED && any_reuse)
			tr_status_problem(st, strcmp(d->role, "scache") == 0 ?
			    "scache-commented" : "tlsproxy-commented",
			    d->service, "master.cf line %d: the %s/unix entry "
			    "is commented out: no TLS connection is reused "
			    "without it", d->line, d->service);
		if (d->state != TR_DAEMON_ACTIVE || d->command == NULL)
			continue;
		if (d->ident == TR_IDENT_MISSING)
			tr_status_problem(st, "program-missing", d->service,
			    "master.cf line %d: %s/unix runs %s, which is not "
			    "installed", d->line, d->service, d->program);
		if (strcmp(d->role, "scache") == 0 &&
		    strcmp(d->maxproc, "1") != 0)
			tr_status_problem(st, "scache-process-limit",
			    d->service, "master.cf line %d: %s/unix has "
			    "process limit %s; scache runs only with 1", d->line,
			    d->service, d->maxproc);
	}
}

static void
tr_status_check_transport(struct tr_status *st,
    const struct tr_status_transport *t)
{
	if (t->reuse < 0)
		tr_status_problem(st, "bad-value", t->service, "%s/unix: %s = "
		    "%s is neither yes nor no", t->service, t->reuse_param,
		    t->reuse_value);
	if (t->reuse_main == 1 && t->reuse == 0)
		tr_status_problem(st, "transport-reuse-off", t->service,
		    "master.cf line %d: %s/unix turns %s off (main.cf: yes)",
		    t->line, t->service, t->reuse_param);
	if (t->time_limit < 0)
		tr_status_problem(st, "bad-value", t->service, "%s/unix: %s is "
		    "not a time", t->service, t->time_param);
	if (tr_status_reuses(t) && st->ttl_limit >= 0 &&
	    t->time_limit > st->ttl_limit)
		tr_status_problem(st, "ttl-limit", t->service,
		    "connection_cache_ttl_limit (%ds) is shorter than %s/unix "
		    "%s (%ds): scache closes its connections sooner than it "
		    "asks", st->ttl_limit, t->service, t->time_param,
		    t->time_limit);
}

static void
tr_status_check_maps(struct tr_status *st, const struct tr_status_transport *t)
{
	const struct tr_policy_map *m;
	size_t i;

	for (i = 0; i < t->policy.count; i++) {
		m = &t->policy.map[i];
		if (m->listed != NULL && m->note != NULL)
			tr_status_problem(st, "policy-map-stale", t->service,
			    "%s/unix %s: %s", t->service, t->policy_param,
			    m->note);
	}
}

static void
tr_status_check_reload(struct tr_status *st, const char *path, double mtime)
{
	char when[64], read_at[64];
	time_t t;

	if (st->master.pid == 0 || mtime <= st->master.reloaded)
		return;
	t = (time_t)mtime;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
	t = (time_t)st->master.reloaded;
	strftime(read_at, sizeof(read_at), "%Y-%m-%d %H:%M:%S", localtime(&t));
	tr_status_problem(st, "not-reloaded", NULL, "%s changed at %s, after "
	    "Postfix last read its configuration (%s): run postfix reload",
	    path, when, read_at);
}

static void
tr_status_check(struct tr_status *st)
{
	const struct tr_conf *conf = st->conf;
	int any_reuse = 0;
	size_t i;

	if (!conf->have_main_cf)
		tr_status_problem(st, "no-main-cf", NULL, "%s does not exist: "
		    "Postfix cannot start", conf->main_cf);
	if (!st->have_master_cf)
		tr_status_problem(st, "no-master-cf", NULL, "%s does not exist "
		    "or cannot be read", conf->master_cf);
	if (st->master.pid == 0)
		tr_status_problem(st, "not-running", NULL, "Postfix is not "
		    "running (no master process for %s/pid/master.pid)",
		    conf->queue_directory);
	for (i = 0; i < st->ntransports; i++) {
		any_reuse |= tr_status_reuses(&st->transport[i]);
		tr_status_check_transport(st, &st->transport[i]);
		tr_status_check_maps(st, &st->transport[i]);
	}
	if (!any_reuse && st->have_master_cf)
		tr_status_problem(st, "no-reuse", NULL, "no transport reuses "
		    "TLS connections: set smtp_tls_connection_reuse = yes, or "
		    "connection_reuse=yes in smtp_tls_policy_maps entries");
	tr_status_check_daemons(st, any_reuse);
	tr_status_check_reload(st, conf->master_cf, st->master_cf_mtime);
	tr_status_check_reload(st, conf->main_cf, st->main_cf_mtime);
}

/* --- the whole */

void
tr_status_gather(struct tr_status *st, const struct tr_conf *conf,
    const char *proc)
{
	struct tr_mcf *mcf;
	struct buf text;

	memset(st, 0, sizeof(*st));
	st->conf = conf;
	buf_init(&text);
	st->have_master_cf = tr_file_read(conf->master_cf,
	    TR_STATUS_MASTER_CF_MAX, &text) == 0;
	mcf = tr_mcf_parse(text.data ? text.data : "", text.len);
	tr_status_transports(st, mcf);
	tr_status_daemons(st, mcf);
	tr_status_ttl_limit(st, mcf);
	tr_proc_master(&st->master, conf->queue_directory, proc);
	st->master_cf_mtime = tr_status_mtime(conf->master_cf);
	st->main_cf_mtime = tr_status_mtime(conf->main_cf);
	tr_status_check(st);
	tr_conf_load(conf, NULL, 0);
	tr_mcf_free(mcf);
	buf_free(&text);
}

void
tr_status_free(struct tr_status *st)
{
	struct tr_status_transport *t;
	size_t i;

	for (i = 0; i < st->ndaemons; i++) {
		free(st->daemon[i].service);
		free(st->daemon[i].command);
		free(st->daemon[i].program);
		free(st->daemon[i].maxproc);
		free(st->daemon[i].chroot);
	}
	for (i = 0; i < st->ntransports; i++) {
		t = &st->transport[i];
		free(t->service);
		free(t->reuse_param);
		free(t->reuse_value);
		free(t->policy_param);
		free(t->policy_maps);
		free(t->time_param);
		free(t->tlsproxy_service);
		free(t->scache_service);
		tr_policy_free(&t->policy);
	}
	for (i = 0; i < st->nproblems; i++) {
		free(st->problem[i].service);
		free(st->problem[i].text);
	}
	free(st->daemon);
	free(st->transport);
	free(st->problem);
	memset(st, 0, sizeof(*st));
}
