/*
 * tlsp_libconf.c - the OpenSSL configuration requests may ask for
 *
 * See tlsp_libconf.h. Postfix 3.6.10, 3.7.6, 3.8.1 and later send
 * config_file and config_name in TLS_CLIENT_PARAMS; earlier releases do
 * not, and are served with the process's configuration.
 *
 * Limits: TLSP_LIBCONF_SEEN_MAX remembered refusals.
 * See also: tls/tlsp_libinit.c; tlsproxy(8), "TLS library controls".
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_libconf.h"

struct tlsp_libconf {
	char *config_file;
	char *config_name;
	int initialised;
	char *seen[TLSP_LIBCONF_SEEN_MAX];
	size_t next; /* ring position in seen */
};

struct tlsp_libconf *
tlsp_libconf_create(const char *config_file, const char *config_name,
                    int initialised)
{
	struct tlsp_libconf *lc = xcalloc(1, sizeof(*lc));

	lc->config_file = xstrdup(config_file ? config_file : "default");
	lc->config_name = xstrdup(config_name ? config_name : "");
	lc->initialised = initialised;
	return lc;
}

void
tlsp_libconf_free(struct tlsp_libconf *lc)
{
	size_t i;

	if (lc == NULL)
		return;
	free(lc->config_file);
	free(lc->config_name);
	for (i = 0; i < TLSP_LIBCONF_SEEN_MAX; i++)
		free(lc->seen[i]);
	free(lc);
}

/* 1 if what was logged before (and remembers it if not). */
static int
tlsp_libconf_seen(struct tlsp_libconf *lc, const char *what)
{
	size_t i;

	for (i = 0; i < TLSP_LIBCONF_SEEN_MAX; i++)
		if (lc->seen[i] != NULL && strcmp(lc->seen[i], what) == 0)
			return 1;
	free(lc->seen[lc->next]);
	lc->seen[lc->next] = xstrdup(what);
	lc->next = (lc->next + 1) % TLSP_LIBCONF_SEEN_MAX;
	return 0;
}

int
tlsp_libconf_check(struct tlsp_libconf *lc, const char *config_file,
                   const char *config_name)
{
	const char *file = config_file ? config_file : lc->config_file;
	const char *name = config_name ? config_name : lc->config_name;
	struct buf what;

	if (lc->initialised && strcmp(file, lc->config_file) == 0 &&
	    strcmp(name, lc->config_name) == 0)
		return 1;
	buf_init(&what);
	buf_printf(&what, "tls_config_file=%s tls_config_name=%s", file, name);
	if (!lc->initialised)
		msg_warn("client request refused: the OpenSSL library of "
		         "this process could not be initialised (see the "
		         "warnings at start-up)");
	else if (!tlsp_libconf_seen(lc, buf_str(&what)))
		msg_warn("client request refused: it asks for OpenSSL "
		         "configuration %s, this process was initialised with "
		         "tls_config_file=%s tls_config_name=%s; OpenSSL reads "
		         "its configuration once per process, so give that "
		         "client a tlsproxy service of its own with the same "
		         "settings (tlsproxy_service_name)",
		         buf_str(&what), lc->config_file, lc->config_name);
	buf_free(&what);
	return 0;
}
