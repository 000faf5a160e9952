/*
 * tlsp_request.h - the tlsproxy request, parsed by name from attribute lists
 *
 * A request is one header list (remote_endpoint, flags, two timeouts,
 * serverid) and, for the client role and for HEAD's server role, one body
 * list that holds PARAMS, INIT_PROPS and START_PROPS back to back
 * (doc/tlsproxy-protocol.md sections 2.2, 2.3, 5). Parsing goes by attribute
 * name, not position, so that one parser serves Postfix 3.6 ... HEAD:
 * unknown names are skipped, known ones are range-checked, required ones
 * must be there, and no name may repeat inside one structure.
 *
 * Segmenting the flat body: PARAMS is every pair before the first
 * log_param; INIT_PROPS runs from that log_param to the first mdalg after
 * it (a timeout or a second log_param before it means that mdalg is
 * missing); START_PROPS is the rest (HEAD's begins with its own
 * log_param). Inside START_PROPS the groups are read in their fixed inner
 * order: argv_size n then exactly n argv_value; dane 1 then domain, count
 * n and n x (usage, selector, mtype, data); tlsrpt 1 then the 13 items
 * of the TLSRPT group (Postfix 3.10+ built with TLSRPT; two of them argv
 * groups of their own). A group member anywhere else (a stray
 * argv_value, domain, usage ...) is an error, not an unknown.
 * Strings are at most ATTR_FIELD_STR_MAX bytes and never hold a '\n'.
 *
 * The body also tells which Postfix release family sent it, which fixes
 * the TLS_SESS_STATE layout the peer will accept (tlsp_reply.h).
 *
 * Not supported, rejected with a reason: Postfix 3.4/3.5 requests that
 * carry the legacy DANE encoding (dane 1 followed by count instead of
 * domain). A 3.4/3.5 request
 * without DANE data has the layout of a 3.6 one and parses as 3.6; such a
 * client cannot get that far anyway, because it reads the announcement
 * where it expects the status, and it would need a
 * 21-pair TLS_SESS_STATE that tlsp_reply does not produce.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_REQUEST_H
#define TLSREUSE_TLSPROXY_TLSP_REQUEST_H

#include <stddef.h>

#include "attr_dec.h"
#include "attr_fields.h"
#include "client_role/tlsp_client.h"
#include "tls/tlsp_tls.h"

/* Limits, checked before anything is stored. */
#define TLSP_REQUEST_ARGV_MAX 1024      /* argv_size, as the stock peers */
#define TLSP_REQUEST_TLSA_MAX 16        /* TLSA records per request */
#define TLSP_REQUEST_TLSA_DATA_MAX 8192 /* decoded bytes per TLSA record */
#define TLSP_REQUEST_TIMEOUT_MAX 604800 /* header timeouts, seconds */
#define TLSP_REQUEST_VERIFYDEPTH_MAX 100

/* Base64 bytes of the longest TLSA data accepted. */
#define TLSP_REQUEST_TLSA_B64_MAX ((TLSP_REQUEST_TLSA_DATA_MAX + 2) / 3 * 4)

/*
 * Pairs in the largest body the parser accepts: the argv and DANE groups
 * at their limits plus a margin for every scalar of every release.
 */
#define TLSP_REQUEST_SCALARS_MAX 128
#define TLSP_REQUEST_PAIRS_MAX                                                 \
	(TLSP_REQUEST_SCALARS_MAX + 1 + TLSP_REQUEST_ARGV_MAX + 3 +            \
	 4 * TLSP_REQUEST_TLSA_MAX)

/*
 * Bytes in one request list. The captured 3.7.11 body is 1.3 KB; this
 * leaves room for long match lists and several full-certificate TLSA
 * records, while a hostile peer costs at most this much per session.
 */
#define TLSP_REQUEST_BYTES_MAX (256 * 1024)

/*
 * Decoder limits for the request lists: whatever the parser accepts
 * decodes, and no value or pair count much beyond it (values up to
 * TLSP_REQUEST_TLSA_B64_MAX, at most TLSP_REQUEST_PAIRS_MAX pairs,
 * at most TLSP_REQUEST_BYTES_MAX bytes).
 */
extern const struct attr_limits tlsp_request_attr_limits;

/* The TLSRPT group's flags bit for "an event was reported already". */
#define TLSP_TLSRPT_FLAG_REPORTED 8

/* Header flag bits (doc/tlsproxy-protocol.md section 2.2). */
#define TLSP_FLAG_ROLE_SERVER 1u
#define TLSP_FLAG_ROLE_CLIENT 2u
#define TLSP_FLAG_SEND_CONTEXT 4u
#define TLSP_FLAG_PROBE_ONLY 8u

enum tlsp_role {
	TLSP_ROLE_BOGUS, /* neither or both role bits: answer status 0 */
	TLSP_ROLE_SERVER,
	TLSP_ROLE_CLIENT,
};

/* Release families that differ on the wire, oldest first. */
enum tlsp_peer_version {
	TLSP_PEER_V36,  /* 3.6-3.8: 22-pair TLS_SESS_STATE */
	TLSP_PEER_V39,  /* 3.9: enable_rpk; adds ctos_rpk, stoc_rpk */
	TLSP_PEER_V310, /* 3.10-3.11: forced_failure_type; rpt_reported */
	TLSP_PEER_HEAD, /* 3.12 snapshot: trace_*; trace_size_limit */
};

struct tlsp_request_header {
	const char *remote_endpoint; /* "[addr]:port" */
	unsigned flags;              /* TLSP_FLAG_* and unknown bits, as sent */
	int handshake_timeout;       /* first timeout, 1..TLSP_REQUEST_TIMEOUT_MAX */
	int session_timeout;         /* second timeout, same range */
	const char *serverid;        /* service name (cache id, server role) */
};

/*
 * TLS_CLIENT_PARAMS and TLS_SERVER_PARAMS (HEAD), one struct for both:
 * the names of every version, all optional because each release adds or
 * drops some; absent strings are NULL, absent integers -1, present
 * integers >= 0. The client role applies what tlsp_request_tls_params()
 * makes of them; the rest is carried for the record.
 */
struct tlsp_params {
	const char *config_file, *config_name;
	const char *tls_high_cipherlist, *tls_medium_cipherlist;
	const char *tls_low_cipherlist, *tls_export_cipherlist;
	const char *tls_null_cipherlist;
	const char *tls_eecdh_auto_curves, *tls_eecdh_strong_curve;
	const char *tls_eecdh_ultra_curve, *tls_ffdhe_auto_groups;
	const char *tls_disable_workarounds, *tls_ssl_options;
	const char *tls_dane_digests, *tlsmgr_service_name;
	const char *tls_session_ticket_cipher, *tls_server_sni_maps;
	int tls_daemon_random_bytes, tls_append_default_CA;
	int tls_legacy_public_key_fingerprints, tls_preempt_cipherlist;
	int tls_wildcard_matches_multiple_labels, tls_fast_shutdown_enable;
	int tls_trust_server_ccerts;
};

/* TLS_SERVER_INIT_PROPS (HEAD server body): 20 pairs, all required. */
struct tlsp_server_init_props {
	const char *log_param, *log_level;
	int verifydepth;
	const char *cache_type;
	int set_sessid;
	const char *chain_files, *cert_file, *key_file, *dcert_file;
	const char *dkey_file, *eccert_file, *eckey_file, *CAfile, *CApath;
	const char *protocols, *eecdh_grade, *dh1024_param_file;
	const char *dh512_param_file;
	int ask_ccert;
	const char *mdalg;
};

/* TLS_SERVER_START_PROPS (HEAD server body). */
struct tlsp_server_start_props {
	const char *log_param, *log_level; /* optional */
	int timeout;
	int enable_rpk; /* optional, else 0 */
	int requirecert;
	const char *serverid, *namaddr, *cipher_grade, *cipher_exclusions;
	const char *mdalg;
	int trace_size_limit;   /* optional, else 0 */
	const char *trace_peer; /* optional, else NULL */
};

struct tlsp_request {
	struct tlsp_request_header hdr;
	enum tlsp_role role;         /* from hdr.flags */
	enum tlsp_peer_version peer; /* V36 until a body says otherwise */
	int has_body;                /* a body list was parsed */
	struct tlsp_params params;
	struct tlsp_tls_init client_init; /* client role: TLS_CLIENT_* */
	struct tlsp_client_start client_start;
	struct tlsp_server_init_props server_init; /* server role body */
	struct tlsp_server_start_props server_start;
	char reason[ATTR_FIELD_REASON_MAX];
};

/* Returns an empty request, owned by the caller. */
struct tlsp_request *tlsp_request_create(void);

/* Frees everything the request holds. Accepts NULL and partial state. */
void tlsp_request_free(struct tlsp_request *req);

/*
 * Parses the header list into req->hdr and sets req->role. A bogus role
 * is not an error here (the stock daemon answers it with status 0).
 * Returns 0, or -1 with tlsp_request_reason(). Call once per request.
 */
int tlsp_request_parse_header(struct tlsp_request *req,
                              const struct attr_list *list);

/*
 * Parses a body list for req->role (client: TLS_CLIENT_*; server: the
 * HEAD TLS_SERVER_*) and sets req->peer. Returns 0, or -1 with a reason.
 * Panics unless the header was parsed with a client or server role.
 */
int tlsp_request_parse_body(struct tlsp_request *req,
                            const struct attr_list *list);

/*
 * The global settings a client request carries (TLS_CLIENT_PARAMS), as
 * the client engine applies them: a setting the client's release does
 * not send takes the value that release behaves as (3.8+: low and export
 * grades use the medium list, no FFDHE groups before 3.8; no legacy
 * public-key fingerprints after 3.10), or else tlsproxy's own (ours).
 * The strings of *out are borrowed from req and ours.
 */
void tlsp_request_tls_params(const struct tlsp_request *req,
                             const struct tlsp_tls_params *ours,
                             struct tlsp_tls_params *out);

/* Why the last parse failed. Borrowed from req. */
const char *tlsp_request_reason(const struct tlsp_request *req);

/* "client", "server" or "bogus". */
const char *tlsp_role_str(enum tlsp_role role);

/* "3.6-3.8", "3.9", "3.10-3.11" or "3.12-HEAD". */
const char *tlsp_peer_version_str(enum tlsp_peer_version peer);

#endif
