/*
 * tlsreuse.c - main() of tlsreuse(1), the administrator's command
 *
 *   tlsreuse [-c config_dir] [-j] [-n | -y] [-v] status|cache|enable|disable
 *
 * The options and one sub-command; each sub-command is a module:
 * tr_status.c (is reuse working), tr_cache.c (what our scache holds),
 * tr_apply.c (point master.cf at our daemons or back at stock).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log_stderr.h"
#include "msg.h"
#include "version.h"
#include "tr_apply.h"
#include "tr_cache.h"
#include "tr_cache_out.h"
#include "tr_conf.h"
#include "tr_out.h"
#include "tr_status.h"
#include "tr_status_out.h"

/* No progress from scache for this long ends "tlsreuse cache". */
#define TLSREUSE_CACHE_TIMEOUT_MS 10000

/* Exit status of "status" when it found a problem. */
#define TLSREUSE_EXIT_PROBLEMS 2

struct tlsreuse_opts {
	const char *config_dir;
	int json;
	enum tr_apply_mode mode;
};

static void __attribute__((noreturn))
tlsreuse_usage(void)
{
	msg_fatal("usage: tlsreuse [-c config_dir] [-j] [-n | -y] [-v] "
	    "status|cache|enable|disable");
}

static int
tlsreuse_status(const struct tr_conf *conf, const struct tlsreuse_opts *o)
{
	struct tr_status st;
	int status;

	tr_status_gather(&st, conf, "/proc");
	if (o->json)
		tr_status_out_json(&st, stdout);
	else
		tr_status_out_text(&st, stdout);
	status = st.nproblems > 0 ? TLSREUSE_EXIT_PROBLEMS : 0;
	tr_status_free(&st);
	return status;
}

/* Our scache has no listing to give: say so in the chosen form. */
static void
tlsreuse_no_listing(const struct tlsreuse_opts *o, const char *code,
    const char *text)
{
	struct tr_json j = {0};

	if (!o->json) {
		printf("%s\n", text);
		return;
	}
	tr_json_begin(&j, "problem");
	tr_json_str(&j, "problem", code);
	tr_json_str(&j, "text", text);
	tr_json_end(&j, stdout);
	tr_json_free(&j);
}

static int
tlsreuse_cache(const struct tr_conf *conf, const struct tlsreuse_opts *o)
{
	struct tr_cache_listing l;
	struct buf path, why;
	int status = 1;

	buf_init(&path);
	buf_init(&why);
	buf_printf(&path, "%s/private/%s", conf->queue_directory,
	    conf->connection_cache_service_name);
	if (tr_cache_fetch(&l, buf_str(&path), TLSREUSE_CACHE_TIMEOUT_MS,
	    &why) < 0) {
		msg_warn("no listing from scache: %s", buf_str(&why));
		tlsreuse_no_listing(o, "no-listing", "scache: no listing");
	} else if (l.stock) {
		tlsreuse_no_listing(o, "stock-scache",
		    "stock scache: no listing");
	} else {
		if (o->json)
			tr_cache_out_json(&l, stdout);
		else
			tr_cache_out_text(&l, stdout);
		status = 0;
	}
	tr_cache_listing_free(&l);
	buf_free(&path);
	buf_free(&why);
	return status;
}

static void
tlsreuse_options(int argc, char **argv, struct tlsreuse_opts *o)
{
	int ch;

	while ((ch = getopt(argc, argv, "c:jnvy")) != -1) {
		switch (ch) {
		case 'c':
			o->config_dir = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'n':
			o->mode = TR_APPLY_DRY_RUN;
			break;
		case 'y':
			o->mode = TR_APPLY_YES;
			break;
		case 'v':
			msg_verbose++;
			break;
		default:
			tlsreuse_usage();
		}
	}
	if (optind != argc - 1)
		tlsreuse_usage();
}

int
main(int argc, char **argv)
{
	static char ident[] = "tlsreuse";
	struct tlsreuse_opts o = {.mode = TR_APPLY_ASK};
	struct tr_conf conf;
	const char *cmd;
	int status;

	msg_output_add(log_stderr_output, ident);
	msg_set_exit_delay(0);
	/* Reports and warnings interleave as they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	tlsreuse_options(argc, argv, &o);
	cmd = argv[optind];
	if (strcmp(cmd, "status") != 0 && strcmp(cmd, "cache") != 0 &&
	    strcmp(cmd, "enable") != 0 && strcmp(cmd, "disable") != 0)
		tlsreuse_usage();
	if (msg_verbose)
		msg_info("%s", version_string());
	tr_conf_open(&conf, o.config_dir, tr_status_param_names);
	if (strcmp(cmd, "status") == 0)
		status = tlsreuse_status(&conf, &o);
	else if (strcmp(cmd, "cache") == 0)
		status = tlsreuse_cache(&conf, &o);
	else
		status = tr_apply(&conf, strcmp(cmd, "enable") == 0 ?
		    TR_SWITCH_OURS : TR_SWITCH_STOCK, o.mode, stdout);
	tr_conf_close(&conf);
	return status;
}
