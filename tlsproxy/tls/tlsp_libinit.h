/*
 * tlsp_libinit.h - OpenSSL library initialisation (tls_config_file,
 * tls_config_name)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_LIBINIT_H
#define TLSREUSE_TLSPROXY_TLSP_LIBINIT_H

/*
 * Initialises OpenSSL once per process, before any TLS context is built
 * (pre-jail): with file "default" and an empty name nothing is done
 * (OpenSSL loads its default configuration itself); "none" loads no
 * configuration; an absolute path loads that file strictly; name selects
 * the application section. Returns 0, or -1 after Postfix's warning
 * ("... disabling TLS support"); the caller then disables TLS. Call it
 * once: OpenSSL ignores settings after its first initialisation.
 */
int tlsp_libinit(const char *tls_config_file, const char *tls_config_name);

#endif
