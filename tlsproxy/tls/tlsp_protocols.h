/*
 * tlsp_protocols.h - parse a Postfix TLS protocol list (smtp_tls_protocols)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLS_TLSP_PROTOCOLS_H
#define TLSREUSE_TLSPROXY_TLS_TLSP_PROTOCOLS_H

/* Exclusion bits, one per protocol Postfix knows by name. */
#define TLSP_PROTOCOL_SSLv2 (1 << 0)
#define TLSP_PROTOCOL_SSLv3 (1 << 1)
#define TLSP_PROTOCOL_TLSv1 (1 << 2)
#define TLSP_PROTOCOL_TLSv1_1 (1 << 3)
#define TLSP_PROTOCOL_TLSv1_2 (1 << 4)
#define TLSP_PROTOCOL_TLSv1_3 (1 << 5)
#define TLSP_PROTOCOL_KNOWN ((1 << 6) - 1)

struct tlsp_protocols {
	int exclude; /* TLSP_PROTOCOL_* bits to switch off */
	int floor;   /* minimum version (0x0303 style), 0 = none */
	int ceiling; /* maximum version, 0 = none */
};

/*
 * Parses plist (tokens split on space, tab, CR, LF, comma, colon):
 * ">=V" and "<=V" set floor/ceiling (V a name incl. "None", or hex),
 * "!NAME" excludes, a bare NAME includes (then every known protocol not
 * included is excluded too). Names are case-insensitive. Returns 0 and
 * fills *out, or -1 for any unknown token (*out then undefined). Pure.
 */
int tlsp_protocols_parse(const char *plist, struct tlsp_protocols *out);

/* The SSL_OP_NO_* options for an exclusion mask. */
long tlsp_protocols_ssl_options(int exclude);

#endif
