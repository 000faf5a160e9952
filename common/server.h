/*
 * server.h - the master(8) child contract, once, for both daemons
 *
 * A daemon's main() is a parameter table, a struct server_ops and a call
 * to server_main(). The skeleton does what stock multi_server (scache) and
 * event_server (tlsproxy) do:
 * options, main.cf, logging, privilege drop, accepting on fds 6.., the
 * status record on fd 5, idle/use/retirement limits and the watchdog.
 *
 * Status: in both modes a TAKEN/AVAIL pair goes to master around each
 * on_accept (a change that finds the status socket full is sent when it
 * drains, see server_status.h). Stock multi_server sends one around each
 * request instead, because it serves requests one at a time; ours never
 * block, so a process is never busy in master's sense (master only
 * counts the pairs, and with a process limit of 1 starts no other).
 *
 * SERVER_MODE_MULTI (scache): needs -l ("solitary"); master disconnect
 * (fd 5 EOF, reload) = on_exit hook and exit 0 at once; watchdog =
 * daemon_timeout.
 *
 * SERVER_MODE_EVENT (tlsproxy): needs -z ("unlimited"); master
 * disconnect and retirement (-r, else
 * max_idle * max_use capped at 18000 s) drain: fork, the parent exits 0
 * at once, the child stops listening, serves its connections and exits
 * when none is left; watchdog = *ops->watchdog_secs, else 1000 s.
 *
 * Options: "+cdDi:lm:n:o:r:s:St:uvVz" (-r only in EVENT mode) as master(8)
 * passes them, plus one of ours that master never generates:
 *   -p  print "name = value" for every parameter the daemon read (global
 *       and its own table, effective values after main.cf and -o), then
 *       exit 0 without touching fds 5.. or privileges.
 *
 * Connections: on_accept(fd, ctx) gets a new client descriptor (moved to
 * >= 128, non-blocking, close-on-exec) and owns it; the daemon registers
 * its own events and, when it closes the client, calls server_disconnect().
 * Out of descriptors, the process stops accepting for a moment and keeps
 * serving its clients, never exits (server_accept.h); on_fd_shortage may
 * free one first; in EVENT mode it reports itself busy meanwhile.
 * The process exits (on_exit first) on idle time-out (max_idle with no
 * client), when max_use connections were closed and none is left, or when
 * a drained child has no client left. -S runs on_accept(0) for stdin and
 * exits when that client is gone.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_SERVER_H
#define TLSREUSE_COMMON_SERVER_H

#include <sys/types.h>

#include "conf.h"

enum server_mode {
	SERVER_MODE_MULTI,
	SERVER_MODE_EVENT,
};

struct server_ops {
	/* Read after the global parameters; NULL-name terminated, or NULL. */
	const struct conf_param *params;
	/* EVENT mode watchdog seconds (set by params); NULL: 1000. */
	const int *watchdog_secs;
	void (*pre_jail)(void *ctx);  /* before chroot/setuid: load keys */
	void (*post_jail)(void *ctx); /* after the privilege drop */
	void (*on_accept)(int fd, void *ctx);
	/* Out of descriptors: close one the daemon can spare; 1 if it did. */
	int (*on_fd_shortage)(void *ctx);
	void (*on_drain)(void *ctx); /* EVENT: in the draining child */
	void (*on_exit)(void *ctx);  /* before every normal exit */
	void *ctx;
};

/* Runs the daemon; never returns. Fatal with Postfix's texts. */
void server_main(int argc, char **argv, enum server_mode mode,
                 const struct server_ops *ops) __attribute__((noreturn));

/* The daemon closed client fd: one more use, idle timer when none left. */
void server_disconnect(int fd);

/* Changes max_use (0: unlimited), e.g. from post_jail. */
void server_set_max_use(int max_use);

/* --- pieces exposed for tests ------------------------------------------- */

#define SERVER_STATUS_FD 5
#define SERVER_LISTEN_FD 6
#define SERVER_RETIRE_CAP 18000

/* Parses $GENERATION (octal digits only): 0 and *gen, or -1. NULL: 0. */
int server_generation_parse(const char *text, unsigned *gen);

/* Retirement seconds: -r value if > 0, else max_idle * max_use capped. */
int server_retire_secs(int max_idle, int max_use, int retire_opt);

/*
 * Drain: fork; the parent _exit(0)s; in the child, listen fds first ..
 * first + count - 1 are forgotten by the event loop and replaced by a
 * copy of fd 0, and 0 is returned. -1 if fork failed (nothing changed).
 */
int server_drain_fork(int first, int count);

#endif
