/*
 * server_accept.h - accepting clients on master's listen sockets
 *
 * Each readable event on a listen socket accepts one connection (non-
 * blocking, close-on-exec, moved to a descriptor >= SERVER_CLIENT_FD_MIN
 * as stock daemons do) and hands it to on_client, which owns it.
 *
 * Running out of descriptors or kernel memory (EMFILE, ENFILE, ENOBUFS,
 * ENOMEM) is not fatal: the daemon may first free a descriptor
 * (on_shortage returns nonzero if it did; accept is then tried again at
 * once). Otherwise the listen sockets are no longer watched, so new
 * connections wait in the kernel's queue while the open ones are served;
 * on_pause(1, ctx) says so, and on_pause(0, ctx) when watching resumes:
 * SERVER_ACCEPT_PAUSE_MS later, or at once when server_accept_resume()
 * reports a descriptor freed. A warning says so at most once per
 * SERVER_ACCEPT_WARN_MS, with the number of pauses in between.
 *
 * Other accept() errors are logged with msg_error() as stock does (the
 * 13th is fatal); a connection another process took first (EAGAIN) or
 * that went away (ECONNABORTED) is no error. Time is event_now().
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_SERVER_ACCEPT_H
#define TLSREUSE_COMMON_SERVER_ACCEPT_H

#include <stdint.h>

#define SERVER_CLIENT_FD_MIN 128
#define SERVER_ACCEPT_PAUSE_MS 1000
#define SERVER_ACCEPT_WARN_MS 60000

struct server_accept {
	int first; /* listen descriptors first .. first + count - 1 */
	int count;
	void (*on_client)(int fd, void *ctx);
	int (*on_shortage)(void *ctx);           /* may be NULL */
	void (*on_pause)(int paused, void *ctx); /* may be NULL */
	void *ctx;
	int paused;
	int warned;          /* a shortage warning was logged */
	uint64_t warn_after; /* event_now() before which none is logged */
	unsigned missed;     /* pauses since the last warning */
};

/* Watches the listen sockets; the callbacks are described above. */
void server_accept_start(struct server_accept *sa, int first, int count,
                         void (*on_client)(int, void *),
                         int (*on_shortage)(void *),
                         void (*on_pause)(int, void *), void *ctx);

/* A descriptor was freed: if paused, watch the sockets again now. */
void server_accept_resume(struct server_accept *sa);

/* Forgets the listen sockets (drain): no events, no timer, no pause. */
void server_accept_stop(struct server_accept *sa);

#endif
