/*
 * tlsp_result.h - building a struct tlsp_tls_result
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_RESULT_H
#define TLSREUSE_TLSPROXY_TLSP_RESULT_H

#include <openssl/ssl.h>

#include "tlsp_tls.h"

/* Zeroes *res and sets every string to an owned "". */
void tlsp_result_init(struct tlsp_tls_result *res);

/* Replaces an owned string field with a copy of value (NULL = ""). */
void tlsp_result_set(char **field, const char *value);

/* Replaces an owned string field with value itself (taken over). */
void tlsp_result_adopt(char **field, char *value);

/*
 * Sets res's cipher_protocol, cipher_name, cipher_usebits and
 * cipher_algbits from ssl's negotiated cipher; either role.
 */
void tlsp_result_cipher(SSL *ssl, struct tlsp_tls_result *res);

#endif
