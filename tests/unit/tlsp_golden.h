/*
 * tlsp_golden.h - golden tlsproxy bytes and editable attribute lists
 *
 * Test helpers shared by check_tlsp_request.c and check_tlsp_reply.c:
 * load a file from tests/data (TESTDATA_DIR), decode the attribute lists
 * in it, and edit a list (remove, insert, replace, swap pairs) to build
 * the malformed and reordered variants of a golden request.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_TLSP_GOLDEN_H
#define TLSREUSE_TESTS_TLSP_GOLDEN_H

#include <stddef.h>

#include "attr_dec.h"
#include "buf.h"

/* Reads tests/data/<name> into out (fails the test if it cannot). */
void tlsp_golden_load(const char *name, struct buf *out);

/* One owned pair of an editable list. */
struct tlsp_tpair {
	char *name;
	char *value;
	size_t value_len;
};

/* An editable copy of one attribute list. */
struct tlsp_tlist {
	struct tlsp_tpair *pairs;
	size_t count;
	struct attr_pair *view_pairs; /* rebuilt by tlsp_tlist_list() */
	struct attr_list view;
};

/*
 * Decodes list number index (0: first) of tests/data/<name> into tl with
 * the default decoder limits; fails the test unless it decodes.
 */
void tlsp_tlist_golden(struct tlsp_tlist *tl, const char *name, size_t index);

/* Index of the nth (0: first) pair named name, or fails the test. */
size_t tlsp_tlist_find(const struct tlsp_tlist *tl, const char *name,
                       size_t nth);

void tlsp_tlist_remove(struct tlsp_tlist *tl, size_t at);
void tlsp_tlist_insert(struct tlsp_tlist *tl, size_t at, const char *name,
                       const char *value);
void tlsp_tlist_set(struct tlsp_tlist *tl, size_t at, const char *value);
void tlsp_tlist_swap(struct tlsp_tlist *tl, size_t i, size_t j);

/* Keeps only the first count pairs. */
void tlsp_tlist_truncate(struct tlsp_tlist *tl, size_t count);

/* The list as the parser sees it; valid until the next edit. */
const struct attr_list *tlsp_tlist_list(struct tlsp_tlist *tl);

void tlsp_tlist_free(struct tlsp_tlist *tl);

#endif
