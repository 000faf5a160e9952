/*
 * scache.c - main() of scache(8), the drop-in connection cache
 *
 * The parameter table and the skeleton callbacks; the protocol, the
 * store, the statistics and the reuse log live in scache_*.c. master.cf:
 *
 *   scache unix - - n - 1 tlsreuse/scache [reuse_log=no]
 *
 * The reuse-log switch is a word of the command, not a parameter: stock
 * postconf (3.7.11) warns "unused parameter" for any name it does not
 * know, whether set in main.cf or with -o in master.cf, while it never
 * looks at command words, and "postfix check" passes. master(8) puts
 * master.cf words after its own options, so the word is the last one.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <sys/resource.h>
#include <time.h>

#include "conf.h"
#include "params.h"
#include "server.h"
#include "scache_proto.h"

static int connection_cache_ttl_limit;
static int connection_cache_status_update_time;
static int connection_cache_protocol_timeout;
static int smtp_connection_reuse_time_limit;

static const struct conf_param scache_params[] = {
    {CONF_TIME, "connection_cache_ttl_limit", "2s",
     &connection_cache_ttl_limit, 1, 0},
    {CONF_TIME, "connection_cache_status_update_time", "600s",
     &connection_cache_status_update_time, 1, 0},
    {CONF_TIME, "connection_cache_protocol_timeout", "5s",
     &connection_cache_protocol_timeout, 1, 0},
    {CONF_TIME, "smtp_connection_reuse_time_limit", "300s",
     &smtp_connection_reuse_time_limit, 1, 0},
    {CONF_TIME, NULL, NULL, NULL, 0, 0},
};

static struct scache_proto *scache;
static int scache_reuse_log = 1;

static void
scache_pre_jail(void *ctx)
{
	/* The statistics print local time; the zone file is outside a jail. */
	tzset();
}

static void
scache_post_jail(void *ctx)
{
	struct scache_proto_config cfg = {
	    .ttl_limit = connection_cache_ttl_limit,
	    .status_update_time = connection_cache_status_update_time,
	    .request_timeout_ms = (unsigned)connection_cache_protocol_timeout * 1000,
	    .idle_timeout_ms = (unsigned)params.ipc_timeout * 1000,
	    .reuse_log = scache_reuse_log,
	    .reuse_time_limit = smtp_connection_reuse_time_limit,
	    .disconnect = server_disconnect,
	};
	struct rlimit nofile;

	/* Like stock: only idle time or master ends this process. */
	server_set_max_use(0);
	if (getrlimit(RLIMIT_NOFILE, &nofile) < 0)
		nofile.rlim_cur = 1024;
	cfg.session_max = scache_proto_session_limit((long)nofile.rlim_cur);
	cfg.binding_max = cfg.session_max * SCACHE_PROTO_BINDINGS_PER_SESSION;
	scache = scache_proto_create(&cfg);
}

static void
scache_accept(int fd, void *ctx)
{
	scache_proto_accept(scache, fd);
}

static int
scache_fd_shortage(void *ctx)
{
	return scache ? scache_proto_shed(scache) : 0;
}

static void
scache_exit(void *ctx)
{
	if (scache)
		scache_proto_exit(scache);
}

int
main(int argc, char **argv)
{
	static const struct server_ops ops = {
	    .params = scache_params,
	    .pre_jail = scache_pre_jail,
	    .post_jail = scache_post_jail,
	    .on_accept = scache_accept,
	    .on_fd_shortage = scache_fd_shortage,
	    .on_exit = scache_exit,
	};

	scache_proto_take_args(&argc, argv, &scache_reuse_log);
	server_main(argc, argv, SERVER_MODE_MULTI, &ops);
}
