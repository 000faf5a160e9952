/*
 * tlsp_verify.h - certificate verification that records, never rejects
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_VERIFY_H
#define TLSREUSE_TLSPROXY_TLSP_VERIFY_H

#include <openssl/ssl.h>
#include <openssl/x509.h>

/* Room for a one-line DN, as Postfix's CCERT_BUFSIZ. */
#define TLSP_VERIFY_NAMELEN 256

/*
 * X509_NAME_oneline() of name into buf (len bytes), "<unknown>" when
 * name is NULL or cannot be printed; bytes outside printable ASCII
 * become '?', as Postfix's printable().
 */
void tlsp_verify_oneline(const X509_NAME *name, char *buf, size_t len);

/* Per-session verification state, attached to the SSL object. */
struct tlsp_verify {
	int must_fail; /* trust setup failed: force an error */
	const char *forced_failure_type; /* external policy failure, borrowed */
	int log_mask;                    /* TLSP_LOG_* */
	const char *namaddr;             /* borrowed, for log lines */
	int am_server;    /* names the leaf "client" vs "server" */
	int error_depth;  /* shallowest error seen, -1 = none */
	int error_code;   /* X509_V_ERR_* at error_depth */
	X509 *error_cert; /* certificate at error_depth (owned) */
};

/* Zeroes *v and sets the sentinels; namaddr must outlive v. */
void tlsp_verify_init(struct tlsp_verify *v, int log_mask, const char *namaddr);

/* Links v to ssl for the callback; 0, or -1 on an OpenSSL failure. */
int tlsp_verify_attach(SSL *ssl, struct tlsp_verify *v);

/* Releases what v holds (the error certificate). */
void tlsp_verify_clear(struct tlsp_verify *v);

/*
 * The SSL_CTX verify callback. Always returns 1, so the handshake goes
 * on; records the shallowest error; with must_fail set forces
 * X509_V_ERR_UNSPECIFIED at depth 0; logs "depth=... verify=..." lines
 * when TLSP_LOG_VERBOSE is set.
 */
int tlsp_verify_callback(int ok, X509_STORE_CTX *store);

/* Logs the recorded error as Postfix's "certificate verification
 * failed for ..." line (the external policy failure instead of the error
 * when forced_failure_type is set); nothing if none was recorded. */
void tlsp_verify_log_error(const struct tlsp_verify *v);

#endif
