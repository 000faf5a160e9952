/*
 * tlsp_golden.c - golden tlsproxy bytes and editable attribute lists
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "buf.h"
#include "mem.h"
#include "tlsp_golden.h"

#ifndef TESTDATA_DIR
#error "compile with -DTESTDATA_DIR=\"<srcdir>/tests/data\""
#endif

void
tlsp_golden_load(const char *name, struct buf *out)
{
	char path[512], chunk[4096];
	size_t got;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", TESTDATA_DIR, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	buf_init(out);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(out, chunk, got);
	fclose(fp);
}

static void
tlsp_tlist_copy(struct tlsp_tlist *tl, const struct attr_list *list)
{
	size_t i;

	tl->count = list->count;
	tl->pairs = xcalloc(list->count + 1, sizeof(*tl->pairs));
	tl->view_pairs = NULL;
	for (i = 0; i < list->count; i++) {
		tl->pairs[i].name = xstrdup(list->pairs[i].name);
		tl->pairs[i].value =
		    xmemdup(list->pairs[i].value, list->pairs[i].value_len);
		tl->pairs[i].value_len = list->pairs[i].value_len;
	}
}

void
tlsp_tlist_golden(struct tlsp_tlist *tl, const char *name, size_t index)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	enum attr_dec_status status;
	struct buf bytes;
	size_t at = 0, used, n;

	tlsp_golden_load(name, &bytes);
	for (n = 0;; n++) {
		status =
		    attr_dec_feed(dec, bytes.data + at, bytes.len - at, &used);
		ck_assert_msg(status == ATTR_DEC_OK, "%s: list %zu: status %d",
		              name, n, (int)status);
		at += used;
		if (n == index)
			break;
		attr_dec_reset(dec);
	}
	tlsp_tlist_copy(tl, attr_dec_list(dec));
	attr_dec_free(dec);
	buf_free(&bytes);
}

size_t
tlsp_tlist_find(const struct tlsp_tlist *tl, const char *name, size_t nth)
{
	size_t i;

	for (i = 0; i < tl->count; i++)
		if (strcmp(tl->pairs[i].name, name) == 0 && nth-- == 0)
			return i;
	ck_abort_msg("no pair %s", name);
	return 0;
}

static void
tlsp_tlist_drop(struct tlsp_tpair *pair)
{
	free(pair->name);
	free(pair->value);
}

void
tlsp_tlist_remove(struct tlsp_tlist *tl, size_t at)
{
	ck_assert_uint_lt(at, tl->count);
	tlsp_tlist_drop(tl->pairs + at);
	memmove(tl->pairs + at, tl->pairs + at + 1,
	        (tl->count - at - 1) * sizeof(*tl->pairs));
	tl->count--;
}

void
tlsp_tlist_insert(struct tlsp_tlist *tl, size_t at, const char *name,
                  const char *value)
{
	ck_assert_uint_le(at, tl->count);
	tl->pairs = xreallocarray(tl->pairs, tl->count + 1, sizeof(*tl->pairs));
	memmove(tl->pairs + at + 1, tl->pairs + at,
	        (tl->count - at) * sizeof(*tl->pairs));
	tl->pairs[at].name = xstrdup(name);
	tl->pairs[at].value = xstrdup(value);
	tl->pairs[at].value_len = strlen(value);
	tl->count++;
}

void
tlsp_tlist_set(struct tlsp_tlist *tl, size_t at, const char *value)
{
	ck_assert_uint_lt(at, tl->count);
	free(tl->pairs[at].value);
	tl->pairs[at].value = xstrdup(value);
	tl->pairs[at].value_len = strlen(value);
}

void
tlsp_tlist_swap(struct tlsp_tlist *tl, size_t i, size_t j)
{
	struct tlsp_tpair tmp = tl->pairs[i];

	tl->pairs[i] = tl->pairs[j];
	tl->pairs[j] = tmp;
}

void
tlsp_tlist_truncate(struct tlsp_tlist *tl, size_t count)
{
	while (tl->count > count)
		tlsp_tlist_remove(tl, tl->count - 1);
}

const struct attr_list *
tlsp_tlist_list(struct tlsp_tlist *tl)
{
	size_t i;

	tl->view_pairs = xreallocarray(tl->view_pairs, tl->count + 1,
	                               sizeof(*tl->view_pairs));
	for (i = 0; i < tl->count; i++) {
		tl->view_pairs[i].name = tl->pairs[i].name;
		tl->view_pairs[i].value = tl->pairs[i].value;
		tl->view_pairs[i].value_len = tl->pairs[i].value_len;
	}
	tl->view.pairs = tl->view_pairs;
	tl->view.count = tl->count;
	return &tl->view;
}

void
tlsp_tlist_free(struct tlsp_tlist *tl)
{
	size_t i;

	for (i = 0; i < tl->count; i++)
		tlsp_tlist_drop(tl->pairs + i);
	free(tl->pairs);
	free(tl->view_pairs);
	tl->pairs = NULL;
	tl->view_pairs = NULL;
	tl->count = 0;
}
