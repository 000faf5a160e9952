/*
 * msg.h - diagnostics with Postfix's severities and output sinks
 *
 * msg_info() and msg_warn() carry on; msg_error() carries on until the
 * 13th error; msg_fatal() runs the cleanup hook, pauses and exits 1;
 * msg_panic() aborts for a core dump. Text is formatted printf-style (%m is
 * strerror(errno), errno is preserved), truncated to MSG_TEXT_LIMIT bytes,
 * and every byte that is not printable ASCII becomes '?' (UTF-8 that
 * utf8_printable_len() accepts is kept when msg_set_utf8(1)), so peer text
 * can never forge log lines.
 *
 * Output goes to every registered sink (stderr, syslog, postlogd, or a test
 * capture). With no sink registered, messages go to stderr.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_MSG_H
#define TLSREUSE_COMMON_MSG_H

#include <stddef.h>

enum msg_level {
	MSG_INFO,
	MSG_WARN,
	MSG_ERROR,
	MSG_FATAL,
	MSG_PANIC,
};

#define MSG_TEXT_LIMIT 2000

/* Number of -v flags (plus MAIL_VERBOSE); guards verbose msg_info(). */
extern int msg_verbose;

/* A sink receives the level and the sanitised text without prefix. */
typedef void (*msg_output_fn)(enum msg_level level, const char *text,
    void *context);

/* Adds a sink; sinks are called in the order added. Max MSG_OUTPUT_MAX. */
#define MSG_OUTPUT_MAX 4
void msg_output_add(msg_output_fn fn, void *context);

/* Removes every sink (messages then go to stderr again). */
void msg_output_clear(void);

/* Returns "warning: " etc. for a level ("" for info). */
const char *msg_level_prefix(enum msg_level level);

/* Keep printable UTF-8 in log text (smtputf8_enable). Default: off. */
void msg_set_utf8(int enable);

/* Hook run once by msg_fatal() before exit (not by msg_panic()). */
typedef void (*msg_cleanup_fn)(void);
void msg_set_cleanup(msg_cleanup_fn fn);

/* Seconds msg_fatal()/msg_panic() sleep before exiting (default 1). */
void msg_set_exit_delay(unsigned seconds);

void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void msg_panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Writes a printable, truncated rendering of len bytes of peer data into
 * out (size outlen): non-printable bytes become '?', and "..." marks a cut.
 * Returns out. For quoting peer text inside a message (~100 bytes).
 */
char *msg_printable(char *out, size_t outlen, const void *data, size_t len);

#endif
