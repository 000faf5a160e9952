/*
 * tlsp_sni_map.c - tls_server_sni_maps without Postfix's dict library
 *
 * The server role only needs "SNI name -> PEM chain" lookups. The map
 * types whose data is plain text in main.cf or a file (inline, texthash,
 * static) are read here, before the jail, with every right-hand side
 * replaced by the contents of the files it names, as Postfix opens SNI
 * maps with "RHS is file". Indexed and networked types need Postfix's
 * dict library; they are refused with one start-up warning.
 *
 * Limits: TLSP_SNI_MAP_ENTRIES_MAX, TLSP_SNI_MAP_PEM_MAX,
 * TLSP_SNI_MAP_LINE_MAX. Errors: a broken map is kept and fails every
 * lookup that reaches it, with stock's warning.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_sni_map.h"

struct tlsp_sni_entry {
	char *key; /* lower case; NULL for static: */
	char *pem;
};

struct tlsp_sni_one {
	char *type;
	char *name;
	char *broken; /* why the map cannot be used, or NULL */
	struct tlsp_sni_entry *entry;
	size_t count;
};

struct tlsp_sni_map {
	struct tlsp_sni_one *maps;
	size_t count;
};

/* Leading and trailing white space removed, in place. */
static char *
tlsp_sni_map_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

/* "{text}" -> "text" trimmed; -1 if the braces do not balance. */
static int
tlsp_sni_map_unbrace(char **s)
{
	size_t len = strlen(*s);

	if (**s != '{')
		return 0;
	if (len < 2 || (*s)[len - 1] != '}')
		return -1;
	(*s)[len - 1] = 0;
	*s = tlsp_sni_map_trim(*s + 1);
	return 0;
}

/* Appends file's contents to pem; 0, or -1 with why. */
static int
tlsp_sni_map_read_file(const char *file, struct buf *pem, struct buf *why)
{
	FILE *fp = fopen(file, "r");
	char chunk[4096];
	size_t n;
	int ret = 0;

	if (fp == 0) {
		buf_printf(why, "open %s: %s", file, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (pem->len + n > TLSP_SNI_MAP_PEM_MAX) {
			buf_printf(why, "file too large: %s", file);
			ret = -1;
			break;
		}
		buf_append(pem, chunk, n);
	}
	if (ret == 0 && ferror(fp)) {
		buf_printf(why, "read %s: %s", file, strerror(errno));
		ret = -1;
	}
	fclose(fp);
	return ret;
}

/* The joined contents of the files named in list; NULL with why. */
static char *
tlsp_sni_map_files(const char *list, struct buf *why)
{
	char *copy = xstrdup(list);
	char *cp = copy;
	char *file;
	struct buf pem;
	char *result = 0;
	int nfiles = 0;

	buf_init(&pem);
	while ((file = token_next_braced(&cp, TOKEN_SEP_LIST)) != 0) {
		nfiles++;
		if (tlsp_sni_map_read_file(file, &pem, why) < 0)
			break;
	}
	if (nfiles == 0)
		buf_printf(why, "empty pathname list: >>%s<<'", list);
	else if (file == 0)
		result = xstrdup(buf_str(&pem));
	buf_free(&pem);
	free(copy);
	return result;
}

/* Adds key -> pem (both taken over); first entry of a key wins. */
static int
tlsp_sni_map_add(struct tlsp_sni_one *m, char *key, char *pem, struct buf *why)
{
	char *cp;

	if (m->count >= TLSP_SNI_MAP_ENTRIES_MAX) {
		buf_printf(why, "more than %d entries",
		           TLSP_SNI_MAP_ENTRIES_MAX);
		free(key);
		free(pem);
		return -1;
	}
	for (cp = key; cp && *cp; cp++)
		*cp = (char)tolower((unsigned char)*cp);
	m->entry = xreallocarray(m->entry, m->count + 1, sizeof(*m->entry));
	m->entry[m->count].key = key;
	m->entry[m->count++].pem = pem;
	return 0;
}

/* One "name = files" of an inline map; 0 or -1 with why. */
static int
tlsp_sni_map_inline_pair(struct tlsp_sni_one *m, char *pair, struct buf *why)
{
	char *eq;
	char *key;
	char *pem;

	if (tlsp_sni_map_unbrace(&pair) < 0 || (eq = strchr(pair, '=')) == 0) {
		buf_printf(why, "missing '=' after attribute name");
		return -1;
	}
	*eq = 0;
	key = tlsp_sni_map_trim(pair);
	if (*key == 0) {
		buf_printf(why, "missing attribute name");
		return -1;
	}
	if ((pem = tlsp_sni_map_files(tlsp_sni_map_trim(eq + 1), why)) == 0)
		return -1;
	return tlsp_sni_map_add(m, xstrdup(key), pem, why);
}

/* inline:{name=files, ...}; 0 or -1 with why. */
static int
tlsp_sni_map_inline(struct tlsp_sni_one *m, struct buf *why)
{
	char *copy = xstrdup(m->name);
	char *body = copy;
	char *pair;
	int ret = 0;

	if (*body != '{' || tlsp_sni_map_unbrace(&body) < 0 || *body == 0) {
		free(copy);
		buf_printf(why,
		           "bad syntax: \"inline:%s\"; need "
		           "\"inline:{name=value...}\"",
		           m->name);
		return -1;
	}
	while (ret == 0 && (pair = token_next_braced(&body, TOKEN_SEP_LIST)))
		ret = tlsp_sni_map_inline_pair(m, pair, why);
	free(copy);
	if (ret < 0) {
		buf_printf(why,
		           ": \"inline:%s\"; need \"inline:{name="
		           "filename...}\"",
		           m->name);
	}
	return ret;
}

/* static:files or static:{files}; 0 or -1 with why. */
static int
tlsp_sni_map_static(struct tlsp_sni_one *m, struct buf *why)
{
	char *copy = xstrdup(m->name);
	char *files = copy;
	char *pem = 0;

	if (tlsp_sni_map_unbrace(&files) == 0)
		pem = tlsp_sni_map_files(files, why);
	else
		buf_printf(why, "bad syntax: \"static:%s\"", m->name);
	free(copy);
	if (pem == 0)
		return -1;
	return tlsp_sni_map_add(m, 0, pem, why);
}

/* One logical texthash line "key whitespace files"; skips bad ones. */
static void
tlsp_sni_map_thash_line(struct tlsp_sni_one *m, char *line, int lineno)
{
	char *key = line;
	char *value = line + strcspn(line, " \t");
	struct buf why;
	char *pem;

	if (*value == 0) {
		msg_warn("%s, line %d: expected format: key whitespace value",
		         m->name, lineno);
		return;
	}
	*value++ = 0;
	buf_init(&why);
	if ((pem = tlsp_sni_map_files(tlsp_sni_map_trim(value), &why)) == 0)
		msg_warn("%s, line %d: %s: skipping this entry", m->name,
		         lineno, buf_str(&why));
	else if (tlsp_sni_map_add(m, xstrdup(key), pem, &why) < 0)
		msg_warn("%s, line %d: %s: skipping this entry", m->name,
		         lineno, buf_str(&why));
	buf_free(&why);
}

/* A texthash logical line being assembled. */
struct tlsp_sni_thash {
	struct buf text;
	int lineno; /* where it started */
	int too_long;
};

/* Ends the logical line (if any) and handles it. */
static void
tlsp_sni_map_thash_flush(struct tlsp_sni_one *m, struct tlsp_sni_thash *t)
{
	if (t->too_long)
		msg_warn("%s, line %d: line longer than %d bytes: skipping "
		         "this entry",
		         m->name, t->lineno, TLSP_SNI_MAP_LINE_MAX);
	else if (t->text.len > 0)
		tlsp_sni_map_thash_line(m, t->text.data, t->lineno);
	buf_reset(&t->text);
	t->too_long = 0;
}

/* Adds one trimmed physical line to the logical line. */
static void
tlsp_sni_map_thash_add(struct tlsp_sni_thash *t, const char *line, int fits)
{
	size_t len = strlen(line);

	if (!fits ||
	    t->text.len + (t->text.len > 0) + len > TLSP_SNI_MAP_LINE_MAX) {
		t->too_long = 1;
		return;
	}
	if (t->text.len > 0)
		buf_putc(&t->text, ' ');
	buf_puts(&t->text, line);
}

/* One physical line, without its newline: 1, 0 at EOF, or -1 when it
 * was longer than TLSP_SNI_MAP_LINE_MAX (the rest is skipped). */
static int
tlsp_sni_map_getline(FILE *fp, char *line, int size)
{
	int ch;

	if (fgets(line, size, fp) == 0)
		return 0;
	if (strchr(line, '\n') == 0 && !feof(fp)) {
		while ((ch = getc(fp)) != EOF && ch != '\n')
			;
		return -1;
	}
	line[strcspn(line, "\r\n")] = 0;
	return 1;
}

/* texthash:/path - Postfix's "key value" text, '#' comments, indented
 * continuation lines. 0 or -1 with why (file unreadable). */
static int
tlsp_sni_map_thash(struct tlsp_sni_one *m, struct buf *why)
{
	FILE *fp = fopen(m->name, "r");
	char line[TLSP_SNI_MAP_LINE_MAX + 2];
	struct tlsp_sni_thash t = {.lineno = 0};
	int lineno = 0;
	int got;

	if (fp == 0) {
		buf_printf(why, "open database %s: %s", m->name,
		           strerror(errno));
		return -1;
	}
	buf_init(&t.text);
	while ((got = tlsp_sni_map_getline(fp, line, sizeof(line))) != 0) {
		lineno++;
		if (line[0] == '#' ||
		    (got > 0 && tlsp_sni_map_trim(line)[0] == 0))
			continue;
		if (!isspace((unsigned char)line[0])) {
			tlsp_sni_map_thash_flush(m, &t);
			t.lineno = lineno;
		}
		tlsp_sni_map_thash_add(&t, tlsp_sni_map_trim(line), got > 0);
	}
	tlsp_sni_map_thash_flush(m, &t);
	buf_free(&t.text);
	fclose(fp);
	return 0;
}

/* Reads one map of a supported type; marks it broken on failure. */
static void
tlsp_sni_map_load(struct tlsp_sni_one *m)
{
	struct buf why;
	int ret;

	buf_init(&why);
	if (strcmp(m->type, "inline") == 0)
		ret = tlsp_sni_map_inline(m, &why);
	else if (strcmp(m->type, "static") == 0)
		ret = tlsp_sni_map_static(m, &why);
	else
		ret = tlsp_sni_map_thash(m, &why);
	if (ret < 0) {
		msg_error("%s", buf_str(&why));
		m->broken = xstrdup(buf_str(&why));
	}
	buf_free(&why);
}

/* Whether type is one this module reads. */
static int
tlsp_sni_map_supported(const char *type)
{
	return strcmp(type, "inline") == 0 || strcmp(type, "texthash") == 0 ||
	       strcmp(type, "static") == 0;
}

/* Splits "type:name" into a new list member; -1 (warned) if unusable. */
static int
tlsp_sni_map_item(struct tlsp_sni_map *map, const char *item)
{
	const char *colon = strchr(item, ':');
	struct tlsp_sni_one *m;

	if (colon == 0 || colon == item) {
		msg_warn("tls_server_sni_maps: \"%s\": need map type:name; "
		         "SNI support is disabled",
		         item);
		return -1;
	}
	map->maps =
	    xreallocarray(map->maps, map->count + 1, sizeof(*map->maps));
	m = &map->maps[map->count++];
	memset(m, 0, sizeof(*m));
	m->type = xstrndup(item, (size_t)(colon - item));
	m->name = xstrdup(colon + 1);
	if (!tlsp_sni_map_supported(m->type)) {
		msg_warn(
		    "tls_server_sni_maps: map type \"%s\" is not "
		    "supported by this tlsproxy (only inline, texthash and "
		    "static); SNI support is disabled",
		    m->type);
		return -1;
	}
	tlsp_sni_map_load(m);
	return 0;
}

struct tlsp_sni_map *
tlsp_sni_map_open(const char *spec)
{
	struct tlsp_sni_map *map = xcalloc(1, sizeof(*map));
	char *copy = xstrdup(spec ? spec : "");
	char *cp = copy;
	char *item;

	while ((item = token_next_braced(&cp, TOKEN_SEP_LIST)) != 0) {
		if (tlsp_sni_map_item(map, item) < 0) {
			tlsp_sni_map_free(map);
			map = 0;
			break;
		}
	}
	free(copy);
	if (map && map->count == 0) {
		tlsp_sni_map_free(map);
		map = 0;
	}
	return map;
}

void
tlsp_sni_map_free(struct tlsp_sni_map *map)
{
	size_t i;
	size_t j;

	if (map == 0)
		return;
	for (i = 0; i < map->count; i++) {
		for (j = 0; j < map->maps[i].count; j++) {
			free(map->maps[i].entry[j].key);
			free(map->maps[i].entry[j].pem);
		}
		free(map->maps[i].entry);
		free(map->maps[i].type);
		free(map->maps[i].name);
		free(map->maps[i].broken);
	}
	free(map->maps);
	free(map);
}

/* key (lower case) in one map; NULL if absent. */
static const char *
tlsp_sni_map_get(const struct tlsp_sni_one *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		if (m->entry[i].key == 0 || strcmp(m->entry[i].key, key) == 0)
			return m->entry[i].pem;
	return 0;
}

/* key in the maps in order; NULL with *error on a broken map. */
static const char *
tlsp_sni_map_find_key(const struct tlsp_sni_map *map, const char *key,
                      int *error)
{
	const struct tlsp_sni_one *m;
	const char *pem;
	size_t i;

	for (i = 0; i < map->count; i++) {
		m = &map->maps[i];
		if (m->broken) {
			msg_warn("%s:%s is unavailable. %s", m->type, m->name,
			         m->broken);
			*error = 1;
			return 0;
		}
		if ((pem = tlsp_sni_map_get(m, key)) != 0)
			return pem;
	}
	return 0;
}

const char *
tlsp_sni_map_find(const struct tlsp_sni_map *map, const char *sni, int *error)
{
	char *key = xstrdup(sni);
	const char *cp = key;
	const char *pem;
	char *p;

	for (p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*error = 0;
	do {
		pem = tlsp_sni_map_find_key(map, cp, error);
	} while (pem == 0 && !*error && (cp = strchr(cp + 1, '.')) != 0);
	free(key);
	return pem;
}

/* One character of a hostname; updates the label state. 0 if bad. */
static int
tlsp_sni_valid_char(const char *cp, int *label_len, int *non_numeric)
{
	int ch = (unsigned char)*cp;

	if (isalnum(ch) || ch == '_') {
		if (++*label_len > 63)
			return 0;
		if (!isdigit(ch))
			*non_numeric = 1;
		return 1;
	}
	if (ch == '.') {
		if (*label_len == 0 || cp[1] == 0)
			return 0;
		*label_len = 0;
		return 1;
	}
	if (ch == '-') {
		*non_numeric = 1;
		return ++*label_len > 1 && cp[1] != 0 && cp[1] != '.';
	}
	return 0;
}

int
tlsp_sni_valid_hostname(const char *name)
{
	const char *cp;
	int label_len = 0;
	int non_numeric = 0;

	if (*name == 0)
		return 0;
	for (cp = name; *cp; cp++)
		if (!tlsp_sni_valid_char(cp, &label_len, &non_numeric))
			return 0;
	return non_numeric && cp - name <= 255;
}
