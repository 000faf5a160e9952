/*
 * server_status.h - the status channel from a daemon to master(8)
 *
 * master(8) learns whether a child can take a connection from 12-byte
 * records (pid, generation, available) on fd 5, a stream socket that
 * every child of the service shares. master keeps the latest state, so
 * a change that finds the socket full is not dropped and not waited
 * for: it is remembered, the descriptor is watched for room, and the
 * state wanted then (if master does not have it already) is sent. A
 * change back to what master last received sends nothing, with one
 * exception: master also counts a use at each TAKEN followed by AVAIL,
 * and a child that dies with no use counted is taken for one that
 * cannot start, and the whole service is throttled ("bad command
 * startup"). So a TAKEN that master missed and that was followed by
 * AVAIL is sent as the pair.
 *
 * The channel owns the descriptor's event registration: end of file (or
 * an error) on it means master has gone, and gone(ctx) is called from
 * the event loop.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_SERVER_STATUS_H
#define TLSREUSE_COMMON_SERVER_STATUS_H

#include <sys/types.h>

#define SERVER_STATUS_SIZE 12

#define SERVER_STAT_TAKEN 0
#define SERVER_STAT_AVAIL 1

/* All zero (static storage) is a channel not started. */
struct server_status {
	int fd;
	pid_t pid;
	unsigned gen;
	int sent;       /* the state master last received */
	int want;       /* the state to report */
	int blocked;    /* the socket was full: waiting for room */
	int use_unsent; /* TAKEN wanted over AVAIL, not yet sent */
	void (*gone)(void *ctx);
	void *ctx;
};

/* The 12 native-endian bytes master(8) reads: pid, generation, avail. */
void server_status_encode(unsigned char out[SERVER_STATUS_SIZE], pid_t pid,
                          unsigned gen, int avail);

/*
 * Starts the channel on fd (not owned: never closed here) and watches it
 * for master's end. master counts a new child as available, so that is
 * the state it starts from.
 */
void server_status_start(struct server_status *st, int fd, pid_t pid,
                         unsigned gen, void (*gone)(void *), void *ctx);

/*
 * Reports avail (SERVER_STAT_TAKEN or _AVAIL). Returns 0 when it was
 * sent, is queued behind a full socket, or is what master has already;
 * -1 with errno when the socket failed (master is gone; its end of file
 * will also reach gone()). Does nothing before start or after stop.
 */
int server_status_set(struct server_status *st, int avail);

/* Stops reporting and watching (the descriptor stays open). */
void server_status_stop(struct server_status *st);

#endif
