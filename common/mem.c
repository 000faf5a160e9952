/*
 * mem.c - allocation that either succeeds or ends the process
 *
 * See mem.h. Out of memory is a fatal error (master(8) restarts us);
 * a size overflow is a panic because it means a missing limit check.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mem.h"

static void *
mem_check(void *ptr, size_t size)
{
	if (ptr == NULL)
		msg_fatal("out of memory (allocating %zu bytes)", size);
	return ptr;
}

void *
xmalloc(size_t size)
{
	return mem_check(malloc(size ? size : 1), size);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		msg_panic("%s: size overflow: %zu * %zu", __func__, nmemb, size);
	return mem_check(calloc(nmemb ? nmemb : 1, size ? size : 1),
	    nmemb * size);
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t total;

	if (size != 0 && nmemb > SIZE_MAX / size)
		msg_panic("%s: size overflow: %zu * %zu", __func__, nmemb, size);
	total = nmemb * size;
	return mem_check(realloc(ptr, total ? total : 1), total);
}

char *
xstrdup(const char *str)
{
	return xmemdup(str, strlen(str));
}

char *
xstrndup(const char *str, size_t len)
{
	return xmemdup(str, strnlen(str, len));
}

void *
xmemdup(const void *data, size_t len)
{
	char *copy;

	if (len == SIZE_MAX)
		msg_panic("%s: size overflow", __func__);
	copy = xmalloc(len + 1);
	if (len > 0)
		memcpy(copy, data, len);
	copy[len] = 0;
	return copy;
}

void
xfree_secret(void *ptr, size_t len)
{
	if (ptr == NULL)
		return;
	explicit_bzero(ptr, len);
	free(ptr);
}

void
xfree_const(const void *ptr)
{
	/* Through an integer: dropping const is the point, not a slip. */
	free((void *)(uintptr_t)ptr);
}
