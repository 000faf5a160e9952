/*
 * log_syslog.c - a msg sink that writes to syslog with Postfix's identity
 *
 * See log_syslog.h. openlog() keeps a pointer to its identity, so the
 * identity is copied into storage that lives for the process.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "msg.h"
#include "log_syslog.h"

#define LOG_SYSLOG_IDENT_MAX 256

struct log_syslog_name {
	const char *name;
	int code;
};

static const struct log_syslog_name log_syslog_names[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},           {"kern", LOG_KERN},
    {"lpr", LOG_LPR},       {"mail", LOG_MAIL},         {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER},         {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

/* openlog() borrows the identity; this is its process-lifetime copy. */
static char log_syslog_ident[LOG_SYSLOG_IDENT_MAX];
static int log_syslog_fac = LOG_MAIL;

int
log_syslog_facility(const char *name, int *facility)
{
	size_t i;

	for (i = 0; i < sizeof(log_syslog_names) / sizeof(log_syslog_names[0]);
	     i++) {
		if (strcasecmp(name, log_syslog_names[i].name) == 0) {
			*facility = log_syslog_names[i].code;
			return 0;
		}
	}
	return -1;
}

int
log_syslog_priority(enum msg_level level)
{
	switch (level) {
	case MSG_INFO:
		return LOG_INFO;
	case MSG_WARN:
		return LOG_WARNING;
	case MSG_ERROR:
		return LOG_ERR;
	case MSG_FATAL:
	case MSG_PANIC:
		return LOG_CRIT;
	}
	return LOG_CRIT;
}

char *
log_ident(char *out, size_t outlen, const char *syslog_name,
          const char *process_name)
{
	const char *tag = getenv("MAIL_LOGTAG");

	if (tag == NULL || *tag == 0)
		tag = syslog_name ? syslog_name : "postfix";
	snprintf(out, outlen, "%s/%s", tag, process_name);
	return out;
}

static void
log_syslog_output(enum msg_level level, const char *text, void *context)
{
	syslog(log_syslog_fac | log_syslog_priority(level), "%s%s",
	       msg_level_prefix(level), text);
}

void
log_syslog_open(const char *ident, int facility)
{
	int options = LOG_NDELAY;

	if (strchr(ident, '[') == NULL)
		options |= LOG_PID;
	closelog();
	snprintf(log_syslog_ident, sizeof(log_syslog_ident), "%s", ident);
	log_syslog_fac = facility;
	openlog(log_syslog_ident, options, facility);
	msg_output_add(log_syslog_output, NULL);
}
