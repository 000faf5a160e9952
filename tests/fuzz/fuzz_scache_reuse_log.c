/*
 * fuzz_scache_reuse_log.c - libFuzzer target for the reuse-line formatter
 *
 * The input is an endpoint property string as a (possibly hostile or
 * future) smtp(8) stores it in scache. scache_reuse_log_format() must
 * return 0 or 1, never read past the string, and keep the line bounded:
 * at most F_COUNT fields of SCACHE_REUSE_VALUE_MAX bytes each plus the
 * fixed text, whatever the input.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "scache_reuse_log.h"

/* 17 fields of at most 256 bytes, plus labels and numbers. */
#define FUZZ_REUSE_LINE_MAX (17 * 256 + 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *prop = xmalloc(size + 1);
	struct buf line;
	int ret;

	/* Properties reach scache as NUL-terminated attribute values. */
	memcpy(prop, data, size);
	prop[size] = 0;
	buf_init(&line);
	ret = scache_reuse_log_format(&line, prop, 1795882714, 300);
	if ((ret != 0 && ret != 1) || line.len > FUZZ_REUSE_LINE_MAX ||
	    (ret == 0 && line.len != 0))
		abort();
	buf_free(&line);
	free(prop);
	return 0;
}
