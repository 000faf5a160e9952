/*
 * server_opts.c - the command line master(8) gives a daemon
 *
 * See server_opts.h. Numbers are parsed whole (digits only, in int
 * range); stock atoi() would also take "3x" as 3.
 *
 * See also: master(8), which builds the command line.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
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

/* Options without an argument: each occurrence counts one. */
static const struct server_opts_flag {
	char ch;
	size_t offset;
} server_opts_flags[] = {
    {'c', offsetof(struct server_opts, chroot)},
    {'d', offsetof(struct server_opts, debug)},
    {'D', offsetof(struct server_opts, debugger)},
    {'l', offsetof(struct server_opts, solitary)},
    {'p', offsetof(struct server_opts, print_params)},
    {'S', offsetof(struct server_opts, standalone)},
    {'u', offsetof(struct server_opts, unprivileged)},
    {'v', offsetof(struct server_opts, verbose)},
    {'V', offsetof(struct server_opts, log_stderr)},
    {'z', offsetof(struct server_opts, unlimited)},
};

/* Counts a flag option; returns 0, or -1 if ch is not one. */
static int
server_opts_count(struct server_opts *o, int ch)
{
	size_t i;

	for (i = 0;
	     i < sizeof(server_opts_flags) / sizeof(server_opts_flags[0]);
	     i++) {
		if (server_opts_flags[i].ch == ch) {
			(*(int *)((char *)o + server_opts_flags[i].offset))++;
			return 0;
		}
	}
	return -1;
}

/* Applies one option; returns 0, or -1 if ch is not an option. */
static int
server_opts_apply(struct server_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'i':
		conf_set("max_idle", arg);
		break;
	case 'm':
		conf_set("max_use", arg);
		break;
	case 'n':
		o->service_name = arg;
		break;
	case 'o':
		conf_set_option(arg);
		break;
	case 'r':
		if ((o->retire = server_opts_positive(arg)) == 0)
			msg_fatal("invalid retirement time: %s", arg);
		break;
	case 's':
		if ((o->socket_count = server_opts_positive(arg)) == 0)
			msg_fatal("invalid socket_count: %s", arg);
		break;
	case 't':
		o->transport = arg;
		break;
	default:
		return server_opts_count(o, ch);
	}
	return 0;
}

void
server_opts_parse(struct server_opts *o, int argc, char **argv,
                  enum server_mode mode)
{
	const char *optstring = mode == SERVER_MODE_EVENT
	                            ? "+cdDi:lm:n:o:pr:s:St:uvVz"
	                            : "+cdDi:lm:n:o:ps:St:uvVz";
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
