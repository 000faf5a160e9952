/*
 * tlsp_tlsmgr_wire.c - tlsmgr(8) requests and replies as attr0 lists
 *
 * Requests are written in stock tlsproxy's order (request first, then
 * the arguments; integers printed unsigned, DATA in base64) with
 * attr_enc; replies are read by name from an attr_dec list, with the
 * stock receiver's number and base64 rules (attr_parse_*).
 * See also: tlsp_tlsmgr.c (the transports); doc/tlsproxy-protocol.md
 * section 4.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "buf.h"
#include "msg.h"

#include "tlsp_tlsmgr_wire.h"

const struct attr_limits tlsp_tlsmgr_wire_limits = {
    .name_max = 100,
    .value_max = TLSP_TLSMGR_VALUE_MAX,
    .count_max = TLSP_TLSMGR_PAIRS_MAX,
    .total_max = TLSP_TLSMGR_LIST_MAX,
};

/* --- requests */

void
tlsp_tlsmgr_wire_seed(struct buf *out, int size)
{
	attr_enc_str(out, "request", "seed");
	attr_enc_int(out, "size", size);
	attr_enc_end(out);
}

void
tlsp_tlsmgr_wire_policy(struct buf *out, const char *cache_type)
{
	attr_enc_str(out, "request", "policy");
	attr_enc_str(out, "cache_type", cache_type);
	attr_enc_end(out);
}

void
tlsp_tlsmgr_wire_entry(struct buf *out, enum tlsp_tlsmgr_kind kind,
                       const char *cache_type, const char *cache_id,
                       const void *session, size_t len)
{
	const char *request = kind == TLSP_TLSMGR_LOOKUP   ? "lookup"
	                      : kind == TLSP_TLSMGR_UPDATE ? "update"
	                      : kind == TLSP_TLSMGR_DELETE ? "delete"
	                                                   : NULL;

	if (request == NULL)
		msg_panic("%s: not a cache entry request: %d", __func__,
		          (int)kind);
	attr_enc_str(out, "request", request);
	attr_enc_str(out, "cache_type", cache_type);
	attr_enc_str(out, "cache_id", cache_id);
	if (kind == TLSP_TLSMGR_UPDATE)
		attr_enc_data(out, "session", session, len);
	attr_enc_end(out);
}

void
tlsp_tlsmgr_wire_tktkey(struct buf *out, const void *keyname, size_t len)
{
	attr_enc_str(out, "request", "tktkey");
	attr_enc_data(out, "keyname", keyname, len);
	attr_enc_end(out);
}

/* --- replies */

/* Reads a required integer; 0 or -1. */
static int
tlsp_tlsmgr_wire_int(const struct attr_list *list, const char *name, int *value)
{
	const struct attr_pair *pair = attr_list_get(list, name);

	return pair != NULL ? attr_parse_int(pair->value, value) : -1;
}

/* The DATA attribute a reply of this kind carries, or NULL. */
static const char *
tlsp_tlsmgr_wire_data_name(enum tlsp_tlsmgr_kind kind)
{
	switch (kind) {
	case TLSP_TLSMGR_SEED:
		return "seed";
	case TLSP_TLSMGR_LOOKUP:
		return "session";
	case TLSP_TLSMGR_TKTKEY:
		return "keybuf";
	default:
		return NULL;
	}
}

int
tlsp_tlsmgr_wire_decode(enum tlsp_tlsmgr_kind kind,
                        const struct attr_list *list, struct buf *value,
                        struct tlsp_tlsmgr_reply *reply)
{
	const char *data_name = tlsp_tlsmgr_wire_data_name(kind);
	const struct attr_pair *pair;

	memset(reply, 0, sizeof(*reply));
	if (tlsp_tlsmgr_wire_int(list, "status", &reply->status) < 0)
		return -1;
	if (kind == TLSP_TLSMGR_POLICY &&
	    (tlsp_tlsmgr_wire_int(list, "cachable", &reply->cachable) < 0 ||
	     tlsp_tlsmgr_wire_int(list, "timeout", &reply->timeout) < 0))
		return -1;
	if (data_name == NULL)
		return 0;
	if ((pair = attr_list_get(list, data_name)) == NULL ||
	    attr_parse_data(pair->value, pair->value_len, value) < 0)
		return -1;
	if (reply->status == TLSP_TLSMGR_OK) {
		reply->data = value->data;
		reply->len = value->len;
	}
	return 0;
}

int
tlsp_tlsmgr_wire_hello(const struct attr_list *list)
{
	struct attr_cursor cur;
	const char *proto;

	attr_cursor_init(&cur, list);
	if (attr_cursor_str(&cur, "protocol", &proto) < 0 ||
	    strcmp(proto, "tlsmgr_protocol") != 0)
		return -1;
	return attr_cursor_end(&cur);
}
