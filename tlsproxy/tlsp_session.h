/*
 * tlsp_session.h - one proxied connection of tlsproxy(8), client role
 *
 * A session is created for each accepted plaintext connection and walks
 * the conversation of spec tlsproxy-protocol.md sections 3-4: the
 * announcement, the request (header and client body), the status, the
 * remote socket, the TLS handshake, the TLS_SESS_STATE context and the
 * data pump. One entry point receives every event and is the only place
 * that ends and frees the session; the steps it calls only say whether
 * to continue.
 *
 * Server-role requests (postscreen, section 5) take the same path with
 * SSL_accept and no body, through cfg->server; without it they are
 * refused (status 0). Log lines are stock 3.7.11's (spec section 8 and
 * tlsproxy-tls.md 6.2).
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

enum tlsp_session_state {
	TLSP_SESSION_REQUEST,   /* reading the header, then the client body */
	TLSP_SESSION_REFUSED,   /* status 0 sent; waiting for the close */
	TLSP_SESSION_FD,        /* status 1 sent; waiting for the socket */
	TLSP_SESSION_RESUME,    /* asking tlsmgr for a cached TLS session */
	TLSP_SESSION_HANDSHAKE, /* SSL_connect (server: SSL_accept) */
	TLSP_SESSION_CONTEXT,   /* writing TLS_SESS_STATE */
	TLSP_SESSION_PUMP,      /* relaying data */
};

struct tlsp_session_config {
	struct tlsp_ctx_cache *ctx_cache;     /* client contexts */
	struct tlsp_settings_cache *settings; /* requests' options, groups */
	const struct tlsp_tls_params *tls_params; /* tlsproxy's main.cf */
	struct tlsp_tlsmgr *tlsmgr;               /* session cache, or NULL */
	const struct tlsp_server_daemon *server;  /* NULL: server role off */
	struct tlsp_libconf *libconf; /* OpenSSL configuration, NULL: any */
	unsigned init_timeout_ms;     /* 0: the default above */
	void (*disconnect)(int fd);   /* client closed, or NULL */
};

struct tlsp_session;

/*
 * Takes ownership of the accepted plaintext socket fd and starts the
 * conversation. cfg must outlive the session. The session frees itself
 * when the conversation ends, after calling cfg->disconnect(fd).
 */
struct tlsp_session *tlsp_session_create(int fd,
                                         const struct tlsp_session_config *cfg);

/* "request", "refused", "fd", "resume", "handshake", "context", "pump". */
const char *tlsp_session_state_str(enum tlsp_session_state state);

/* Number of sessions alive in this process. */
unsigned tlsp_session_count(void);

#endif
