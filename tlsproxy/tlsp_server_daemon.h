/*
 * tlsp_server_daemon.h - tlsproxy(8)'s server role (postscreen STARTTLS)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SERVER_DAEMON_H
#define TLSREUSE_TLSPROXY_TLSP_SERVER_DAEMON_H

#include "server_role/tlsp_server_conn.h"
#include "tls/tlsp_libctx.h"
#include "tls/tlsp_tls.h"
#include "tlsp_request.h"
#include "tlsp_tlsmgr.h"

struct tlsp_server_daemon;

/*
 * Before the jail: reads the tlsproxy_tls_* parameters (main.cf must be
 * loaded), decides as stock whether the role is on (with stock's
 * warnings, e.g. "TLS server role is disabled with ..." by default) and
 * builds the engine in libctx (the process's own OpenSSL configuration;
 * NULL: OpenSSL's own), reading keys, certificates, DH parameters and
 * SNI map files now. Cache policy, session lookups, updates and ticket
 * keys go to mgr (may be NULL: none). Returns NULL when the role is off
 * or the engine could not be built (warnings logged): every server
 * request is then refused with status 0. params, libctx and mgr must
 * outlive the result.
 * Fatal only on an invalid tlsproxy_tls_security_level or a malformed
 * parameter value, as stock.
 */
struct tlsp_server_daemon *
tlsp_server_daemon_create(const struct tlsp_tls_params *params,
                          const struct tlsp_libctx *libctx,
                          struct tlsp_tlsmgr *mgr);

/* NULL-safe. Sessions must be freed first. */
void tlsp_server_daemon_free(struct tlsp_server_daemon *daemon);

/*
 * One postscreen session: the TLS server on the remote SMTP client's
 * socket fd (not taken over), with the process-wide settings and the
 * request's serverid and remote endpoint. The caller drives SSL_accept()
 * on tlsp_server_ssl(), then calls tlsp_server_post_accept() and finally
 * tlsp_server_free(). NULL after the engine's warning.
 */
struct tlsp_server_conn *
tlsp_server_daemon_start(const struct tlsp_server_daemon *daemon,
                         const struct tlsp_request_header *hdr, int fd);

#endif
