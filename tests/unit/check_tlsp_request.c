/*
 * check_tlsp_request.c - tests for tlsproxy/tlsp_request.c
 *
 * The golden requests of stock smtp(8) and postscreen(8) 3.6.4, 3.7.11,
 * 3.8.6, 3.10.13 and 3.12-20260821 (tests/data, from the shared golden
 * transcripts) parse to their concrete values and to the right release
 * family; then variants of them: reordered, extra, missing, repeated,
 * oversized, malformed and truncated pairs, the argv and TLSA limits at
 * and one past the limit, the rejected legacy DANE form and the TLSRPT
 * group; and the global settings the client engine makes of a request.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "buf.h"
#include "mem.h"
#include "runner.h"
#include "tlsp_golden.h"
#include "tlsp_request.h"

Suite *tlsp_request_suite(void);

/* Golden client requests: per-run values and the version markers. */
struct client_golden {
	const char *version;
	const char *port; /* of remote_endpoint and namaddr */
	const char *start_serverid;
	enum tlsp_peer_version peer;
	const char *config_file;    /* NULL: absent (3.6.4) */
	int has_low_cipherlist;     /* 3.6, 3.7 */
	int legacy_pkey_fpt;        /* -1: absent (HEAD) */
	int fast_shutdown;          /* -1: absent (before HEAD) */
	const char *forced_failure; /* NULL: absent (before 3.10) */
};

static const struct client_golden client_goldens[] = {
    {"3.6.4", "21847", "smtp&[127.0.0.1]:21847&127.0.0.1&127.0.0.1&",
     TLSP_PEER_V36, NULL, 1, 0, -1, NULL},
    {"3.7.11", "40584", "smtp&[127.0.0.1]:40584&127.0.0.1&127.0.0.1&",
     TLSP_PEER_V36, "default", 1, 0, -1, NULL},
    {"3.8.6", "35331", "smtp&[127.0.0.1]:35331&127.0.0.1&127.0.0.1&",
     TLSP_PEER_V36, "default", 0, 0, -1, NULL},
    {"3.10.13", "20359", "smtp&[127.0.0.1]:20359&127.0.0.1&127.0.0.1&8&&",
     TLSP_PEER_V310, "default", 0, 0, -1, ""},
    {"3.12-20260821", "48101", "smtp&[127.0.0.1]:48101&127.0.0.1&127.0.0.1&8&&",
     TLSP_PEER_HEAD, "default", 0, -1, 1, ""},
};

/* Parses list 0 of file as header and list 1 (if any) as body. */
static struct tlsp_request *
parse_golden(const char *file, int with_body)
{
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr, body;

	tlsp_tlist_golden(&hdr, file, 0);
	ck_assert_msg(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)) ==
	                  0,
	              "%s: %s", file, tlsp_request_reason(req));
	if (with_body) {
		tlsp_tlist_golden(&body, file, 1);
		ck_assert_msg(
		    tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
		    "%s: %s", file, tlsp_request_reason(req));
		tlsp_tlist_free(&body);
	}
	tlsp_tlist_free(&hdr);
	return req;
}

static void
assert_client_header(const struct tlsp_request *req, const char *port)
{
	char endpoint[64];

	snprintf(endpoint, sizeof(endpoint), "[127.0.0.1]:%s", port);
	ck_assert_str_eq(req->hdr.remote_endpoint, endpoint);
	ck_assert_uint_eq(req->hdr.flags, 6);
	ck_assert_int_eq(req->role, TLSP_ROLE_CLIENT);
	ck_assert_int_eq(req->hdr.handshake_timeout, 300);
	ck_assert_int_eq(req->hdr.session_timeout, 600);
	ck_assert_str_eq(req->hdr.serverid, "smtp");
}

static void
assert_client_init(const struct tlsp_tls_init *init)
{
	ck_assert_str_eq(init->log_param, "smtp_tls_loglevel");
	ck_assert_str_eq(init->log_level, "1");
	ck_assert_int_eq(init->verifydepth, 9);
	ck_assert_str_eq(init->cache_type, "smtp");
	ck_assert_str_eq(init->chain_files, "");
	ck_assert_str_eq(init->cert_file, "");
	ck_assert_str_eq(init->key_file, "");
	ck_assert_str_eq(init->eckey_file, "");
	ck_assert_str_eq(init->CAfile, "/srv/sandbx/tls/ca.pem");
	ck_assert_str_eq(init->CApath, "");
	ck_assert_str_eq(init->mdalg, "sha256");
}

static void
assert_client_start(const struct tlsp_client_start *start,
                    const struct client_golden *g)
{
	char namaddr[64];

	snprintf(namaddr, sizeof(namaddr), "127.0.0.1[127.0.0.1]:%s", g->port);
	ck_assert_int_eq(start->timeout, 300);
	ck_assert_int_eq(start->tls_level, 8);
	ck_assert_str_eq(start->nexthop, "127.0.0.1");
	ck_assert_str_eq(start->host, "127.0.0.1");
	ck_assert_str_eq(start->namaddr, namaddr);
	ck_assert_str_eq(start->sni, "");
	ck_assert_str_eq(start->serverid, g->start_serverid);
	ck_assert_str_eq(start->helo, "mx.pfsandbox.test");
	ck_assert_str_eq(start->protocols, ">=TLSv1");
	ck_assert_str_eq(start->cipher_grade, "medium");
	ck_assert_str_eq(start->cipher_exclusions, "aNULL");
	ck_assert_uint_eq(start->match_count, 1);
	ck_assert_str_eq(start->match[0], "mx.pfsandbox.test");
	ck_assert_str_eq(start->mdalg, "sha256");
	ck_assert_int_eq(start->dane, 0);
	ck_assert_ptr_null(start->dane_domain);
	ck_assert_uint_eq(start->tlsa_count, 0);
	ck_assert_int_eq(start->enable_rpk, 0);
}

/* Release-specific pairs: present with their value, or absent. */
static void
assert_client_markers(const struct tlsp_request *req,
                      const struct client_golden *g)
{
	const struct tlsp_client_start *start = &req->client_start;
	int head = g->peer == TLSP_PEER_HEAD;

	ck_assert_int_eq(req->peer, g->peer);
	if (g->config_file)
		ck_assert_str_eq(req->params.config_file, g->config_file);
	else
		ck_assert_ptr_null(req->params.config_file);
	ck_assert_int_eq(req->params.tls_low_cipherlist != NULL,
	                 g->has_low_cipherlist);
	ck_assert_int_eq(req->params.tls_ffdhe_auto_groups != NULL,
	                 !g->has_low_cipherlist);
	ck_assert_int_eq(req->params.tls_legacy_public_key_fingerprints,
	                 g->legacy_pkey_fpt);
	ck_assert_int_eq(req->params.tls_fast_shutdown_enable,
	                 g->fast_shutdown);
	ck_assert_int_eq(req->params.tls_daemon_random_bytes, 32);
	ck_assert_str_eq(req->params.tls_dane_digests, "sha512 sha256");
	if (g->forced_failure)
		ck_assert_str_eq(start->forced_failure_type, g->forced_failure);
	else
		ck_assert_ptr_null(start->forced_failure_type);
	ck_assert_int_eq(start->log_param != NULL, head);
	ck_assert_int_eq(start->trace_size_limit, head ? 102400 : 0);
	if (head) {
		ck_assert_str_eq(start->log_level, "1");
		ck_assert_str_eq(start->trace_peer, "127.0.0.1");
	}
}

START_TEST(test_tlsp_request_golden_client_parses)
{
	const struct client_golden *g = client_goldens + _i;
	struct tlsp_request *req;
	char file[96];

	snprintf(file, sizeof(file), "tlsp-%s-client-request.bin", g->version);
	req = parse_golden(file, 1);
	assert_client_header(req, g->port);
	ck_assert_int_eq(req->has_body, 1);
	assert_client_init(&req->client_init);
	assert_client_start(&req->client_start, g);
	assert_client_markers(req, g);
	tlsp_request_free(req);
}
END_TEST

/* tlsproxy's own settings, told apart from any request's by value. */
static const struct tlsp_tls_params ours = {
    .tls_config_file = "ours.cnf",
    .tls_config_name = "ours",
    .tls_high_cipherlist = "OURS-HIGH",
    .tls_medium_cipherlist = "OURS-MEDIUM",
    .tls_low_cipherlist = "OURS-LOW",
    .tls_export_cipherlist = "OURS-EXPORT",
    .tls_null_cipherlist = "OURS-NULL",
    .tls_eecdh_auto_curves = "OURS-CURVES",
    .tls_ffdhe_auto_groups = "OURS-FFDHE",
    .tls_disable_workarounds = "OURS-WORKAROUNDS",
    .tls_ssl_options = "OURS-OPTIONS",
    .tls_dane_digests = "OURS-DIGESTS",
    .tls_session_ticket_cipher = "OURS-TICKET",
    .tls_preempt_cipherlist = 1,
    .tls_append_default_CA = 1,
    .tls_legacy_public_key_fingerprints = 1,
};

/* The engine's settings are the request's, as its release behaves. */
START_TEST(test_tlsp_request_tls_params_are_the_clients)
{
	const struct client_golden *g = client_goldens + _i;
	const struct tlsp_params *in;
	struct tlsp_tls_params out;
	struct tlsp_request *req;
	char file[96];

	snprintf(file, sizeof(file), "tlsp-%s-client-request.bin", g->version);
	req = parse_golden(file, 1);
	in = &req->params;
	tlsp_request_tls_params(req, &ours, &out);
	ck_assert_ptr_eq(out.tls_high_cipherlist, in->tls_high_cipherlist);
	ck_assert_ptr_eq(out.tls_medium_cipherlist, in->tls_medium_cipherlist);
	ck_assert_ptr_eq(out.tls_null_cipherlist, in->tls_null_cipherlist);
	ck_assert_ptr_eq(out.tls_eecdh_auto_curves, in->tls_eecdh_auto_curves);
	ck_assert_ptr_eq(out.tls_disable_workarounds,
	                 in->tls_disable_workarounds);
	ck_assert_ptr_eq(out.tls_ssl_options, in->tls_ssl_options);
	ck_assert_ptr_eq(out.tls_dane_digests, in->tls_dane_digests);
	ck_assert_int_eq(out.tls_append_default_CA, 0);
	/* 3.6/3.7 send low and export lists and no FFDHE groups; 3.8+ the
	 * reverse, and the engine then uses medium for low and export. */
	ck_assert_ptr_eq(out.tls_low_cipherlist, in->tls_low_cipherlist);
	ck_assert_ptr_eq(out.tls_export_cipherlist, in->tls_export_cipherlist);
	ck_assert_ptr_eq(out.tls_ffdhe_auto_groups, in->tls_ffdhe_auto_groups);
	ck_assert_int_eq(out.tls_low_cipherlist != NULL, g->has_low_cipherlist);
	/* HEAD sends no legacy fingerprint setting: that means no. */
	ck_assert_int_eq(out.tls_legacy_public_key_fingerprints, 0);
	/* 3.6.4 sends no OpenSSL configuration: ours stands in. */
	ck_assert_str_eq(out.tls_config_file,
	                 g->config_file ? g->config_file : "ours.cnf");
	/* Server-role settings are not the client's to set. */
	ck_assert_ptr_null(out.tls_session_ticket_cipher);
	ck_assert_int_eq(out.tls_preempt_cipherlist, 0);
	tlsp_request_free(req);
}
END_TEST

/* What an older client does not send is tlsproxy's own. */
START_TEST(test_tlsp_request_tls_params_absent_are_ours)
{
	static const char *const gone[] = {
	    "tls_high_cipherlist", "tls_medium_cipherlist",
	    "tls_low_cipherlist",  "tls_export_cipherlist",
	    "tls_dane_digests",    "tls_append_default_CA",
	};
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	struct tlsp_tls_params out;
	struct tlsp_tlist body;
	size_t i;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		tlsp_tlist_remove(&body, tlsp_tlist_find(&body, gone[i], 0));
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
	              "%s", tlsp_request_reason(req));
	tlsp_request_tls_params(req, &ours, &out);
	ck_assert_str_eq(out.tls_high_cipherlist, "OURS-HIGH");
	ck_assert_str_eq(out.tls_medium_cipherlist, "OURS-MEDIUM");
	ck_assert_str_eq(out.tls_low_cipherlist, "OURS-LOW");
	ck_assert_str_eq(out.tls_export_cipherlist, "OURS-EXPORT");
	ck_assert_str_eq(out.tls_dane_digests, "OURS-DIGESTS");
	ck_assert_int_eq(out.tls_append_default_CA, 1);
	ck_assert_ptr_null(out.tls_ffdhe_auto_groups);
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

/* Golden postscreen requests: only the header, except in HEAD. */
struct server_golden {
	const char *version;
	const char *endpoint;
	const char *serverid;
};

static const struct server_golden server_goldens[] = {
    {"3.6.4", "[127.119.199.160]:35277", "smtpd"},
    {"3.7.11", "[127.21.132.70]:57045", "smtpd"},
    {"3.8.6", "[127.201.81.58]:44981", "smtpd"},
    {"3.10.13", "[127.53.225.153]:38673", "smtpd"},
    {"3.12-20260821", "[127.162.140.44]:37433", "127.0.0.1:48102"},
};

/* Number of attribute lists in a golden file. */
static size_t
count_lists(const char *file)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	struct buf bytes;
	size_t at = 0, used, lists = 0;

	tlsp_golden_load(file, &bytes);
	while (at < bytes.len) {
		ck_assert_int_eq(
		    attr_dec_feed(dec, bytes.data + at, bytes.len - at, &used),
		    ATTR_DEC_OK);
		at += used;
		lists++;
		attr_dec_reset(dec);
	}
	attr_dec_free(dec);
	buf_free(&bytes);
	return lists;
}

START_TEST(test_tlsp_request_golden_server_header_parses)
{
	const struct server_golden *g = server_goldens + _i;
	struct tlsp_request *req;
	char file[96];

	snprintf(file, sizeof(file), "tlsp-%s-server-request.bin", g->version);
	req = parse_golden(file, 0);
	ck_assert_str_eq(req->hdr.remote_endpoint, g->endpoint);
	ck_assert_uint_eq(req->hdr.flags, 1);
	ck_assert_int_eq(req->role, TLSP_ROLE_SERVER);
	ck_assert_int_eq(req->hdr.handshake_timeout, 300);
	ck_assert_int_eq(req->hdr.session_timeout, 300);
	ck_assert_str_eq(req->hdr.serverid, g->serverid);
	ck_assert_int_eq(req->peer, TLSP_PEER_V36);
	ck_assert_int_eq(req->has_body, 0);
	/* Only the 3.12 snapshot sends a body in the same write. */
	ck_assert_uint_eq(count_lists(file),
	                  strncmp(g->version, "3.12", 4) == 0 ? 2 : 1);
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_golden_head_server_body_parses)
{
	struct tlsp_request *req;
	const struct tlsp_server_init_props *init;
	const struct tlsp_server_start_props *start;

	req = parse_golden("tlsp-3.12-20260821-server-request.bin", 1);
	init = &req->server_init;
	start = &req->server_start;
	ck_assert_int_eq(req->peer, TLSP_PEER_HEAD);
	ck_assert_str_eq(req->params.config_file, "default");
	ck_assert_str_eq(req->params.tls_server_sni_maps, "");
	ck_assert_int_eq(req->params.tls_trust_server_ccerts, 0);
	ck_assert_int_eq(req->params.tls_fast_shutdown_enable, 1);
	ck_assert_ptr_null(req->params.tls_dane_digests);
	ck_assert_str_eq(init->log_param, "postscreen_tls_loglevel");
	ck_assert_str_eq(init->log_level, "1");
	ck_assert_int_eq(init->verifydepth, 9);
	ck_assert_str_eq(init->cache_type, "smtpd");
	ck_assert_int_eq(init->set_sessid, 1);
	ck_assert_str_eq(
	    init->chain_files,
	    "/srv/sandbx/tls/rsa-chain.pem, /srv/sandbx/tls/ecdsa-chain.pem");
	ck_assert_str_eq(init->CAfile, "");
	ck_assert_str_eq(init->protocols, ">=TLSv1");
	ck_assert_str_eq(init->eecdh_grade, "auto");
	ck_assert_int_eq(init->ask_ccert, 0);
	ck_assert_str_eq(init->mdalg, "sha256");
	ck_assert_str_eq(start->log_param, "postscreen_tls_loglevel");
	ck_assert_int_eq(start->timeout, 300);
	ck_assert_int_eq(start->enable_rpk, 0);
	ck_assert_int_eq(start->requirecert, 0);
	ck_assert_str_eq(start->serverid, "127.0.0.1:48102");
	ck_assert_str_eq(start->namaddr, "[127.162.140.44]:37433");
	ck_assert_str_eq(start->cipher_grade, "medium");
	ck_assert_str_eq(start->cipher_exclusions, "");
	ck_assert_str_eq(start->mdalg, "sha256");
	ck_assert_int_eq(start->trace_size_limit, 102400);
	ck_assert_str_eq(start->trace_peer, "127.162.140.44");
	tlsp_request_free(req);
}
END_TEST

/* Variants of HEAD's server body: a name removed, or a value replaced. */
struct server_variant {
	const char *name;
	size_t nth;
	const char *value; /* NULL: remove the pair */
	const char *reason;
};

static const struct server_variant server_variants[] = {
    {"requirecert", 0, NULL, "START_PROPS: missing attribute requirecert"},
    {"requirecert", 0, "2", "START_PROPS: requirecert 2 is outside 0..1"},
    {"set_sessid", 0, NULL, "INIT_PROPS: missing attribute set_sessid"},
    {"ask_ccert", 0, "yes", "INIT_PROPS: malformed number in ask_ccert"},
    {"mdalg", 0, NULL, "INIT_PROPS: missing attribute mdalg"},
    {"namaddr", 0, NULL, "START_PROPS: missing attribute namaddr"},
    {"log_param", 0, NULL, "INIT_PROPS: missing attribute mdalg"},
    {"tls_trust_server_ccerts", 0, "x", "PARAMS: malformed number"},
    {"trace_peer", 0, NULL, NULL},
    {"tls_server_sni_maps", 0, NULL, NULL},
};

START_TEST(test_tlsp_request_server_body_variants)
{
	const struct server_variant *v = server_variants + _i;
	const char *file = "tlsp-3.12-20260821-server-request.bin";
	struct tlsp_request *req = parse_golden(file, 0);
	struct tlsp_tlist body;
	size_t at;
	int rc;

	tlsp_tlist_golden(&body, file, 1);
	at = tlsp_tlist_find(&body, v->name, v->nth);
	if (v->value)
		tlsp_tlist_set(&body, at, v->value);
	else
		tlsp_tlist_remove(&body, at);
	rc = tlsp_request_parse_body(req, tlsp_tlist_list(&body));
	if (v->reason == NULL) {
		ck_assert_msg(rc == 0, "%s: %s", v->name,
		              tlsp_request_reason(req));
		ck_assert_int_eq(req->peer, TLSP_PEER_HEAD);
	} else {
		ck_assert_msg(rc == -1, "%s: parsed", v->name);
		ck_assert_msg(
		    strstr(tlsp_request_reason(req), v->reason) != NULL,
		    "%s: reason \"%s\"", v->name, tlsp_request_reason(req));
	}
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

/*
 * Variants of the 3.7.11 client body. Each row edits the golden body and
 * says whether it must parse, and if not, what the reason must contain.
 */
struct body_variant {
	const char *what;
	void (*edit)(struct tlsp_tlist *tl);
	const char *reason; /* NULL: must parse */
};

static void
set_named(struct tlsp_tlist *tl, const char *name, size_t nth,
          const char *value)
{
	tlsp_tlist_set(tl, tlsp_tlist_find(tl, name, nth), value);
}

static void
edit_swap_start(struct tlsp_tlist *tl)
{
	tlsp_tlist_swap(tl, tlsp_tlist_find(tl, "nexthop", 0),
	                tlsp_tlist_find(tl, "cipher_exclusions", 0));
	tlsp_tlist_swap(tl, tlsp_tlist_find(tl, "CAfile", 0),
	                tlsp_tlist_find(tl, "verifydepth", 0));
	tlsp_tlist_swap(tl, 0, tlsp_tlist_find(tl, "tls_append_default_CA", 0));
}

static void
edit_extra_everywhere(struct tlsp_tlist *tl)
{
	tlsp_tlist_insert(tl, 1, "future_param", "x");
	tlsp_tlist_insert(tl, tlsp_tlist_find(tl, "cert_file", 0),
	                  "future_init", "y");
	tlsp_tlist_insert(tl, tlsp_tlist_find(tl, "host", 0), "future_start",
	                  "z");
	tlsp_tlist_insert(tl, tl->count, "future_tail", "");
}

static void
edit_drop_params(struct tlsp_tlist *tl)
{
	while (strcmp(tl->pairs[0].name, "log_param") != 0)
		tlsp_tlist_remove(tl, 0);
}

static void
edit_no_init(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "log_param", 0));
}

static void
edit_no_init_mdalg(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "mdalg", 0));
}

static void
edit_no_cafile(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "CAfile", 0));
}

static void
edit_no_tls_level(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "tls_level", 0));
}

static void
edit_no_start_mdalg(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "mdalg", 1));
}

static void
edit_no_argv(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "argv_value", 0));
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "argv_size", 0));
}

static void
edit_repeat_nexthop(struct tlsp_tlist *tl)
{
	tlsp_tlist_insert(tl, tlsp_tlist_find(tl, "host", 0), "nexthop", "x");
}

static void
edit_repeat_param(struct tlsp_tlist *tl)
{
	tlsp_tlist_insert(tl, 1, "config_file", "other");
}

static void
edit_level_trailing_junk(struct tlsp_tlist *tl)
{
	set_named(tl, "tls_level", 0, "8x");
}

static void
edit_level_empty(struct tlsp_tlist *tl)
{
	set_named(tl, "tls_level", 0, "");
}

static void
edit_level_space_sign(struct tlsp_tlist *tl)
{
	set_named(tl, "tls_level", 0, " +5");
}

static void
edit_level_minus_one(struct tlsp_tlist *tl)
{
	set_named(tl, "tls_level", 0, "4294967295");
}

static void
edit_level_nine(struct tlsp_tlist *tl)
{
	set_named(tl, "tls_level", 0, "9");
}

static void
edit_verifydepth_at_limit(struct tlsp_tlist *tl)
{
	set_named(tl, "verifydepth", 0, "100");
}

static void
edit_verifydepth_past_limit(struct tlsp_tlist *tl)
{
	set_named(tl, "verifydepth", 0, "101");
}

static void
edit_param_int_malformed(struct tlsp_tlist *tl)
{
	set_named(tl, "tls_daemon_random_bytes", 0, "32 ");
}

static void
set_long_value(struct tlsp_tlist *tl, const char *name, size_t len)
{
	char *value = xmalloc(len + 1);

	memset(value, 'a', len);
	value[len] = 0;
	set_named(tl, name, 0, value);
	free(value);
}

static void
edit_string_at_limit(struct tlsp_tlist *tl)
{
	set_long_value(tl, "helo", ATTR_FIELD_STR_MAX);
}

static void
edit_string_past_limit(struct tlsp_tlist *tl)
{
	set_long_value(tl, "helo", ATTR_FIELD_STR_MAX + 1);
}

static void
edit_param_past_limit(struct tlsp_tlist *tl)
{
	set_long_value(tl, "tls_high_cipherlist", ATTR_FIELD_STR_MAX + 1);
}

static void
edit_newline(struct tlsp_tlist *tl)
{
	set_named(tl, "CAfile", 0, "/etc/ca.pem\nmdalg=md5");
}

static void
edit_argv_zero(struct tlsp_tlist *tl)
{
	tlsp_tlist_remove(tl, tlsp_tlist_find(tl, "argv_value", 0));
	set_named(tl, "argv_size", 0, "0");
}

static void
edit_argv_short(struct tlsp_tlist *tl)
{
	set_named(tl, "argv_size", 0, "2");
}

static void
edit_argv_long(struct tlsp_tlist *tl)
{
	tlsp_tlist_insert(tl, tlsp_tlist_find(tl, "argv_value", 0),
	                  "argv_value", "extra");
}

static void
edit_argv_negative(struct tlsp_tlist *tl)
{
	set_named(tl, "argv_size", 0, "-1");
}

static void
edit_argv_repeated(struct tlsp_tlist *tl)
{
	size_t at = tlsp_tlist_find(tl, "mdalg", 1);

	tlsp_tlist_insert(tl, at, "argv_size", "0");
}

/* Replaces the single argv value by n values "name0" ... */
static void
set_argv(struct tlsp_tlist *tl, size_t n)
{
	size_t at = tlsp_tlist_find(tl, "argv_size", 0);
	char text[32];
	size_t i;

	tlsp_tlist_remove(tl, at + 1);
	snprintf(text, sizeof(text), "%zu", n);
	tlsp_tlist_set(tl, at, text);
	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "name%zu", i);
		tlsp_tlist_insert(tl, at + 1 + i, "argv_value", text);
	}
}

static void
edit_argv_at_limit(struct tlsp_tlist *tl)
{
	set_argv(tl, TLSP_REQUEST_ARGV_MAX);
}

static void
edit_argv_past_limit(struct tlsp_tlist *tl)
{
	set_argv(tl, TLSP_REQUEST_ARGV_MAX + 1);
}

/* dane 1, domain, count n, and n records with the given data. */
static void
set_dane(struct tlsp_tlist *tl, size_t n, const char *data)
{
	size_t at = tlsp_tlist_find(tl, "dane", 0);
	char text[32];
	size_t i;

	tlsp_tlist_set(tl, at, "1");
	tlsp_tlist_insert(tl, ++at, "domain", "example.net");
	snprintf(text, sizeof(text), "%zu", n);
	tlsp_tlist_insert(tl, ++at, "count", text);
	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "%zu", 2 + i % 2);
		tlsp_tlist_insert(tl, ++at, "usage", text);
		tlsp_tlist_insert(tl, ++at, "selector", "1");
		tlsp_tlist_insert(tl, ++at, "mtype", "1");
		tlsp_tlist_insert(tl, ++at, "data", data);
	}
}

static void
edit_tlsa_at_limit(struct tlsp_tlist *tl)
{
	set_dane(tl, TLSP_REQUEST_TLSA_MAX, "3q2+7w==");
}

static void
edit_tlsa_past_limit(struct tlsp_tlist *tl)
{
	set_dane(tl, TLSP_REQUEST_TLSA_MAX + 1, "3q2+7w==");
}

static void
edit_tlsa_count_short(struct tlsp_tlist *tl)
{
	set_dane(tl, 2, "3q2+7w==");
	set_named(tl, "count", 0, "3");
}

static void
edit_tlsa_extra_record(struct tlsp_tlist *tl)
{
	set_dane(tl, 2, "3q2+7w==");
	set_named(tl, "count", 0, "1");
}

static void
edit_tlsa_misordered(struct tlsp_tlist *tl)
{
	set_dane(tl, 1, "3q2+7w==");
	tlsp_tlist_swap(tl, tlsp_tlist_find(tl, "usage", 0),
	                tlsp_tlist_find(tl, "selector", 0));
}

static void
edit_tlsa_bad_base64(struct tlsp_tlist *tl)
{
	set_dane(tl, 1, "3q2+7w=");
}

static void
edit_tlsa_bad_base64_char(struct tlsp_tlist *tl)
{
	set_dane(tl, 1, "3q2*7w==");
}

static void
edit_tlsa_empty_data(struct tlsp_tlist *tl)
{
	set_dane(tl, 1, "");
}

static void
edit_tlsa_usage_256(struct tlsp_tlist *tl)
{
	set_dane(tl, 1, "3q2+7w==");
	set_named(tl, "usage", 0, "256");
}

/* Base64 text (owned by the caller) that decodes to len zero bytes. */
static char *
b64_of_len(size_t len)
{
	size_t b64 = (len + 2) / 3 * 4;
	char *data = xmalloc(b64 + 1);

	memset(data, 'A', b64);
	if (len % 3 == 1)
		memcpy(data + b64 - 2, "==", 2);
	else if (len % 3 == 2)
		data[b64 - 1] = '=';
	data[b64] = 0;
	return data;
}

/* One record whose data decodes to len bytes. */
static void
set_dane_data_len(struct tlsp_tlist *tl, size_t len)
{
	char *data = b64_of_len(len);

	set_dane(tl, 1, data);
	free(data);
}

static void
edit_tlsa_data_at_limit(struct tlsp_tlist *tl)
{
	set_dane_data_len(tl, TLSP_REQUEST_TLSA_DATA_MAX);
}

static void
edit_tlsa_data_past_limit(struct tlsp_tlist *tl)
{
	set_dane_data_len(tl, TLSP_REQUEST_TLSA_DATA_MAX + 1);
}

static void
edit_dane_legacy(struct tlsp_tlist *tl)
{
	size_t at = tlsp_tlist_find(tl, "dane", 0);

	tlsp_tlist_set(tl, at, "1");
	tlsp_tlist_insert(tl, at + 1, "count", "0");
	tlsp_tlist_insert(tl, at + 2, "count", "0");
	tlsp_tlist_insert(tl, at + 3, "count", "0");
	tlsp_tlist_insert(tl, at + 4, "count", "0");
	tlsp_tlist_insert(tl, at + 5, "domain", "example.net");
	tlsp_tlist_insert(tl, at + 6, "flags", "0");
	tlsp_tlist_insert(tl, at + 7, "exp", "0");
}

static void
edit_dane_two(struct tlsp_tlist *tl)
{
	set_named(tl, "dane", 0, "2");
}

static void
edit_dane_no_domain(struct tlsp_tlist *tl)
{
	set_named(tl, "dane", 0, "1");
}

static void
edit_stray_domain(struct tlsp_tlist *tl)
{
	tlsp_tlist_insert(tl, tl->count, "domain", "example.net");
}

static void
edit_tlsrpt_on(struct tlsp_tlist *tl)
{
	tlsp_tlist_insert(tl, tl->count, "tlsrpt", "1");
}

/* The TLSRPT group of a 3.10+ smtp(8) built with TLSRPT, at the end. */
static const char *const tlsrpt_group[][2] = {
    {"tlsrpt", "1"},
    {"rpt_socket_name", "/run/tlsrpt/tlsrpt.sock"},
    {"rpt_policy_domain", "example.net"},
    {"rpt_policy_string", "v=TLSRPTv1; rua=mailto:tlsrpt@example.net"},
    {"tls_policy_type", "1"},
    {"argv_size", "2"},
    {"argv_value", "3 1 1 abcd"},
    {"argv_value", "3 1 2 ef01"},
    {"tls_policy_domain", "example.net"},
    {"argv_size", "1"},
    {"argv_value", "*.example.net"},
    {"snd_mta_addr", "192.0.2.25"},
    {"rcv_mta_name", "mx.example.net"},
    {"rcv_mta_addr", "192.0.2.1"},
    {"rcv_mta_ehlo", "mx.example.net"},
    {"skip_reused_hs", "1"},
    {"flags", "8"},
};
#define TLSRPT_GROUP_LEN (sizeof(tlsrpt_group) / sizeof(tlsrpt_group[0]))

static void
edit_tlsrpt_group(struct tlsp_tlist *tl, size_t keep)
{
	size_t i;

	for (i = 0; i < keep; i++)
		tlsp_tlist_insert(tl, tl->count, tlsrpt_group[i][0],
		                  tlsrpt_group[i][1]);
}

static void
edit_tlsrpt_cut(struct tlsp_tlist *tl)
{
	edit_tlsrpt_group(tl, TLSRPT_GROUP_LEN - 1);
}

static void
edit_tlsrpt_argv_past_limit(struct tlsp_tlist *tl)
{
	edit_tlsrpt_group(tl, TLSRPT_GROUP_LEN);
	tlsp_tlist_set(tl, tlsp_tlist_find(tl, "argv_size", 1), "1025");
}

/* Every proper prefix of the body lacks something required. */
static void
edit_truncate_before_dane(struct tlsp_tlist *tl)
{
	tlsp_tlist_truncate(tl, tl->count - 1);
}

static const struct body_variant body_variants[] = {
    {"reordered inside each structure", edit_swap_start, NULL},
    {"unknown names in every structure", edit_extra_everywhere, NULL},
    {"no PARAMS at all", edit_drop_params, NULL},
    {"no INIT_PROPS", edit_no_init, "no INIT_PROPS"},
    {"INIT_PROPS without mdalg", edit_no_init_mdalg,
     "INIT_PROPS: missing attribute mdalg"},
    {"INIT_PROPS without CAfile", edit_no_cafile,
     "INIT_PROPS: missing attribute CAfile"},
    {"START_PROPS without tls_level", edit_no_tls_level,
     "START_PROPS: missing attribute tls_level"},
    {"START_PROPS without mdalg", edit_no_start_mdalg,
     "START_PROPS: missing attribute mdalg"},
    {"START_PROPS without argv", edit_no_argv,
     "START_PROPS: missing attribute argv_size"},
    {"repeated nexthop", edit_repeat_nexthop,
     "START_PROPS: repeated attribute nexthop"},
    {"repeated config_file", edit_repeat_param,
     "PARAMS: repeated attribute config_file"},
    {"tls_level 8x", edit_level_trailing_junk,
     "malformed number in tls_level: \"8x\""},
    {"tls_level empty", edit_level_empty, "malformed number in tls_level"},
    {"tls_level with space and sign", edit_level_space_sign, NULL},
    {"tls_level 4294967295", edit_level_minus_one,
     "tls_level -1 is outside 0..8"},
    {"tls_level 9", edit_level_nine, "tls_level 9 is outside 0..8"},
    {"verifydepth at limit", edit_verifydepth_at_limit, NULL},
    {"verifydepth past limit", edit_verifydepth_past_limit,
     "verifydepth 101 is outside 0..100"},
    {"PARAMS int with trailing space", edit_param_int_malformed,
     "malformed number in tls_daemon_random_bytes"},
    {"string at limit", edit_string_at_limit, NULL},
    {"string past limit", edit_string_past_limit,
     "helo value of 4097 bytes exceeds 4096 bytes"},
    {"PARAMS string past limit", edit_param_past_limit,
     "tls_high_cipherlist value of 4097 bytes"},
    {"newline in a value", edit_newline, "CAfile value contains a newline"},
    {"argv_size 0", edit_argv_zero, NULL},
    {"argv_size 2 with one value", edit_argv_short,
     "argv_size 2 is not followed by 2 argv_value"},
    {"argv_value beyond argv_size", edit_argv_long,
     "argv_value outside its group"},
    {"argv_size -1", edit_argv_negative, "argv_size -1 is outside 0..1024"},
    {"second argv group", edit_argv_repeated, "repeated argv group"},
    {"argv at limit", edit_argv_at_limit, NULL},
    {"argv past limit", edit_argv_past_limit,
     "argv_size 1025 is outside 0..1024"},
    {"TLSA records at limit", edit_tlsa_at_limit, NULL},
    {"TLSA records past limit", edit_tlsa_past_limit,
     "count 17 is outside 0..16"},
    {"TLSA count above records", edit_tlsa_count_short,
     "count 3 is not followed by 3 TLSA records"},
    {"TLSA record beyond count", edit_tlsa_extra_record,
     "usage outside its group"},
    {"TLSA fields misordered", edit_tlsa_misordered,
     "count 1 is not followed by 1 TLSA records"},
    {"TLSA data bad padding", edit_tlsa_bad_base64, "malformed TLSA data"},
    {"TLSA data bad character", edit_tlsa_bad_base64_char,
     "malformed TLSA data"},
    {"TLSA data empty", edit_tlsa_empty_data, "TLSA data of 0 base64 bytes"},
    {"TLSA usage 256", edit_tlsa_usage_256, "usage 256 is outside 0..255"},
    {"TLSA data at limit", edit_tlsa_data_at_limit, NULL},
    {"TLSA data past limit", edit_tlsa_data_past_limit,
     "TLSA data of 8193 bytes exceeds 8192"},
    {"legacy 3.4/3.5 DANE", edit_dane_legacy,
     "legacy Postfix 3.4/3.5 DANE encoding is not supported"},
    {"dane 2", edit_dane_two, "dane 2 is outside 0..1"},
    {"dane 1 without domain", edit_dane_no_domain,
     "dane 1 is not followed by domain and count"},
    {"domain outside DANE", edit_stray_domain, "domain outside its group"},
    {"tlsrpt 1 without its group", edit_tlsrpt_on,
     "TLSRPT: missing attribute rpt_socket_name after tlsrpt 1"},
    {"tlsrpt group cut short", edit_tlsrpt_cut,
     "TLSRPT: missing attribute flags after tlsrpt 1"},
    {"tlsrpt argv past limit", edit_tlsrpt_argv_past_limit,
     "argv_size 1025 is outside 0..1024"},
    {"body cut before dane", edit_truncate_before_dane,
     "START_PROPS: missing attribute dane"},
};

/* The variant row named what. */
static const struct body_variant *
find_variant(const char *what)
{
	size_t i;

	for (i = 0; i < sizeof(body_variants) / sizeof(*body_variants); i++)
		if (strcmp(body_variants[i].what, what) == 0)
			return body_variants + i;
	ck_abort_msg("no variant %s", what);
	return NULL;
}

/* Parses the edited 3.7.11 body; returns the request for more checks. */
static struct tlsp_request *
parse_variant(const struct body_variant *v, int *rc)
{
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	struct tlsp_tlist body;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	v->edit(&body);
	*rc = tlsp_request_parse_body(req, tlsp_tlist_list(&body));
	tlsp_tlist_free(&body);
	return req;
}

START_TEST(test_tlsp_request_body_variants)
{
	const struct body_variant *v = body_variants + _i;
	struct tlsp_request *req;
	int rc;

	req = parse_variant(v, &rc);
	if (v->reason == NULL) {
		ck_assert_msg(rc == 0, "%s: %s", v->what,
		              tlsp_request_reason(req));
		ck_assert_int_eq(req->peer, TLSP_PEER_V36);
	} else {
		ck_assert_msg(rc == -1, "%s: parsed", v->what);
		ck_assert_msg(strstr(tlsp_request_reason(req), v->reason) !=
		                  NULL,
		              "%s: reason \"%s\", want \"%s\"", v->what,
		              tlsp_request_reason(req), v->reason);
	}
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_tlsrpt_group_is_served)
{
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	struct tlsp_tlist body;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	edit_tlsrpt_group(&body, TLSRPT_GROUP_LEN);
	tlsp_tlist_insert(&body, body.count, "forced_failure_type", "");
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
	              "%s", tlsp_request_reason(req));
	ck_assert_int_eq(req->peer, TLSP_PEER_V310);
	ck_assert_int_eq(req->client_start.tlsrpt, 1);
	ck_assert_int_eq(req->client_start.tlsrpt_skip_reused_hs, 1);
	ck_assert_int_eq(req->client_start.tlsrpt_flags,
	                 TLSP_TLSRPT_FLAG_REPORTED);
	/* The group's own argv groups are not the match list. */
	ck_assert_uint_eq(req->client_start.match_count, 1);
	ck_assert_str_eq(req->client_start.forced_failure_type, "");
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_reordered_values_land_in_place)
{
	struct tlsp_request *req;
	int rc;

	req =
	    parse_variant(find_variant("reordered inside each structure"), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(req->client_start.nexthop, "127.0.0.1");
	ck_assert_str_eq(req->client_start.cipher_exclusions, "aNULL");
	ck_assert_str_eq(req->client_init.CAfile, "/srv/sandbx/tls/ca.pem");
	ck_assert_int_eq(req->client_init.verifydepth, 9);
	ck_assert_int_eq(req->params.tls_append_default_CA, 0);
	ck_assert_str_eq(req->params.config_file, "default");
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_argv_limit_keeps_every_value)
{
	struct tlsp_request *req;
	int rc;

	req = parse_variant(find_variant("argv at limit"), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(req->client_start.match_count, 1024);
	ck_assert_str_eq(req->client_start.match[0], "name0");
	ck_assert_str_eq(req->client_start.match[1023], "name1023");
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_argv_zero_is_null)
{
	struct tlsp_request *req;
	int rc;

	req = parse_variant(find_variant("argv_size 0"), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(req->client_start.match);
	ck_assert_uint_eq(req->client_start.match_count, 0);
	tlsp_request_free(req);
}
END_TEST

/* A DANE group of two records, data de ad be ef and 01 02 ff. */
START_TEST(test_tlsp_request_dane_records_decode)
{
	static const unsigned char rec0[] = {0xde, 0xad, 0xbe, 0xef};
	static const unsigned char rec1[] = {0x01, 0x02, 0xff};
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	const struct tlsp_client_start *start = &req->client_start;
	struct tlsp_tlist body;
	size_t at;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	at = tlsp_tlist_find(&body, "dane", 0);
	tlsp_tlist_set(&body, at, "1");
	tlsp_tlist_insert(&body, ++at, "domain", "example.net");
	tlsp_tlist_insert(&body, ++at, "count", "2");
	tlsp_tlist_insert(&body, ++at, "usage", "2");
	tlsp_tlist_insert(&body, ++at, "selector", "0");
	tlsp_tlist_insert(&body, ++at, "mtype", "2");
	tlsp_tlist_insert(&body, ++at, "data", "3q2+7w==");
	tlsp_tlist_insert(&body, ++at, "usage", "3");
	tlsp_tlist_insert(&body, ++at, "selector", "1");
	tlsp_tlist_insert(&body, ++at, "mtype", "1");
	tlsp_tlist_insert(&body, ++at, "data", "AQL/");
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
	              "%s", tlsp_request_reason(req));
	ck_assert_int_eq(start->dane, 1);
	ck_assert_str_eq(start->dane_domain, "example.net");
	ck_assert_uint_eq(start->tlsa_count, 2);
	ck_assert_uint_eq(start->tlsa[0].usage, 2);
	ck_assert_uint_eq(start->tlsa[0].selector, 0);
	ck_assert_uint_eq(start->tlsa[0].mtype, 2);
	ck_assert_uint_eq(start->tlsa[0].len, sizeof(rec0));
	ck_assert_mem_eq(start->tlsa[0].data, rec0, sizeof(rec0));
	ck_assert_uint_eq(start->tlsa[1].usage, 3);
	ck_assert_uint_eq(start->tlsa[1].selector, 1);
	ck_assert_uint_eq(start->tlsa[1].mtype, 1);
	ck_assert_uint_eq(start->tlsa[1].len, sizeof(rec1));
	ck_assert_mem_eq(start->tlsa[1].data, rec1, sizeof(rec1));
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_every_prefix_of_body_fails)
{
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	struct tlsp_tlist body;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	tlsp_tlist_truncate(&body, (size_t)_i);
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) ==
	                  -1,
	              "prefix of %d pairs parsed", _i);
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

/* Lists completed by the first len bytes of bytes. */
static size_t
complete_lists(const struct buf *bytes, size_t len)
{
	struct attr_dec *dec = attr_dec_create(NULL);
	size_t at = 0, used, lists = 0;

	while (at < len && attr_dec_feed(dec, bytes->data + at, len - at,
	                                 &used) == ATTR_DEC_OK) {
		at += used;
		lists++;
		attr_dec_reset(dec);
	}
	attr_dec_free(dec);
	return lists;
}

/* A request cut short anywhere never yields a body to parse. */
START_TEST(test_tlsp_request_truncated_bytes_yield_no_body)
{
	struct buf bytes;
	char file[96];
	size_t len;

	snprintf(file, sizeof(file), "tlsp-%s-client-request.bin",
	         client_goldens[_i].version);
	tlsp_golden_load(file, &bytes);
	ck_assert_uint_eq(complete_lists(&bytes, bytes.len), 2);
	for (len = 0; len < bytes.len; len++)
		ck_assert_msg(complete_lists(&bytes, len) < 2,
		              "%s: %zu of %zu bytes gave a body", file, len,
		              bytes.len);
	buf_free(&bytes);
}
END_TEST

/* Markers of newer releases, added to the 3.7.11 body one at a time. */
struct version_marker {
	const char *name, *value;
	int at_start; /* insert right after START_PROPS' timeout */
	enum tlsp_peer_version peer;
};

static const struct version_marker version_markers[] = {
    {"enable_rpk", "0", 1, TLSP_PEER_V39},
    {"forced_failure_type", "", 0, TLSP_PEER_V310},
    {"tlsrpt", "0", 0, TLSP_PEER_V310},
    {"trace_size_limit", "102400", 0, TLSP_PEER_HEAD},
    {"trace_peer", "127.0.0.1", 0, TLSP_PEER_HEAD},
    {"log_level", "1", 1, TLSP_PEER_V36},
    {"tls_fast_shutdown_enable", "1", -1, TLSP_PEER_HEAD},
};

START_TEST(test_tlsp_request_detects_release_family)
{
	const struct version_marker *m = version_markers + _i;
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	struct tlsp_tlist body;
	size_t at;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	if (m->at_start > 0)
		at = tlsp_tlist_find(&body, "timeout", 0) + 1;
	else if (m->at_start < 0)
		at = 0;
	else
		at = body.count;
	tlsp_tlist_insert(&body, at, m->name, m->value);
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
	              "%s: %s", m->name, tlsp_request_reason(req));
	ck_assert_msg(req->peer == m->peer, "%s: peer %s", m->name,
	              tlsp_peer_version_str(req->peer));
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

/* Header variants, on the 3.7.11 client header. */
struct header_variant {
	const char *what;
	const char *name; /* pair to edit, or to add when nth is -1 */
	int nth;          /* -1: append; -2: remove name's first pair */
	const char *value;
	const char *reason; /* NULL: must parse */
};

static const struct header_variant header_variants[] = {
    {"extra name", "future", -1, "x", NULL},
    {"third timeout", "timeout", -1, "10",
     "header: more than two timeout attributes"},
    {"one timeout", "timeout", -2, NULL,
     "header: missing attribute timeout (1 of 2)"},
    {"no serverid", "serverid", -2, NULL, "header: missing attribute serverid"},
    {"no remote_endpoint", "remote_endpoint", -2, NULL,
     "header: missing attribute remote_endpoint"},
    {"repeated serverid", "serverid", -1, "x",
     "header: repeated attribute serverid"},
    {"flags abc", "flags", 0, "abc", "malformed number in flags"},
    {"handshake timeout 0", "timeout", 0, "0",
     "header: timeout 0 is outside 1..604800"},
    {"handshake timeout at limit", "timeout", 0, "604800", NULL},
    {"session timeout past limit", "timeout", 1, "604801",
     "header: timeout 604801 is outside 1..604800"},
    {"negative timeout", "timeout", 1, "-5", "timeout -5 is outside"},
};

START_TEST(test_tlsp_request_header_variants)
{
	const struct header_variant *v = header_variants + _i;
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr;
	int rc;

	tlsp_tlist_golden(&hdr, "tlsp-3.7.11-client-request.bin", 0);
	if (v->nth == -1)
		tlsp_tlist_insert(&hdr, hdr.count, v->name, v->value);
	else if (v->nth == -2)
		tlsp_tlist_remove(&hdr, tlsp_tlist_find(&hdr, v->name, 0));
	else
		set_named(&hdr, v->name, (size_t)v->nth, v->value);
	rc = tlsp_request_parse_header(req, tlsp_tlist_list(&hdr));
	if (v->reason == NULL) {
		ck_assert_msg(rc == 0, "%s: %s", v->what,
		              tlsp_request_reason(req));
	} else {
		ck_assert_msg(rc == -1, "%s: parsed", v->what);
		ck_assert_msg(
		    strstr(tlsp_request_reason(req), v->reason) != NULL,
		    "%s: reason \"%s\"", v->what, tlsp_request_reason(req));
	}
	tlsp_tlist_free(&hdr);
	tlsp_request_free(req);
}
END_TEST

/* Role bits: exactly one must be set; other bits are kept, not judged. */
struct role_case {
	const char *flags;
	enum tlsp_role role;
};

static const struct role_case role_cases[] = {
    {"0", TLSP_ROLE_BOGUS},          {"1", TLSP_ROLE_SERVER},
    {"2", TLSP_ROLE_CLIENT},         {"3", TLSP_ROLE_BOGUS},
    {"5", TLSP_ROLE_SERVER},         {"14", TLSP_ROLE_CLIENT},
    {"4294967295", TLSP_ROLE_BOGUS},
};

START_TEST(test_tlsp_request_role_from_flags)
{
	struct tlsp_request *req = tlsp_request_create();
	struct tlsp_tlist hdr;

	tlsp_tlist_golden(&hdr, "tlsp-3.7.11-client-request.bin", 0);
	set_named(&hdr, "flags", 0, role_cases[_i].flags);
	ck_assert_int_eq(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)),
	                 0);
	ck_assert_int_eq(req->role, role_cases[_i].role);
	tlsp_tlist_free(&hdr);
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_body_without_role_panics)
{
	struct tlsp_request *req = tlsp_request_create();
	struct attr_list empty = {NULL, 0};

	tlsp_request_parse_body(req, &empty);
}
END_TEST

START_TEST(test_tlsp_request_reparse_replaces_values)
{
	struct tlsp_request *req =
	    parse_golden("tlsp-3.12-20260821-client-request.bin", 1);
	struct tlsp_tlist hdr, body;

	tlsp_tlist_golden(&hdr, "tlsp-3.7.11-client-request.bin", 0);
	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	ck_assert_int_eq(tlsp_request_parse_header(req, tlsp_tlist_list(&hdr)),
	                 0);
	ck_assert_int_eq(tlsp_request_parse_body(req, tlsp_tlist_list(&body)),
	                 0);
	ck_assert_str_eq(req->hdr.remote_endpoint, "[127.0.0.1]:40584");
	ck_assert_int_eq(req->peer, TLSP_PEER_V36);
	ck_assert_ptr_null(req->client_start.trace_peer);
	ck_assert_int_eq(req->params.tls_fast_shutdown_enable, -1);
	tlsp_tlist_free(&hdr);
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

START_TEST(test_tlsp_request_names_roles_and_versions)
{
	ck_assert_str_eq(tlsp_role_str(TLSP_ROLE_CLIENT), "client");
	ck_assert_str_eq(tlsp_role_str(TLSP_ROLE_SERVER), "server");
	ck_assert_str_eq(tlsp_role_str(TLSP_ROLE_BOGUS), "bogus");
	ck_assert_str_eq(tlsp_peer_version_str(TLSP_PEER_V36), "3.6-3.8");
	ck_assert_str_eq(tlsp_peer_version_str(TLSP_PEER_V39), "3.9");
	ck_assert_str_eq(tlsp_peer_version_str(TLSP_PEER_V310), "3.10-3.11");
	ck_assert_str_eq(tlsp_peer_version_str(TLSP_PEER_HEAD), "3.12-HEAD");
	tlsp_request_free(NULL);
}
END_TEST

/* Decodes bytes as one list under the request limits. */
static enum attr_dec_status
decode_with_request_limits(const struct buf *bytes, struct tlsp_tlist *out)
{
	struct attr_dec *dec = attr_dec_create(&tlsp_request_attr_limits);
	enum attr_dec_status status;
	size_t used;

	status = attr_dec_feed(dec, bytes->data, bytes->len, &used);
	if (status == ATTR_DEC_OK) {
		ck_assert_uint_eq(used, bytes->len);
		out->count = attr_dec_list(dec)->count;
	}
	attr_dec_free(dec);
	return status;
}

/* The largest body the parser accepts decodes under the limits. */
START_TEST(test_tlsp_request_attr_limits_fit_largest_body)
{
	struct tlsp_request *req =
	    parse_golden("tlsp-3.7.11-client-request.bin", 0);
	char *data = b64_of_len(TLSP_REQUEST_TLSA_DATA_MAX);
	struct tlsp_tlist body, decoded;
	struct buf bytes;
	size_t i;

	tlsp_tlist_golden(&body, "tlsp-3.7.11-client-request.bin", 1);
	set_argv(&body, TLSP_REQUEST_ARGV_MAX);
	set_dane(&body, TLSP_REQUEST_TLSA_MAX, data);
	ck_assert_uint_le(body.count, TLSP_REQUEST_PAIRS_MAX);
	buf_init(&bytes);
	for (i = 0; i < body.count; i++)
		attr_enc_str(&bytes, body.pairs[i].name, body.pairs[i].value);
	attr_enc_end(&bytes);
	ck_assert_int_eq(decode_with_request_limits(&bytes, &decoded),
	                 ATTR_DEC_OK);
	ck_assert_uint_eq(decoded.count, body.count);
	ck_assert_msg(tlsp_request_parse_body(req, tlsp_tlist_list(&body)) == 0,
	              "%s", tlsp_request_reason(req));
	ck_assert_uint_eq(req->client_start.tlsa_count, TLSP_REQUEST_TLSA_MAX);
	ck_assert_uint_eq(req->client_start.tlsa[TLSP_REQUEST_TLSA_MAX - 1].len,
	                  TLSP_REQUEST_TLSA_DATA_MAX);
	free(data);
	buf_free(&bytes);
	tlsp_tlist_free(&body);
	tlsp_request_free(req);
}
END_TEST

/* A list of pairs pairs, the last value value_len bytes long. */
static void
make_list(struct buf *bytes, size_t pairs, size_t value_len)
{
	char *value = xmalloc(value_len + 1);
	size_t i;

	memset(value, 'v', value_len);
	value[value_len] = 0;
	buf_init(bytes);
	for (i = 0; i + 1 < pairs; i++)
		attr_enc_str(bytes, "n", "v");
	attr_enc_str(bytes, "n", value);
	attr_enc_end(bytes);
	free(value);
}

/* Loop index 0: at both limits; 1: one pair more; 2: one byte more. */
START_TEST(test_tlsp_request_attr_limits_at_and_past)
{
	static const enum attr_dec_status want[] = {ATTR_DEC_OK, ATTR_DEC_BAD,
	                                            ATTR_DEC_BAD};
	struct tlsp_tlist decoded;
	struct buf bytes;

	make_list(&bytes, TLSP_REQUEST_PAIRS_MAX + (_i == 1),
	          TLSP_REQUEST_TLSA_B64_MAX + (_i == 2));
	ck_assert_int_eq(decode_with_request_limits(&bytes, &decoded),
	                 want[_i]);
	buf_free(&bytes);
}
END_TEST

/* Every golden request decodes under the request limits. */
START_TEST(test_tlsp_request_attr_limits_fit_goldens)
{
	struct buf bytes, rest;
	struct tlsp_tlist decoded;
	struct attr_dec *dec = attr_dec_create(&tlsp_request_attr_limits);
	char file[96];
	size_t used;

	snprintf(file, sizeof(file), "tlsp-%s-client-request.bin",
	         client_goldens[_i].version);
	tlsp_golden_load(file, &bytes);
	ck_assert_int_eq(attr_dec_feed(dec, bytes.data, bytes.len, &used),
	                 ATTR_DEC_OK);
	buf_init(&rest);
	buf_append(&rest, bytes.data + used, bytes.len - used);
	ck_assert_int_eq(decode_with_request_limits(&rest, &decoded),
	                 ATTR_DEC_OK);
	attr_dec_free(dec);
	buf_free(&rest);
	buf_free(&bytes);
}
END_TEST

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
tlsp_request_suite(void)
{
	Suite *s = suite_create("tlsp_request");
	TCase *tc;

	tc = tcase_create("golden");
	tcase_add_loop_test(tc, test_tlsp_request_golden_client_parses, 0,
	                    NELEM(client_goldens));
	tcase_add_loop_test(tc, test_tlsp_request_golden_server_header_parses,
	                    0, NELEM(server_goldens));
	tcase_add_test(tc, test_tlsp_request_golden_head_server_body_parses);
	tcase_add_loop_test(tc, test_tlsp_request_detects_release_family, 0,
	                    NELEM(version_markers));
	suite_add_tcase(s, tc);

	tc = tcase_create("variants");
	tcase_add_loop_test(tc, test_tlsp_request_body_variants, 0,
	                    NELEM(body_variants));
	tcase_add_loop_test(tc, test_tlsp_request_server_body_variants, 0,
	                    NELEM(server_variants));
	tcase_add_test(tc, test_tlsp_request_tlsrpt_group_is_served);
	tcase_add_loop_test(tc, test_tlsp_request_tls_params_are_the_clients,
	                    0, NELEM(client_goldens));
	tcase_add_test(tc, test_tlsp_request_tls_params_absent_are_ours);
	tcase_add_test(tc, test_tlsp_request_reordered_values_land_in_place);
	tcase_add_test(tc, test_tlsp_request_dane_records_decode);
	tcase_add_loop_test(tc, test_tlsp_request_truncated_bytes_yield_no_body,
	                    0, NELEM(client_goldens));
	tcase_add_loop_test(tc, test_tlsp_request_every_prefix_of_body_fails, 0,
	                    49);
	tcase_add_loop_test(tc, test_tlsp_request_header_variants, 0,
	                    NELEM(header_variants));
	tcase_add_loop_test(tc, test_tlsp_request_role_from_flags, 0,
	                    NELEM(role_cases));
	tcase_add_test(tc, test_tlsp_request_reparse_replaces_values);
	tcase_add_test(tc, test_tlsp_request_names_roles_and_versions);
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_test_raise_signal(
	    tc, test_tlsp_request_body_without_role_panics, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_tlsp_request_argv_limit_keeps_every_value);
	tcase_add_test(tc, test_tlsp_request_argv_zero_is_null);
	tcase_add_test(tc, test_tlsp_request_attr_limits_fit_largest_body);
	tcase_add_loop_test(tc, test_tlsp_request_attr_limits_at_and_past, 0,
	                    3);
	tcase_add_loop_test(tc, test_tlsp_request_attr_limits_fit_goldens, 0,
	                    NELEM(client_goldens));
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_request_suite)
