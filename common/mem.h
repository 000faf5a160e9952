/*
 * mem.h - allocation that either succeeds or ends the process
 *
 * Every allocator here calls msg_fatal() when memory runs out, so callers
 * never check for NULL. Size arithmetic is overflow-checked: a product that
 * does not fit in size_t is a panic (it is always our bug or unchecked peer
 * input, and both must be caught before reaching here).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_MEM_H
#define TLSREUSE_COMMON_MEM_H

#include <stddef.h>

/* Returns new uninitialised memory; size 0 is allowed (returns non-NULL). */
void *xmalloc(size_t size);

/* Returns zeroed memory for nmemb * size bytes; panics on overflow. */
void *xcalloc(size_t nmemb, size_t size);

/* Resizes ptr (may be NULL) to nmemb * size bytes; panics on overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);

/* Returns a copy of str, owned by the caller. */
char *xstrdup(const char *str);

/* Returns a NUL-terminated copy of at most len bytes of str. */
char *xstrndup(const char *str, size_t len);

/* Returns a copy of len bytes plus a terminating NUL (not counted). */
void *xmemdup(const void *data, size_t len);

/* Wipes len bytes so the compiler cannot elide it, then frees ptr. */
void xfree_secret(void *ptr, size_t len);

/*
 * Frees memory the caller owns but holds through a const pointer: a
 * struct whose strings its readers must not change (NULL is fine).
 */
void xfree_const(const void *ptr);

#endif
