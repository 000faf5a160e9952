/*
 * fuzz_conf.c - libFuzzer target for the main.cf splitter and expander
 *
 * The input is main.cf text. conf_parse_text() splits it; every value is
 * then expanded by conf_expand() against the parsed entries themselves.
 * Both are pure and must return errors, never log or exit; msg_fatal()
 * and msg_panic() abort here so a path reaching them is a finding.
 *
 * Limits of the harness (not of the code): FUZZ_CONF_ENTRIES entries are
 * kept, and FUZZ_CONF_LOOKUPS lookups per value, because "a = $b$b",
 * "b = $c$c", ... expands exponentially in Postfix too.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "conf_expand.h"
#include "mem.h"
#include "msg.h"

#define FUZZ_CONF_ENTRIES 32
#define FUZZ_CONF_LOOKUPS 10000

struct fuzz_conf {
	char *names[FUZZ_CONF_ENTRIES];
	char *values[FUZZ_CONF_ENTRIES];
	int count;
	int lookups;
};

static void
fuzz_conf_entry(const char *name, const char *value, int lineno, void *ctx)
{
	struct fuzz_conf *fc = ctx;

	(void)lineno;
	if (fc->count == FUZZ_CONF_ENTRIES)
		return;
	fc->names[fc->count] = xstrdup(name);
	fc->values[fc->count] = xstrdup(value);
	fc->count++;
}

static void
fuzz_conf_notice(const char *text, void *ctx)
{
	(void)ctx;
	if (strncmp(text, "logical line must not start with whitespace",
		43) != 0)
		abort();
}

static const char *
fuzz_conf_lookup(const char *name, void *ctx)
{
	struct fuzz_conf *fc = ctx;
	int i;

	if (++fc->lookups > FUZZ_CONF_LOOKUPS)
		return NULL;
	for (i = fc->count - 1; i >= 0; i--)
		if (strcmp(fc->names[i], name) == 0)
			return fc->values[i];
	return NULL;
}

/* Any fatal or panic reached from these pure parts is a bug. */
static void
fuzz_conf_no_exit(enum msg_level level, const char *text, void *ctx)
{
	(void)text;
	(void)ctx;
	if (level >= MSG_FATAL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_conf fc;
	struct buf out, why;
	int i;

	memset(&fc, 0, sizeof(fc));
	msg_output_clear();
	msg_output_add(fuzz_conf_no_exit, NULL);
	buf_init(&out);
	buf_init(&why);
	if (conf_parse_text((const char *)data, size, fuzz_conf_entry,
		fuzz_conf_notice, &fc, &why) < 0 && strncmp(why.data, "line ", 5))
		abort();
	for (i = 0; i < fc.count; i++) {
		buf_reset(&out);
		fc.lookups = 0;
		if (conf_expand(&out, fc.values[i], fuzz_conf_lookup, &fc,
			&why) < 0 && why.len == 0)
			abort();
		(void)conf_compat_level_cmp(fc.names[i], fc.values[i]);
	}
	for (i = 0; i < fc.count; i++) {
		free(fc.names[i]);
		free(fc.values[i]);
	}
	buf_free(&out);
	buf_free(&why);
	return 0;
}
