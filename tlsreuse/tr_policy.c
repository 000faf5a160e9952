/*
 * tr_policy.c - the connection_reuse entries of smtp_tls_policy_maps
 *
 * Map lists split as Postfix splits them: at commas and blanks outside
 * "{ }". A map is "type:name"; proxy: is dropped before the type is
 * looked at. Table text is read as postmap(1) reads its input. Only
 * entries that say connection_reuse= are kept: that is all the status
 * needs, and it keeps a big table cheap.
 *
 * Limits: TR_POLICY_FILE_MAX bytes per file, TR_POLICY_ENTRIES_MAX
 * entries per map (the rest counted in "more").
 * Errors: none; an unreadable map gets a note.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "mem.h"
#include "tr_file.h"
#include "tr_policy.h"

#define TR_POLICY_BLANKS " \t\r\n\v\f"

static int
tr_policy_blank(int ch)
{
	return ch && strchr(TR_POLICY_BLANKS, ch) != NULL;
}

/* A copy of [text, text + len) without blanks at either end. */
static char *
tr_policy_trim(const char *text, size_t len)
{
	while (len > 0 && tr_policy_blank((unsigned char)*text)) {
		text++;
		len--;
	}
	while (len > 0 && tr_policy_blank((unsigned char)text[len - 1]))
		len--;
	return xstrndup(text, len);
}

int
tr_policy_reuse(const char *value)
{
	static const char name[] = "connection_reuse=";
	const char *p = value;
	size_t n;

	while (*p) {
		while (tr_policy_blank((unsigned char)*p))
			p++;
		n = strcspn(p, TR_POLICY_BLANKS);
		if (n > sizeof(name) - 1 &&
		    strncasecmp(p, name, sizeof(name) - 1) == 0) {
			p += sizeof(name) - 1;
			n -= sizeof(name) - 1;
			if (n == 3 && strncasecmp(p, "yes", 3) == 0)
				return 1;
			if (n == 2 && strncasecmp(p, "no", 2) == 0)
				return 0;
		}
		p += n;
	}
	return -1;
}

static void
tr_policy_add(struct tr_policy_map *map, char *key, char *value)
{
	int reuse = tr_policy_reuse(value);
	struct tr_policy_entry *e;

	if (reuse < 0 || map->count >= TR_POLICY_ENTRIES_MAX) {
		map->more += reuse >= 0;
		free(key);
		free(value);
		return;
	}
	if (map->count == map->capacity) {
		map->capacity = map->capacity ? 2 * map->capacity : 8;
		map->entry = xreallocarray(map->entry, map->capacity,
		    sizeof(*map->entry));
	}
	e = &map->entry[map->count++];
	e->key = key;
	e->value = value;
	e->reuse = reuse;
}

/* One logical line of table text: "key value". */
static void
tr_policy_add_line(struct tr_policy_map *map, const char *line, size_t len)
{
	size_t key_len = 0;

	while (key_len < len && !tr_policy_blank((unsigned char)line[key_len]))
		key_len++;
	tr_policy_add(map, xstrndup(line, key_len),
	    tr_policy_trim(line + key_len, len - key_len));
}

void
tr_policy_add_table(struct tr_policy_map *map, const char *text, size_t len)
{
	struct buf logical;
	const char *line, *end = text + len, *nl, *p;

	buf_init(&logical);
	for (line = text; line < end; line = nl ? nl + 1 : end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		for (p = line; p < (nl ? nl : end) &&
		     tr_policy_blank((unsigned char)*p); p++)
			;
		/* Blank and comment lines neither start nor end an entry. */
		if (p == (nl ? nl : end) || *p == '#')
			continue;
		if (p == line && logical.len > 0) {
			tr_policy_add_line(map, logical.data, logical.len);
			buf_reset(&logical);
		}
		if (p != line && logical.len == 0)
			continue; /* a continuation of nothing */
		if (logical.len > 0)
			buf_putc(&logical, ' ');
		buf_append(&logical, p, (size_t)((nl ? nl : end) - p));
	}
	if (logical.len > 0)
		tr_policy_add_line(map, logical.data, logical.len);
	buf_free(&logical);
}

/* The end of the item at p: a "{...}" group or up to a comma/blank. */
static const char *
tr_policy_item_end(const char *p)
{
	int depth = 0;

	if (*p != '{')
		return p + strcspn(p, ", \t\r\n");
	for (; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return p + 1;
	}
	return p;
}

/* "{ text }" -> "text"; otherwise the text, trimmed. */
static char *
tr_policy_unbrace(const char *text)
{
	char *t = tr_policy_trim(text, strlen(text));
	size_t len = strlen(t);
	char *inner;

	if (len < 2 || t[0] != '{' || t[len - 1] != '}')
		return t;
	inner = tr_policy_trim(t + 1, len - 2);
	free(t);
	return inner;
}

void
tr_policy_add_inline(struct tr_policy_map *map, const char *body)
{
	char *inner = tr_policy_unbrace(body);
	const char *p, *end, *eq;
	char *item;

	for (p = inner; *p; p = end) {
		if (*p == ',' || tr_policy_blank((unsigned char)*p)) {
			end = p + 1;
			continue;
		}
		end = tr_policy_item_end(p);
		item = xstrndup(p, (size_t)(end - p));
		if (*p == '{') {
			char *unbraced = tr_policy_unbrace(item);

			free(item);
			item = unbraced;
		}
		if ((eq = strchr(item, '=')) != NULL)
			tr_policy_add(map, tr_policy_trim(item,
			    (size_t)(eq - item)), tr_policy_trim(eq + 1,
			    strlen(eq + 1)));
		free(item);
	}
	free(inner);
}

static void __attribute__((format(printf, 2, 3)))
tr_policy_note(struct tr_policy_map *map, const char *fmt, ...)
{
	struct buf note;
	va_list ap;

	buf_init(&note);
	va_start(ap, fmt);
	buf_vprintf(&note, fmt, ap);
	va_end(ap);
	free(map->note);
	map->note = note.data;
}

/* Reads a table file into map; 0, or -1 with a note. */
static int
tr_policy_read_file(struct tr_policy_map *map, const char *path)
{
	struct buf text;

	buf_init(&text);
	if (tr_file_read(path, TR_POLICY_FILE_MAX, &text) < 0) {
		tr_policy_note(map, "cannot read %s: %s", path,
		    strerror(errno));
		buf_free(&text);
		return -1;
	}
	tr_policy_add_table(map, buf_str(&text), text.len);
	buf_free(&text);
	map->listed = xstrdup(path);
	return 0;
}

/* The file suffix postmap(1) gives each indexed type. */
static const char *
tr_policy_db_suffix(const char *type, size_t len)
{
	static const struct {
		const char *type;
		const char *suffix;
	} types[] = {
		{"hash", ".db"}, {"btree", ".db"}, {"lmdb", ".lmdb"},
		{"cdb", ".cdb"}, {"dbm", ".pag"}, {"sdbm", ".pag"},
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].type) == len &&
		    strncmp(types[i].type, type, len) == 0)
			return types[i].suffix;
	return NULL;
}

/* An indexed map, through its source file. */
static void
tr_policy_read_source(struct tr_policy_map *map, const char *path,
    const char *suffix)
{
	struct stat src, db;
	char *db_path;

	if (stat(path, &src) < 0) {
		tr_policy_note(map, "no source file %s beside the map", path);
		return;
	}
	if (tr_policy_read_file(map, path) < 0)
		return;
	db_path = xmalloc(strlen(path) + strlen(suffix) + 1);
	strcpy(db_path, path);
	strcat(db_path, suffix);
	if (stat(db_path, &db) == 0 && src.st_mtime > db.st_mtime)
		tr_policy_note(map, "%s is newer than %s: run postmap", path,
		    db_path);
	free(db_path);
}

static void
tr_policy_read_map(struct tr_policy_map *map, const char *spec)
{
	const char *type = spec, *colon, *suffix;
	size_t len;

	map->spec = xstrdup(spec);
	while (strncmp(type, "proxy:", 6) == 0)
		type += 6;
	if ((colon = strchr(type, ':')) == NULL) {
		tr_policy_note(map, "not a type:name map");
		return;
	}
	len = (size_t)(colon - type);
	if (len == 8 && strncmp(type, "texthash", len) == 0) {
		tr_policy_read_file(map, colon + 1);
	} else if (len == 6 && strncmp(type, "inline", len) == 0) {
		tr_policy_add_inline(map, colon + 1);
		map->listed = xstrdup("inline");
	} else if (len == 6 && strncmp(type, "static", len) == 0) {
		tr_policy_add(map, xstrdup("*"), tr_policy_unbrace(colon + 1));
		map->listed = xstrdup("static");
	} else if ((suffix = tr_policy_db_suffix(type, len)) != NULL) {
		tr_policy_read_source(map, colon + 1, suffix);
	} else {
		tr_policy_note(map, "%.*s: maps of this type cannot be listed",
		    (int)len, type);
	}
}

void
tr_policy_read(struct tr_policy *policy, const char *maps)
{
	const char *p = maps, *end;
	char *spec;

	memset(policy, 0, sizeof(*policy));
	while (*p) {
		if (*p == ',' || tr_policy_blank((unsigned char)*p)) {
			p++;
			continue;
		}
		/* "type:{...}" keeps its blanks and commas. */
		for (end = p; *end && *end != ',' &&
		     !tr_policy_blank((unsigned char)*end);)
			end = *end == '{' ? tr_policy_item_end(end) : end + 1;
		spec = xstrndup(p, (size_t)(end - p));
		policy->map = xreallocarray(policy->map, policy->count + 1,
		    sizeof(*policy->map));
		memset(&policy->map[policy->count], 0, sizeof(*policy->map));
		tr_policy_read_map(&policy->map[policy->count++], spec);
		free(spec);
		p = *end ? end + 1 : end;
	}
}

void
tr_policy_free(struct tr_policy *policy)
{
	struct tr_policy_map *m;
	size_t i, j;

	for (i = 0; i < policy->count; i++) {
		m = &policy->map[i];
		for (j = 0; j < m->count; j++) {
			free(m->entry[j].key);
			free(m->entry[j].value);
		}
		free(m->entry);
		free(m->spec);
		free(m->listed);
		free(m->note);
	}
	free(policy->map);
	memset(policy, 0, sizeof(*policy));
}
