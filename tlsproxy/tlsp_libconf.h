/*
 * tlsp_libconf.h - the OpenSSL configuration requests may ask for
 *
 * OpenSSL reads its configuration (tls_config_file, tls_config_name)
 * once per process, and its SSL settings there apply to every context
 * the process makes; tlsproxy initialises it from its own settings
 * before the jail, as stock does (tlsp_libinit()). A request that asks
 * for another configuration cannot get it from this process, and is
 * refused rather than served with settings it did not ask for.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_LIBCONF_H
#define TLSREUSE_TLSPROXY_TLSP_LIBCONF_H

/* Refusals remembered, so that each is logged once. */
#define TLSP_LIBCONF_SEEN_MAX 32

struct tlsp_libconf;

/*
 * The configuration this process was initialised with (copied);
 * initialised 0 when tlsp_libinit() failed, and then every request is
 * refused. _free() is NULL-safe.
 */
struct tlsp_libconf *tlsp_libconf_create(const char *config_file,
                                         const char *config_name,
                                         int initialised);
void tlsp_libconf_free(struct tlsp_libconf *lc);

/*
 * 1 if a request's config_file and config_name (NULL: not sent, by a
 * release older than the settings, which then has no preference) match
 * this process's; else 0, after a warning that names both and the fix
 * (logged once per distinct request values, the last
 * TLSP_LIBCONF_SEEN_MAX remembered).
 */
int tlsp_libconf_check(struct tlsp_libconf *lc, const char *config_file,
                       const char *config_name);

#endif
