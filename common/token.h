/*
 * token.h - split a list-valued string into tokens, in place
 *
 * Postfix parameters that hold lists separate their items with white
 * space and commas (some also with colons), and a few let "{...}" group
 * an item that itself contains separators. token_next() walks such a
 * list the way strtok_r() does: it skips separators, ends the token
 * with a NUL in place and leaves the cursor after it, so the caller
 * splits a copy it owns and may keep the tokens as long as the copy.
 * No empty token is ever returned. Pure: no allocation, no logging.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_TOKEN_H
#define TLSREUSE_COMMON_TOKEN_H

/* Postfix's list separators; add ":" by string concatenation. */
#define TOKEN_SEP_LIST " \t\r\n,"

/* White space alone (master.cf words). */
#define TOKEN_SEP_SPACE " \t\r\n"

/*
 * The next token of the string at *cursor, split on any byte of sep,
 * or NULL when only separators are left.
 */
char *token_next(char **cursor, const char *sep);

/*
 * As token_next(), but a separator inside "{...}" (braces may nest)
 * does not end the token; the braces stay in it. An unbalanced "{"
 * runs to the end of the string.
 */
char *token_next_braced(char **cursor, const char *sep);

#endif
