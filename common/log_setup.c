/*
 * log_setup.c - choose where a daemon logs, and keep its identity
 *
 * See log_setup.h. Logging is process-wide, so the chosen sinks live in
 * file-scope state; msg only knows them through msg_output_add().
 *
 * See also: postconf(5) on maillog_file, syslog_name and syslog_facility.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "msg.h"
#include "log_postlogd.h"
#include "log_stderr.h"
#include "log_syslog.h"
#include "log_setup.h"

#define LOG_SETUP_IDENT_MAX 256

static char log_setup_id[LOG_SETUP_IDENT_MAX] = "unknown";
static struct log_postlogd *log_setup_postlogd;
static int log_setup_with_stderr;

/* Replaces the current sinks: postlogd when path is non-empty. */
static void
log_setup_sinks(const char *path, const char *host, int facility)
{
	msg_output_clear();
	log_postlogd_free(log_setup_postlogd);
	log_setup_postlogd = NULL;
	if (path != NULL && *path != 0) {
		log_setup_postlogd = log_postlogd_create(
		    path, host != NULL && *host != 0 ? host : "amnesiac",
		    log_setup_id);
		msg_output_add(log_postlogd_output, log_setup_postlogd);
	} else {
		log_syslog_open(log_setup_id, facility);
	}
	if (log_setup_with_stderr)
		msg_output_add(log_stderr_output, log_setup_id);
}

void
log_setup_bootstrap(const char *process_name)
{
	log_ident(log_setup_id, sizeof(log_setup_id), NULL, process_name);
	log_setup_sinks(getenv("POSTLOG_SERVICE"), getenv("POSTLOG_HOSTNAME"),
	                LOG_MAIL);
}

void
log_setup_params(const char *process_name, const struct log_params *p)
{
	int postlog = p->maillog_file != NULL && *p->maillog_file != 0;

	if (postlog &&
	    !log_postlogd_prefix_ok(p->maillog_file, p->maillog_file_prefixes))
		msg_fatal("maillog_file value '%s' does not match any prefix "
		          "in maillog_file_prefixes",
		          p->maillog_file);
	/* $MAIL_LOGTAG no longer counts: the identity is final now. */
	snprintf(log_setup_id, sizeof(log_setup_id), "%s/%s", p->syslog_name,
	         process_name);
	if (postlog) {
		setenv("POSTLOG_SERVICE", p->postlog_path, 1);
		setenv("POSTLOG_HOSTNAME", p->myhostname, 1);
	} else {
		unsetenv("POSTLOG_SERVICE");
		unsetenv("POSTLOG_HOSTNAME");
	}
	log_setup_sinks(postlog ? p->postlog_path : NULL, p->myhostname,
	                p->syslog_facility);
}

void
log_setup_stderr(void)
{
	if (log_setup_with_stderr)
		return;
	log_setup_with_stderr = 1;
	msg_output_add(log_stderr_output, log_setup_id);
}

const char *
log_setup_ident(void)
{
	return log_setup_id;
}

void
log_setup_forked(void)
{
	if (log_setup_postlogd != NULL)
		log_postlogd_set_pid(log_setup_postlogd, getpid());
}
