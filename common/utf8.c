/*
 * utf8.c - strict UTF-8 checks for text that goes into a log line
 *
 * Decodes one character by the table of RFC 3629 section 4 (the second
 * byte's range depends on the first, which rules out overlong forms,
 * surrogates and code points past U+10FFFF), then refuses the code
 * points listed in utf8_hidden, sorted so a binary search finds them.
 * Pure: no I/O, no state.
 *
 * See also: msg.c (the log sanitiser), scache_reuse_log.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

struct utf8_range {
	uint32_t first;
	uint32_t last;
};

/*
 * C1 controls (Cc), the line and paragraph separators (Zl, Zp) and every
 * format character (Cf) of Unicode 15.
 */
static const struct utf8_range utf8_hidden[] = {
    {0x0080, 0x009f},   {0x00ad, 0x00ad},   {0x0600, 0x0605},
    {0x061c, 0x061c},   {0x06dd, 0x06dd},   {0x070f, 0x070f},
    {0x0890, 0x0891},   {0x08e2, 0x08e2},   {0x180e, 0x180e},
    {0x200b, 0x200f},   {0x2028, 0x202e},   {0x2060, 0x2064},
    {0x2066, 0x206f},   {0xfeff, 0xfeff},   {0xfff9, 0xfffb},
    {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x1343f},
    {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001},
    {0xe0020, 0xe007f},
};

static int
utf8_is_hidden(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(utf8_hidden) / sizeof(utf8_hidden[0]), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cp < utf8_hidden[mid].first)
			hi = mid;
		else if (cp > utf8_hidden[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Decodes a well-formed sequence; 0 if s does not start one. */
static size_t
utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > left)
		return 0;
	/* The second byte's range excludes overlongs, surrogates, > 10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	*cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return len;
}

size_t
utf8_printable_len(const void *s, size_t left)
{
	uint32_t cp;
	size_t len;

	if (left == 0 || (len = utf8_decode(s, left, &cp)) == 0)
		return 0;
	return utf8_is_hidden(cp) ? 0 : len;
}
