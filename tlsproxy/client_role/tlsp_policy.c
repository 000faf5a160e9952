/*
 * tlsp_policy.c - set up one client TLS session from its start props
 *
 * Turns smtp(8)'s per-connection policy into SSL settings, in the order
 * Postfix applies them (OpenSSL's DANE enablement resets the host list,
 * so names come after it; the security level depends on the level left
 * after the "all TLSA records unusable" fallback).
 *
 * Errors: Postfix's warnings; a session that must not start is not
 * created. Trust settings that fail at a must-match level set must_fail
 * instead, so the peer can never be reported MATCHED.
 * See also: tlsp_names.c, tlsp_dane.c, tlsp_resume.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "mem.h"
#include "msg.h"
#include "tls/tlsp_cipher.h"
#include "tls/tlsp_fprint.h"
#include "tls/tlsp_pktdump.h"
#include "tls/tlsp_protocols.h"
#include "tls/tlsp_tlserr.h"
#include "tlsp_client_conn.h"
#include "tlsp_dane.h"
#include "tlsp_names.h"
#include "tlsp_resume.h"
#include "tlsp_settings.h"
#include "tlsp_policy.h"

/* "%s: error setting/clearing min/max TLS version" when refused. */
static void
tlsp_policy_version(struct tlsp_client_conn *conn, const char *which,
                    int version, int ok)
{
	if (ok)
		return;
	if (version != 0)
		msg_warn("%s: error setting %simum TLS version to: 0x%04x",
		         conn->tls.namaddr, which, version);
	else
		msg_warn("%s: error clearing %simum TLS version",
		         conn->tls.namaddr, which);
}

/* Protocol exclusions and bounds onto the SSL. */
static void
tlsp_policy_protocols(struct tlsp_client_conn *conn,
                      const struct tlsp_protocols *p)
{
	if (p->exclude != 0)
		SSL_set_options(conn->tls.ssl,
		                tlsp_protocols_ssl_options(p->exclude));
	tlsp_policy_version(conn, "min", p->floor,
	                    SSL_set_min_proto_version(conn->tls.ssl, p->floor));
	tlsp_policy_version(
	    conn, "max", p->ceiling,
	    SSL_set_max_proto_version(conn->tls.ssl, p->ceiling));
}

/* The cipher list for props, applied to the SSL; -1 (warned) if bad. */
static int
tlsp_policy_ciphers(struct tlsp_client_conn *conn,
                    const struct tlsp_client_start *props)
{
	conn->cipher_list =
	    tlsp_cipher_apply(&conn->tls, props->params, props->cipher_grade,
	                      props->cipher_exclusions, props->namaddr);
	return conn->cipher_list ? 0 : -1;
}

/* SSL_dane_enable() for the synthetic and DNS uses; -1 (warned). */
static int
tlsp_policy_dane_enable(struct tlsp_client_conn *conn, const char *who,
                        const char *what, int no_ee_names)
{
	if (SSL_dane_enable(conn->tls.ssl, 0) <= 0) {
		msg_warn("%s: %s", who, what);
		tlsp_tlserr_log();
		return -1;
	}
	if (no_ee_names)
		SSL_dane_set_flags(conn->tls.ssl,
		                   DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	return 0;
}

/* The SNI name props ask for, before the DANE override; NULL = none. */
static const char *
tlsp_policy_sni_name(const struct tlsp_client_start *props)
{
	const char *sni = props->sni;

	if (sni == 0 || *sni == 0)
		return 0;
	if (strcmp(sni, "hostname") == 0)
		return tlsp_tls_str(props->host);
	if (strcmp(sni, "nexthop") == 0)
		return tlsp_tls_str(props->nexthop);
	return sni;
}

/* Sends sni (if any); -1 (warned) if too long or refused. */
static int
tlsp_policy_sni(struct tlsp_client_conn *conn,
                const struct tlsp_client_start *props, const char *sni)
{
	const char *namaddr = tlsp_tls_str(props->namaddr);

	if (sni == 0)
		return 0;
	if (strlen(sni) > TLSP_POLICY_SNI_MAX) {
		msg_warn("%s: ignoring too long SNI hostname: %.100s", namaddr,
		         sni);
		return -1;
	}
	if (!SSL_set_tlsext_host_name(conn->tls.ssl, sni)) {
		msg_warn("%s: error setting SNI hostname to: %s", namaddr, sni);
		return -1;
	}
	conn->sni = xstrdup(sni);
	if (conn->tls.verify.log_mask & TLSP_LOG_DEBUG)
		msg_info("%s: SNI hostname: %s", namaddr, sni);
	return 0;
}

/* Level-specific authentication setup and SNI; -1 (warned) to abort. */
static int
tlsp_policy_auth(struct tlsp_client_conn *conn,
                 const struct tlsp_client_start *props)
{
	const char *namaddr = tlsp_tls_str(props->namaddr);
	const char *sni = tlsp_policy_sni_name(props);

	switch (conn->level) {
	case TLSP_LEV_HALF_DANE:
	case TLSP_LEV_DANE:
	case TLSP_LEV_DANE_ONLY:
		if (tlsp_policy_dane_enable(
		        conn, conn->tls.namaddr,
		        "error "
		        "enabling DANE-based certificate validation",
		        1) < 0)
			return -1;
		sni = props->dane ? tlsp_tls_str(props->dane_domain) : 0;
		tlsp_names_add(conn, props);
		break;
	case TLSP_LEV_FPRINT:
		if (tlsp_policy_dane_enable(
		        conn, namaddr,
		        "error enabling "
		        "fingerprint certificate validation",
		        1) < 0)
			return -1;
		break;
	case TLSP_LEV_VERIFY:
	case TLSP_LEV_SECURE:
		if (props->dane && props->tlsa_count > 0 &&
		    tlsp_policy_dane_enable(conn, namaddr,
		                            "error configuring "
		                            "local trust anchors",
		                            0) < 0)
			return -1;
		tlsp_names_add(conn, props);
		break;
	default:
		break;
	}
	return tlsp_policy_sni(conn, props, sni);
}

/* Loads the TLSA records; applies the "none usable" fallback rules. */
static void
tlsp_policy_tlsa(struct tlsp_client_conn *conn,
                 const struct tlsp_client_start *props)
{
	int usable;

	if (!props->dane || props->tlsa_count == 0)
		return;
	usable = tlsp_dane_add(conn->tls.ssl, conn->tls.namaddr, props->tlsa,
	                       props->tlsa_count);
	if (usable != 0) {
		conn->tls.verify.must_fail |= usable < 0;
		return;
	}
	switch (conn->level) {
	case TLSP_LEV_HALF_DANE:
	case TLSP_LEV_DANE:
		msg_warn("%s: all TLSA records unusable, fallback to "
		         "unauthenticated TLS",
		         conn->tls.namaddr);
		conn->level = TLSP_LEV_ENCRYPT;
		return;
	case TLSP_LEV_FPRINT:
		msg_warn("%s: all fingerprints unusable", conn->tls.namaddr);
		break;
	case TLSP_LEV_DANE_ONLY:
		msg_warn("%s: all TLSA records unusable", conn->tls.namaddr);
		break;
	case TLSP_LEV_VERIFY:
	case TLSP_LEV_SECURE:
		msg_warn("%s: all trust anchors unusable", conn->tls.namaddr);
		break;
	default:
		break;
	}
	conn->tls.verify.must_fail = 1;
}

/*
 * An external policy (MTA-STS, Postfix 3.10+) failed: the certificate
 * must not verify, whatever it is, as with Postfix's own client. Before
 * the cache key, which covers must_fail, so such a session never resumes
 * one that verified.
 */
static void
tlsp_policy_forced_failure(struct tlsp_client_conn *conn,
                           const struct tlsp_client_start *props)
{
	if (props->forced_failure_type == 0 || *props->forced_failure_type == 0)
		return;
	conn->forced_failure_type = xstrdup(props->forced_failure_type);
	conn->tls.verify.forced_failure_type = conn->forced_failure_type;
	conn->tls.verify.must_fail = 1;
}

/* The session cache key, and the save hook if the context caches. */
static int
tlsp_policy_cache(struct tlsp_client_conn *conn, const struct tlsp_ctx *ctx,
                  const struct tlsp_client_start *props)
{
	if ((conn->cache_id = tlsp_resume_cache_id(conn, props)) == 0) {
		msg_warn("%s: cannot compute the session cache key",
		         conn->tls.namaddr);
		return -1;
	}
	if ((conn->save_fn = tlsp_ctx_saver(ctx, &conn->save_arg)) == 0)
		return 0;
	conn->cache_type = xstrdup(tlsp_ctx_cache_type(ctx));
	if (tlsp_resume_attach(conn) < 0) {
		msg_warn("Could not set application data for "
		         "'TLScontext->con'");
		tlsp_tlserr_log();
		return -1;
	}
	return 0;
}

/* The session object with its SSL; NULL (warned) on failure. */
static struct tlsp_client_conn *
tlsp_policy_create(struct tlsp_ctx *ctx, const struct tlsp_client_start *props,
                   int log_mask)
{
	struct tlsp_client_conn *conn = xcalloc(1, sizeof(*conn));

	tlsp_conn_init(&conn->tls, props->namaddr, props->mdalg, log_mask, 0);
	conn->props_namaddr = xstrdup(tlsp_tls_str(props->namaddr));
	conn->level = props->tls_level;
	conn->legacy_fprint = props->params->tls_legacy_public_key_fingerprints;
	if ((conn->tls.ssl = SSL_new(tlsp_ctx_ssl_ctx(ctx))) == 0) {
		msg_warn("Could not allocate 'TLScontext->con' with SSL_new()");
		tlsp_tlserr_log();
		tlsp_policy_free(conn);
		return 0;
	}
	return conn;
}

/* Every step after SSL_new; -1 (warned) to abort the session. */
static int
tlsp_policy_apply(struct tlsp_client_conn *conn, struct tlsp_ctx *ctx,
                  const struct tlsp_client_start *props,
                  const struct tlsp_protocols *proto, int fd)
{
	/* Options first: the protocol bounds below add NO_* options. */
	(void)tlsp_settings_apply(props->settings, conn->tls.ssl);
	if (tlsp_policy_ciphers(conn, props) < 0)
		return -1;
	if (tlsp_verify_attach(conn->tls.ssl, &conn->tls.verify) < 0) {
		msg_warn("Could not set application data for "
		         "'TLScontext->con'");
		tlsp_tlserr_log();
		return -1;
	}
	tlsp_policy_protocols(conn, proto);
	if (tlsp_policy_auth(conn, props) < 0)
		return -1;
	tlsp_policy_tlsa(conn, props);
	tlsp_policy_forced_failure(conn, props);
	if (tlsp_policy_cache(conn, ctx, props) < 0)
		return -1;
	if (TLSP_LEV_MUST_MATCH(conn->level))
		SSL_set_security_level(conn->tls.ssl, 1);
	if (SSL_set_fd(conn->tls.ssl, fd) != 1) {
		msg_info("SSL_set_fd error to %s",
		         tlsp_tls_str(props->namaddr));
		tlsp_tlserr_log();
		return -1;
	}
	if (conn->tls.verify.log_mask & TLSP_LOG_TLSPKTS)
		tlsp_pktdump_enable(conn->tls.ssl, 1);
	return 0;
}

/* Checks that must pass before anything is allocated. */
static int
tlsp_policy_precheck(const struct tlsp_client_start *props,
                     struct tlsp_protocols *proto)
{
	const char *namaddr = tlsp_tls_str(props->namaddr);
	size_t i;

	if (tlsp_protocols_parse(props->protocols, proto) < 0) {
		msg_warn("%s: Invalid TLS protocol list \"%s\": aborting TLS "
		         "session",
		         namaddr, tlsp_tls_str(props->protocols));
		return -1;
	}
	if (TLSP_LEV_DANE_BASED(props->tls_level))
		proto->exclude |= TLSP_PROTOCOL_SSLv2 | TLSP_PROTOCOL_SSLv3;
	for (i = 0; props->dane && i < props->tlsa_count; i++) {
		if (props->tlsa[i].len > TLSP_TLSA_LEN_MAX ||
		    (props->tlsa[i].data == 0 && props->tlsa[i].len > 0)) {
			msg_warn("%s: bad TLSA record data length: %zu",
			         namaddr, props->tlsa[i].len);
			return -1;
		}
	}
	if (tlsp_fprint_md(props->mdalg) == 0) {
		msg_warn("%s: Digest algorithm \"%s\" not found", namaddr,
		         tlsp_tls_str(props->mdalg));
		return -1;
	}
	return 0;
}

struct tlsp_client_conn *
tlsp_policy_start(struct tlsp_ctx *ctx, const struct tlsp_client_start *props,
                  int fd)
{
	int log_mask = tlsp_ctx_log_mask(ctx);
	struct tlsp_protocols proto;
	struct tlsp_client_conn *conn;

	if (TLSP_LEV_MUST_MATCH(props->tls_level))
		log_mask |= TLSP_LOG_UNTRUSTED;
	if (log_mask & TLSP_LOG_VERBOSE)
		msg_info("setting up TLS connection to %s",
		         tlsp_tls_str(props->namaddr));
	if (tlsp_policy_precheck(props, &proto) < 0)
		return 0;
	if ((conn = tlsp_policy_create(ctx, props, log_mask)) == 0)
		return 0;
	if (tlsp_policy_apply(conn, ctx, props, &proto, fd) < 0) {
		tlsp_policy_free(conn);
		return 0;
	}
	return conn;
}

void
tlsp_policy_free(struct tlsp_client_conn *conn)
{
	if (conn == 0)
		return;
	tlsp_conn_clear(&conn->tls);
	free(conn->props_namaddr);
	free(conn->cipher_list);
	free(conn->sni);
	free(conn->cache_id);
	free(conn->cache_type);
	free(conn->forced_failure_type);
	free(conn);
}

SSL *
tlsp_policy_ssl(const struct tlsp_client_conn *conn)
{
	return conn->tls.ssl;
}

const char *
tlsp_policy_cache_id(const struct tlsp_client_conn *conn)
{
	return conn->cache_id;
}
