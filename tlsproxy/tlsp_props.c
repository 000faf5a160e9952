/*
 * tlsp_props.c - request structures to TLS engine inputs
 *
 * Field by field views, no copies of strings: the engine only reads them
 * while it sets up a context or a session. The only allocation is the
 * engine's TLSA array (its record struct differs from the parser's).
 * Global settings a release does not send are filled as that release
 * behaves without them, else with tlsproxy's own.
 *
 * See also: tlsp_request.h, tlsp_tls.h; spec tlsproxy-tls.md section 1.2.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>

#include "mem.h"
#include "tlsp_props.h"

/* The request's string, else ours. */
static const char *
tlsp_props_or(const char *theirs, const char *ours)
{
	return theirs != NULL ? theirs : ours;
}

void
tlsp_props_params(const struct tlsp_params *in,
                  const struct tlsp_tls_params *ours,
                  struct tlsp_tls_params *out)
{
	out->tls_high_cipherlist =
	    tlsp_props_or(in->tls_high_cipherlist, ours->tls_high_cipherlist);
	out->tls_medium_cipherlist = tlsp_props_or(in->tls_medium_cipherlist,
	                                           ours->tls_medium_cipherlist);
	/* 3.8+ send a medium list and no low or export one (the engine
	 * then uses medium for those grades, as they do). */
	out->tls_low_cipherlist = in->tls_medium_cipherlist != NULL
	                              ? in->tls_low_cipherlist
	                              : tlsp_props_or(in->tls_low_cipherlist,
	                                              ours->tls_low_cipherlist);
	out->tls_export_cipherlist =
	    in->tls_medium_cipherlist != NULL
	        ? in->tls_export_cipherlist
	        : tlsp_props_or(in->tls_export_cipherlist,
	                        ours->tls_export_cipherlist);
	out->tls_null_cipherlist =
	    tlsp_props_or(in->tls_null_cipherlist, ours->tls_null_cipherlist);
	out->tls_eecdh_auto_curves = tlsp_props_or(in->tls_eecdh_auto_curves,
	                                           ours->tls_eecdh_auto_curves);
	/* Absent: a 3.6/3.7 client, whose groups are its curves alone. */
	out->tls_ffdhe_auto_groups = in->tls_ffdhe_auto_groups;
	out->tls_dane_digests =
	    tlsp_props_or(in->tls_dane_digests, ours->tls_dane_digests);
	out->tls_disable_workarounds = tlsp_props_or(
	    in->tls_disable_workarounds, ours->tls_disable_workarounds);
	out->tls_ssl_options =
	    tlsp_props_or(in->tls_ssl_options, ours->tls_ssl_options);
	out->tls_append_default_CA = in->tls_append_default_CA >= 0
	                                 ? in->tls_append_default_CA
	                                 : ours->tls_append_default_CA;
	/* 3.11 dropped the setting: absent means no. */
	out->tls_legacy_public_key_fingerprints =
	    in->tls_legacy_public_key_fingerprints > 0;
}

void
tlsp_props_init(const struct tlsp_client_init_props *in,
                struct tlsp_tls_init *out)
{
	out->log_param = in->log_param;
	out->log_level = in->log_level;
	out->verifydepth = in->verifydepth;
	out->cache_type = in->cache_type;
	out->chain_files = in->chain_files;
	out->cert_file = in->cert_file;
	out->key_file = in->key_file;
	out->dcert_file = in->dcert_file;
	out->dkey_file = in->dkey_file;
	out->eccert_file = in->eccert_file;
	out->eckey_file = in->eckey_file;
	out->CAfile = in->CAfile;
	out->CApath = in->CApath;
	out->mdalg = in->mdalg;
}

/* The engine's copy of the TLSA records (data stays the request's). */
static struct tlsp_tlsa *
tlsp_props_tlsa(const struct tlsp_client_start_props *in)
{
	struct tlsp_tlsa *tlsa;
	size_t i;

	if (in->tlsa_count == 0)
		return NULL;
	tlsa = xcalloc(in->tlsa_count, sizeof(*tlsa));
	for (i = 0; i < in->tlsa_count; i++) {
		tlsa[i].usage = in->tlsa[i].usage;
		tlsa[i].selector = in->tlsa[i].selector;
		tlsa[i].mtype = in->tlsa[i].mtype;
		tlsa[i].data = in->tlsa[i].data;
		tlsa[i].len = in->tlsa[i].data_len;
	}
	return tlsa;
}

void
tlsp_props_start(const struct tlsp_client_start_props *in,
                 const struct tlsp_tls_params *params,
                 const struct tlsp_settings *settings,
                 struct tlsp_props_start *view)
{
	struct tlsp_client_start *out = &view->props;

	out->params = params;
	out->settings = settings;
	out->forced_failure_type = in->forced_failure_type;
	out->tls_level = in->tls_level;
	out->nexthop = in->nexthop;
	out->host = in->host;
	out->namaddr = in->namaddr;
	out->sni = in->sni;
	out->serverid = in->serverid;
	out->helo = in->helo;
	out->protocols = in->protocols;
	out->cipher_grade = in->cipher_grade;
	out->cipher_exclusions = in->cipher_exclusions;
	out->match = (const char *const *)in->match;
	out->match_count = in->match_count;
	out->mdalg = in->mdalg;
	out->dane = in->dane;
	out->dane_domain = in->dane_domain;
	out->tlsa = view->tlsa = tlsp_props_tlsa(in);
	out->tlsa_count = in->tlsa_count;
}

void
tlsp_props_start_free(struct tlsp_props_start *start)
{
	free(start->tlsa);
	start->tlsa = NULL;
	start->props.tlsa = NULL;
	start->props.tlsa_count = 0;
}
