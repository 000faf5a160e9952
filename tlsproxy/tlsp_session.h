/*
 * tlsp_session.h - one proxied connection of tlsproxy(8), either role
 *
 * A session is created for each accepted plaintext connection and walks
 * the conversation of doc/tlsproxy-protocol.md section 2: the
 * announcement, the request (header and client body), the status, the
 * remote socket, the TLS handshake, the TLS_SESS_STATE context and the
 * data pump. One entry point receives every event and is the only place
 * that ends and frees the session; the steps it calls only say whether
 * to continue.
 *
 * Server-role requests (postscreen, section 3 there) take the same path with
 * SSL_accept and no body, through cfg->server; without it they are
 * refused (status 0). Log lines are stock 3.7.11's.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_SESSION_H
#define TLSREUSE_TLSPROXY_TLSP_SESSION_H

#include "client_role/tlsp_ctx.h"
#include "client_role/tlsp_settings.h"
#include "tlsp_libconf.h"
#include "tlsp_server_daemon.h"
#include "tlsp_tlsmgr.h"

/* Deadline for the request, the remote socket, or the close after a
 * refusal (stock TLSP_INIT_TIMEOUT), milliseconds. */
#define TLSP_SESSION_INIT_TIMEOUT_MS 100000u

/* Added to the requested session timeout for the data pump, seconds. */
#define TLSP_SESSION_PUMP_SLACK 10

struct tlsp_session_config {
	struct tlsp_ctx_cache *ctx_cache;         /* client contexts */
	struct tlsp_settings_cache *settings;     /* requests' options, groups */
	const struct tlsp_tls_params *tls_params; /* tlsproxy's main.cf */
	struct tlsp_tlsmgr *tlsmgr;               /* session cache, or NULL */
	const struct tlsp_server_daemon *server;  /* NULL: server role off */
	struct tlsp_libconf *libconf;             /* NULL: OpenSSL's own */
	unsigned init_timeout_ms;                 /* 0: the default above */
	void (*disconnect)(int fd);               /* client closed, or NULL */
};

struct tlsp_session;

/*
 * Takes ownership of the accepted plaintext socket fd and starts the
 * conversation. cfg must outlive the session. The session frees itself
 * when the conversation ends, after calling cfg->disconnect(fd).
 */
struct tlsp_session *tlsp_session_create(int fd,
                                         const struct tlsp_session_config *cfg);

/* Number of sessions alive in this process. */
unsigned tlsp_session_count(void);

#endif
