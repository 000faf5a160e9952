/*
 * server_params.c - the global parameters the skeleton itself uses
 *
 * See server_params.h.
 *
 * See also: spec config-logging.md section 7.3.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "log_setup.h"
#include "log_syslog.h"
#include "msg.h"
#include "server_params.h"

int server_param_max_idle;
int server_param_max_use;
int server_param_daemon_timeout;
const char *server_param_queue_directory;
const char *server_param_mail_owner;

static const char *server_param_syslog_facility;
static const char *server_param_syslog_name;
static const char *server_param_maillog_file;
static const char *server_param_maillog_file_prefixes;
static const char *server_param_postlog_service_name;
static const char *server_param_myhostname;

static const struct conf_param server_params[] = {
    {CONF_STR, "syslog_facility", "mail", &server_param_syslog_facility, 1, 0},
    {CONF_STR, "maillog_file", "", &server_param_maillog_file, 0, 0},
    {CONF_STR, "maillog_file_prefixes", "/var, /dev/stdout",
	&server_param_maillog_file_prefixes, 1, 0},
    {CONF_STR, "postlog_service_name", "postlog",
	&server_param_postlog_service_name, 1, 0},
    {CONF_STR, "myhostname", "localhost", &server_param_myhostname, 1, 0},
    {CONF_STR, "syslog_name",
	"${multi_instance_name?{$multi_instance_name}:{postfix}}",
	&server_param_syslog_name, 1, 0},
    {CONF_STR, "mail_owner", "postfix", &server_param_mail_owner, 1, 0},
    {CONF_STR, "queue_directory", "/var/spool/postfix",
	&server_param_queue_directory, 1, 0},
    {CONF_INT, "max_use", "100", &server_param_max_use, 1, 0},
    {CONF_TIME, "max_idle", "100s", &server_param_max_idle, 1, 0},
    {CONF_TIME, "daemon_timeout", "18000s", &server_param_daemon_timeout, 1,
	0},
    {CONF_STR, NULL, NULL, NULL, 0, 0},
};

void
server_params_read(void)
{
	conf_read_params(server_params);
}

void
server_params_log(const char *process_name)
{
	struct log_params p;
	char path[4096];

	if (log_syslog_facility(server_param_syslog_facility,
		&p.syslog_facility) < 0)
		msg_fatal("file %s/main.cf: parameter syslog_facility: "
			  "unrecognized value: %s",
		    conf_directory(), server_param_syslog_facility);
	snprintf(path, sizeof(path), "%s/public/%s",
	    server_param_queue_directory, server_param_postlog_service_name);
	p.syslog_name = server_param_syslog_name;
	p.maillog_file = server_param_maillog_file;
	p.maillog_file_prefixes = server_param_maillog_file_prefixes;
	p.postlog_path = path;
	p.myhostname = server_param_myhostname;
	log_setup_params(process_name, &p);
}
