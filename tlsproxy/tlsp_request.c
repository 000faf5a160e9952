/*
 * tlsp_request.c - parse the tlsproxy request header and body by name
 *
 * The structures are described by tables (attr_fields.h); this file adds
 * what a table cannot say: the two positional timeouts of the header,
 * where the flat body splits into PARAMS / INIT_PROPS / START_PROPS, the
 * argv and DANE groups, and which Postfix release sent the body.
 * Pure: no I/O, no logging; a failed parse leaves a reason.
 *
 * Limits: TLSP_REQUEST_* in tlsp_request.h, ATTR_FIELD_STR_MAX per string,
 * and the attribute decoder's own limits on the lists themselves.
 * See also: tlsp_reply.c; doc/tlsproxy-protocol.md sections 2.2, 2.3, 5.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "attr_fields.h"
#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_request.h"

const struct attr_limits tlsp_request_attr_limits = {
    .name_max = 100,
    .value_max = TLSP_REQUEST_TLSA_B64_MAX,
    .count_max = TLSP_REQUEST_PAIRS_MAX,
    .total_max = TLSP_REQUEST_BYTES_MAX,
};

/* clang-format off */
/* Table rows whose wire name is the member name. */
#define TLSP_STR(type, member, required)                                   \
	{ #member, ATTR_FIELD_STR, offsetof(type, member), required, 0, 0 }
#define TLSP_INT(type, member, required, lo, hi)                           \
	{ #member, ATTR_FIELD_INT, offsetof(type, member), required, lo, hi }
#define TLSP_BOOL(type, member, required) TLSP_INT(type, member, required, 0, 1)
#define TLSP_NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* clang-format on */

/* The header besides its two timeouts. */
#define HDR struct tlsp_request_header
static const struct attr_field tlsp_header_fields[] = {
    TLSP_STR(HDR, remote_endpoint, 1),
    TLSP_INT(HDR, flags, 1, INT_MIN, INT_MAX),
    TLSP_STR(HDR, serverid, 1),
};
#undef HDR

/* PARAMS of either role, every version: all optional. */
#define PAR struct tlsp_params
static const struct attr_field tlsp_params_fields[] = {
    TLSP_STR(PAR, config_file, 0),
    TLSP_STR(PAR, config_name, 0),
    TLSP_STR(PAR, tls_high_cipherlist, 0),
    TLSP_STR(PAR, tls_medium_cipherlist, 0),
    TLSP_STR(PAR, tls_low_cipherlist, 0),
    TLSP_STR(PAR, tls_export_cipherlist, 0),
    TLSP_STR(PAR, tls_null_cipherlist, 0),
    TLSP_STR(PAR, tls_eecdh_auto_curves, 0),
    TLSP_STR(PAR, tls_eecdh_strong_curve, 0),
    TLSP_STR(PAR, tls_eecdh_ultra_curve, 0),
    TLSP_STR(PAR, tls_ffdhe_auto_groups, 0),
    TLSP_STR(PAR, tls_disable_workarounds, 0),
    TLSP_STR(PAR, tls_ssl_options, 0),
    TLSP_STR(PAR, tls_dane_digests, 0),
    TLSP_STR(PAR, tlsmgr_service_name, 0),
    TLSP_STR(PAR, tls_session_ticket_cipher, 0),
    TLSP_STR(PAR, tls_server_sni_maps, 0),
    TLSP_INT(PAR, tls_daemon_random_bytes, 0, 0, INT_MAX),
    TLSP_INT(PAR, tls_append_default_CA, 0, 0, INT_MAX),
    TLSP_INT(PAR, tls_legacy_public_key_fingerprints, 0, 0, INT_MAX),
    TLSP_INT(PAR, tls_preempt_cipherlist, 0, 0, INT_MAX),
    TLSP_INT(PAR, tls_wildcard_matches_multiple_labels, 0, 0, INT_MAX),
    TLSP_INT(PAR, tls_fast_shutdown_enable, 0, 0, INT_MAX),
    TLSP_INT(PAR, tls_trust_server_ccerts, 0, 0, INT_MAX),
};
#undef PAR

#define CIN struct tlsp_tls_init
static const struct attr_field tlsp_client_init_fields[] = {
    TLSP_STR(CIN, log_param, 1),
    TLSP_STR(CIN, log_level, 1),
    TLSP_INT(CIN, verifydepth, 1, 0, TLSP_REQUEST_VERIFYDEPTH_MAX),
    TLSP_STR(CIN, cache_type, 1),
    TLSP_STR(CIN, chain_files, 1),
    TLSP_STR(CIN, cert_file, 1),
    TLSP_STR(CIN, key_file, 1),
    TLSP_STR(CIN, dcert_file, 1),
    TLSP_STR(CIN, dkey_file, 1),
    TLSP_STR(CIN, eccert_file, 1),
    TLSP_STR(CIN, eckey_file, 1),
    TLSP_STR(CIN, CAfile, 1),
    TLSP_STR(CIN, CApath, 1),
    TLSP_STR(CIN, mdalg, 1),
};
#undef CIN

/* START_PROPS scalars; the argv and DANE groups are read by hand. */
#define CST struct tlsp_client_start
static const struct attr_field tlsp_client_start_fields[] = {
    TLSP_STR(CST, log_param, 0),
    TLSP_STR(CST, log_level, 0),
    TLSP_INT(CST, timeout, 1, 0, INT_MAX),
    TLSP_BOOL(CST, enable_rpk, 0),
    TLSP_INT(CST, tls_level, 1, TLSP_LEV_NONE, TLSP_LEV_SECURE),
    TLSP_STR(CST, nexthop, 1),
    TLSP_STR(CST, host, 1),
    TLSP_STR(CST, namaddr, 1),
    TLSP_STR(CST, sni, 1),
    TLSP_STR(CST, serverid, 1),
    TLSP_STR(CST, helo, 1),
    TLSP_STR(CST, protocols, 1),
    TLSP_STR(CST, cipher_grade, 1),
    TLSP_STR(CST, cipher_exclusions, 1),
    TLSP_STR(CST, mdalg, 1),
    TLSP_BOOL(CST, dane, 1),
    TLSP_BOOL(CST, tlsrpt, 0),
    TLSP_STR(CST, forced_failure_type, 0),
    TLSP_INT(CST, trace_size_limit, 0, 0, INT_MAX),
    TLSP_STR(CST, trace_peer, 0),
};
#undef CST

#define SIN struct tlsp_server_init_props
static const struct attr_field tlsp_server_init_fields[] = {
    TLSP_STR(SIN, log_param, 1),
    TLSP_STR(SIN, log_level, 1),
    TLSP_INT(SIN, verifydepth, 1, 0, TLSP_REQUEST_VERIFYDEPTH_MAX),
    TLSP_STR(SIN, cache_type, 1),
    TLSP_BOOL(SIN, set_sessid, 1),
    TLSP_STR(SIN, chain_files, 1),
    TLSP_STR(SIN, cert_file, 1),
    TLSP_STR(SIN, key_file, 1),
    TLSP_STR(SIN, dcert_file, 1),
    TLSP_STR(SIN, dkey_file, 1),
    TLSP_STR(SIN, eccert_file, 1),
    TLSP_STR(SIN, eckey_file, 1),
    TLSP_STR(SIN, CAfile, 1),
    TLSP_STR(SIN, CApath, 1),
    TLSP_STR(SIN, protocols, 1),
    TLSP_STR(SIN, eecdh_grade, 1),
    TLSP_STR(SIN, dh1024_param_file, 1),
    TLSP_STR(SIN, dh512_param_file, 1),
    TLSP_BOOL(SIN, ask_ccert, 1),
    TLSP_STR(SIN, mdalg, 1),
};
#undef SIN

#define SST struct tlsp_server_start_props
static const struct attr_field tlsp_server_start_fields[] = {
    TLSP_STR(SST, log_param, 0),
    TLSP_STR(SST, log_level, 0),
    TLSP_INT(SST, timeout, 1, 0, INT_MAX),
    TLSP_BOOL(SST, enable_rpk, 0),
    TLSP_BOOL(SST, requirecert, 1),
    TLSP_STR(SST, serverid, 1),
    TLSP_STR(SST, namaddr, 1),
    TLSP_STR(SST, cipher_grade, 1),
    TLSP_STR(SST, cipher_exclusions, 1),
    TLSP_STR(SST, mdalg, 1),
    TLSP_INT(SST, trace_size_limit, 0, 0, INT_MAX),
    TLSP_STR(SST, trace_peer, 0),
};
#undef SST

/* Names that only occur inside a group, never on their own. */
static const char *const tlsp_group_members[] = {
    "argv_value", "domain", "count", "usage", "selector", "mtype", "data",
};

/* The fixed inner order of one TLSA record. */
static const char *const tlsp_tlsa_names[] = {
    "usage",
    "selector",
    "mtype",
    "data",
};

/* Where the flat body splits: [0, init) [init, start) [start, end). */
struct tlsp_body_split {
	size_t init, start, end;
};

static int tlsp_request_fail(struct tlsp_request *req, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
tlsp_request_fail(struct tlsp_request *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->reason, sizeof(req->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* Resets the PARAMS to "all absent". */
static void
tlsp_request_params_clear(struct tlsp_params *params)
{
	size_t i;

	attr_fields_free(tlsp_params_fields, TLSP_NELEM(tlsp_params_fields),
	                 params);
	for (i = 0; i < TLSP_NELEM(tlsp_params_fields); i++)
		if (tlsp_params_fields[i].type == ATTR_FIELD_INT)
			*(int *)(void *)((char *)params +
			                 tlsp_params_fields[i].offset) = -1;
}

static void
tlsp_request_client_start_clear(struct tlsp_client_start *start)
{
	size_t i;

	attr_fields_free(tlsp_client_start_fields,
	                 TLSP_NELEM(tlsp_client_start_fields), start);
	for (i = 0; i < start->match_count; i++)
		xfree_const(start->match[i]);
	xfree_const(start->match);
	for (i = 0; i < start->tlsa_count; i++)
		xfree_const(start->tlsa[i].data);
	xfree_const(start->tlsa);
	xfree_const(start->dane_domain);
	memset(start, 0, sizeof(*start));
}

/* Frees the strings of a table-described struct and zeroes it. */
#define TLSP_CLEAR(table, obj)                                                 \
	do {                                                                   \
		attr_fields_free((table), TLSP_NELEM(table), (obj));           \
		memset((obj), 0, sizeof(*(obj)));                              \
	} while (0)

/* Frees and zeroes every body structure. */
static void
tlsp_request_body_clear(struct tlsp_request *req)
{
	tlsp_request_params_clear(&req->params);
	TLSP_CLEAR(tlsp_client_init_fields, &req->client_init);
	tlsp_request_client_start_clear(&req->client_start);
	TLSP_CLEAR(tlsp_server_init_fields, &req->server_init);
	TLSP_CLEAR(tlsp_server_start_fields, &req->server_start);
	req->has_body = 0;
	req->peer = TLSP_PEER_V36;
}

struct tlsp_request *
tlsp_request_create(void)
{
	struct tlsp_request *req = xcalloc(1, sizeof(*req));

	tlsp_request_params_clear(&req->params);
	req->role = TLSP_ROLE_BOGUS;
	req->peer = TLSP_PEER_V36;
	return req;
}

void
tlsp_request_free(struct tlsp_request *req)
{
	if (req == NULL)
		return;
	attr_fields_free(tlsp_header_fields, TLSP_NELEM(tlsp_header_fields),
	                 &req->hdr);
	tlsp_request_body_clear(req);
	free(req);
}

const char *
tlsp_request_reason(const struct tlsp_request *req)
{
	return req->reason;
}

const char *
tlsp_role_str(enum tlsp_role role)
{
	switch (role) {
	case TLSP_ROLE_SERVER:
		return "server";
	case TLSP_ROLE_CLIENT:
		return "client";
	case TLSP_ROLE_BOGUS:
		break;
	}
	return "bogus";
}

const char *
tlsp_peer_version_str(enum tlsp_peer_version peer)
{
	switch (peer) {
	case TLSP_PEER_V36:
		return "3.6-3.8";
	case TLSP_PEER_V39:
		return "3.9";
	case TLSP_PEER_V310:
		return "3.10-3.11";
	case TLSP_PEER_HEAD:
		return "3.12-HEAD";
	}
	msg_panic("%s: bad version %d", __func__, (int)peer);
}

/* Role from the two role bits; other bits do not matter here. */
static enum tlsp_role
tlsp_request_role(unsigned flags)
{
	switch (flags & (TLSP_FLAG_ROLE_SERVER | TLSP_FLAG_ROLE_CLIENT)) {
	case TLSP_FLAG_ROLE_SERVER:
		return TLSP_ROLE_SERVER;
	case TLSP_FLAG_ROLE_CLIENT:
		return TLSP_ROLE_CLIENT;
	default:
		return TLSP_ROLE_BOGUS;
	}
}

/* The header's n-th timeout (0: handshake, 1: session). */
static int
tlsp_request_timeout(struct tlsp_request *req, const struct attr_pair *pair,
                     size_t n)
{
	int *slot[2] = {&req->hdr.handshake_timeout, &req->hdr.session_timeout};

	if (n >= 2)
		return tlsp_request_fail(
		    req, "header: more than two timeout attributes");
	return attr_fields_int(pair, "header", 1, TLSP_REQUEST_TIMEOUT_MAX,
	                       slot[n], req->reason);
}

int
tlsp_request_parse_header(struct tlsp_request *req,
                          const struct attr_list *list)
{
	struct attr_fields_run run;
	size_t i, timeouts = 0;

	TLSP_CLEAR(tlsp_header_fields, &req->hdr);
	req->role = TLSP_ROLE_BOGUS;
	attr_fields_begin(&run, tlsp_header_fields,
	                  TLSP_NELEM(tlsp_header_fields), &req->hdr, "header");
	for (i = 0; i < list->count; i++) {
		if (strcmp(list->pairs[i].name, "timeout") == 0) {
			if (tlsp_request_timeout(req, list->pairs + i,
			                         timeouts++) < 0)
				return -1;
		} else if (attr_fields_apply(&run, list->pairs + i,
		                             req->reason) < 0) {
			return -1;
		}
	}
	if (attr_fields_check(&run, req->reason) < 0)
		return -1;
	if (timeouts < 2)
		return tlsp_request_fail(
		    req, "header: missing attribute timeout (%zu of 2)",
		    timeouts);
	req->role = tlsp_request_role(req->hdr.flags);
	return 0;
}

/*
 * Finds the INIT_PROPS bounds: from the first log_param to the first
 * mdalg after it. A timeout or a second log_param first means INIT_PROPS
 * lacks its mdalg (START_PROPS has begun).
 */
static int
tlsp_request_split(struct tlsp_request *req, const struct attr_list *list,
                   struct tlsp_body_split *split)
{
	size_t i;

	split->end = list->count;
	for (i = 0; i < list->count; i++)
		if (strcmp(list->pairs[i].name, "log_param") == 0)
			break;
	if (i == list->count)
		return tlsp_request_fail(
		    req, "body: no INIT_PROPS (no log_param attribute)");
	split->init = i;
	for (i++; i < list->count; i++) {
		const char *name = list->pairs[i].name;

		if (strcmp(name, "mdalg") == 0) {
			split->start = i + 1;
			return 0;
		}
		if (strcmp(name, "timeout") == 0 ||
		    strcmp(name, "log_param") == 0)
			break;
	}
	return tlsp_request_fail(req, "INIT_PROPS: missing attribute mdalg");
}

/* Parses pairs [from, to) into one structure, skipping unknown names. */
static int
tlsp_request_parse_run(struct tlsp_request *req, const struct attr_list *list,
                       size_t from, size_t to, struct attr_fields_run *run)
{
	size_t i;

	for (i = from; i < to; i++)
		if (attr_fields_apply(run, list->pairs + i, req->reason) < 0)
			return -1;
	return attr_fields_check(run, req->reason);
}

/* Returns 1 if name is a group member (argv_value, TLSA fields, ...). */
static int
tlsp_request_is_member(const char *name)
{
	size_t i;

	for (i = 0; i < TLSP_NELEM(tlsp_group_members); i++)
		if (strcmp(name, tlsp_group_members[i]) == 0)
			return 1;
	return 0;
}

/* Returns 1 if pairs [at, at + n) exist before end and are all named name. */
static int
tlsp_request_run_of(const struct attr_list *list, size_t at, size_t end,
                    size_t n, const char *name)
{
	size_t i;

	if (n > end - at)
		return 0;
	for (i = at; i < at + n; i++)
		if (strcmp(list->pairs[i].name, name) != 0)
			return 0;
	return 1;
}

/*
 * An argv group at *at: argv_size n (0..TLSP_REQUEST_ARGV_MAX) then
 * exactly n argv_value, each checked as a string; what names the
 * structure in reasons. With keep, the values are stored in a new array
 * there (*count of them, owned by req); without, dropped once checked.
 * Advances *at past the group.
 */
static int
tlsp_request_argv(struct tlsp_request *req, const struct attr_list *list,
                  size_t *at, size_t end, const char *what,
                  const char *const **keep, size_t *count)
{
	const char **values = NULL;
	const char *value;
	size_t i;
	int n;

	if (attr_fields_int(list->pairs + *at, what, 0, TLSP_REQUEST_ARGV_MAX,
	                    &n, req->reason) < 0)
		return -1;
	if (!tlsp_request_run_of(list, *at + 1, end, (size_t)n, "argv_value"))
		return tlsp_request_fail(req,
		                         "%s: argv_size %d is not followed by "
		                         "%d argv_value",
		                         what, n, n);
	*at += 1;
	if (keep != NULL && n > 0)
		*keep = values = xcalloc((size_t)n, sizeof(*values));
	for (i = 0; i < (size_t)n; i++, *at += 1) {
		if (attr_fields_str(list->pairs + *at, what, &value,
		                    req->reason) < 0)
			return -1;
		if (values == NULL) {
			xfree_const(value);
		} else {
			values[i] = value;
			*count += 1;
		}
	}
	return 0;
}

/* The data of one TLSA record: base64, 1..TLSP_REQUEST_TLSA_DATA_MAX. */
static int
tlsp_request_tlsa_data(struct tlsp_request *req, const struct attr_pair *pair,
                       struct tlsp_tlsa *tlsa)
{
	const size_t b64_max = TLSP_REQUEST_TLSA_B64_MAX;
	struct buf raw;

	if (pair->value_len == 0 || pair->value_len > b64_max)
		return tlsp_request_fail(
		    req,
		    "START_PROPS: TLSA data of %zu base64 bytes is outside "
		    "1..%zu",
		    pair->value_len, b64_max);
	buf_init(&raw);
	if (attr_parse_data(pair->value, pair->value_len, &raw) < 0) {
		buf_free(&raw);
		return tlsp_request_fail(
		    req, "START_PROPS: malformed TLSA data (base64)");
	}
	if (raw.len == 0 || raw.len > TLSP_REQUEST_TLSA_DATA_MAX) {
		tlsp_request_fail(
		    req, "START_PROPS: TLSA data of %zu bytes exceeds %d",
		    raw.len, TLSP_REQUEST_TLSA_DATA_MAX);
		buf_free(&raw);
		return -1;
	}
	tlsa->data = xmemdup(raw.data, raw.len);
	tlsa->len = raw.len;
	buf_free(&raw);
	return 0;
}

/* One TLSA record: usage, selector, mtype (each 0..255), data. */
static int
tlsp_request_tlsa(struct tlsp_request *req, const struct attr_pair *pairs,
                  struct tlsp_tlsa *tlsa)
{
	unsigned char *slot[3] = {&tlsa->usage, &tlsa->selector, &tlsa->mtype};
	int value;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (attr_fields_int(pairs + i, "START_PROPS", 0, 255, &value,
		                    req->reason) < 0)
			return -1;
		*slot[i] = (unsigned char)value;
	}
	return tlsp_request_tlsa_data(req, pairs + 3, tlsa);
}

/* True when the 4 * n pairs at at are n records in their inner order. */
static int
tlsp_request_tlsa_shape(const struct attr_list *list, size_t at, size_t end,
                        size_t n)
{
	size_t i;

	if (n * 4 > end - at)
		return 0;
	for (i = 0; i < n * 4; i++)
		if (strcmp(list->pairs[at + i].name, tlsp_tlsa_names[i % 4]) !=
		    0)
			return 0;
	return 1;
}

/*
 * The DANE group after "dane 1", at *at: domain, count n, n records.
 * Legacy 3.4/3.5 senders put a trust-anchor count first: rejected.
 */
static int
tlsp_request_dane(struct tlsp_request *req, const struct attr_list *list,
                  size_t *at, size_t end)
{
	struct tlsp_client_start *start = &req->client_start;
	struct tlsp_tlsa *tlsa;
	int n;

	if (*at < end && strcmp(list->pairs[*at].name, "count") == 0)
		return tlsp_request_fail(
		    req, "START_PROPS: legacy Postfix 3.4/3.5 DANE encoding "
		         "is not supported");
	if (end - *at < 2 || strcmp(list->pairs[*at].name, "domain") != 0 ||
	    strcmp(list->pairs[*at + 1].name, "count") != 0)
		return tlsp_request_fail(
		    req,
		    "START_PROPS: dane 1 is not followed by domain and count");
	if (attr_fields_str(list->pairs + *at, "START_PROPS",
	                    &start->dane_domain, req->reason) < 0 ||
	    attr_fields_int(list->pairs + *at + 1, "START_PROPS", 0,
	                    TLSP_REQUEST_TLSA_MAX, &n, req->reason) < 0)
		return -1;
	*at += 2;
	if (!tlsp_request_tlsa_shape(list, *at, end, (size_t)n))
		return tlsp_request_fail(
		    req,
		    "START_PROPS: count %d is not followed by %d TLSA records "
		    "(usage, selector, mtype, data)",
		    n, n);
	if (n == 0)
		return 0;
	start->tlsa = tlsa = xcalloc((size_t)n, sizeof(*tlsa));
	for (; start->tlsa_count < (size_t)n; *at += 4) {
		if (tlsp_request_tlsa(req, list->pairs + *at,
		                      tlsa + start->tlsa_count++) < 0)
			return -1;
	}
	return 0;
}

/* The TLSRPT group after "tlsrpt 1", in its fixed order ("" = argv). */
static const struct tlsp_tlsrpt_item {
	const char *name;
	int is_int;
} tlsp_tlsrpt_items[] = {
    {"rpt_socket_name", 0},
    {"rpt_policy_domain", 0},
    {"rpt_policy_string", 0},
    {"tls_policy_type", 1},
    {"", 0},
    {"tls_policy_domain", 0},
    {"", 0},
    {"snd_mta_addr", 0},
    {"rcv_mta_name", 0},
    {"rcv_mta_addr", 0},
    {"rcv_mta_ehlo", 0},
    {"skip_reused_hs", 1},
    {"flags", 1},
};

/*
 * The TLSRPT group after "tlsrpt 1", at *at: every item in order, each
 * checked as the other fields are; only skip_reused_hs and flags are kept
 * (tlsproxy produces no reports itself). Advances *at past the group.
 */
static int
tlsp_request_tlsrpt(struct tlsp_request *req, const struct attr_list *list,
                    size_t *at, size_t end)
{
	struct tlsp_client_start *start = &req->client_start;
	const struct tlsp_tlsrpt_item *item;
	const char *value;
	int num;

	for (item = tlsp_tlsrpt_items;
	     item < tlsp_tlsrpt_items + TLSP_NELEM(tlsp_tlsrpt_items); item++) {
		const char *want = *item->name ? item->name : "argv_size";

		if (*at >= end || strcmp(list->pairs[*at].name, want) != 0)
			return tlsp_request_fail(
			    req, "TLSRPT: missing attribute %s after tlsrpt 1",
			    want);
		if (!*item->name) {
			/* An argv group of its own: checked, not kept. */
			if (tlsp_request_argv(req, list, at, end, "TLSRPT",
			                      NULL, NULL) < 0)
				return -1;
			continue;
		}
		if (item->is_int) {
			if (attr_fields_int(list->pairs + *at, "TLSRPT", 0,
			                    INT_MAX, &num, req->reason) < 0)
				return -1;
			if (strcmp(item->name, "skip_reused_hs") == 0)
				start->tlsrpt_skip_reused_hs = num != 0;
			else if (strcmp(item->name, "flags") == 0)
				start->tlsrpt_flags = num;
		} else {
			if (attr_fields_str(list->pairs + *at, "TLSRPT", &value,
			                    req->reason) < 0)
				return -1;
			xfree_const(value);
		}
		*at += 1;
	}
	return 0;
}

/*
 * One START_PROPS pair at *at: a group, a scalar, or an unknown name
 * (skipped). Advances *at past what it consumed.
 */
static int
tlsp_request_start_pair(struct tlsp_request *req, const struct attr_list *list,
                        size_t *at, size_t end, struct attr_fields_run *run)
{
	const struct attr_pair *pair = list->pairs + *at;
	int rc;

	if (strcmp(pair->name, "argv_size") == 0)
		return tlsp_request_argv(req, list, at, end, "START_PROPS",
		                         &req->client_start.match,
		                         &req->client_start.match_count);
	if (tlsp_request_is_member(pair->name))
		return tlsp_request_fail(
		    req, "START_PROPS: %s outside its group", pair->name);
	if ((rc = attr_fields_apply(run, pair, req->reason)) < 0)
		return -1;
	*at += 1;
	if (rc == 0)
		return 0;
	if (strcmp(pair->name, "tlsrpt") == 0 && req->client_start.tlsrpt)
		return tlsp_request_tlsrpt(req, list, at, end);
	if (strcmp(pair->name, "dane") == 0 && req->client_start.dane)
		return tlsp_request_dane(req, list, at, end);
	return 0;
}

/* Which release sent a client body, from the names it carries. */
static enum tlsp_peer_version
tlsp_request_client_peer(const struct attr_fields_run *params,
                         const struct attr_fields_run *start)
{
	if (attr_fields_seen(start, "log_param") ||
	    attr_fields_seen(start, "trace_size_limit") ||
	    attr_fields_seen(start, "trace_peer") ||
	    attr_fields_seen(params, "tls_fast_shutdown_enable"))
		return TLSP_PEER_HEAD;
	if (attr_fields_seen(start, "forced_failure_type") ||
	    attr_fields_seen(start, "tlsrpt"))
		return TLSP_PEER_V310;
	if (attr_fields_seen(start, "enable_rpk"))
		return TLSP_PEER_V39;
	return TLSP_PEER_V36;
}

static int
tlsp_request_client_body(struct tlsp_request *req, const struct attr_list *list,
                         const struct tlsp_body_split *split,
                         struct attr_fields_run *params)
{
	struct attr_fields_run init, start;
	size_t at;
	int have_argv = 0;

	attr_fields_begin(&init, tlsp_client_init_fields,
	                  TLSP_NELEM(tlsp_client_init_fields),
	                  &req->client_init, "INIT_PROPS");
	if (tlsp_request_parse_run(req, list, split->init, split->start,
	                           &init) < 0)
		return -1;
	attr_fields_begin(&start, tlsp_client_start_fields,
	                  TLSP_NELEM(tlsp_client_start_fields),
	                  &req->client_start, "START_PROPS");
	for (at = split->start; at < split->end;) {
		if (strcmp(list->pairs[at].name, "argv_size") == 0 &&
		    have_argv++)
			return tlsp_request_fail(
			    req, "START_PROPS: repeated argv group");
		if (tlsp_request_start_pair(req, list, &at, split->end,
		                            &start) < 0)
			return -1;
	}
	if (attr_fields_check(&start, req->reason) < 0)
		return -1;
	if (!have_argv)
		return tlsp_request_fail(
		    req, "START_PROPS: missing attribute argv_size");
	req->peer = tlsp_request_client_peer(params, &start);
	return 0;
}

/* Only the 3.12 snapshot sends a server body. */
static int
tlsp_request_server_body(struct tlsp_request *req, const struct attr_list *list,
                         const struct tlsp_body_split *split)
{
	struct attr_fields_run init, start;

	attr_fields_begin(&init, tlsp_server_init_fields,
	                  TLSP_NELEM(tlsp_server_init_fields),
	                  &req->server_init, "INIT_PROPS");
	if (tlsp_request_parse_run(req, list, split->init, split->start,
	                           &init) < 0)
		return -1;
	attr_fields_begin(&start, tlsp_server_start_fields,
	                  TLSP_NELEM(tlsp_server_start_fields),
	                  &req->server_start, "START_PROPS");
	if (tlsp_request_parse_run(req, list, split->start, split->end,
	                           &start) < 0)
		return -1;
	req->peer = TLSP_PEER_HEAD;
	return 0;
}

/* The request's string, else ours. */
static const char *
tlsp_request_or(const char *theirs, const char *ours)
{
	return theirs != NULL ? theirs : ours;
}

void
tlsp_request_tls_params(const struct tlsp_request *req,
                        const struct tlsp_tls_params *ours,
                        struct tlsp_tls_params *out)
{
	const struct tlsp_params *in = &req->params;
	/* 3.8+ send a medium list and no low or export one (the engine
	 * then uses medium for those grades, as they do). */
	int v38 = in->tls_medium_cipherlist != NULL;

	/* The server role's settings stay unset: 0 and NULL. */
	memset(out, 0, sizeof(*out));
	out->tls_config_file =
	    tlsp_request_or(in->config_file, ours->tls_config_file);
	out->tls_config_name =
	    tlsp_request_or(in->config_name, ours->tls_config_name);
	out->tls_high_cipherlist =
	    tlsp_request_or(in->tls_high_cipherlist, ours->tls_high_cipherlist);
	out->tls_medium_cipherlist = tlsp_request_or(
	    in->tls_medium_cipherlist, ours->tls_medium_cipherlist);
	out->tls_low_cipherlist =
	    v38 ? in->tls_low_cipherlist
	        : tlsp_request_or(in->tls_low_cipherlist,
	                          ours->tls_low_cipherlist);
	out->tls_export_cipherlist =
	    v38 ? in->tls_export_cipherlist
	        : tlsp_request_or(in->tls_export_cipherlist,
	                          ours->tls_export_cipherlist);
	out->tls_null_cipherlist =
	    tlsp_request_or(in->tls_null_cipherlist, ours->tls_null_cipherlist);
	out->tls_eecdh_auto_curves = tlsp_request_or(
	    in->tls_eecdh_auto_curves, ours->tls_eecdh_auto_curves);
	/* Absent: a 3.6/3.7 client, whose groups are its curves alone. */
	out->tls_ffdhe_auto_groups = in->tls_ffdhe_auto_groups;
	out->tls_disable_workarounds = tlsp_request_or(
	    in->tls_disable_workarounds, ours->tls_disable_workarounds);
	out->tls_ssl_options =
	    tlsp_request_or(in->tls_ssl_options, ours->tls_ssl_options);
	out->tls_dane_digests =
	    tlsp_request_or(in->tls_dane_digests, ours->tls_dane_digests);
	out->tls_append_default_CA = in->tls_append_default_CA >= 0
	                                 ? in->tls_append_default_CA
	                                 : ours->tls_append_default_CA;
	/* 3.11 dropped the setting: absent means no. */
	out->tls_legacy_public_key_fingerprints =
	    in->tls_legacy_public_key_fingerprints > 0;
}

int
tlsp_request_parse_body(struct tlsp_request *req, const struct attr_list *list)
{
	struct attr_fields_run params;
	struct tlsp_body_split split = {0, 0, 0};

	if (req->role == TLSP_ROLE_BOGUS)
		msg_panic("%s: no header with a valid role", __func__);
	tlsp_request_body_clear(req);
	req->has_body = 1;
	if (tlsp_request_split(req, list, &split) < 0)
		return -1;
	attr_fields_begin(&params, tlsp_params_fields,
	                  TLSP_NELEM(tlsp_params_fields), &req->params,
	                  "PARAMS");
	if (tlsp_request_parse_run(req, list, 0, split.init, &params) < 0)
		return -1;
	if (req->role == TLSP_ROLE_CLIENT)
		return tlsp_request_client_body(req, list, &split, &params);
	return tlsp_request_server_body(req, list, &split);
}
