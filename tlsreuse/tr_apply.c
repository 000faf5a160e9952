/*
 * tr_apply.c - "tlsreuse enable" and "tlsreuse disable"
 *
 * Order: plan (tr_switch.c), refuse what cannot work (our programs not
 * installed; stock ones gone), show, confirm, "postfix check" on the
 * file as it is, make sure nobody changed master.cf meanwhile, write
 * the new one beside it and rename it over, "postfix check" again (the
 * old file goes back if it fails), reload. postfix(1) is taken from
 * command_directory, with -c so it works on any instance.
 *
 * Errors: one msg_warn() line each, and exit status 1.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tr_diff.h"
#include "tr_file.h"
#include "tr_ident.h"
#include "tr_out.h"
#include "tr_proc.h"
#include "tr_run.h"
#include "tr_apply.h"

/* Bytes of master.cf read. */
#define TR_APPLY_FILE_MAX (16 * 1024 * 1024)

/* How long to wait for master(8) to act on "postfix reload". */
#define TR_APPLY_RELOAD_WAIT_MS 10000

/* Writes text to path through a temporary file and rename(2), with the
 * owner and mode of the file it replaces; a symbolic link is followed,
 * so the link stays and its target changes. */
static int
tr_apply_write(const char *link, const struct buf *text)
{
	char *path = realpath(link, NULL);
	struct buf tmp;
	struct stat st;
	int fd, ok;

	if (path == NULL || stat(path, &st) < 0) {
		free(path);
		return -1;
	}
	buf_init(&tmp);
	buf_printf(&tmp, "%s.tlsreuse-XXXXXX", path);
	if ((fd = mkstemp(tmp.data)) < 0) {
		buf_free(&tmp);
		free(path);
		return -1;
	}
	ok = write(fd, text->data ? text->data : "", text->len) ==
	    (ssize_t)text->len && fchown(fd, st.st_uid, st.st_gid) == 0 &&
	    fchmod(fd, st.st_mode & 07777) == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok && rename(tmp.data, path) == 0;
	if (!ok)
		(void)unlink(tmp.data);
	buf_free(&tmp);
	free(path);
	return ok ? 0 : -1;
}

/* Runs "postfix -c DIR <what>"; shows its output; returns its status. */
static int
tr_apply_postfix(const struct tr_conf *conf, const char *what, FILE *out)
{
	struct buf path, output;
	const char *argv[5];
	int status;

	buf_init(&path);
	buf_init(&output);
	buf_printf(&path, "%s/postfix", conf->command_directory);
	argv[0] = path.data;
	argv[1] = "-c";
	argv[2] = conf->config_directory;
	argv[3] = what;
	argv[4] = NULL;
	status = tr_run(argv, &output);
	fprintf(out, "postfix %s: %s%s", what, status == 0 ? "ok" : "failed",
	    output.len ? ":\n" : "\n");
	fputs(buf_str(&output), out);
	if (output.len && output.data[output.len - 1] != '\n')
		fputc('\n', out);
	buf_free(&path);
	buf_free(&output);
	return status;
}

/* The programs master.cf will name must exist (ours: and be ours). */
static int
tr_apply_programs_ok(const struct tr_conf *conf, enum tr_switch_to to)
{
	static const char *const names[] = {"tlsproxy", "scache"};
	char release[TR_IDENT_RELEASE_MAX + 1];
	enum tr_ident_kind kind;
	struct buf path;
	int i, ok = 1;

	buf_init(&path);
	for (i = 0; i < 2; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s%s", conf->daemon_directory,
		    to == TR_SWITCH_OURS ? TR_SWITCH_OURS_DIR : "", names[i]);
		kind = tr_ident_file(buf_str(&path), release);
		if (kind == TR_IDENT_MISSING ||
		    (to == TR_SWITCH_OURS && kind != TR_IDENT_OURS)) {
			msg_warn("%s is %s; not changed%s", buf_str(&path),
			    kind == TR_IDENT_MISSING ? "not installed" :
			    "not a tlsreuse program", to == TR_SWITCH_OURS ?
			    " (make install puts it there)" : "");
			ok = 0;
		}
	}
	buf_free(&path);
	return ok;
}

/* Asks at a terminal; 1 if the answer is yes. */
static int
tr_apply_confirm(const struct tr_conf *conf, FILE *out)
{
	char answer[16];

	if (!isatty(STDIN_FILENO)) {
		msg_warn("not changed: confirm with -y (no terminal to ask "
		    "at), or look first with -n");
		return 0;
	}
	fprintf(out, "Change %s and reload Postfix? [y/N] ", conf->master_cf);
	fflush(out);
	if (fgets(answer, sizeof(answer), stdin) == NULL ||
	    (strcmp(answer, "y\n") != 0 && strcmp(answer, "yes\n") != 0)) {
		fprintf(out, "Not changed.\n");
		return 0;
	}
	return 1;
}

static void
tr_apply_show(const struct tr_conf *conf, const struct tr_switch_plan *plan,
    const struct buf *old, enum tr_switch_to to, FILE *out)
{
	struct buf diff, safe, label;

	buf_init(&diff);
	buf_init(&safe);
	buf_init(&label);
	buf_printf(&label, "%s (tlsreuse %s)", conf->master_cf,
	    to == TR_SWITCH_OURS ? "enable" : "disable");
	tr_out_safe_lines(&safe, buf_str(&plan->notes), plan->notes.len);
	fputs(buf_str(&safe), out);
	tr_diff(&diff, conf->master_cf, buf_str(old), old->len,
	    buf_str(&label), buf_str(&plan->text), plan->text.len);
	buf_reset(&safe);
	tr_out_safe_lines(&safe, buf_str(&diff), diff.len);
	fputs(buf_str(&safe), out);
	buf_free(&diff);
	buf_free(&safe);
	buf_free(&label);
}

/*
 * "postfix reload" only signals master(8): waits until it has read the
 * new master.cf (tr_proc.h: a qmgr younger than the file), so that what
 * the administrator runs next sees the new daemons.
 */
static void
tr_apply_wait_reload(const struct tr_conf *conf, FILE *out)
{
	struct timespec nap = {0, 100 * 1000 * 1000};
	struct tr_master master;
	struct stat st;
	double written;
	int i;

	if (stat(conf->master_cf, &st) < 0)
		return;
	written = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	for (i = 0; i < TR_APPLY_RELOAD_WAIT_MS / 100; i++) {
		if (tr_proc_master(&master, conf->queue_directory, "/proc") &&
		    master.reloaded > written) {
			fprintf(out, "Postfix has read the new master.cf.\n");
			return;
		}
		nanosleep(&nap, NULL);
	}
	fprintf(out, "Postfix has not read the new master.cf within %d s; "
	    "see tlsreuse status.\n", TR_APPLY_RELOAD_WAIT_MS / 1000);
}

/* Writes the plan, checks it, puts the old file back if it fails. */
static int
tr_apply_commit(const struct tr_conf *conf, const struct buf *old,
    const struct tr_switch_plan *plan, FILE *out)
{
	struct buf now;
	struct tr_master master;
	int same;

	buf_init(&now);
	same = tr_file_read(conf->master_cf, TR_APPLY_FILE_MAX, &now) == 0 &&
	    now.len == old->len && memcmp(buf_str(&now), buf_str(old),
	    old->len) == 0;
	buf_free(&now);
	if (!same) {
		msg_warn("%s changed while tlsreuse ran; not changed",
		    conf->master_cf);
		return 1;
	}
	if (tr_apply_write(conf->master_cf, &plan->text) < 0) {
		msg_warn("cannot write %s: %m; not changed", conf->master_cf);
		return 1;
	}
	fprintf(out, "Wrote %s.\n", conf->master_cf);
	if (tr_apply_postfix(conf, "check", out) != 0) {
		if (tr_apply_write(conf->master_cf, old) < 0)
			msg_fatal("cannot put the old %s back: %m",
			    conf->master_cf);
		msg_warn("postfix check failed on the new %s; the old one "
		    "is back", conf->master_cf);
		return 1;
	}
	if (!tr_proc_master(&master, conf->queue_directory, "/proc")) {
		fprintf(out, "Postfix is not running; it reads the new "
		    "master.cf when it starts.\n");
		return 0;
	}
	if (tr_apply_postfix(conf, "reload", out) != 0)
		return 1;
	tr_apply_wait_reload(conf, out);
	return 0;
}

/* Past the refusals: dry run, or confirm, check, write, reload. */
static int
tr_apply_go(const struct tr_conf *conf, const struct buf *old,
    const struct tr_switch_plan *plan, enum tr_apply_mode mode, FILE *out)
{
	if (mode == TR_APPLY_DRY_RUN) {
		fprintf(out, "Dry run: not changed.\n");
		return 0;
	}
	if (mode == TR_APPLY_ASK && !tr_apply_confirm(conf, out))
		return 1;
	if (tr_apply_postfix(conf, "check", out) != 0) {
		msg_warn("postfix check fails on the present configuration; "
		    "not changed");
		return 1;
	}
	return tr_apply_commit(conf, old, plan, out);
}

int
tr_apply(const struct tr_conf *conf, enum tr_switch_to to,
    enum tr_apply_mode mode, FILE *out)
{
	struct tr_switch_plan plan;
	struct buf old;
	int status = 1;

	buf_init(&old);
	tr_switch_plan_init(&plan);
	if (tr_file_read(conf->master_cf, TR_APPLY_FILE_MAX, &old) < 0) {
		msg_warn("cannot read %s: %m", conf->master_cf);
	} else if (tr_switch_plan(&plan, buf_str(&old), old.len, to,
	    conf->tlsproxy_service_name,
	    conf->connection_cache_service_name) < 0) {
		msg_warn("%s; not changed", buf_str(&plan.error));
	} else if (!plan.changed) {
		tr_apply_show(conf, &plan, &old, to, out);
		fprintf(out, "Nothing to change.\n");
		status = 0;
	} else if (tr_apply_programs_ok(conf, to)) {
		tr_apply_show(conf, &plan, &old, to, out);
		status = tr_apply_go(conf, &old, &plan, mode, out);
	}
	tr_switch_plan_free(&plan);
	buf_free(&old);
	return status;
}
