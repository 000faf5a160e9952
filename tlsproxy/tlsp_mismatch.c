/*
 * tlsp_mismatch.c - warn when a client's global TLS settings differ
 *
 * See tlsp_mismatch.h. The client's struct tlsp_params is read through a
 * name -> member table; an absent member (NULL string, negative integer)
 * is not compared.
 *
 * Limits: TLSP_MISMATCH_SEEN_MAX remembered differences.
 * See also: doc/tlsproxy-protocol.md section 2.3.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_mismatch.h"

#define TLSP_MM_STR(m)                                                         \
	{                                                                      \
#m, offsetof(struct tlsp_params, m), 0                         \
	}
#define TLSP_MM_INT(m)                                                         \
	{                                                                      \
#m, offsetof(struct tlsp_params, m), 1                         \
	}

/* Where each name lives in struct tlsp_params. */
static const struct tlsp_mismatch_field {
	const char *name;
	size_t offset;
	int is_int;
} tlsp_mismatch_fields[] = {
    TLSP_MM_STR(config_file),
    TLSP_MM_STR(config_name),
    TLSP_MM_STR(tls_high_cipherlist),
    TLSP_MM_STR(tls_medium_cipherlist),
    TLSP_MM_STR(tls_low_cipherlist),
    TLSP_MM_STR(tls_export_cipherlist),
    TLSP_MM_STR(tls_null_cipherlist),
    TLSP_MM_STR(tls_eecdh_auto_curves),
    TLSP_MM_STR(tls_eecdh_strong_curve),
    TLSP_MM_STR(tls_eecdh_ultra_curve),
    TLSP_MM_STR(tls_ffdhe_auto_groups),
    TLSP_MM_STR(tls_disable_workarounds),
    TLSP_MM_STR(tls_ssl_options),
    TLSP_MM_STR(tls_dane_digests),
    TLSP_MM_STR(tlsmgr_service_name),
    TLSP_MM_STR(tls_session_ticket_cipher),
    TLSP_MM_INT(tls_daemon_random_bytes),
    TLSP_MM_INT(tls_append_default_CA),
    TLSP_MM_INT(tls_legacy_public_key_fingerprints),
    TLSP_MM_INT(tls_preempt_cipherlist),
    TLSP_MM_INT(tls_wildcard_matches_multiple_labels),
    TLSP_MM_INT(tls_fast_shutdown_enable),
};

#define TLSP_MM_NFIELDS                                                        \
	(sizeof(tlsp_mismatch_fields) / sizeof(tlsp_mismatch_fields[0]))

struct tlsp_mismatch {
	char *ours[TLSP_MM_NFIELDS]; /* NULL: we have no such value */
	char *seen[TLSP_MISMATCH_SEEN_MAX];
	size_t next; /* ring position in seen */
};

struct tlsp_mismatch *
tlsp_mismatch_create(const struct tlsp_mismatch_param *ours, size_t count)
{
	struct tlsp_mismatch *m = xcalloc(1, sizeof(*m));
	size_t i, j;

	for (i = 0; i < count; i++)
		for (j = 0; j < TLSP_MM_NFIELDS; j++)
			if (strcmp(ours[i].name,
			           tlsp_mismatch_fields[j].name) == 0) {
				free(m->ours[j]);
				m->ours[j] = xstrdup(ours[i].value);
			}
	return m;
}

void
tlsp_mismatch_free(struct tlsp_mismatch *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < TLSP_MM_NFIELDS; i++)
		free(m->ours[i]);
	for (i = 0; i < TLSP_MISMATCH_SEEN_MAX; i++)
		free(m->seen[i]);
	free(m);
}

/* The client's value of field i as text into out; 0 if it has none. */
static int
tlsp_mismatch_client_value(const struct tlsp_params *client, size_t i,
                           struct buf *out)
{
	const char *base =
	    (const char *)client + tlsp_mismatch_fields[i].offset;
	const char *str;
	int num;

	buf_reset(out);
	if (tlsp_mismatch_fields[i].is_int) {
		memcpy(&num, base, sizeof(num));
		if (num < 0)
			return 0;
		buf_printf(out, "%d", num);
		return 1;
	}
	memcpy(&str, base, sizeof(str));
	if (str == NULL)
		return 0;
	buf_puts(out, str);
	return 1;
}

/* 1 if diff was logged before (and remembers it if not). */
static int
tlsp_mismatch_seen(struct tlsp_mismatch *m, const char *diff)
{
	size_t i;

	for (i = 0; i < TLSP_MISMATCH_SEEN_MAX; i++)
		if (m->seen[i] != NULL && strcmp(m->seen[i], diff) == 0)
			return 1;
	free(m->seen[m->next]);
	m->seen[m->next] = xstrdup(diff);
	m->next = (m->next + 1) % TLSP_MISMATCH_SEEN_MAX;
	return 0;
}

int
tlsp_mismatch_check(struct tlsp_mismatch *m, const struct tlsp_params *client)
{
	struct buf diff, value;
	size_t i;
	int differ;

	buf_init(&diff);
	buf_init(&value);
	for (i = 0; i < TLSP_MM_NFIELDS; i++) {
		if (m->ours[i] == NULL ||
		    !tlsp_mismatch_client_value(client, i, &value) ||
		    strcmp(m->ours[i], buf_str(&value)) == 0)
			continue;
		buf_printf(&diff, "%s(server) '%s=%s' != (client) '%s=%s'",
		           diff.len ? "; " : "", tlsp_mismatch_fields[i].name,
		           m->ours[i], tlsp_mismatch_fields[i].name,
		           buf_str(&value));
	}
	differ = diff.len > 0;
	if (differ && !tlsp_mismatch_seen(m, buf_str(&diff))) {
		msg_warn(
		    "request from tlsproxy client with unexpected settings");
		msg_warn("%s", buf_str(&diff));
		msg_warn(
		    "to avoid this warning, 1) identify the tlsproxy client "
		    "that is making this request, 2) configure a custom "
		    "tlsproxy service with settings that match that "
		    "tlsproxy client, and 3) configure that tlsproxy "
		    "client with a tlsproxy_service_name setting that "
		    "resolves to that custom tlsproxy service");
	}
	buf_free(&value);
	buf_free(&diff);
	return differ;
}
