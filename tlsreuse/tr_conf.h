/*
 * tr_conf.h - the Postfix configuration as tlsreuse(1) sees it
 *
 * main.cf is read with common/conf (Postfix's syntax and $name
 * expansion); the defaults are the installed Postfix's own, asked once
 * from "postconf -d" for the names the tool uses, so a value is what
 * Postfix would use, also where a distribution changed a default. A
 * service's view is main.cf plus the -o settings of its master.cf
 * entry, as the daemon itself gets them.
 *
 * The parameter store of common/conf is process-wide: tr_conf_load()
 * replaces it, and tr_conf_get() reads the view loaded last.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_CONF_H
#define TLSREUSE_TLSREUSE_TR_CONF_H

#include <stddef.h>

#include "buf.h"

struct tr_conf {
	char *config_directory;
	char *main_cf;          /* path */
	char *master_cf;        /* path */
	int have_main_cf;
	char *postconf;         /* the postconf(1) the defaults came from */
	struct buf defaults;    /* postconf -d: NUL-ended "name = value" */
	/* From the main.cf view, for convenience. */
	char *daemon_directory;
	char *command_directory;
	char *queue_directory;
	char *mail_version;
	char *tlsproxy_service_name;
	char *connection_cache_service_name;
};

/*
 * Opens the configuration in config_dir (NULL: $MAIL_CONFIG, else
 * /etc/postfix): reads main.cf if there is one, asks postconf(1) for
 * Postfix's defaults of the names in names (NULL-terminated; the tool's
 * own list plus those), and loads the main.cf view. Fatal if the
 * directory cannot be read or postconf(1) cannot be run.
 */
void tr_conf_open(struct tr_conf *conf, const char *config_dir,
    const char *const *names);

void tr_conf_close(struct tr_conf *conf);

/*
 * Loads main.cf, then the settings opts[0..nopts) ("name=value", as
 * tr_mcf_options() returns them) on top, into the parameter store.
 */
void tr_conf_load(const struct tr_conf *conf, char *const *opts,
    size_t nopts);

/* Postfix's default for name (borrowed), or NULL if postconf -d did not
 * know it. */
const char *tr_conf_default(const struct tr_conf *conf, const char *name);

/* The value of name in the loaded view, expanded (caller frees): the
 * stored value, else Postfix's default, else "". */
char *tr_conf_get(const struct tr_conf *conf, const char *name);

/* Whether the loaded view sets name itself (not by default). */
int tr_conf_is_set(const char *name);

/* A Postfix boolean: 1 yes, 0 no, -1 neither. */
int tr_conf_bool(const char *value);

#endif
