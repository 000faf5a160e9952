/*
 * log_stderr.h - a msg sink that writes "<ident>: [severity: ]text" lines
 * to stderr (-V, and the "do not run this command by hand" refusal)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_LOG_STDERR_H
#define TLSREUSE_COMMON_LOG_STDERR_H

#include "msg.h"

/* msg sink: context is the identity string (borrowed, must outlive it). */
void log_stderr_output(enum msg_level level, const char *text, void *context);

#endif
