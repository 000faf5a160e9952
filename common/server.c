/*
 * server.c - the master(8) child contract, once, for both daemons
 *
 * See server.h. The start-up order is stock's (the steps are numbered
 * at the functions below); everything that needs files outside the queue
 * directory (syslog, postlogd, passwd, time zone, the daemon's keys)
 * happens before the privilege drop. Process-wide state lives in one struct.
 *
 * See also: master(8) on the child contract.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "event.h"
#include "log_setup.h"
#include "log_stderr.h"
#include "log_syslog.h"
#include "mem.h"
#include "msg.h"
#include "params.h"
#include "version.h"
#include "watchdog.h"
#include "server_accept.h"
#include "server_opts.h"
#include "server_status.h"
#include "server.h"

#define SERVER_EVENT_WATCHDOG 1000 /* EVENT mode default, seconds */
#define SERVER_FORK_TRIES 5

struct server_state {
	enum server_mode mode;
	const struct server_ops *ops;
	struct server_opts opts;
	char *process_name; /* in argv */
	const char *service_name;
	pid_t pid;
	unsigned generation;
	int max_use;
	int client_count;
	int use_count;
	struct server_status status; /* fd 5 (not with -S, not drained) */
	struct server_accept accept; /* fds 6.. (not with -S, not drained) */
	int exit_when_empty;         /* drained child, or -S */
	int draining;
};

static struct server_state server;

int
server_generation_parse(const char *text, unsigned *gen)
{
	if (text == NULL) {
		*gen = 0;
		return 0;
	}
	if (*text == 0 || strspn(text, "0123456789") != strlen(text))
		return -1;
	*gen = (unsigned)strtoul(text, NULL, 8);
	return 0;
}

int
server_retire_secs(int max_idle, int max_use, int retire_opt)
{
	if (retire_opt > 0)
		return retire_opt;
	if (max_idle <= 0 || max_use <= 0 ||
	    max_idle > SERVER_RETIRE_CAP / max_use)
		return SERVER_RETIRE_CAP;
	return max_idle * max_use;
}

static void __attribute__((noreturn)) server_exit(void)
{
	if (server.ops->on_exit)
		server.ops->on_exit(server.ops->ctx);
	exit(0);
}

int
server_drain_fork(int first, int count)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	log_setup_forked();
	for (fd = first; fd < first + count; fd++) {
		event_clear(fd);
		if (dup2(STDIN_FILENO, fd) < 0)
			msg_fatal("%s: dup2: %m", __func__);
	}
	return 0;
}

/* Master disconnect or retirement in EVENT mode: continue in background. */
static void
server_drain(void)
{
	int tries;

	if (server.draining)
		return;
	server_accept_stop(&server.accept);
	for (tries = 1;
	     server_drain_fork(SERVER_LISTEN_FD, server.opts.socket_count) < 0;
	     tries++) {
		if (tries >= SERVER_FORK_TRIES)
			msg_fatal("fork: %m");
		sleep(1);
	}
	server.draining = 1;
	server.exit_when_empty = 1;
	server_status_stop(&server.status);
	if (server.ops->on_drain)
		server.ops->on_drain(server.ops->ctx);
}

static void
server_master_gone(void)
{
	if (server.mode == SERVER_MODE_MULTI) {
		if (msg_verbose)
			msg_info("master disconnect -- exiting");
		server_exit();
	}
	if (msg_verbose)
		msg_info("master disconnect -- draining");
	server_drain();
}

/* The status channel's end of file. */
static void
server_master_gone_event(void *ctx)
{
	server_master_gone();
}

static void
server_idle_event(void *ctx)
{
	if (msg_verbose)
		msg_info("idle timeout -- exiting");
	server_exit();
}

static void
server_retire_event(void *ctx)
{
	if (msg_verbose)
		msg_info("time to retire -- draining");
	server_drain();
}

void
server_disconnect(int fd)
{
	if (server.client_count <= 0)
		msg_panic("%s: fd %d: no client connected", __func__, fd);
	server.client_count--;
	server.use_count++;
	server_accept_resume(&server.accept);
	if (server.client_count == 0 && !server.exit_when_empty)
		event_timer_set(server_idle_event, NULL,
		                (uint64_t)params.max_idle * 1000);
}

void
server_set_max_use(int max_use)
{
	server.max_use = max_use;
}

/*
 * Available to master (AVAIL) unless an EVENT-mode process cannot accept;
 * if the status socket failed, master has gone.
 */
static void
server_report_idle(void)
{
	int paused = server.mode == SERVER_MODE_EVENT && server.accept.paused;

	if (server_status_set(&server.status, paused ? SERVER_STAT_TAKEN
	                                             : SERVER_STAT_AVAIL) < 0)
		server_master_gone();
}

/*
 * Both modes report TAKEN/AVAIL around the accept, as stock event_server
 * does: our daemons serve every client without blocking, so a process
 * is never busy in master's sense, and master counts a use per client.
 */
static void
server_new_client(int fd)
{
	if (server.client_count++ == 0)
		(void)event_timer_cancel(server_idle_event, NULL);
	(void)server_status_set(&server.status, SERVER_STAT_TAKEN);
	server.ops->on_accept(fd, server.ops->ctx);
	server_report_idle();
}

static void
server_accept_client(int fd, void *ctx)
{
	server_new_client(fd);
}

static int
server_fd_shortage(void *ctx)
{
	return server.ops->on_fd_shortage &&
	       server.ops->on_fd_shortage(server.ops->ctx);
}

/*
 * EVENT mode: a process that cannot accept says it is busy, so that
 * master(8) starts another (with a descriptor table of its own) for the
 * connections that wait. MULTI mode has a process limit of 1: no other.
 */
static void
server_accept_paused(int paused, void *ctx)
{
	server_report_idle();
}

static void
server_set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
		msg_fatal("close-on-exec fd %d: %m", fd);
}

/* Step 1-4: what the process knows before it reads main.cf. */
static void
server_init_process(char *argv0)
{
	char *slash = strrchr(argv0, '/');

	if (getenv("MAIL_VERBOSE"))
		msg_verbose = 1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	server.process_name = slash ? slash + 1 : argv0;
	server.pid = getpid();
	log_setup_bootstrap(server.process_name);
	if (msg_verbose)
		msg_info("daemon started");
}

/*
 * Step 10: final logging from syslog_name, syslog_facility, maillog_file,
 * maillog_file_prefixes, postlog_service_name, myhostname, smtputf8_enable.
 */
static void
server_setup_logging(void)
{
	struct log_params p;
	char path[4096];

	if (log_syslog_facility(params.syslog_facility, &p.syslog_facility) < 0)
		msg_fatal("file %s/main.cf: parameter syslog_facility: "
		          "unrecognized value: %s",
		          conf_directory(), params.syslog_facility);
	snprintf(path, sizeof(path), "%s/public/%s", params.queue_directory,
	         params.postlog_service_name);
	p.syslog_name = params.syslog_name;
	p.maillog_file = params.maillog_file;
	p.maillog_file_prefixes = params.maillog_file_prefixes;
	p.postlog_path = path;
	p.myhostname = params.myhostname;
	msg_set_utf8(params.smtputf8_enable);
	log_setup_params(server.process_name, &p);
}

/* Steps 6-10: main.cf, options, global parameters, final logging. */
static void
server_configure(int argc, char **argv)
{
	conf_init(NULL);
	conf_read_main_cf();
	server_opts_parse(&server.opts, argc, argv, server.mode);
	msg_verbose += server.opts.verbose;
	if (server.opts.log_stderr)
		log_setup_stderr();
	server.service_name = server.opts.service_name
	                          ? server.opts.service_name
	                          : server.process_name;
	params_init(server.process_name, server.service_name);
	server_setup_logging();
}

/* Step 13: the daemon's own parameters, -p, the process-limit contract. */
static void
server_read_daemon_params(void)
{
	if (server.ops->params)
		conf_read_params(server.ops->params);
	if (server.opts.print_params) {
		printf("# %s\n", version_string());
		conf_print_used(stdout);
		exit(0);
	}
	server.max_use = params.max_use;
	if (server.opts.standalone)
		return;
	if (server.mode == SERVER_MODE_MULTI && !server.opts.solitary)
		msg_fatal("service %s requires a process limit of 1",
		          server.service_name);
	if (server.mode == SERVER_MODE_EVENT && !server.opts.unlimited)
		msg_fatal("service %s requires a process limit of 0",
		          server.service_name);
}

static void
server_check_tty(void)
{
	if (isatty(STDIN_FILENO) && !server.opts.debug &&
	    !server.opts.standalone) {
		msg_output_add(log_stderr_output, server.process_name);
		msg_fatal("do not run this command by hand");
	}
}

/* Steps 14-15: transport type and generation. */
static void
server_check_master_args(void)
{
	const char *gen = getenv("GENERATION");
	const char *t = server.opts.transport;

	if (!server.opts.standalone) {
		if (t == NULL)
			msg_fatal("no transport type specified");
		if (strcmp(t, "unix") != 0 && strcmp(t, "inet") != 0)
			msg_fatal("unsupported transport type: %s", t);
	}
	if (server_generation_parse(gen, &server.generation) < 0)
		msg_fatal("bad generation: %s", gen);
	if (gen && msg_verbose)
		msg_info("process generation: %s (%o)", gen, server.generation);
}

/* Step 16: -D or $MAIL_DEBUG runs debugger_command. */
static void
server_run_debugger(void)
{
	const char *raw = conf_lookup("debugger_command");
	char *command;

	if (raw == NULL || *raw == 0)
		msg_fatal("no debugger_command variable set up");
	command = conf_expand_value(raw);
	msg_info("running: %s", command);
	if (system(command) != 0)
		msg_warn("%s: debugger command failed", command);
	free(command);
}

/* Step 20: getpwnam, setgid, initgroups, chroot + chdir, setuid. */
static void
server_drop_privileges(const char *user, const char *root)
{
	struct passwd *pw = NULL;

	if (user != NULL) {
		if ((pw = getpwnam(user)) == NULL)
			msg_fatal("unknown user: %s", user);
		if (setgid(pw->pw_gid) < 0)
			msg_fatal("setgid(%ld): %m", (long)pw->pw_gid);
		if (initgroups(user, pw->pw_gid) < 0)
			msg_fatal("initgroups: %m");
	}
	if (root != NULL) {
		if (chroot(root) < 0)
			msg_fatal("chroot(%s): %m", root);
		if (chdir("/") < 0)
			msg_fatal("chdir(/): %m");
	}
	if (pw != NULL && setuid(pw->pw_uid) < 0)
		msg_fatal("setuid(%ld): %m", (long)pw->pw_uid);
	if (msg_verbose > 1)
		msg_info("chroot %s user %s", root ? root : "(none)",
		         user ? user : "(none)");
}

/* Steps 16-21: from the debugger to the post-jail hook. */
static void
server_enter_jail(void)
{
	if (server.opts.debugger || getenv("MAIL_DEBUG"))
		server_run_debugger();
	if (chdir(params.queue_directory) < 0)
		msg_fatal("chdir(\"%s\"): %m", params.queue_directory);
	if (server.ops->pre_jail)
		server.ops->pre_jail(server.ops->ctx);
	tzset();
	server_drop_privileges(
	    server.opts.unprivileged ? params.mail_owner : NULL,
	    server.opts.chroot ? params.queue_directory : NULL);
	if (server.ops->post_jail)
		server.ops->post_jail(server.ops->ctx);
}

/* Steps 23-24: timers, accept and master events, the watchdog. */
static void
server_start_listening(void)
{
	int fd, last = SERVER_LISTEN_FD + server.opts.socket_count - 1;

	event_timer_set(server_idle_event, NULL,
	                (uint64_t)params.max_idle * 1000);
	if (server.mode == SERVER_MODE_EVENT)
		event_timer_set(
		    server_retire_event, NULL,
		    (uint64_t)server_retire_secs(
		        params.max_idle, server.max_use, server.opts.retire) *
		        1000);
	for (fd = SERVER_LISTEN_FD; fd <= last; fd++)
		server_set_cloexec(fd);
	server_accept_start(&server.accept, SERVER_LISTEN_FD,
	                    server.opts.socket_count, server_accept_client,
	                    server_fd_shortage, server_accept_paused, NULL);
	for (fd = 3; fd <= SERVER_STATUS_FD; fd++)
		server_set_cloexec(fd);
	server_status_start(&server.status, SERVER_STATUS_FD, server.pid,
	                    server.generation, server_master_gone_event, NULL);
	if (server.mode == SERVER_MODE_MULTI)
		watchdog_start(params.daemon_timeout);
	else
		watchdog_start(server.ops->watchdog_secs
		                   ? *server.ops->watchdog_secs
		                   : SERVER_EVENT_WATCHDOG);
}

static int
server_done(void)
{
	if (server.client_count > 0)
		return 0;
	return server.exit_when_empty ||
	       (server.max_use > 0 && server.use_count >= server.max_use);
}

static void __attribute__((noreturn)) server_loop(void)
{
	while (!server_done()) {
		watchdog_restart();
		event_loop(-1);
	}
	server_exit();
}

void
server_main(int argc, char **argv, enum server_mode mode,
            const struct server_ops *ops)
{
	server.mode = mode;
	server.ops = ops;
	server_init_process(argv[0]);
	server_configure(argc, argv);
	server_read_daemon_params();
	server_check_tty();
	server_check_master_args();
	server_enter_jail();
	if (server.opts.standalone) {
		server.exit_when_empty = 1;
		server_new_client(STDIN_FILENO);
		server_loop();
	}
	server_start_listening();
	server_loop();
}
