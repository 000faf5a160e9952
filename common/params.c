/*
 * params.c - the global parameters every daemon reads (mail_params_init)
 *
 * Postfix reads its global parameters in phases; a default may only refer
 * to parameters of earlier phases (myhostname's computed default looks at
 * a configured mydomain, mydomain's at myhostname). The tables below keep
 * that order. Computed defaults are worked out just before their phase.
 *
 * Not reproduced: user/group checks and the other 3.7.11 globals that
 * neither daemon uses.
 * See also: conf.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "msg.h"
#include "params.h"

/* Postfix's fallback domain for an unqualified host name. */
#define PARAMS_DEFAULT_DOMAIN "localdomain"

/* Host name limits of Postfix's valid_hostname(). */
#define PARAMS_LABEL_MAX 63
#define PARAMS_HOSTNAME_MAX 255

struct params params;

static const struct conf_param params_early[] = {
	{CONF_STR, "compatibility_level", "0", &params.compatibility_level, 0,
	    0},
	{CONF_STR, "mail_version", PARAMS_MAIL_VERSION, &params.mail_version,
	    1, 0},
	{CONF_STR, "syslog_facility", "mail", &params.syslog_facility, 1, 0},
	{CONF_STR, "multi_instance_name", "", &params.multi_instance_name, 0,
	    0},
	{CONF_STR, "maillog_file", "", &params.maillog_file, 0, 0},
	{CONF_STR, "maillog_file_prefixes", "/var, /dev/stdout",
	    &params.maillog_file_prefixes, 1, 0},
	{CONF_STR, "postlog_service_name", "postlog",
	    &params.postlog_service_name, 1, 0},
	{CONF_NBOOL, "smtputf8_enable",
	    "${{$compatibility_level} <level {1} ? {no} : {yes}}",
	    &params.smtputf8_enable, 0, 0},
	{CONF_NBOOL, "respectful_logging",
	    "${{$compatibility_level} <level {3.6} ? {no} : {yes}}",
	    &params.respectful_logging, 0, 0},
	{0, NULL, NULL, NULL, 0, 0},
};

static const struct conf_param params_late[] = {
	{CONF_STR, "syslog_name",
	    "${multi_instance_name?{$multi_instance_name}:{postfix}}",
	    &params.syslog_name, 1, 0},
	{CONF_STR, "mail_owner", "postfix", &params.mail_owner, 1, 0},
	{CONF_STR, "daemon_directory", "/usr/lib/postfix/sbin",
	    &params.daemon_directory, 1, 0},
	{CONF_STR, "queue_directory", "/var/spool/postfix",
	    &params.queue_directory, 1, 0},
	{CONF_INT, "max_use", "100", &params.max_use, 1, 0},
	{CONF_TIME, "max_idle", "100s", &params.max_idle, 1, 0},
	{CONF_TIME, "ipc_timeout", "3600s", &params.ipc_timeout, 1, 0},
	{CONF_TIME, "ipc_idle", "5s", &params.ipc_idle, 1, 0},
	{CONF_TIME, "ipc_ttl", "1000s", &params.ipc_ttl, 1, 0},
	{CONF_TIME, "daemon_timeout", "18000s", &params.daemon_timeout, 1, 0},
	{0, NULL, NULL, NULL, 0, 0},
};

static int
params_hostname_fail(struct buf *why, const char *what, const char *name)
{
	buf_reset(why);
	buf_printf(why, "valid_hostname: %s: %.100s", what, name);
	return -1;
}

/* Checks one character of a host name; label is its label's length. */
static int
params_hostname_char(const char *cp, size_t *label, int *numeric,
    struct buf *why, const char *name)
{
	unsigned char ch = (unsigned char)*cp;

	if (isascii(ch) && (isalnum(ch) || ch == '_')) {
		if (++*label > PARAMS_LABEL_MAX)
			return params_hostname_fail(why,
			    "hostname label too long", name);
		*numeric &= isdigit(ch) != 0;
	} else if (ch == '.') {
		if (*label == 0 || cp[1] == 0)
			return params_hostname_fail(why, "misplaced delimiter",
			    name);
		*label = 0;
	} else if (ch == '-') {
		*numeric = 0;
		if (++*label == 1 || cp[1] == 0 || cp[1] == '.')
			return params_hostname_fail(why, "misplaced hyphen",
			    name);
	} else {
		buf_reset(why);
		buf_printf(why, "valid_hostname: invalid character %d(decimal): "
		    "%.100s", ch, name);
		return -1;
	}
	return 0;
}

/* Postfix's host name syntax: 0, or -1 with its warning text in why. */
static int
params_valid_hostname(const char *name, struct buf *why)
{
	size_t label = 0;
	int numeric = 1;
	const char *cp;

	if (*name == 0) {
		buf_reset(why);
		buf_puts(why, "valid_hostname: empty hostname");
		return -1;
	}
	for (cp = name; *cp; cp++)
		if (params_hostname_char(cp, &label, &numeric, why, name) < 0)
			return -1;
	if (numeric)
		return params_hostname_fail(why, "numeric hostname", name);
	if (cp - name > PARAMS_HOSTNAME_MAX) {
		buf_reset(why);
		buf_printf(why, "valid_hostname: bad length %d for %.100s...",
		    (int)(cp - name), name);
		return -1;
	}
	return 0;
}

static void
params_check_hostname(const char *param, const char *value)
{
	struct buf why;

	buf_init(&why);
	if (params_valid_hostname(value, &why) < 0) {
		msg_warn("%s", buf_str(&why));
		msg_fatal("file %s/main.cf: parameter %s: bad parameter value: "
		    "%s", conf_directory(), param, value);
	}
	buf_free(&why);
}

/* gethostname(), qualified with $mydomain (configured) or localdomain. */
static void
params_default_myhostname(struct buf *out)
{
	char name[HOST_NAME_MAX + 1];
	const char *domain;
	char *expanded = NULL;

	if (gethostname(name, sizeof(name)) < 0)
		msg_fatal("gethostname: %m");
	name[HOST_NAME_MAX] = 0;
	buf_puts(out, name);
	if (strchr(name, '.') != NULL)
		return;
	if ((domain = conf_lookup("mydomain")) != NULL)
		domain = expanded = conf_expand_value(domain);
	buf_printf(out, ".%s", domain ? domain : PARAMS_DEFAULT_DOMAIN);
	free(expanded);
}

/* Reads one string parameter whose default is computed text. */
static void
params_read_computed(const char *name, const char *def, const char **target)
{
	struct conf_param table[] = {
		{CONF_STR, name, def, target, 1, 0},
		{0, NULL, NULL, NULL, 0, 0},
	};

	conf_read_params(table);
}

static void
params_read_host_names(void)
{
	struct buf def;
	const char *dot;

	buf_init(&def);
	params_default_myhostname(&def);
	params_read_computed("myhostname", buf_str(&def), &params.myhostname);
	dot = strchr(params.myhostname, '.');
	params_read_computed("mydomain", dot ? dot + 1 : PARAMS_DEFAULT_DOMAIN,
	    &params.mydomain);
	buf_free(&def);
	params_check_hostname("myhostname", params.myhostname);
	params_check_hostname("mydomain", params.mydomain);
}

void
params_init(const char *process_name, const char *service_name)
{
	char pid[32];

	params.process_name = process_name;
	params.service_name = service_name;
	params.config_directory = conf_directory();
	if (conf_lookup("process_name") == NULL)
		conf_set("process_name", process_name);
	conf_set("service_name", service_name);
	conf_read_params(params_early);
	params_read_host_names();
	conf_read_params(params_late);
	params.process_id = getpid();
	snprintf(pid, sizeof(pid), "%ld", (long)params.process_id);
	conf_set("process_id", pid);
	if (setenv("MAIL_LOGTAG", params.syslog_name, 1) < 0)
		msg_fatal("setenv MAIL_LOGTAG %s: %m", params.syslog_name);
}
