/*
 * tlsp_verify.c - certificate verification that records, never rejects
 *
 * tlsproxy completes every handshake and reports trust in peer_status;
 * smtp(8) decides. OpenSSL still verifies the chain (and DANE and host
 * names) and stores the result; this callback only remembers the
 * shallowest failure for the log and poisons verification when the trust
 * settings could not be loaded (must_fail), so that the default trust
 * store cannot bless a peer the configured anchors would have refused.
 *
 * See also: client_role/README.md on how the client role verifies.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "msg.h"
#include "tlsp_tls.h"
#include "tlsp_verify.h"

/*
 * The ex-data slot linking an SSL to its state: a process-wide OpenSSL
 * registration, made once and never changed afterwards.
 */
static int tlsp_verify_index = -1;

void
tlsp_verify_init(struct tlsp_verify *v, int log_mask, const char *namaddr)
{
	memset(v, 0, sizeof(*v));
	v->log_mask = log_mask;
	v->namaddr = namaddr;
	v->error_depth = -1;
	v->error_code = X509_V_OK;
}

int
tlsp_verify_attach(SSL *ssl, struct tlsp_verify *v)
{
	if (tlsp_verify_index < 0)
		tlsp_verify_index = SSL_get_ex_new_index(0, 0, 0, 0, 0);
	if (tlsp_verify_index < 0 ||
	    !SSL_set_ex_data(ssl, tlsp_verify_index, v))
		return -1;
	return 0;
}

void
tlsp_verify_clear(struct tlsp_verify *v)
{
	X509_free(v->error_cert);
	v->error_cert = 0;
}

/* Keeps the shallowest error (deeper news does not replace it). */
static void
tlsp_verify_record(struct tlsp_verify *v, int depth, X509 *cert, int err)
{
	if (v->error_depth >= 0 && v->error_depth <= depth)
		return;
	X509_free(v->error_cert);
	if (cert)
		X509_up_ref(cert);
	v->error_cert = cert;
	v->error_code = err;
	v->error_depth = depth;
}

void
tlsp_verify_oneline(const X509_NAME *name, char *buf, size_t len)
{
	unsigned char *cp;

	if (name == 0 || X509_NAME_oneline(name, buf, (int)len) == 0)
		snprintf(buf, len, "<unknown>");
	for (cp = (unsigned char *)buf; *cp; cp++)
		if (*cp < 0x20 || *cp > 0x7e)
			*cp = '?';
}

int
tlsp_verify_callback(int ok, X509_STORE_CTX *store)
{
	X509 *cert = X509_STORE_CTX_get_current_cert(store);
	int err = X509_STORE_CTX_get_error(store);
	int depth = X509_STORE_CTX_get_error_depth(store);
	SSL *ssl = X509_STORE_CTX_get_ex_data(
	    store, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tlsp_verify *v =
	    ssl ? SSL_get_ex_data(ssl, tlsp_verify_index) : 0;
	char buf[TLSP_VERIFY_NAMELEN];

	if (v == 0)
		return 1;
	if (v->must_fail) {
		if (depth == 0) {
			X509_STORE_CTX_set_error(store, X509_V_ERR_UNSPECIFIED);
			tlsp_verify_record(v, depth, cert,
			                   X509_V_ERR_UNSPECIFIED);
		}
		return 1;
	}
	if (ok == 0)
		tlsp_verify_record(v, depth, cert, err);
	if (v->log_mask & TLSP_LOG_VERBOSE) {
		tlsp_verify_oneline(cert ? X509_get_subject_name(cert) : 0, buf,
		                    sizeof(buf));
		msg_info("%s: depth=%d verify=%d subject=%s", v->namaddr, depth,
		         ok, buf);
	}
	return 1;
}

/* "CA" above the leaf, else the peer's role. */
static const char *
tlsp_verify_purpose(const struct tlsp_verify *v)
{
	if (v->error_depth > 0)
		return "CA";
	return v->am_server ? "client" : "server";
}

void
tlsp_verify_log_error(const struct tlsp_verify *v)
{
	const char *who = v->namaddr;
	char buf[TLSP_VERIFY_NAMELEN];

	if (v->error_code == X509_V_OK)
		return;
	if (v->forced_failure_type != 0) {
		msg_info("certificate verification failed for %s: external "
		         "policy failure (%s)",
		         who, v->forced_failure_type);
		return;
	}
	switch (v->error_code) {
	case X509_V_ERR_CERT_UNTRUSTED:
		msg_info("certificate verification failed for %s: not trusted "
		         "by local or TLSA policy",
		         who);
		return;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		msg_info("certificate verification failed for %s: self-signed "
		         "certificate",
		         who);
		return;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		tlsp_verify_oneline(
		    v->error_cert ? X509_get_issuer_name(v->error_cert) : 0,
		    buf, sizeof(buf));
		msg_info("certificate verification failed for %s: untrusted "
		         "issuer %s",
		         who, buf);
		return;
	case X509_V_ERR_CERT_NOT_YET_VALID:
	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
		msg_info("%s certificate verification failed for %s: "
		         "certificate not yet valid",
		         tlsp_verify_purpose(v), who);
		return;
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
		msg_info("%s certificate verification failed for %s: "
		         "certificate has expired",
		         tlsp_verify_purpose(v), who);
		return;
	case X509_V_ERR_INVALID_PURPOSE:
		msg_info("certificate verification failed for %s: not "
		         "designated for use as a %s certificate",
		         who, tlsp_verify_purpose(v));
		return;
	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
		msg_info("certificate verification failed for %s: certificate "
		         "chain longer than limit(%d)",
		         who, v->error_depth - 1);
		return;
	default:
		msg_info("%s certificate verification failed for %s: num=%d:%s",
		         tlsp_verify_purpose(v), who, v->error_code,
		         X509_verify_cert_error_string(v->error_code));
		return;
	}
}
