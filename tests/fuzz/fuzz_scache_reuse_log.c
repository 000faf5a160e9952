/*
 * fuzz_scache_reuse_log.c - libFuzzer target for the reuse-line formatter
 *
 * The input is an endpoint property string as a (possibly hostile or
 * future) smtp(8) stores it in scache, with certificate names chosen by
 * a remote server. scache_reuse_log_format() must return 0 or 1, never
 * read past the string, keep the line bounded (at most F_COUNT fields of
 * SCACHE_REUSE_VALUE_MAX bytes, each escaped to at most 4 bytes, plus
 * the fixed text), and keep its shape whatever the values hold: no
 * control byte, no UTF-8 that utf8_printable_len() refuses, quotes only
 * around the values of peer_CN= and issuer_CN=, every '"' or '\' inside
 * them escaped, and each of the two names at most once outside quotes.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "utf8.h"
#include "scache_reuse_log.h"

/* 17 fields of at most 256 bytes, 4 bytes each when escaped, plus text. */
#define FUZZ_REUSE_LINE_MAX (17 * 256 * 4 + 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 if the quote at line[i] opens the value of a certificate name. */
static int
fuzz_opens_name(const char *line, size_t i, int *names)
{
	static const char *const fields[] = {" peer_CN=", " issuer_CN="};
	size_t f, len;

	for (f = 0; f < 2; f++) {
		len = strlen(fields[f]);
		if (i >= len && memcmp(line + i - len, fields[f], len) == 0) {
			names[f]++;
			return names[f] == 1;
		}
	}
	return 0;
}

/* The line's shape (see the header); abort() if it does not hold. */
static void
fuzz_check_shape(const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;
	int quoted = 0, names[2] = {0, 0};
	size_t i = 0, n;

	while (i < len) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (s[i] >= 0x80) {
			if ((n = utf8_printable_len(s + i, len - i)) == 0)
				abort();
			i += n;
		} else if (quoted && s[i] == '\\') {
			if (i + 1 >= len || strchr("\"\\x", s[i + 1]) == NULL)
				abort();
			i += 2;
		} else if (s[i] == '"') {
			if (!quoted && !fuzz_opens_name(line, i, names))
				abort();
			if (quoted && i + 1 < len && s[i + 1] != ' ')
				abort();
			quoted = !quoted;
			i++;
		} else {
			i++;
		}
	}
	if (quoted)
		abort();
}

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
	fuzz_check_shape(buf_str(&line), line.len);
	buf_free(&line);
	free(prop);
	return 0;
}
