/*
 * tlsp_infocb.h - handshake state logging (TLS log level "ssl-debug")
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_INFOCB_H
#define TLSREUSE_TLSPROXY_TLSP_INFOCB_H

#include <openssl/ssl.h>

/*
 * The SSL info callback: logs "SSL_connect:<state>" per state, alerts
 * other than close_notify as "SSL3 alert read|write:<type>:<desc>", and
 * "SSL_connect:failed in <state>" / "SSL_connect:error in <state>" (not
 * for want-read/want-write).
 */
void tlsp_infocb_callback(const SSL *ssl, int where, int ret);

#endif
