/*
 * token.c - split a list-valued string into tokens, in place
 *
 * One splitter for every list parameter, so that each reads its items
 * the same way, as Postfix splits its own. See token.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include "token.h"

/* Ends the token at cp (if not at the end already) and moves past it. */
static char *
token_end(char **cursor, char *start, char *cp)
{
	if (*cp)
		*cp++ = 0;
	*cursor = cp;
	return start;
}

char *
token_next(char **cursor, const char *sep)
{
	char *start = *cursor + strspn(*cursor, sep);

	if (*start == 0)
		return NULL;
	return token_end(cursor, start, start + strcspn(start, sep));
}

char *
token_next_braced(char **cursor, const char *sep)
{
	char *start = *cursor + strspn(*cursor, sep);
	char *cp;
	int level = 0;

	if (*start == 0)
		return NULL;
	for (cp = start; *cp; cp++) {
		if (*cp == '{')
			level++;
		else if (*cp == '}' && level > 0)
			level--;
		else if (level == 0 && strchr(sep, *cp))
			break;
	}
	return token_end(cursor, start, cp);
}
