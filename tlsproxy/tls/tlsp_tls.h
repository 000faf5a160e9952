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

/* s, or "" for NULL: for the engines an absent string is an empty one. */
static inline const char *
tlsp_tls_str(const char *s)
{
	return s ? s : "";
}

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
 * for the server role (tlsproxy.c's parameter table fills them), and for
 * the client role those each request carries in TLS_CLIENT_PARAMS, so
 * that every smtp(8)/lmtp(8) transport gets its own
 * (tlsp_request_tls_params() fills the ones a release does not send).
 * tls_ffdhe_auto_groups is NULL for a Postfix 3.6/3.7 client, and for
 * tlsproxy's own, whose groups come from tls_eecdh_auto_curves alone.
 */
struct tlsp_tls_params {
	const char *tls_config_file;
	const char *tls_config_name;
	const char *tls_high_cipherlist;
	const char *tls_medium_cipherlist;
	const char *tls_low_cipherlist;
	const char *tls_export_cipherlist;
	const char *tls_null_cipherlist;
	const char *tls_eecdh_auto_curves;
	const char *tls_ffdhe_auto_groups;
	const char *tls_disable_workarounds;
	const char *tls_ssl_options;
	const char *tls_dane_digests;
	const char *tls_session_ticket_cipher; /* server role */
	int tls_preempt_cipherlist;            /* server role */
	int tls_append_default_CA;
	int tls_legacy_public_key_fingerprints;
};

/* Postfix's defaults for the string settings ("postconf -d", 3.7). */
#define TLSP_TLS_DEF_CONFIG_FILE "default"
#define TLSP_TLS_DEF_CONFIG_NAME ""
#define TLSP_TLS_DEF_HIGH_CIPHERLIST "aNULL:-aNULL:HIGH:@STRENGTH"
#define TLSP_TLS_DEF_MEDIUM_CIPHERLIST "aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH"
#define TLSP_TLS_DEF_LOW_CIPHERLIST                                            \
	"aNULL:-aNULL:HIGH:MEDIUM:LOW:+RC4:@STRENGTH"
#define TLSP_TLS_DEF_EXPORT_CIPHERLIST                                         \
	"aNULL:-aNULL:HIGH:MEDIUM:LOW:EXPORT:+RC4:@STRENGTH"
#define TLSP_TLS_DEF_NULL_CIPHERLIST "eNULL:!aNULL"
#define TLSP_TLS_DEF_EECDH_AUTO_CURVES                                         \
	"X25519 X448 prime256v1 secp521r1 secp384r1"
#define TLSP_TLS_DEF_DANE_DIGESTS "sha512 sha256"
#define TLSP_TLS_DEF_SESSION_TICKET_CIPHER "aes-256-cbc"

/*
 * Postfix 3.10's key-exchange group defaults: what a 3.8 or later client
 * falls back to when none of its own groups is usable (tlsp_groups.c).
 */
#define TLSP_TLS_DEF310_EECDH_AUTO_CURVES                                      \
	"X25519 X448 prime256v1 secp384r1 secp521r1"
#define TLSP_TLS_DEF310_FFDHE_AUTO_GROUPS "ffdhe2048 ffdhe3072"

/*
 * An initializer with those defaults, for callers without a main.cf
 * (tests, tools). The integers default to 0, as in Postfix, and
 * tls_ffdhe_auto_groups to NULL (Postfix 3.7's behaviour).
 */
#define TLSP_TLS_PARAMS_DEFAULTS                                               \
	{                                                                      \
		.tls_config_file = TLSP_TLS_DEF_CONFIG_FILE,                   \
		.tls_config_name = TLSP_TLS_DEF_CONFIG_NAME,                   \
		.tls_high_cipherlist = TLSP_TLS_DEF_HIGH_CIPHERLIST,           \
		.tls_medium_cipherlist = TLSP_TLS_DEF_MEDIUM_CIPHERLIST,       \
		.tls_low_cipherlist = TLSP_TLS_DEF_LOW_CIPHERLIST,             \
		.tls_export_cipherlist = TLSP_TLS_DEF_EXPORT_CIPHERLIST,       \
		.tls_null_cipherlist = TLSP_TLS_DEF_NULL_CIPHERLIST,           \
		.tls_eecdh_auto_curves = TLSP_TLS_DEF_EECDH_AUTO_CURVES,       \
		.tls_disable_workarounds = "", .tls_ssl_options = "",          \
		.tls_dane_digests = TLSP_TLS_DEF_DANE_DIGESTS,                 \
		.tls_session_ticket_cipher =                                   \
		    TLSP_TLS_DEF_SESSION_TICKET_CIPHER,                        \
	}

/*
 * The init props: what one SSL_CTX is built from. smtp(8) sends them as
 * TLS_CLIENT_INIT_PROPS (the request parser fills this struct and owns
 * its strings); the server role derives the same from its parameters.
 */
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
 * TLS_SESS_STATE, the results sent back after the handshake, in wire
 * order (each peer gets its release's subset, see tlsp_reply.h). Every
 * string is owned by the struct, read-only to others and never NULL (""
 * when absent); release with tlsp_tls_result_free(). Of the fields newer
 * releases added, rpt_reported is the daemon's (the engines leave it 0)
 * and the rest stay 0: tlsproxy negotiates no raw public keys and traces
 * nothing.
 */
struct tlsp_tls_result {
	const char *peer_CN;
	const char *issuer_CN;
	const char *peer_fingerprint;
	const char *peer_pubkey_fingerprint;
	int level;
	int peer_status;
	const char *cipher_protocol;
	const char *cipher_name;
	int cipher_usebits;
	int cipher_algbits;
	const char *key_exchange;
	const char *key_exchange_curve;
	int key_exchange_bits;
	int ctos_rpk; /* 3.9+ */
	int stoc_rpk; /* 3.9+ */
	const char *clnt_signature;
	const char *clnt_signature_curve;
	int clnt_signature_bits;
	const char *clnt_signature_digest;
	const char *srvr_signature;
	const char *srvr_signature_curve;
	int srvr_signature_bits;
	const char *srvr_signature_digest;
	const char *namaddr;
	int rpt_reported;     /* 3.10+ */
	int trace_size_limit; /* 3.12 */
	int session_reused;   /* not on the wire; for the summary */
};

/* Releases every string of *res (NULL-safe) and zeroes it. */
void tlsp_tls_result_free(struct tlsp_tls_result *res);

#endif
