/*
 * tlsp_logmask.h - a TLS log level (smtp_tls_loglevel) to a log mask
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_LOGMASK_H
#define TLSREUSE_TLSPROXY_TLSP_LOGMASK_H

/*
 * Returns the TLSP_LOG_* mask for value, a list of level numbers (0-9) or
 * keywords (none, routine, debug, ssl-expert, ssl-developer, summary,
 * untrusted, peercert, certmatch, verbose, cache, dane, ssl-debug,
 * ssl-handshake-packet-dump, ssl-session-packet-dump), case-insensitive,
 * split on space, tab, CR, LF and comma. An unknown word logs
 * 'warning: unknown <param> value "<word>" in "<value>"' and yields 0.
 */
int tlsp_logmask_parse(const char *param, const char *value);

#endif
