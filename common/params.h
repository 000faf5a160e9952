/*
 * params.h - the global parameters every daemon reads (mail_params_init)
 *
 * The subset of Postfix 3.7.11's global parameters that tlsproxy and
 * scache depend on, read in Postfix's
 * order so that defaults referencing earlier parameters see them. Fields
 * are named after their parameters. Strings stay valid until the next
 * conf_init().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_PARAMS_H
#define TLSREUSE_COMMON_PARAMS_H

#include <sys/types.h>

/* The release whose behaviour we reproduce ("postconf -d mail_version"). */
#define PARAMS_MAIL_VERSION "3.7.11"

struct params {
	/* phase 1-2 */
	const char *compatibility_level;
	const char *mail_version;
	const char *syslog_facility;
	const char *multi_instance_name;
	const char *maillog_file;
	const char *maillog_file_prefixes;
	const char *postlog_service_name;
	/* phase 4 */
	int smtputf8_enable;
	int respectful_logging;
	/* phase 5, computed defaults */
	const char *myhostname;
	const char *mydomain;
	/* phase 6 */
	const char *syslog_name;
	const char *mail_owner;
	const char *daemon_directory;
	const char *queue_directory;
	/* phase 7 */
	int max_use;
	/* phase 10, seconds */
	int max_idle;
	int ipc_timeout;
	int ipc_idle;
	int ipc_ttl;
	int daemon_timeout;
	/* set by the skeleton and params_init() */
	const char *config_directory;
	const char *process_name;
	const char *service_name;
	pid_t process_id;
};

/* The process-wide values; valid after params_init(). */
extern struct params params;

/*
 * Call after conf_init(), conf_read_main_cf() and the -o/-i/-m options.
 * Stores service_name (always) and process_name (unless main.cf or -o
 * already did, which 3.7.11 lets stand), reads the table above, stores
 * process_id and exports MAIL_LOGTAG = syslog_name. Fatal on bad values,
 * with Postfix's wording.
 */
void params_init(const char *process_name, const char *service_name);

#endif
