/*
 * tr_file.h - read a whole configuration file, up to a bound
 *
 * master.cf, policy tables: files the administrator writes, read whole
 * by tlsreuse(1), each under a bound the caller names.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_FILE_H
#define TLSREUSE_TLSREUSE_TR_FILE_H

#include <stddef.h>

#include "buf.h"

/*
 * Replaces out with the contents of path. Returns 0, or -1 with errno
 * set: the open or read error, or EFBIG when the file has more than max
 * bytes (out is then empty).
 */
int tr_file_read(const char *path, size_t max, struct buf *out);

#endif
