/*
 * tlsp_tlserr.h - log and drain OpenSSL's error queue
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_TLSERR_H
#define TLSREUSE_TLSPROXY_TLSP_TLSERR_H

/*
 * Logs each queued OpenSSL error as "warning: TLS library problem:
 * <err>:<file>:<line>:[<data>:]" and empties the queue.
 */
void tlsp_tlserr_log(void);

#endif
