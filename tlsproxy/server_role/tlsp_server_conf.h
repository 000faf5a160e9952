/*
 * tlsp_server_conf.h - main.cf parameters of tlsproxy's server role
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SERVER_CONF_H
#define TLSREUSE_TLSPROXY_TLSP_SERVER_CONF_H

#include "tls/tlsp_tls.h"
#include "tlsp_server.h"

/*
 * The values, named after their parameters (Postfix 3.7.11). The smtpd_*
 * ones are read only so that the $smtpd_* defaults of the tlsproxy_* ones
 * see them, as stock does. Strings live until the next conf_init().
 */
struct tlsp_server_conf {
	/* compatibility inputs */
	int smtpd_tls_ccert_verifydepth;
	const char *smtpd_tls_chain_files;
	const char *smtpd_tls_cert_file;
	const char *smtpd_tls_key_file;
	const char *smtpd_tls_dcert_file;
	const char *smtpd_tls_dkey_file;
	const char *smtpd_tls_eccert_file;
	const char *smtpd_tls_eckey_file;
	const char *smtpd_tls_CAfile;
	const char *smtpd_tls_CApath;
	const char *smtpd_tls_ciphers;
	const char *smtpd_tls_mandatory_ciphers;
	const char *smtpd_tls_exclude_ciphers;
	const char *smtpd_tls_mandatory_exclude_ciphers;
	const char *smtpd_tls_protocols;
	const char *smtpd_tls_mandatory_protocols;
	const char *smtpd_tls_dh512_param_file;
	const char *smtpd_tls_dh1024_param_file;
	const char *smtpd_tls_eecdh_grade;
	const char *smtpd_tls_fingerprint_digest;
	const char *smtpd_tls_loglevel;
	const char *smtpd_tls_security_level;
	int smtpd_use_tls;
	int smtpd_enforce_tls;
	int smtpd_tls_ask_ccert;
	int smtpd_tls_req_ccert;
	int smtpd_tls_always_issue_session_ids;
	/* the server role's own */
	int tlsproxy_tls_ccert_verifydepth;
	const char *tlsproxy_tls_chain_files;
	const char *tlsproxy_tls_cert_file;
	const char *tlsproxy_tls_key_file;
	const char *tlsproxy_tls_dcert_file;
	const char *tlsproxy_tls_dkey_file;
	const char *tlsproxy_tls_eccert_file;
	const char *tlsproxy_tls_eckey_file;
	const char *tlsproxy_tls_CAfile;
	const char *tlsproxy_tls_CApath;
	const char *tlsproxy_tls_ciphers;
	const char *tlsproxy_tls_mandatory_ciphers;
	const char *tlsproxy_tls_exclude_ciphers;
	const char *tlsproxy_tls_mandatory_exclude_ciphers;
	const char *tlsproxy_tls_protocols;
	const char *tlsproxy_tls_mandatory_protocols;
	const char *tlsproxy_tls_dh512_param_file;
	const char *tlsproxy_tls_dh1024_param_file;
	const char *tlsproxy_tls_eecdh_grade;
	const char *tlsproxy_tls_fingerprint_digest;
	const char *tlsproxy_tls_loglevel;
	const char *tlsproxy_tls_security_level;
	int tlsproxy_use_tls;
	int tlsproxy_enforce_tls;
	int tlsproxy_tls_ask_ccert;
	int tlsproxy_tls_req_ccert;
	int tlsproxy_tls_always_issue_session_ids;
	/* the one global TLS parameter only the server role uses */
	const char *tls_server_sni_maps;
};

/*
 * What pre-jail init decided (Postfix's pre_jail_init_server()).
 * Strings borrow from the conf, except cipher_exclusions (owned).
 */
struct tlsp_server_role {
	int enabled;           /* build the server engine */
	int enforce;           /* mandatory protocols/ciphers */
	int ask_ccert;         /* send a CertificateRequest */
	int requirecert;       /* log untrusted certs, security level 1 */
	const char *cert_file; /* "" when configured as "none" */
	const char *protocols;
	const char *cipher_grade;
	char *cipher_exclusions; /* space separated; "" for none */
};

/*
 * Reads the server-role parameters in Postfix's table order (compat
 * ints, nints, compat strings, strings, compat bools, nbools, then
 * tls_server_sni_maps); the other tls_* globals it uses are tlsproxy's
 * own (struct tlsp_tls_params, read once by tlsproxy.c). Fatal on a bad
 * value, with Postfix's wording.
 */
void tlsp_server_conf_read(struct tlsp_server_conf *conf);

/*
 * Decides whether the server role is enabled, logging stock's warnings:
 * "TLS server role is disabled with ...", unsupported levels, the chain
 * vs legacy files clash, client-cert requests without a certificate,
 * "No server certs available. TLS can't be enabled". Fatal on an invalid
 * tlsproxy_tls_security_level, as stock. Fills *role (release with
 * tlsp_server_role_free()); returns role->enabled.
 */
int tlsp_server_conf_decide(const struct tlsp_server_conf *conf,
                            struct tlsp_server_role *role);

/*
 * The init props for an enabled role, as stock's pre-jail init, from the
 * role's parameters and tlsproxy's global TLS settings (server cipher
 * preference, session ticket cipher). Strings borrow from the three.
 */
void tlsp_server_conf_props(const struct tlsp_server_conf *conf,
                            const struct tlsp_server_role *role,
                            const struct tlsp_tls_params *params,
                            struct tlsp_server_init *init);

/* Frees what *role owns; NULL-safe. */
void tlsp_server_role_free(struct tlsp_server_role *role);

#endif
