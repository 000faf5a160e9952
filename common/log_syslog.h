/*
 * log_syslog.h - a msg sink that writes to syslog with Postfix's identity
 *
 * The identity is "<syslog_name>/<process_name>" (log_ident()), opened with
 * LOG_PID | LOG_NDELAY so the /dev/log connection exists before chroot.
 * Levels map as Postfix maps them: info LOG_INFO, warning LOG_WARNING,
 * error LOG_ERR, fatal and panic LOG_CRIT; the text carries the severity
 * prefix ("warning: ...").
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_LOG_SYSLOG_H
#define TLSREUSE_COMMON_LOG_SYSLOG_H

#include <stddef.h>

#include "msg.h"

/*
 * Looks up a syslog_facility name (auth, authpriv, cron, daemon, ftp, kern,
 * lpr, mail, news, syslog, user, uucp, local0..local7; case-insensitive).
 * Returns 0 and stores the LOG_* code, or -1 for an unknown name.
 */
int log_syslog_facility(const char *name, int *facility);

/* The syslog priority (without facility) for a msg level. */
int log_syslog_priority(enum msg_level level);

/*
 * Writes "<tag>/<process_name>" into out (size outlen, truncated if
 * needed) and returns out. tag is $MAIL_LOGTAG when set and non-empty,
 * else syslog_name (NULL: "postfix").
 */
char *log_ident(char *out, size_t outlen, const char *syslog_name,
                const char *process_name);

/*
 * (Re)opens syslog with ident (copied) and facility, connecting now, and
 * adds the sink to msg. LOG_PID is left out when ident already has '['.
 */
void log_syslog_open(const char *ident, int facility);

#endif
