/*
 * tlsp_server_conf.c - main.cf parameters of tlsproxy's server role
 *
 * The tlsproxy_tls_* parameters default to their smtpd_tls_* twins, so
 * a site that configured smtpd(8) gets the same certificates for
 * postscreen's STARTTLS. The enablement decision follows Postfix's
 * pre-jail server init, warnings included; with the default
 * configuration the role is off and every server request is refused.
 *
 * Errors: fatal on a bad parameter value or an invalid security level
 * (configuration, never peer input), as stock.
 * See also: tlsproxy(8), CONFIGURATION PARAMETERS.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_server_conf.h"

/* clang-format off */
#define S(name, def, min)	{CONF_STR, #name, def, &c->name, min, 0}
#define I(name, def)		{CONF_INT, #name, def, &c->name, 0, 0}
#define NI(name, def)		{CONF_NINT, #name, def, &c->name, 0, 0}
#define B(name, def)		{CONF_BOOL, #name, def, &c->name, 0, 0}
#define NB(name, def)		{CONF_NBOOL, #name, def, &c->name, 0, 0}
/* clang-format on */

void
tlsp_server_conf_read(struct tlsp_server_conf *c)
{
	const struct conf_param table[] = {
	    I(smtpd_tls_ccert_verifydepth, "9"),
	    NI(tlsproxy_tls_ccert_verifydepth, "$smtpd_tls_ccert_verifydepth"),
	    S(smtpd_tls_chain_files, "", 0),
	    S(smtpd_tls_cert_file, "", 0),
	    S(smtpd_tls_key_file, "$smtpd_tls_cert_file", 0),
	    S(smtpd_tls_dcert_file, "", 0),
	    S(smtpd_tls_dkey_file, "$smtpd_tls_dcert_file", 0),
	    S(smtpd_tls_eccert_file, "", 0),
	    S(smtpd_tls_eckey_file, "$smtpd_tls_eccert_file", 0),
	    S(smtpd_tls_CAfile, "", 0),
	    S(smtpd_tls_CApath, "", 0),
	    S(smtpd_tls_ciphers, "medium", 1),
	    S(smtpd_tls_mandatory_ciphers, "medium", 1),
	    S(smtpd_tls_exclude_ciphers, "", 0),
	    S(smtpd_tls_mandatory_exclude_ciphers, "", 0),
	    S(smtpd_tls_protocols, ">=TLSv1", 0),
	    S(smtpd_tls_mandatory_protocols, ">=TLSv1", 0),
	    S(smtpd_tls_dh512_param_file, "", 0),
	    S(smtpd_tls_dh1024_param_file, "", 0),
	    S(smtpd_tls_eecdh_grade, "auto", 1),
	    S(smtpd_tls_fingerprint_digest,
	      "${{$compatibility_level} <level {3.6} ? {md5} : "
	      "{sha256}}",
	      1),
	    S(smtpd_tls_loglevel, "0", 0),
	    S(smtpd_tls_security_level, "", 0),
	    S(tlsproxy_tls_chain_files, "$smtpd_tls_chain_files", 0),
	    S(tlsproxy_tls_cert_file, "$smtpd_tls_cert_file", 0),
	    S(tlsproxy_tls_key_file, "$smtpd_tls_key_file", 0),
	    S(tlsproxy_tls_dcert_file, "$smtpd_tls_dcert_file", 0),
	    S(tlsproxy_tls_dkey_file, "$smtpd_tls_dkey_file", 0),
	    S(tlsproxy_tls_eccert_file, "$smtpd_tls_eccert_file", 0),
	    S(tlsproxy_tls_eckey_file, "$smtpd_tls_eckey_file", 0),
	    S(tlsproxy_tls_CAfile, "$smtpd_tls_CAfile", 0),
	    S(tlsproxy_tls_CApath, "$smtpd_tls_CApath", 0),
	    S(tlsproxy_tls_ciphers, "$smtpd_tls_ciphers", 1),
	    S(tlsproxy_tls_mandatory_ciphers, "$smtpd_tls_mandatory_ciphers",
	      1),
	    S(tlsproxy_tls_exclude_ciphers, "$smtpd_tls_exclude_ciphers", 0),
	    S(tlsproxy_tls_mandatory_exclude_ciphers,
	      "$smtpd_tls_mandatory_exclude_ciphers", 0),
	    S(tlsproxy_tls_protocols, "$smtpd_tls_protocols", 0),
	    S(tlsproxy_tls_mandatory_protocols,
	      "$smtpd_tls_mandatory_protocols", 0),
	    S(tlsproxy_tls_dh512_param_file, "$smtpd_tls_dh512_param_file", 0),
	    S(tlsproxy_tls_dh1024_param_file, "$smtpd_tls_dh1024_param_file",
	      0),
	    S(tlsproxy_tls_eecdh_grade, "$smtpd_tls_eecdh_grade", 1),
	    S(tlsproxy_tls_fingerprint_digest, "$smtpd_tls_fingerprint_digest",
	      1),
	    S(tlsproxy_tls_loglevel, "$smtpd_tls_loglevel", 0),
	    S(tlsproxy_tls_security_level, "$smtpd_tls_security_level", 0),
	    B(smtpd_use_tls, "no"),
	    B(smtpd_enforce_tls, "no"),
	    B(smtpd_tls_ask_ccert, "no"),
	    B(smtpd_tls_req_ccert, "no"),
	    B(smtpd_tls_always_issue_session_ids, "yes"),
	    NB(tlsproxy_use_tls, "$smtpd_use_tls"),
	    NB(tlsproxy_enforce_tls, "$smtpd_enforce_tls"),
	    NB(tlsproxy_tls_ask_ccert, "$smtpd_tls_ask_ccert"),
	    NB(tlsproxy_tls_req_ccert, "$smtpd_tls_req_ccert"),
	    NB(tlsproxy_tls_always_issue_session_ids,
	       "$smtpd_tls_always_issue_session_ids"),
	    S(tls_server_sni_maps, "", 0),
	    {0},
	};

	conf_read_params(table);
}

#undef S
#undef I
#undef NI
#undef B
#undef NB

/* tlsproxy_tls_security_level into use/enforce; fatal if invalid. */
static void
tlsp_server_conf_level(const char *level, int *use, int *enforce)
{
	static const char *const unsupported[] = {"fingerprint", "verify",
	                                          "secure", 0};
	const char *const *u;

	for (u = unsupported; *u; u++) {
		if (strcasecmp(level, *u) == 0) {
			msg_warn("tlsproxy_tls_security_level: unsupported "
			         "TLS level \"%s\", using \"encrypt\"",
			         level);
			level = "encrypt";
			break;
		}
	}
	if (strcasecmp(level, "encrypt") == 0)
		*use = *enforce = 1;
	else if (strcasecmp(level, "may") == 0)
		*use = 1, *enforce = 0;
	else if (strcasecmp(level, "none") == 0)
		*use = *enforce = 0;
	else
		msg_fatal("Invalid TLS level \"%s\"", level);
}

/* Appends word to list, space separated, if non-empty. */
static void
tlsp_server_conf_exclude(struct buf *list, const char *word)
{
	if (*word == 0)
		return;
	buf_printf(list, "%s%s", list->len ? " " : "", word);
}

/* Grade, exclusions and protocols per enforcement (computed once). */
static void
tlsp_server_conf_ciphers(const struct tlsp_server_conf *c,
                         struct tlsp_server_role *role)
{
	struct buf excl;

	role->protocols = role->enforce ? c->tlsproxy_tls_mandatory_protocols
	                                : c->tlsproxy_tls_protocols;
	role->cipher_grade = role->enforce ? c->tlsproxy_tls_mandatory_ciphers
	                                   : c->tlsproxy_tls_ciphers;
	buf_init(&excl);
	tlsp_server_conf_exclude(&excl, c->tlsproxy_tls_exclude_ciphers);
	if (role->enforce)
		tlsp_server_conf_exclude(
		    &excl, c->tlsproxy_tls_mandatory_exclude_ciphers);
	if (role->ask_ccert)
		tlsp_server_conf_exclude(&excl, "aNULL");
	role->cipher_exclusions = xstrdup(buf_str(&excl));
	buf_free(&excl);
}

/* Whether certificates are configured; warns about the clash. */
static int
tlsp_server_conf_have_cert(const struct tlsp_server_conf *c,
                           const char *cert_file)
{
	int legacy = *cert_file || *c->tlsproxy_tls_dcert_file ||
	             *c->tlsproxy_tls_eccert_file;

	if (*c->tlsproxy_tls_chain_files == 0)
		return legacy;
	if (legacy)
		msg_warn(
		    "Both tlsproxy_tls_chain_files and one or more of the "
		    "legacy  tlsproxy_tls_cert_file, tlsproxy_tls_eccert_file "
		    "or tlsproxy_tls_dcert_file are non-empty; the legacy  "
		    "parameters will be ignored");
	return 1;
}

int
tlsp_server_conf_decide(const struct tlsp_server_conf *c,
                        struct tlsp_server_role *role)
{
	int use = c->tlsproxy_use_tls;
	int no_cert_ok;
	int have_cert;

	memset(role, 0, sizeof(*role));
	role->enforce = c->tlsproxy_enforce_tls;
	if (*c->tlsproxy_tls_security_level)
		tlsp_server_conf_level(c->tlsproxy_tls_security_level, &use,
		                       &role->enforce);
	if (!(use || role->enforce)) {
		msg_warn("TLS server role is disabled with "
		         "tlsproxy_tls_security_level or tlsproxy_use_tls");
		return 0;
	}
	role->ask_ccert = c->tlsproxy_tls_ask_ccert ||
	                  (role->enforce && c->tlsproxy_tls_req_ccert);
	role->requirecert = c->tlsproxy_tls_req_ccert && role->enforce;
	no_cert_ok = strcasecmp(c->tlsproxy_tls_cert_file, "none") == 0;
	role->cert_file = no_cert_ok ? "" : c->tlsproxy_tls_cert_file;
	have_cert = tlsp_server_conf_have_cert(c, role->cert_file);
	if (!have_cert && role->ask_ccert)
		msg_warn("Need a server cert to request client certs");
	if (!role->enforce && c->tlsproxy_tls_req_ccert)
		msg_warn("Can't require client certs unless TLS is required");
	if (!have_cert && !(no_cert_ok && !role->ask_ccert)) {
		msg_warn("No server certs available. TLS can't be enabled");
		return 0;
	}
	tlsp_server_conf_ciphers(c, role);
	return role->enabled = 1;
}

void
tlsp_server_role_free(struct tlsp_server_role *role)
{
	if (role == 0)
		return;
	free(role->cipher_exclusions);
	role->cipher_exclusions = 0;
}

void
tlsp_server_conf_props(const struct tlsp_server_conf *c,
                       const struct tlsp_server_role *role,
                       const struct tlsp_tls_params *params,
                       struct tlsp_server_init *init)
{
	memset(init, 0, sizeof(*init));
	init->base.log_param = "tlsproxy_tls_loglevel";
	init->base.log_level = c->tlsproxy_tls_loglevel;
	init->base.verifydepth = c->tlsproxy_tls_ccert_verifydepth;
	init->base.cache_type = "smtpd";
	init->base.chain_files = c->tlsproxy_tls_chain_files;
	init->base.cert_file = role->cert_file;
	init->base.key_file = c->tlsproxy_tls_key_file;
	init->base.dcert_file = c->tlsproxy_tls_dcert_file;
	init->base.dkey_file = c->tlsproxy_tls_dkey_file;
	init->base.eccert_file = c->tlsproxy_tls_eccert_file;
	init->base.eckey_file = c->tlsproxy_tls_eckey_file;
	init->base.CAfile = c->tlsproxy_tls_CAfile;
	init->base.CApath = c->tlsproxy_tls_CApath;
	init->base.mdalg = c->tlsproxy_tls_fingerprint_digest;
	init->set_sessid = c->tlsproxy_tls_always_issue_session_ids;
	init->dh1024_param_file = c->tlsproxy_tls_dh1024_param_file;
	init->protocols = role->protocols;
	init->ask_ccert = role->ask_ccert;
	init->preempt_cipherlist = params->tls_preempt_cipherlist;
	init->ticket_cipher = params->tls_session_ticket_cipher;
	init->sni_maps = c->tls_server_sni_maps;
}
