/*
 * tlsp_sslopt.h - SSL_CTX options from tls_disable_workarounds and
 * tls_ssl_options
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SSLOPT_H
#define TLSREUSE_TLSPROXY_TLSP_SSLOPT_H

/*
 * SSL_OP_ALL minus the workarounds named in disable (names of OpenSSL's
 * SSL_OP_*_BUG bits and a few aliases, or 0x hex numbers; any non-empty
 * value also drops SAFARI_ECDHE_ECDSA_BUG), plus the options named in
 * enable (LEGACY_SERVER_CONNECT, NO_TICKET, NO_COMPRESSION,
 * NO_RENEGOTIATION, NO_SESSION_RESUMPTION_ON_RENEGOTIATION,
 * PRIORITIZE_CHACHA, ENABLE_MIDDLEBOX_COMPAT or 0x hex) that neither
 * SSL_OP_ALL nor Postfix itself manages. Names are case-insensitive and
 * split on space, tab, CR, LF and comma; an unknown one logs Postfix's
 * 'unknown <param> value "<name>" in "<value>"' warning and is skipped.
 */
long tlsp_sslopt_bits(const char *disable, const char *enable);

#endif
