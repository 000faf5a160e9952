/*
 * tlsp_libconf.c - the OpenSSL configurations requests may ask for
 *
 * See tlsp_libconf.h. One entry per distinct (tls_config_file,
 * tls_config_name) pair, compared as strings, as Postfix compares the
 * settings; the process's own pair is entry 0.
 *
 * Limits: TLSP_LIBCONF_MAX pairs, TLSP_LIBCONF_SEEN_MAX remembered
 * refusals. See also: tls/tlsp_libctx.c; tlsproxy(8), "TLS library
 * controls".
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_libconf.h"

struct tlsp_libconf_entry {
	char *file;
	char *name;
	struct tlsp_libctx *ctx; /* NULL: it failed to load */
};

struct tlsp_libconf {
	struct tlsp_libconf_entry entry[TLSP_LIBCONF_MAX];
	size_t count;
	char *seen[TLSP_LIBCONF_SEEN_MAX];
	size_t next; /* ring position in seen */
};

/* The entry of a pair, or NULL. */
static struct tlsp_libconf_entry *
tlsp_libconf_entry(struct tlsp_libconf *lc, const char *file, const char *name)
{
	size_t i;

	for (i = 0; i < lc->count; i++)
		if (strcmp(lc->entry[i].file, file ? file : "default") == 0 &&
		    strcmp(lc->entry[i].name, name ? name : "") == 0)
			return &lc->entry[i];
	return NULL;
}

/* A new entry for the pair, loaded (process: its own). */
static struct tlsp_libconf_entry *
tlsp_libconf_add(struct tlsp_libconf *lc, const char *file, const char *name,
                 int process)
{
	struct tlsp_libconf_entry *e = &lc->entry[lc->count++];

	e->file = xstrdup(file ? file : "default");
	e->name = xstrdup(name ? name : "");
	e->ctx = tlsp_libctx_create(e->file, e->name, process);
	return e;
}

struct tlsp_libconf *
tlsp_libconf_create(const char *file, const char *name)
{
	struct tlsp_libconf *lc = xcalloc(1, sizeof(*lc));

	if (tlsp_libctx_init() == 0)
		(void)tlsp_libconf_add(lc, file, name, 1);
	return lc;
}

void
tlsp_libconf_free(struct tlsp_libconf *lc)
{
	size_t i;

	if (lc == NULL)
		return;
	for (i = 0; i < lc->count; i++) {
		free(lc->entry[i].file);
		free(lc->entry[i].name);
		tlsp_libctx_free(lc->entry[i].ctx);
	}
	for (i = 0; i < TLSP_LIBCONF_SEEN_MAX; i++)
		free(lc->seen[i]);
	free(lc);
}

const struct tlsp_libctx *
tlsp_libconf_own(const struct tlsp_libconf *lc)
{
	return lc->count > 0 ? lc->entry[0].ctx : NULL;
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

/* "tls_config_file=... tls_config_name=...", into what. */
static void
tlsp_libconf_what(struct buf *what, const char *file, const char *name)
{
	buf_printf(what, "tls_config_file=%s tls_config_name=%s",
	           file ? file : "default", name ? name : "");
}

const struct tlsp_libctx *
tlsp_libconf_load(struct tlsp_libconf *lc, const char *file, const char *name)
{
	struct tlsp_libconf_entry *e;
	struct buf what;

	if ((e = tlsp_libconf_entry(lc, file, name)) != NULL)
		return e->ctx;
	if (lc->count < TLSP_LIBCONF_MAX)
		return tlsp_libconf_add(lc, file, name, 0)->ctx;
	buf_init(&what);
	tlsp_libconf_what(&what, file, name);
	if (!tlsp_libconf_seen(lc, buf_str(&what)))
		msg_warn("more than %d distinct OpenSSL configurations; "
		         "%s is not loaded, and its requests are refused",
		         TLSP_LIBCONF_MAX, buf_str(&what));
	buf_free(&what);
	return NULL;
}

/* Why a request for what (entry e, NULL if none) is refused. */
static void
tlsp_libconf_refuse(const struct tlsp_libconf *lc,
                    const struct tlsp_libconf_entry *e, const char *what)
{
	if (tlsp_libconf_own(lc) == NULL)
		msg_warn("client request refused: the OpenSSL library of "
		         "this process could not be initialised (see the "
		         "warnings at start-up)");
	else if (e != NULL)
		msg_warn("client request refused: it asks for OpenSSL "
		         "configuration %s, which could not be loaded at "
		         "start-up (see the warnings then)",
		         what);
	else
		msg_warn("client request refused: it asks for OpenSSL "
		         "configuration %s, which no smtp or lmtp transport "
		         "of main.cf or master.cf named when this process "
		         "started; run \"postfix reload\" after adding the "
		         "transport that uses it",
		         what);
}

const struct tlsp_libctx *
tlsp_libconf_find(struct tlsp_libconf *lc, const char *file, const char *name)
{
	struct tlsp_libconf_entry *e = tlsp_libconf_entry(lc, file, name);
	struct buf what;

	if (e != NULL && e->ctx != NULL)
		return e->ctx;
	buf_init(&what);
	tlsp_libconf_what(&what, file, name);
	if (!tlsp_libconf_seen(lc, buf_str(&what)))
		tlsp_libconf_refuse(lc, e, buf_str(&what));
	buf_free(&what);
	return NULL;
}
