/*
 * tlsp_tlsmgr_queue.c - the order in which tlsmgr(8) requests go out
 *
 * A singly linked list with a tail pointer; the head is the call on the
 * wire when q->sent is set. Every rule in the header only ever looks at,
 * passes or merges calls that are not on the wire. Entries are compared
 * as byte strings ("type\0id"): the same entry is the same cache type
 * and the same cache id.
 *
 * See also: tlsp_tlsmgr.c (the client), spec tlsproxy-tls.md 4.4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "mem.h"

#include "tlsp_tlsmgr_queue.h"

void
tlsp_tlsmgr_queue_wipe(struct buf *b)
{
	if (b->data != NULL)
		OPENSSL_cleanse(b->data, b->size);
	buf_free(b);
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_call_create(enum tlsp_tlsmgr_kind kind, tlsp_tlsmgr_fn fn,
                        void *ctx)
{
	struct tlsp_tlsmgr_call *call = xcalloc(1, sizeof(*call));

	call->kind = kind;
	call->fn = fn;
	call->ctx = ctx;
	buf_init(&call->req);
	buf_init(&call->session);
	return call;
}

void
tlsp_tlsmgr_call_entry(struct tlsp_tlsmgr_call *call, const char *cache_type,
                       const char *cache_id, const void *session, size_t len)
{
	size_t type_len = strlen(cache_type), id_len = strlen(cache_id);

	free(call->entry);
	call->entry_len = type_len + 1 + id_len;
	call->entry = xmalloc(call->entry_len + 1);
	memcpy(call->entry, cache_type, type_len + 1);
	memcpy(call->entry + type_len + 1, cache_id, id_len + 1);
	if (call->kind == TLSP_TLSMGR_UPDATE && len > 0)
		buf_append(&call->session, session, len);
}

void
tlsp_tlsmgr_call_free(struct tlsp_tlsmgr_call *call)
{
	if (call == NULL)
		return;
	tlsp_tlsmgr_queue_wipe(&call->req);
	tlsp_tlsmgr_queue_wipe(&call->session);
	free(call->entry);
	free(call);
}

/* True if a and b are requests about the same cache entry. */
static int
tlsp_tlsmgr_queue_same(const struct tlsp_tlsmgr_call *a,
                       const struct tlsp_tlsmgr_call *b)
{
	return a->entry != NULL && b->entry != NULL &&
	       a->entry_len == b->entry_len &&
	       memcmp(a->entry, b->entry, a->entry_len) == 0;
}

/* True for the requests that write tlsmgr's cache. */
static int
tlsp_tlsmgr_queue_writes(const struct tlsp_tlsmgr_call *call)
{
	return call->kind == TLSP_TLSMGR_UPDATE ||
	       call->kind == TLSP_TLSMGR_DELETE;
}

/* The first call not on the wire. */
static struct tlsp_tlsmgr_call *
tlsp_tlsmgr_queue_waiting(const struct tlsp_tlsmgr_queue *q)
{
	return q->sent ? q->head->next : q->head;
}

/* Links call in after prev (NULL: at the head). */
static void
tlsp_tlsmgr_queue_link(struct tlsp_tlsmgr_queue *q,
                       struct tlsp_tlsmgr_call *prev,
                       struct tlsp_tlsmgr_call *call)
{
	struct tlsp_tlsmgr_call **link = prev ? &prev->next : &q->head;

	call->next = *link;
	*link = call;
	if (call->next == NULL)
		q->tail = call;
}

/* Gives call's request and session to into, whose own are dropped. */
static void
tlsp_tlsmgr_queue_merge(struct tlsp_tlsmgr_call *into,
                        struct tlsp_tlsmgr_call *call)
{
	struct buf swap;

	swap = into->req;
	into->req = call->req;
	call->req = swap;
	swap = into->session;
	into->session = call->session;
	call->session = swap;
	tlsp_tlsmgr_call_free(call);
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_queue_put(struct tlsp_tlsmgr_queue *q,
                      struct tlsp_tlsmgr_call *call)
{
	struct tlsp_tlsmgr_call *p, *prev = q->sent ? q->head : NULL;
	struct tlsp_tlsmgr_call *before_writes = NULL, *last_same = NULL;
	int writes_seen = 0, deleted = 0;

	for (p = tlsp_tlsmgr_queue_waiting(q); p != NULL; p = p->next) {
		if (tlsp_tlsmgr_queue_same(p, call)) {
			last_same = p;
			deleted |= p->kind == TLSP_TLSMGR_DELETE;
		}
		if (!writes_seen && tlsp_tlsmgr_queue_writes(p)) {
			writes_seen = 1;
			before_writes = prev;
		}
		prev = p;
	}
	if (call->kind == TLSP_TLSMGR_UPDATE && call->fn == NULL &&
	    last_same != NULL && last_same->kind == TLSP_TLSMGR_UPDATE &&
	    last_same->fn == NULL) {
		tlsp_tlsmgr_queue_merge(last_same, call);
		return last_same;
	}
	if (tlsp_tlsmgr_queue_writes(call) || !writes_seen) {
		tlsp_tlsmgr_queue_link(q, q->tail, call);
	} else if (call->kind == TLSP_TLSMGR_LOOKUP && deleted) {
		/* It must see the delete: the writes go now. */
		tlsp_tlsmgr_queue_link(q, q->tail, call);
		q->writes_go = 1;
	} else {
		tlsp_tlsmgr_queue_link(q, before_writes, call);
	}
	return call;
}

const struct buf *
tlsp_tlsmgr_queue_cached(const struct tlsp_tlsmgr_queue *q,
                         const struct tlsp_tlsmgr_call *call)
{
	const struct tlsp_tlsmgr_call *p, *last_same = NULL;

	for (p = q->head; p != NULL; p = p->next)
		if (tlsp_tlsmgr_queue_same(p, call) &&
		    tlsp_tlsmgr_queue_writes(p))
			last_same = p;
	if (last_same == NULL || last_same->kind != TLSP_TLSMGR_UPDATE ||
	    last_same->session.len == 0)
		return NULL;
	return &last_same->session;
}

int
tlsp_tlsmgr_queue_holding(const struct tlsp_tlsmgr_queue *q)
{
	const struct tlsp_tlsmgr_call *head = tlsp_tlsmgr_queue_waiting(q);

	return head != NULL && !q->writes_go && tlsp_tlsmgr_queue_writes(head);
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_queue_next(struct tlsp_tlsmgr_queue *q)
{
	struct tlsp_tlsmgr_call *call;

	if (q->sent)
		return NULL;
	/* A cancelled request that is not on the wire need not go. */
	while ((call = q->head) != NULL && call->cancelled) {
		q->head = call->next;
		tlsp_tlsmgr_call_free(call);
	}
	if (q->head == NULL) {
		q->tail = NULL;
		/* Nothing left: the next writes wait for a lookup again. */
		q->writes_go = 0;
		return NULL;
	}
	if (tlsp_tlsmgr_queue_holding(q))
		return NULL;
	q->sent = 1;
	return q->head;
}

void
tlsp_tlsmgr_queue_release_writes(struct tlsp_tlsmgr_queue *q)
{
	q->writes_go = 1;
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_queue_done(struct tlsp_tlsmgr_queue *q)
{
	struct tlsp_tlsmgr_call *call = q->head;

	if (!q->sent)
		return NULL;
	q->sent = 0;
	q->head = call->next;
	if (q->head == NULL)
		q->tail = NULL;
	call->next = NULL;
	if (call->kind == TLSP_TLSMGR_LOOKUP)
		q->writes_go = 1;
	return call;
}

struct tlsp_tlsmgr_call *
tlsp_tlsmgr_queue_take_all(struct tlsp_tlsmgr_queue *q)
{
	struct tlsp_tlsmgr_call *all = q->head;

	q->head = q->tail = NULL;
	q->sent = q->writes_go = 0;
	return all;
}
