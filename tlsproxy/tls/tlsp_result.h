/*
 * tlsp_result.h - building a struct tlsp_tls_result
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_RESULT_H
#define TLSREUSE_TLSPROXY_TLSP_RESULT_H

#include "tlsp_tls.h"

/* Zeroes *res and sets every string to an owned "". */
void tlsp_result_init(struct tlsp_tls_result *res);

/* Replaces an owned string field with a copy of value (NULL = ""). */
void tlsp_result_set(const char **field, const char *value);

/* Replaces an owned string field with value itself (taken over). */
void tlsp_result_adopt(const char **field, char *value);

#endif
