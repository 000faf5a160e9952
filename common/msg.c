/*
 * msg.c - diagnostics with Postfix's severities and output sinks
 *
 * See msg.h. The formatting and sanitising happen once here, so every sink
 * (stderr, syslog, postlogd, test capture) logs the same text.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"

#include "msg.h"

#define MSG_ERROR_LIMIT 13

int msg_verbose;

struct msg_sink {
	msg_output_fn fn;
	void *context;
};

static struct msg_sink msg_sinks[MSG_OUTPUT_MAX];
static int msg_sink_count;
static int msg_utf8;
static int msg_error_count;
static int msg_exiting;
static unsigned msg_exit_delay = 1;
static msg_cleanup_fn msg_cleanup;

void
msg_output_add(msg_output_fn fn, void *context)
{
	if (msg_sink_count >= MSG_OUTPUT_MAX)
		msg_panic("%s: too many output sinks", __func__);
	msg_sinks[msg_sink_count].fn = fn;
	msg_sinks[msg_sink_count].context = context;
	msg_sink_count++;
}

void
msg_output_clear(void)
{
	msg_sink_count = 0;
}

void
msg_set_utf8(int enable)
{
	msg_utf8 = enable;
}

void
msg_set_cleanup(msg_cleanup_fn fn)
{
	msg_cleanup = fn;
}

void
msg_set_exit_delay(unsigned seconds)
{
	msg_exit_delay = seconds;
}

const char *
msg_level_prefix(enum msg_level level)
{
	switch (level) {
	case MSG_INFO:
		return "";
	case MSG_WARN:
		return "warning: ";
	case MSG_ERROR:
		return "error: ";
	case MSG_FATAL:
		return "fatal: ";
	case MSG_PANIC:
		return "panic: ";
	}
	return "";
}

/*
 * Replaces control and non-ASCII bytes in place, keeping UTF-8 that is safe
 * to show (utf8.h) if enabled.
 */
static void
msg_sanitise(char *text)
{
	unsigned char *s = (unsigned char *)text;
	size_t left = strlen(text), n;

	while (left > 0) {
		if (*s >= 0x20 && *s < 0x7f) {
			s++, left--;
		} else if (msg_utf8 && (n = utf8_printable_len(s, left)) > 0) {
			s += n, left -= n;
		} else {
			*s++ = '?';
			left--;
		}
	}
}

/* vsnprintf(), except that a lone "%s" (a line made elsewhere) is copied. */
static void
msg_format(char *text, size_t size, const char *fmt, va_list ap)
{
	const char *arg;
	size_t len;

	if (strcmp(fmt, "%s") != 0) {
		vsnprintf(text, size, fmt, ap);
		return;
	}
	if ((arg = va_arg(ap, const char *)) == NULL)
		arg = "(null)";
	len = strnlen(arg, size - 1);
	memcpy(text, arg, len);
	text[len] = 0;
}

static void
msg_stderr(enum msg_level level, const char *text)
{
	fprintf(stderr, "%s%s\n", msg_level_prefix(level), text);
}

static void msg_vprintf(enum msg_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Formats one message, makes it printable, hands it to every sink. */
static void
msg_vprintf(enum msg_level level, const char *fmt, va_list ap)
{
	char text[MSG_TEXT_LIMIT + 1];
	int saved_errno = errno;
	int i;

	if (msg_exiting && level >= MSG_FATAL)
		return;
	msg_format(text, sizeof(text), fmt, ap);
	msg_sanitise(text);
	if (msg_sink_count == 0)
		msg_stderr(level, text);
	for (i = 0; i < msg_sink_count; i++)
		msg_sinks[i].fn(level, text, msg_sinks[i].context);
	errno = saved_errno;
}

void
msg_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_INFO, fmt, ap);
	va_end(ap);
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_WARN, fmt, ap);
	va_end(ap);
}

void
msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_ERROR, fmt, ap);
	va_end(ap);
	if (++msg_error_count >= MSG_ERROR_LIMIT)
		msg_fatal("too many errors - program terminated");
}

void
msg_fatal(const char *fmt, ...)
{
	va_list ap;
	msg_cleanup_fn cleanup = msg_cleanup;

	va_start(ap, fmt);
	msg_vprintf(MSG_FATAL, fmt, ap);
	va_end(ap);
	msg_exiting = 1;
	msg_cleanup = NULL;
	if (cleanup)
		cleanup();
	sleep(msg_exit_delay);
	_exit(1);
}

void
msg_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_PANIC, fmt, ap);
	va_end(ap);
	msg_exiting = 1;
	sleep(msg_exit_delay);
	abort();
}

char *
msg_printable(char *out, size_t outlen, const void *data, size_t len)
{
	const unsigned char *in = data;
	size_t room, i;

	if (outlen == 0)
		return out;
	room = outlen - 1;
	if (len > room && room >= 3)
		room -= 3;
	for (i = 0; i < len && i < room; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7f) ? (char)in[i] : '?';
	if (i < len && outlen - 1 - i >= 3) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = 0;
	return out;
}
