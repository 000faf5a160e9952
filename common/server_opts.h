/*
 * server_opts.h - the command line master(8) gives a daemon
 *
 * getopt "+cdDi:lm:n:o:ps:St:uvVz" (MULTI) or "+cdDi:lm:n:o:pr:s:St:uvVz"
 * (EVENT), processed after main.cf so that -o, -i and -m, applied to the
 * parameter store in command-line order, override it. Errors are fatal
 * with Postfix's texts: "invalid option: %c", "invalid retirement time:
 * %s", "invalid socket_count: %s", "unexpected command-line argument: %s"
 * and conf_set_option()'s "-o" texts. -p is ours (see server.h).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_SERVER_OPTS_H
#define TLSREUSE_COMMON_SERVER_OPTS_H

#include "server.h"

/* Flags count their occurrences (-v -v: verbose 2); test for non-zero. */
struct server_opts {
	int chroot;               /* -c: chroot to queue_directory */
	int debug;                /* -d: no tty check */
	int debugger;             /* -D: run debugger_command */
	int solitary;             /* -l: process limit 1 */
	int unlimited;            /* -z: process limit 0 */
	const char *service_name; /* -n, NULL if absent (borrowed argv) */
	int retire;               /* -r seconds, 0 if absent */
	int socket_count;         /* -s, default 1 */
	int standalone;           /* -S */
	const char *transport;    /* -t, NULL if absent (borrowed argv) */
	int unprivileged;         /* -u: become mail_owner */
	int verbose;              /* number of -v */
	int log_stderr;           /* -V */
	int print_params;         /* -p */
};

/* Fills o from argv (see above); fatal on any error. */
void server_opts_parse(struct server_opts *o, int argc, char **argv,
                       enum server_mode mode);

#endif
