/*
 * tlsp_pktdump.h - hex dumps of TLS records (ssl-handshake-packet-dump)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_PKTDUMP_H
#define TLSREUSE_TLSPROXY_TLSP_PKTDUMP_H

#include <stddef.h>

#include <openssl/ssl.h>

/* Turns dumping of ssl's network reads and writes on or off. */
void tlsp_pktdump_enable(SSL *ssl, int on);

/*
 * Logs len bytes as Postfix does: "%04lx " offset, 16 hex bytes with a
 * '|' after the 8th, the printable ASCII (others '.'), trailing spaces
 * and NULs folded into one "%04lx - <SPACES/NULLS>" line.
 */
void tlsp_pktdump_buffer(const unsigned char *data, size_t len);

#endif
