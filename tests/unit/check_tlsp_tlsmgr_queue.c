/*
 * check_tlsp_tlsmgr_queue.c - tests for tlsproxy/tlsp_tlsmgr_queue.c
 *
 * Each row of the order table is a script of calls put into an empty
 * queue, and the order in which tlsp_tlsmgr_queue_next() must then hand
 * them out, each answered (tlsp_tlsmgr_queue_done()) before the next.
 * Script words: "L:x" lookup of entry x, "U:x=s" update of x with session
 * s (nobody waiting), "W:x=s" the same with a caller waiting, "D:x"
 * delete, "P" a policy request; "!" sends the head now (it is then on
 * the wire while the rest is put); "go" lets the writes go.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "tlsp_tlsmgr_queue.h"

Suite *tlsp_tlsmgr_queue_suite(void);

static void
ignore_reply(const struct tlsp_tlsmgr_reply *reply, void *ctx)
{
	(void)reply;
	(void)ctx;
}

/* A call for one script word; its req holds the word, for the order. */
static struct tlsp_tlsmgr_call *
word_call(const char *word)
{
	static const struct {
		char c;
		enum tlsp_tlsmgr_kind kind;
	} kinds[] = {{'L', TLSP_TLSMGR_LOOKUP}, {'U', TLSP_TLSMGR_UPDATE},
	             {'W', TLSP_TLSMGR_UPDATE}, {'D', TLSP_TLSMGR_DELETE},
	             {'P', TLSP_TLSMGR_POLICY}};
	struct tlsp_tlsmgr_call *call = NULL;
	char id[16] = "", session[16] = "";
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (word[0] == kinds[i].c)
			call = tlsp_tlsmgr_call_create(
			    kinds[i].kind, word[0] == 'W' ? ignore_reply : NULL,
			    NULL);
	ck_assert_msg(call != NULL, "bad word %s", word);
	buf_append(&call->req, word, strlen(word));
	if (word[0] != 'P') {
		ck_assert_int_ge(sscanf(word + 2, "%15[^=]=%15s", id, session),
		                 1);
		tlsp_tlsmgr_call_entry(call, "smtp", id, session,
		                       strlen(session));
	}
	return call;
}

/* Runs script on q; returns the words handed out, in order. */
static void
run_script(struct tlsp_tlsmgr_queue *q, const char *script, struct buf *out)
{
	char *copy = strdup(script), *word, *save = NULL;
	struct tlsp_tlsmgr_call *call;

	for (word = strtok_r(copy, " ", &save); word != NULL;
	     word = strtok_r(NULL, " ", &save)) {
		if (strcmp(word, "!") == 0)
			ck_assert_ptr_nonnull(tlsp_tlsmgr_queue_next(q));
		else if (strcmp(word, "go") == 0)
			tlsp_tlsmgr_queue_release_writes(q);
		else
			(void)tlsp_tlsmgr_queue_put(q, word_call(word));
	}
	free(copy);
	for (;;) {
		if (!q->sent && tlsp_tlsmgr_queue_next(q) == NULL) {
			if (!tlsp_tlsmgr_queue_holding(q))
				break;
			buf_append(out, "| ", 2); /* held until let go */
			tlsp_tlsmgr_queue_release_writes(q);
			continue;
		}
		call = tlsp_tlsmgr_queue_done(q);
		buf_append(out, call->req.data, call->req.len);
		buf_putc(out, ' ');
		tlsp_tlsmgr_call_free(call);
	}
}

static const struct {
	const char *name, *script, *order;
} orders[] = {
    {"plain lookups keep their order", "L:a L:b", "L:a L:b "},
    {"writes wait for a lookup", "U:a=1 D:b", "| U:a=1 D:b "},
    {"a lookup lets waiting writes go", "U:a=1 L:b", "L:b U:a=1 "},
    {"a lookup passes writes of other entries", "L:x ! U:a=1 D:b L:c",
     "L:x L:c U:a=1 D:b "},
    {"a policy request passes writes too", "L:x ! U:a=1 P", "L:x P U:a=1 "},
    {"requests keep their order among themselves", "L:x ! U:a=1 L:b L:c",
     "L:x L:b L:c U:a=1 "},
    {"a lookup waits behind a delete of its entry", "U:b=1 D:a L:a",
     "U:b=1 D:a L:a "},
    {"updates of one entry merge into the last", "U:a=1 U:b=2 U:a=3",
     "| U:a=3 U:b=2 "},
    {"no merge across a delete", "U:a=1 D:a U:a=2", "| U:a=1 D:a U:a=2 "},
    {"no merge with a waited-for update", "W:a=1 U:a=2 W:a=3 U:a=4",
     "| W:a=1 U:a=2 W:a=3 U:a=4 "},
    {"no merge into the update on the wire", "go U:a=1 ! U:a=2",
     "U:a=1 U:a=2 "},
};

START_TEST(test_tlsp_tlsmgr_queue_hands_out_in_order)
{
	struct tlsp_tlsmgr_queue q = {0};
	struct buf out;

	buf_init(&out);
	run_script(&q, orders[_i].script, &out);
	ck_assert_msg(strcmp(buf_str(&out), orders[_i].order) == 0,
	              "%s: got \"%s\", want \"%s\"", orders[_i].name,
	              buf_str(&out), orders[_i].order);
	ck_assert_ptr_null(q.head);
	buf_free(&out);
}
END_TEST

/* Puts script (no "!", no "go") into q. */
static void
put_all(struct tlsp_tlsmgr_queue *q, const char *script)
{
	char *copy = strdup(script), *word, *save = NULL;

	for (word = strtok_r(copy, " ", &save); word != NULL;
	     word = strtok_r(NULL, " ", &save))
		(void)tlsp_tlsmgr_queue_put(q, word_call(word));
	free(copy);
}

/* Frees whatever the queue holds. */
static void
drain(struct tlsp_tlsmgr_queue *q)
{
	struct tlsp_tlsmgr_call *call = tlsp_tlsmgr_queue_take_all(q), *next;

	for (; call != NULL; call = next) {
		next = call->next;
		tlsp_tlsmgr_call_free(call);
	}
}

static const struct {
	const char *name, *script, *entry, *session;
} cached[] = {
    {"the last update's session", "U:a=1 U:b=2 U:a=3", "a", "3"},
    {"a waited-for update counts", "W:a=1", "a", "1"},
    {"nothing after a delete", "U:a=1 D:a", "a", NULL},
    {"an update after a delete", "U:a=1 D:a U:a=2", "a", "2"},
    {"another entry", "U:a=1", "b", NULL},
    {"a lookup is no write", "L:a", "a", NULL},
};

START_TEST(test_tlsp_tlsmgr_queue_cached_session)
{
	struct tlsp_tlsmgr_queue q = {0};
	struct tlsp_tlsmgr_call *lookup;
	const struct buf *got;
	char word[16];

	put_all(&q, cached[_i].script);
	snprintf(word, sizeof(word), "L:%s", cached[_i].entry);
	lookup = word_call(word);
	got = tlsp_tlsmgr_queue_cached(&q, lookup);
	if (cached[_i].session == NULL) {
		ck_assert_msg(got == NULL, "%s", cached[_i].name);
	} else {
		ck_assert_msg(got != NULL, "%s", cached[_i].name);
		ck_assert_uint_eq(got->len, strlen(cached[_i].session));
		ck_assert_mem_eq(got->data, cached[_i].session, got->len);
	}
	tlsp_tlsmgr_call_free(lookup);
	drain(&q);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_queue_on_the_wire_update_still_answers)
{
	struct tlsp_tlsmgr_queue q = {0};
	struct tlsp_tlsmgr_call *lookup = word_call("L:a");
	const struct buf *got;

	tlsp_tlsmgr_queue_release_writes(&q);
	put_all(&q, "U:a=1");
	ck_assert_ptr_nonnull(tlsp_tlsmgr_queue_next(&q));
	got = tlsp_tlsmgr_queue_cached(&q, lookup);
	ck_assert_ptr_nonnull(got);
	ck_assert_mem_eq(got->data, "1", 1);
	tlsp_tlsmgr_call_free(tlsp_tlsmgr_queue_done(&q));
	ck_assert_ptr_null(tlsp_tlsmgr_queue_cached(&q, lookup));
	tlsp_tlsmgr_call_free(lookup);
}
END_TEST

START_TEST(test_tlsp_tlsmgr_queue_skips_cancelled_calls)
{
	struct tlsp_tlsmgr_queue q = {0};
	struct tlsp_tlsmgr_call *a = word_call("L:a"), *b = word_call("L:b");

	(void)tlsp_tlsmgr_queue_put(&q, a);
	(void)tlsp_tlsmgr_queue_put(&q, b);
	a->cancelled = 1;
	ck_assert_ptr_eq(tlsp_tlsmgr_queue_next(&q), b);
	ck_assert_ptr_null(tlsp_tlsmgr_queue_next(&q)); /* one on the wire */
	ck_assert_ptr_eq(tlsp_tlsmgr_queue_done(&q), b);
	ck_assert_ptr_null(tlsp_tlsmgr_queue_done(&q));
	tlsp_tlsmgr_call_free(b);
	ck_assert_ptr_null(q.head);
	ck_assert_ptr_null(q.tail);
}
END_TEST

Suite *
tlsp_tlsmgr_queue_suite(void)
{
	Suite *s = suite_create("tlsp_tlsmgr_queue");
	TCase *tc = tcase_create("order");

	tcase_add_loop_test(tc, test_tlsp_tlsmgr_queue_hands_out_in_order, 0,
	                    sizeof(orders) / sizeof(orders[0]));
	tcase_add_loop_test(tc, test_tlsp_tlsmgr_queue_cached_session, 0,
	                    sizeof(cached) / sizeof(cached[0]));
	tcase_add_test(tc,
	               test_tlsp_tlsmgr_queue_on_the_wire_update_still_answers);
	tcase_add_test(tc, test_tlsp_tlsmgr_queue_skips_cancelled_calls);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_tlsmgr_queue_suite)
