/*
 * tlsp_mismatch.h - warn when a client's global TLS settings differ
 *
 * smtp(8) sends its TLS_CLIENT_PARAMS (cipher lists, curves, options,
 * ...) with each request; tlsproxy never applies them, it uses its own
 * main.cf values. When they differ, stock tlsproxy warns once per
 * distinct client setting; so
 * does this module, with stock's three warning texts.
 *
 * Differences in the init props (files, log level) are not warned about:
 * this daemon serves them with contexts built for them (tlsp_prejail.h).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_MISMATCH_H
#define TLSREUSE_TLSPROXY_TLSP_MISMATCH_H

#include "tlsp_request.h"

/* Distinct differences remembered (oldest forgotten first). */
#define TLSP_MISMATCH_SEEN_MAX 32

/* One of tlsproxy's own values, by its TLS_CLIENT_PARAMS name. */
struct tlsp_mismatch_param {
	const char *name;
	const char *value; /* integers and booleans in decimal */
};

struct tlsp_mismatch;

/* ours: count pairs, copied. */
struct tlsp_mismatch *
tlsp_mismatch_create(const struct tlsp_mismatch_param *ours, size_t count);
void tlsp_mismatch_free(struct tlsp_mismatch *m);

/*
 * Compares the names both sides have (a 3.8+ client sends some we do not
 * know, and lacks some). The first time a difference is seen, logs the
 * stock warnings. Returns 1 if the settings differ, else 0.
 */
int tlsp_mismatch_check(struct tlsp_mismatch *m,
                        const struct tlsp_params *client);

#endif
