/*
 * utf8.h - strict UTF-8 checks for text that goes into a log line
 *
 * A log line must show what a peer sent without letting it rearrange the
 * line: besides the well-formedness rules of RFC 3629 (shortest form, no
 * surrogates, nothing past U+10FFFF), a character that is invisible or
 * moves other text is refused too: the C1 controls, the line and
 * paragraph separators, and the format characters (Unicode category Cf:
 * bidirectional embeddings, overrides and isolates, zero-width marks,
 * the byte-order mark, tag characters, ...).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_UTF8_H
#define TLSREUSE_COMMON_UTF8_H

#include <stddef.h>

/*
 * The length (2, 3 or 4) of the multi-byte character that starts at s,
 * at most left bytes long, if it is well-formed UTF-8 and safe to show in
 * a log; 0 for anything else, including an ASCII byte or a cut sequence.
 */
size_t utf8_printable_len(const void *s, size_t left);

#endif
