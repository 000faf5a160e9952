/*
 * tlsp_server_daemon.c - tlsproxy(8)'s server role (postscreen STARTTLS)
 *
 * Ties the server-role pieces together for the daemon: the parameters
 * and enablement (tlsp_server_conf.c), the engine (tlsp_server_ctx.c)
 * with tlsmgr(8) behind it (tlsp_server_tlsmgr.c), and the per-session
 * settings that stock computes once per process (cipher grade and
 * exclusions, requirecert, fingerprint digest). Nothing of the request
 * but the remote endpoint and serverid is used (postscreen sends no TLS
 * settings).
 *
 * Errors: a role that is off or an engine that fails leaves no daemon
 * object; the session code answers status 0, as stock.
 * See also: doc/tlsproxy-protocol.md section 3.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>

#include "mem.h"
#include "server_role/tlsp_server_conf.h"
#include "server_role/tlsp_server_ctx.h"
#include "tlsp_server_tlsmgr.h"
#include "tlsp_server_daemon.h"

struct tlsp_server_daemon {
	struct tlsp_server_conf conf; /* strings: until the next conf_init */
	struct tlsp_server_role role;
	struct tlsp_server_init init;
	struct tlsp_server_cache_ops ops;
	struct tlsp_server_ctx *ctx;
};

struct tlsp_server_daemon *
tlsp_server_daemon_create(const struct tlsp_tls_params *params,
                          const struct tlsp_libctx *libctx,
                          struct tlsp_tlsmgr *mgr)
{
	struct tlsp_server_daemon *daemon = xcalloc(1, sizeof(*daemon));

	tlsp_server_conf_read(&daemon->conf);
	if (!tlsp_server_conf_decide(&daemon->conf, &daemon->role)) {
		tlsp_server_daemon_free(daemon);
		return NULL;
	}
	tlsp_server_conf_props(&daemon->conf, &daemon->role, params,
	                       &daemon->init);
	daemon->init.libctx = libctx;
	tlsp_server_tlsmgr_ops(mgr, &daemon->ops);
	daemon->ctx =
	    tlsp_server_ctx_create(params, &daemon->init, &daemon->ops);
	if (daemon->ctx == NULL) {
		tlsp_server_daemon_free(daemon);
		return NULL;
	}
	return daemon;
}

void
tlsp_server_daemon_free(struct tlsp_server_daemon *daemon)
{
	if (daemon == NULL)
		return;
	tlsp_server_ctx_free(daemon->ctx);
	tlsp_server_role_free(&daemon->role);
	free(daemon);
}

struct tlsp_server_conn *
tlsp_server_daemon_start(const struct tlsp_server_daemon *daemon,
                         const struct tlsp_request_header *hdr, int fd)
{
	const struct tlsp_server_start props = {
	    .requirecert = daemon->role.requirecert,
	    .serverid = hdr->serverid,
	    .namaddr = hdr->remote_endpoint,
	    .cipher_grade = daemon->role.cipher_grade,
	    .cipher_exclusions = daemon->role.cipher_exclusions,
	    .mdalg = daemon->conf.tlsproxy_tls_fingerprint_digest,
	};

	return tlsp_server_start(daemon->ctx, &props, fd);
}
