/*
 * log_setup.h - choose where a daemon logs, as Postfix's maillog client
 * does, and keep its identity
 *
 * Two steps, both before chroot. log_setup_bootstrap(), before main.cf:
 * postlogd when $POSTLOG_SERVICE is non-empty (host $POSTLOG_HOSTNAME),
 * else syslog; identity "$MAIL_LOGTAG/<process_name>". log_setup_params(),
 * after the global parameters: identity "<syslog_name>/<process_name>",
 * postlogd when maillog_file is non-empty (exporting POSTLOG_SERVICE and
 * POSTLOG_HOSTNAME for children), else syslog (unsetting them). Each step
 * replaces the sinks of the one before; log_setup_stderr() adds a stderr
 * copy (-V) that later steps keep.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_LOG_SETUP_H
#define TLSREUSE_COMMON_LOG_SETUP_H

struct log_params {
	const char *syslog_name;
	int syslog_facility; /* LOG_* code, see log_syslog_facility() */
	const char *maillog_file;
	const char *maillog_file_prefixes;
	const char
	    *postlog_path; /* $queue_directory/public/$postlog_service_name */
	const char *myhostname;
};

void log_setup_bootstrap(const char *process_name);

/*
 * Fatal "maillog_file value '<v>' does not match any prefix in
 * maillog_file_prefixes" when maillog_file is outside the prefixes.
 */
void log_setup_params(const char *process_name, const struct log_params *p);

/* Also log to stderr from now on, as "<identity>: [severity: ]text". */
void log_setup_stderr(void);

/* The current identity, "<syslog_name>/<process_name>". Borrowed. */
const char *log_setup_ident(void);

/* In a forked child that keeps logging: records carry its pid. */
void log_setup_forked(void);

#endif
