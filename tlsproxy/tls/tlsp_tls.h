/*
 * tlsp_tls.h - what both TLS engines are given and what they report
 *
 * Plain structs named after the main.cf parameters and wire attributes
 * they carry, so the daemon can fill them without knowing OpenSSL:
 * tlsproxy's own global TLS settings, the init props an SSL_CTX is
 * built from (client and server role alike), and the result of a
 * handshake (TLS_SESS_STATE) with its peer_status bits; and the log
 * mask bits every TLS module logs by. Every string an engine is given
 * is a borrowed, NUL-terminated pointer that must stay valid while the
 * engine call that receives it runs; NULL and "" mean the same thing.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_TLS_H
#define TLSREUSE_TLSPROXY_TLSP_TLS_H

#include <stddef.h>

/* peer_status bits (ALTNAME, 2, exists on the wire but is never set). */
#define TLSP_PEER_PRESENT 1
#define TLSP_PEER_ALTNAME 2
#define TLSP_PEER_TRUSTED 4
#define TLSP_PEER_MATCHED 8
#define TLSP_PEER_SECURED 16

/* TLS log mask bits (tlsp_logmask.c), as Postfix's TLS log levels. */
#define TLSP_LOG_NONE (1 << 0)
#define TLSP_LOG_SUMMARY (1 << 1)
#define TLSP_LOG_UNTRUSTED (1 << 2)
#define TLSP_LOG_PEERCERT (1 << 3)
#define TLSP_LOG_CERTMATCH (1 << 4)
#define TLSP_LOG_VERBOSE (1 << 5)
#define TLSP_LOG_CACHE (1 << 6)
#define TLSP_LOG_DEBUG (1 << 7)
#define TLSP_LOG_TLSPKTS (1 << 8)
#define TLSP_LOG_ALLPKTS (1 << 9)
#define TLSP_LOG_DANE (1 << 10)

/*
 * Global TLS settings (the main.cf "tls_*" parameters): tlsproxy's own
 * for the server role, and for the client role those each request
 * carries in TLS_CLIENT_PARAMS, so that every smtp(8)/lmtp(8) transport
 * gets its own (tlsp_props_params() fills the ones a release does not
 * send). tls_ffdhe_auto_groups is NULL for a Postfix 3.6/3.7 client,
 * whose groups come from tls_eecdh_auto_curves alone.
 */
struct tlsp_tls_params {
	const char *tls_high_cipherlist;
	const char *tls_medium_cipherlist;
	const char *tls_low_cipherlist;
	const char *tls_export_cipherlist;
	const char *tls_null_cipherlist;
	const char *tls_eecdh_auto_curves;
	const char *tls_ffdhe_auto_groups;
	const char *tls_dane_digests;
	const char *tls_disable_workarounds;
	const char *tls_ssl_options;
	int tls_append_default_CA;
	int tls_legacy_public_key_fingerprints;
};

/* TLS_CLIENT_INIT_PROPS: what one SSL_CTX is built from. */
struct tlsp_tls_init {
	const char *log_param;
	const char *log_level;
	int verifydepth;
	const char *cache_type;
	const char *chain_files;
	const char *cert_file;
	const char *key_file;
	const char *dcert_file;
	const char *dkey_file;
	const char *eccert_file;
	const char *eckey_file;
	const char *CAfile;
	const char *CApath;
	const char *mdalg;
};

/*
 * TLS_SESS_STATE, the 22 attributes sent back to smtp(8), in wire order.
 * Every string is owned by the struct and never NULL ("" when absent);
 * release with tlsp_tls_result_free().
 */
struct tlsp_tls_result {
	char *peer_CN;
	char *issuer_CN;
	char *peer_fingerprint;
	char *peer_pubkey_fingerprint;
	int level;
	int peer_status;
	char *cipher_protocol;
	char *cipher_name;
	int cipher_usebits;
	int cipher_algbits;
	char *key_exchange;
	char *key_exchange_curve;
	int key_exchange_bits;
	char *clnt_signature;
	char *clnt_signature_curve;
	int clnt_signature_bits;
	char *clnt_signature_digest;
	char *srvr_signature;
	char *srvr_signature_curve;
	int srvr_signature_bits;
	char *srvr_signature_digest;
	char *namaddr;
	int session_reused; /* not on the wire; for the summary */
};

/* Releases every string of *res (NULL-safe) and zeroes it. */
void tlsp_tls_result_free(struct tlsp_tls_result *res);

#endif
