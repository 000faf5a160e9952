/*
 * conf_expand.h - Postfix's $name expansion, as a pure function
 *
 * Forms (postconf(5)): $name, ${name}, $(name), $$,
 * ${name?text}, ${name:text}, ${name?{t}:{f}}, ${{a} OP {b} ? {t} : {f}}
 * with OP one of == != < <= >= > and the ==level ... >=level forms for
 * compatibility levels. Values found are expanded again (recursion limit
 * 100). Branches not taken are not expanded.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_CONF_EXPAND_H
#define TLSREUSE_COMMON_CONF_EXPAND_H

#include "buf.h"

/* Returns the unexpanded value of name, or NULL when undefined. */
typedef const char *(*conf_lookup_fn)(const char *name, void *ctx);

/* Nesting limit of Postfix: a value may reference values 100 deep. */
#define CONF_EXPAND_NESTING_MAX 100

/* Our own bound on the whole recursion (Postfix restarts its count inside
 * relational operands, so "a = ${{$a} == {x}}" overflows its stack). */
#define CONF_EXPAND_DEPTH_MAX 1000

/* conf_expand() result where Postfix exits with why as its fatal text
 * (a number too large to compare), instead of warning first. */
#define CONF_EXPAND_FATAL (-2)

/*
 * Appends the expansion of text to out. Returns 0, or -1 with why holding
 * (replacing its content) the text of Postfix's warning for the first
 * problem, e.g. "truncated macro reference: \"${a\"", or
 * CONF_EXPAND_FATAL. On error the content of out is unspecified. Never
 * logs, never exits.
 */
int conf_expand(struct buf *out, const char *text, conf_lookup_fn lookup,
    void *ctx, struct buf *why);

/* Compares compatibility levels a and b (major[.minor[.patch]]): <0, 0, >0.
 * Returns -2 if either is malformed. */
int conf_compat_level_cmp(const char *a, const char *b);

#endif
