/*
 * tr_out.h - what tlsreuse(1) prints: JSON lines and safe plain text
 *
 * Much of what the tool shows comes from outside: certificate names
 * from remote servers, labels, map contents. Nothing of it reaches the
 * terminal or a JSON reader as is: plain text gets '?' for every
 * control byte and every byte that is not part of valid UTF-8; JSON
 * strings get escapes, and U+FFFD for invalid UTF-8, so every line is
 * valid JSON.
 *
 * A JSON line is one object built in a struct tr_json: begin with the
 * object's "type", add members (nested arrays and objects allowed),
 * then tr_json_end() writes the line.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_OUT_H
#define TLSREUSE_TLSREUSE_TR_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

#define TR_JSON_DEPTH_MAX 8

struct tr_json {
	struct buf text;
	int depth;                      /* open objects and arrays */
	int count[TR_JSON_DEPTH_MAX];   /* members so far at each level */
	char closer[TR_JSON_DEPTH_MAX]; /* ']' or '}' for each level */
};

/* Starts {"type":"<type>". j starts zeroed ({0}); reuse it freely. */
void tr_json_begin(struct tr_json *j, const char *type);

/* Members; name is NULL inside an array. */
void tr_json_str(struct tr_json *j, const char *name, const char *value);
void tr_json_strn(struct tr_json *j, const char *name, const char *value,
    size_t len);
void tr_json_int(struct tr_json *j, const char *name, long long value);
void tr_json_bool(struct tr_json *j, const char *name, int value);

/* Milliseconds as seconds with three decimals: 1500 -> 1.500. */
void tr_json_ms(struct tr_json *j, const char *name, long long ms);

/* Nested arrays and objects; each begin has its end. */
void tr_json_array(struct tr_json *j, const char *name);
void tr_json_object(struct tr_json *j, const char *name);
void tr_json_close(struct tr_json *j);

/* Closes the object, writes the line and a newline to out, resets j.
 * Panics if a nested array or object is still open. */
void tr_json_end(struct tr_json *j, FILE *out);

void tr_json_free(struct tr_json *j);

/* Appends len bytes as the content of a JSON string (no quotes). */
void tr_out_json_escape(struct buf *out, const char *text, size_t len);

/* Appends len bytes for a terminal: '?' for what is not printable. */
void tr_out_safe(struct buf *out, const char *text, size_t len);

/* The same for text of several lines: newlines and tabs stay. */
void tr_out_safe_lines(struct buf *out, const char *text, size_t len);

#endif
