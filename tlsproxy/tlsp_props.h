/*
 * tlsp_props.h - request structures to TLS engine inputs, and the ctx key
 *
 * The request parser (tlsp_request.h) and the TLS engine (tlsp_tls.h)
 * describe the same wire attributes with their own structs; this module
 * is the only place that knows both. Nothing here does I/O or logs.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_PROPS_H
#define TLSREUSE_TLSPROXY_TLSP_PROPS_H

#include "client_role/tlsp_client.h"
#include "tlsp_request.h"

/* The engine's start props and the TLSA array they point to (owned). */
struct tlsp_props_start {
	struct tlsp_client_start props;
	struct tlsp_tlsa *tlsa;
};

/*
 * Views of a parsed request for the engine. Borrowed: every pointer
 * refers into the request, which must outlive the view; only the TLSA
 * array of a start view is its own (tlsp_props_start_free(), NULL-safe
 * for a zeroed view).
 */
void tlsp_props_init(const struct tlsp_client_init_props *in,
                     struct tlsp_tls_init *out);
void tlsp_props_start(const struct tlsp_client_start_props *in,
                      const struct tlsp_tls_params *params,
                      const struct tlsp_settings *settings,
                      struct tlsp_props_start *out);

/*
 * The global settings a request carries (TLS_CLIENT_PARAMS), as the
 * engine applies them: a setting the client's release does not send
 * takes the value that release behaves as (3.8+: low and export grades
 * use the medium list, no FFDHE groups before 3.8; no legacy public-key
 * fingerprints after 3.10), or else tlsproxy's own (ours). Borrowed from
 * in and ours.
 */
void tlsp_props_params(const struct tlsp_params *in,
                       const struct tlsp_tls_params *ours,
                       struct tlsp_tls_params *out);
void tlsp_props_start_free(struct tlsp_props_start *start);

#endif
