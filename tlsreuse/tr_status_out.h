/*
 * tr_status_out.h - print "tlsreuse status" as text or JSON lines
 *
 * JSON lines, in this order: one "postfix" object (the instance), one
 * "daemon" per tlsproxy/scache entry, one "transport" per smtp/lmtp
 * entry, one "problem" per problem. Field names are in tlsreuse(1).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_STATUS_OUT_H
#define TLSREUSE_TLSREUSE_TR_STATUS_OUT_H

#include <stdio.h>

#include "tr_status.h"

void tr_status_out_text(const struct tr_status *st, FILE *out);
void tr_status_out_json(const struct tr_status *st, FILE *out);

#endif
