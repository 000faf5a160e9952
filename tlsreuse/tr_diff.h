/*
 * tr_diff.h - show a change to a text file as a unified diff
 *
 * For "tlsreuse enable" and "disable": the administrator sees exactly
 * which lines of master.cf change before anything is written. Lines are
 * compared whole; each hunk has three lines of context, as diff -u.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_DIFF_H
#define TLSREUSE_TLSREUSE_TR_DIFF_H

#include <stddef.h>

#include "buf.h"

/* Above this many line pairs the diff is one hunk from the first to the
 * last differing line instead of a line-by-line match. */
#define TR_DIFF_CELLS_MAX (4L * 1024 * 1024)

/*
 * Appends to out a unified diff from old to new with the given file
 * labels; nothing when the texts are equal. Bytes are copied as they
 * are (the caller makes them safe to show).
 */
void tr_diff(struct buf *out, const char *old_label, const char *old_text,
    size_t old_len, const char *new_label, const char *new_text,
    size_t new_len);

#endif
