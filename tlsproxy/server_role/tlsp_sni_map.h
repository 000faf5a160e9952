/*
 * tlsp_sni_map.h - tls_server_sni_maps without Postfix's dict library
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SNI_MAP_H
#define TLSREUSE_TLSPROXY_TLSP_SNI_MAP_H

/* Limits on what one map may hold (configuration, read pre-jail). */
#define TLSP_SNI_MAP_ENTRIES_MAX 10000     /* entries per map */
#define TLSP_SNI_MAP_PEM_MAX (1024 * 1024) /* bytes per value */
#define TLSP_SNI_MAP_LINE_MAX 4096         /* texthash logical line */

struct tlsp_sni_map;

/*
 * Opens every map of spec (the tls_server_sni_maps value: "type:name"
 * items separated by space or comma, braces group). inline:{name=files,
 * ...}, texthash:/path and static:files (or static:{files}) are read
 * now, each value being a list of PEM files whose contents are joined,
 * as Postfix does for "RHS is file" maps. A map that fails to read stays
 * in the list as broken (error logged now; lookups then fail, as stock's
 * surrogate maps). Any other map type logs one warning and yields NULL:
 * SNI is disabled. Empty spec yields NULL silently.
 */
struct tlsp_sni_map *tlsp_sni_map_open(const char *spec);

/* NULL-safe. */
void tlsp_sni_map_free(struct tlsp_sni_map *map);

/*
 * The PEM text for sni (case-insensitive): the full name first, then
 * each parent domain with a leading dot ("a.b.c" -> ".b.c" -> ".c"),
 * each tried against the maps in order. Returns borrowed text or NULL;
 * *error = 1 when a broken map was consulted before any match (logged
 * as stock's "... is unavailable" warning), else 0.
 */
const char *tlsp_sni_map_find(const struct tlsp_sni_map *map, const char *sni,
                              int *error);

/*
 * Postfix's hostname syntax: labels of letters, digits, '_' and inner
 * '-', 1-63 bytes each, non-empty between dots, not all numeric, at most
 * 255 bytes in total. Pure.
 */
int tlsp_sni_valid_hostname(const char *name);

#endif
