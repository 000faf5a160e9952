/*
 * tr_conf.c - the Postfix configuration as tlsreuse(1) sees it
 *
 * Which postconf(1): main.cf's command_directory if it sets one, else
 * the one configure found when the tool was built (TR_POSTCONF), so
 * that "-c" on another instance asks that instance's Postfix.
 *
 * Errors: fatal where the tool cannot go on (no such directory, no
 * postconf); a bad main.cf line is Postfix's own fatal text.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "mem.h"
#include "msg.h"
#include "tr_run.h"
#include "tr_conf.h"

/* Where configure found postconf(1); empty if it found none. */
#ifndef TR_POSTCONF
#define TR_POSTCONF ""
#endif
#define TR_POSTCONF_FALLBACK "/usr/sbin/postconf"

/* What the tool itself needs, whatever the caller adds. */
static const char *const tr_conf_names[] = {
	"mail_version", "daemon_directory", "command_directory",
	"queue_directory", "tlsproxy_service_name",
	"connection_cache_service_name", NULL,
};

static char *
tr_conf_path(const char *dir, const char *file)
{
	char *path = xmalloc(strlen(dir) + strlen(file) + 2);

	strcpy(path, dir);
	strcat(path, "/");
	strcat(path, file);
	return path;
}

void
tr_conf_load(const struct tr_conf *conf, char *const *opts, size_t nopts)
{
	size_t i;

	conf_init(conf->config_directory);
	if (conf->have_main_cf)
		conf_read_main_cf();
	for (i = 0; i < nopts; i++)
		conf_set_option(opts[i]);
}

const char *
tr_conf_default(const struct tr_conf *conf, const char *name)
{
	const char *line = buf_str(&conf->defaults);
	const char *end = line + conf->defaults.len;
	size_t len = strlen(name);

	/* NUL-ended "name = value" strings, one per name postconf knew. */
	for (; line < end; line += strlen(line) + 1)
		if (strncmp(line, name, len) == 0 &&
		    strncmp(line + len, " = ", 3) == 0)
			return line + len + 3;
	return NULL;
}

char *
tr_conf_get(const struct tr_conf *conf, const char *name)
{
	const char *raw = conf_lookup(name);

	if (raw == NULL)
		raw = tr_conf_default(conf, name);
	return conf_expand_value(raw ? raw : "");
}

int
tr_conf_is_set(const char *name)
{
	return conf_lookup(name) != NULL;
}

int
tr_conf_bool(const char *value)
{
	if (strcasecmp(value, "yes") == 0)
		return 1;
	if (strcasecmp(value, "no") == 0)
		return 0;
	return -1;
}

/* Keeps postconf's "name = value" lines as NUL-ended strings. */
static void
tr_conf_keep_defaults(struct buf *defaults, const char *output)
{
	const char *line, *end;

	buf_reset(defaults);
	for (line = output; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (strncmp(line, "postconf: ", 10) == 0 ||
		    memchr(line, '=', (size_t)(end - line)) == NULL)
			continue;
		buf_append(defaults, line, (size_t)(end - line));
		buf_putc(defaults, 0);
	}
}

static void
tr_conf_ask_postconf(struct tr_conf *conf, const char *const *names)
{
	const char **argv;
	struct buf out;
	size_t n = 0, i;
	int status;

	for (i = 0; names && names[i]; i++)
		n++;
	argv = xcalloc(n + 16, sizeof(*argv));
	n = 0;
	argv[n++] = conf->postconf;
	argv[n++] = "-c";
	argv[n++] = conf->config_directory;
	argv[n++] = "-d";
	for (i = 0; tr_conf_names[i]; i++)
		argv[n++] = tr_conf_names[i];
	for (i = 0; names && names[i]; i++)
		argv[n++] = names[i];
	buf_init(&out);
	if ((status = tr_run(argv, &out)) != 0)
		msg_fatal("cannot ask %s for Postfix's defaults (status %d): "
		    "%.200s", conf->postconf, status, buf_str(&out));
	tr_conf_keep_defaults(&conf->defaults, buf_str(&out));
	buf_free(&out);
	free(argv);
}

void
tr_conf_open(struct tr_conf *conf, const char *config_dir,
    const char *const *names)
{
	struct stat st;
	char *cmd_dir;

	memset(conf, 0, sizeof(*conf));
	buf_init(&conf->defaults);
	if (config_dir == NULL && (config_dir = getenv("MAIL_CONFIG")) == NULL)
		config_dir = "/etc/postfix";
	if (stat(config_dir, &st) < 0)
		msg_fatal("configuration directory %s: %m", config_dir);
	if (!S_ISDIR(st.st_mode))
		msg_fatal("configuration directory %s: not a directory",
		    config_dir);
	conf->config_directory = xstrdup(config_dir);
	conf->main_cf = tr_conf_path(config_dir, "main.cf");
	conf->master_cf = tr_conf_path(config_dir, "master.cf");
	conf->have_main_cf = access(conf->main_cf, F_OK) == 0;
	tr_conf_load(conf, NULL, 0);
	cmd_dir = conf_lookup("command_directory") ?
	    conf_expand_value(conf_lookup("command_directory")) : NULL;
	conf->postconf = cmd_dir ? tr_conf_path(cmd_dir, "postconf") :
	    xstrdup(*TR_POSTCONF ? TR_POSTCONF : TR_POSTCONF_FALLBACK);
	free(cmd_dir);
	tr_conf_ask_postconf(conf, names);
	/* Compiled in; main.cf cannot change it. */
	conf->mail_version = xstrdup(tr_conf_default(conf, "mail_version") ?
	    tr_conf_default(conf, "mail_version") : "unknown");
	conf->daemon_directory = tr_conf_get(conf, "daemon_directory");
	conf->command_directory = tr_conf_get(conf, "command_directory");
	conf->queue_directory = tr_conf_get(conf, "queue_directory");
	conf->tlsproxy_service_name = tr_conf_get(conf,
	    "tlsproxy_service_name");
	conf->connection_cache_service_name = tr_conf_get(conf,
	    "connection_cache_service_name");
}

void
tr_conf_close(struct tr_conf *conf)
{
	free(conf->config_directory);
	free(conf->main_cf);
	free(conf->master_cf);
	free(conf->postconf);
	buf_free(&conf->defaults);
	free(conf->daemon_directory);
	free(conf->command_directory);
	free(conf->queue_directory);
	free(conf->mail_version);
	free(conf->tlsproxy_service_name);
	free(conf->connection_cache_service_name);
}
