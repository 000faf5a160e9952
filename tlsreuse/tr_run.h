/*
 * tr_run.h - run a Postfix command and keep what it says
 *
 * For postconf(1) and postfix(1): argv is executed directly (no shell,
 * no PATH search: the caller names the program's path), with standard
 * input from /dev/null and standard output and error captured together.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_RUN_H
#define TLSREUSE_TLSREUSE_TR_RUN_H

#include "buf.h"

/* At most this much output is kept; the rest is read and dropped. */
#define TR_RUN_OUTPUT_MAX 65536

/*
 * Runs argv (argv[0] a path, NULL-terminated) and waits for it. Replaces
 * out with its output. Returns its exit status, 128 + the signal that
 * ended it, or -1 if it could not be started (out says why).
 */
int tr_run(const char *const argv[], struct buf *out);

#endif
