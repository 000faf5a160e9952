/*
 * server_opts.c - the command line master(8) gives a daemon
 *
 * See server_opts.h. Numbers are parsed whole (digits only, in int
 * range); stock atoi() would also take "3x" as 3.
 *
 * See also: spec daemon-runtime.md sections 2.2 and 6.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "msg.h"
#include "server_opts.h"

/* A positive decimal int, or 0 when text is anything else. */
static int
server_opts_positive(const char *text)
{
	char *end;
	long val;

	if (*text < '0' || *text > '9')
		return 0;
	errno = 0;
	val = strtol(text, &end, 10);
	if (*end != 0 || errno == ERANGE || val > INT_MAX)
		return 0;
	return (int)val;
}

/* Applies one option; returns 0, or -1 if ch is not an option. */
static int
server_opts_apply(struct server_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'c': o->chroot = 1; break;
	case 'd': o->debug = 1; break;
	case 'D': o->debugger = 1; break;
	case 'i': conf_set("max_idle", arg); break;
	case 'l': o->solitary = 1; break;
	case 'm': conf_set("max_use", arg); break;
	case 'n': o->service_name = arg; break;
	case 'o': conf_set_option(arg); break;
	case 'p': o->print_params = 1; break;
	case 'r':
		if ((o->retire = server_opts_positive(arg)) == 0)
			msg_fatal("invalid retirement time: %s", arg);
		break;
	case 's':
		if ((o->socket_count = server_opts_positive(arg)) == 0)
			msg_fatal("invalid socket_count: %s", arg);
		break;
	case 'S': o->standalone = 1; break;
	case 't': o->transport = arg; break;
	case 'u': o->unprivileged = 1; break;
	case 'v': o->verbose++; break;
	case 'V': o->log_stderr = 1; break;
	case 'z': o->unlimited = 1; break;
	default: return -1;
	}
	return 0;
}

void
server_opts_parse(struct server_opts *o, int argc, char **argv,
    enum server_mode mode)
{
	const char *optstring = mode == SERVER_MODE_EVENT ?
	    "+cdDi:lm:n:o:pr:s:St:uvVz" : "+cdDi:lm:n:o:ps:St:uvVz";
	int ch;

	memset(o, 0, sizeof(*o));
	o->socket_count = 1;
	opterr = 0;
	optind = 0; /* full re-initialisation in glibc */
	while ((ch = getopt(argc, argv, optstring)) != -1) {
		if (ch == '?' || server_opts_apply(o, ch, optarg) < 0)
			msg_fatal("invalid option: %c", optopt ? optopt : ch);
	}
	if (optind < argc)
		msg_fatal("unexpected command-line argument: %s", argv[optind]);
}
