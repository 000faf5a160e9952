/*
 * tr_policy.h - the connection_reuse entries of smtp_tls_policy_maps
 *
 * A transport can turn TLS connection reuse on (or off) per destination
 * with "connection_reuse=yes" in its TLS policy table. Which maps can be
 * listed: texthash: and inline: (their text is the table), static: (one
 * policy for every destination), and the indexed types (hash, btree,
 * lmdb, cdb, dbm, sdbm) through the source file postmap(1) built them
 * from, when it sits beside the map; proxy: in front is looked through.
 * Other types (regexp:, pcre:, SQL, LDAP, ...) are named as not listed.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_POLICY_H
#define TLSREUSE_TLSREUSE_TR_POLICY_H

#include <stddef.h>

/* Bytes of a table file read; entries kept per map. */
#define TR_POLICY_FILE_MAX (16 * 1024 * 1024)
#define TR_POLICY_ENTRIES_MAX 10000

struct tr_policy_entry {
	char *key;   /* the destination ("*" for static:) */
	char *value; /* the whole policy, e.g. "encrypt connection_reuse=yes" */
	int reuse;   /* its connection_reuse: 1 yes, 0 no */
};

struct tr_policy_map {
	char *spec;       /* as in the parameter: "hash:/etc/postfix/tls" */
	char *listed;     /* what was read ("/etc/postfix/tls", "inline"), or
	                   * NULL when the map could not be listed */
	char *note;       /* why not listed, or a warning; NULL if none */
	size_t count;
	struct tr_policy_entry *entry; /* only entries with connection_reuse */
	size_t capacity;  /* entries allocated */
	size_t more;      /* such entries beyond TR_POLICY_ENTRIES_MAX */
};

struct tr_policy {
	size_t count;
	struct tr_policy_map *map;
};

/* Lists the maps of a smtp_tls_policy_maps value (expanded). */
void tr_policy_read(struct tr_policy *policy, const char *maps);

void tr_policy_free(struct tr_policy *policy);

/* The connection_reuse attribute of a policy: 1 yes, 0 no, -1 none. */
int tr_policy_reuse(const char *value);

/*
 * Adds the entries of table text in postmap(1) format (key, blanks,
 * value; continuation lines start with a blank; '#' comments) to map.
 * For tests and the file reader alike.
 */
void tr_policy_add_table(struct tr_policy_map *map, const char *text,
    size_t len);

/* Adds the entries of an inline: body ("{ k=v, { k = v w } }"). */
void tr_policy_add_inline(struct tr_policy_map *map, const char *body);

#endif
