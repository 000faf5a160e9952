/*
 * log_postlogd.h - a msg sink that sends one datagram per message to
 * postlogd(8), as Postfix 3.4+ daemons do when maillog_file is set
 *
 * Record (no newline): "Mmm dd HH:MM:SS host ident[pid]: text", with
 * "severity: " before the text for every level but info; host is the
 * first label of the host name, the time is local time.
 *
 * Records must not be lost while postlogd is merely busy: stock clients
 * block on a full queue (its length is net.unix.max_dgram_qlen, 10 here),
 * and a burst of log lines fills it in microseconds. So a record that
 * meets a full queue waits up to LOG_POSTLOGD_WAIT_MS for room, also
 * when other processes' records take the room it was waiting for.
 *
 * A daemon must never hang or die because postlogd is gone: the socket is
 * connected at create time (before chroot), and a wait that times out
 * marks the client stalled. A stalled client drops records without
 * waiting until a send succeeds again, so an outage costs one wait, not
 * one per message. When the socket is not connected, each message tries
 * to connect again first, and a record that cannot be sent is dropped
 * silently. Fatal and panic records wait up to LOG_POSTLOGD_FATAL_WAIT_MS
 * even when stalled: the process is exiting anyway.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_LOG_POSTLOGD_H
#define TLSREUSE_COMMON_LOG_POSTLOGD_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "msg.h"

/* Longest record sent; longer ones are cut (postlogd reads 4096 bytes). */
#define LOG_POSTLOGD_RECORD_MAX 4096
#define LOG_POSTLOGD_WAIT_MS 1000
#define LOG_POSTLOGD_FATAL_WAIT_MS 500

struct log_postlogd;

/*
 * Returns a client for the datagram socket at path, already connected if
 * postlogd is there. hostname and ident are copied. Caller owns it.
 */
struct log_postlogd *log_postlogd_create(const char *path, const char *hostname,
                                         const char *ident);

/* Closes the socket and frees the client; NULL is harmless. */
void log_postlogd_free(struct log_postlogd *lp);

/*
 * The pid the records carry is read once, at create; a process that
 * forks and logs on in the child sets the child's here.
 */
void log_postlogd_set_pid(struct log_postlogd *lp, pid_t pid);

/* Sends one record; returns 0 when sent, -1 when dropped. */
int log_postlogd_send(struct log_postlogd *lp, enum msg_level level,
                      const char *text);

/* msg sink: context is the struct log_postlogd. */
void log_postlogd_output(enum msg_level level, const char *text, void *context);

/*
 * Formats a record for time when into out (size outlen, at least 1) and
 * returns its length (cut to outlen - 1). Pure apart from localtime_r().
 */
size_t log_postlogd_format(char *out, size_t outlen, time_t when,
                           const char *hostname, const char *ident, pid_t pid,
                           enum msg_level level, const char *text);

/*
 * Returns 1 if file starts with one of the comma/space separated
 * prefixes (maillog_file_prefixes), else 0.
 */
int log_postlogd_prefix_ok(const char *file, const char *prefixes);

#endif
