/*
 * log_stderr.c - a msg sink that writes identity-tagged lines to stderr
 *
 * See log_stderr.h. The stream is flushed per line so that a fatal
 * message is out before the process exits.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdio.h>

#include "msg.h"
#include "log_stderr.h"

void
log_stderr_output(enum msg_level level, const char *text, void *context)
{
	const char *ident = context;

	fprintf(stderr, "%s: %s%s\n", ident, msg_level_prefix(level), text);
	fflush(stderr);
}
