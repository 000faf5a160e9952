/*
 * server_params.h - the global parameters the skeleton itself uses
 *
 * server_params_read() reads them (after main.cf and the command line);
 * server_params_log() then moves logging to its final place (syslog or
 * postlogd, identity <syslog_name>/<process_name>). Values live until the
 * next conf_init().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_SERVER_PARAMS_H
#define TLSREUSE_COMMON_SERVER_PARAMS_H

extern int server_param_max_idle;       /* max_idle, seconds */
extern int server_param_max_use;        /* max_use */
extern int server_param_daemon_timeout; /* daemon_timeout, seconds */
extern const char *server_param_queue_directory;
extern const char *server_param_mail_owner;

/* Reads the global parameters; fatal with Postfix's texts. */
void server_params_read(void);

/*
 * Re-initialises logging from syslog_name, syslog_facility (fatal "file
 * <dir>/main.cf: parameter syslog_facility: unrecognized value: <v>"),
 * maillog_file, maillog_file_prefixes, postlog_service_name, myhostname.
 */
void server_params_log(const char *process_name);

#endif
