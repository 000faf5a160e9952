/*
 * log_postlogd.c - a msg sink that sends one datagram per message to
 * postlogd(8)
 *
 * See log_postlogd.h. The socket is non-blocking and every send uses
 * MSG_DONTWAIT; a full queue is waited for with poll() and a deadline
 * (room that another writer takes first is waited for again), so a stuck
 * postlogd costs one bounded wait per outage, never a hung event loop. A
 * send error other than a full queue closes the socket; the next message
 * connects again (which only works before chroot, or if the jail holds
 * the socket path).
 *
 * Limits: LOG_POSTLOGD_RECORD_MAX bytes per record.
 * See also: postlogd(8).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "msg.h"
#include "token.h"
#include "log_postlogd.h"

struct log_postlogd {
	char *path;
	char *host;
	char *ident;
	pid_t pid;   /* for the records; log_postlogd_set_pid() after fork */
	int fd;      /* -1: not connected */
	int stalled; /* a wait for room timed out; don't wait again */
	/* "stamp host ident[pid]: " of the second head_when, if head_len */
	char head[LOG_POSTLOGD_RECORD_MAX];
	size_t head_len;
	time_t head_when;
};

/* Connects lp->fd if it is not connected; returns 0 or -1. */
static int
log_postlogd_connect(struct log_postlogd *lp)
{
	struct sockaddr_un sun;
	int fd;

	if (lp->fd >= 0)
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(lp->path) >= sizeof(sun.sun_path))
		return -1;
	memcpy(sun.sun_path, lp->path, strlen(lp->path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return -1;
	}
	lp->fd = fd;
	return 0;
}

static void
log_postlogd_disconnect(struct log_postlogd *lp)
{
	if (lp->fd >= 0)
		close(lp->fd);
	lp->fd = -1;
}

struct log_postlogd *
log_postlogd_create(const char *path, const char *hostname, const char *ident)
{
	struct log_postlogd *lp = xcalloc(1, sizeof(*lp));

	lp->path = xstrdup(path);
	lp->host = xstrdup(hostname);
	lp->ident = xstrdup(ident);
	lp->pid = getpid();
	lp->fd = -1;
	(void)log_postlogd_connect(lp);
	return lp;
}

void
log_postlogd_free(struct log_postlogd *lp)
{
	if (lp == NULL)
		return;
	log_postlogd_disconnect(lp);
	free(lp->path);
	free(lp->host);
	free(lp->ident);
	free(lp);
}

size_t
log_postlogd_format(char *out, size_t outlen, time_t when, const char *hostname,
                    const char *ident, pid_t pid, enum msg_level level,
                    const char *text)
{
	char stamp[32];
	struct tm tm;
	int len;

	if (localtime_r(&when, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm) == 0)
		stamp[0] = 0;
	len = snprintf(out, outlen, "%s %.*s %s[%ld]: %s%s", stamp,
	               (int)strcspn(hostname, "."), hostname, ident, (long)pid,
	               msg_level_prefix(level), text);
	if (len < 0)
		len = 0;
	return (size_t)len < outlen ? (size_t)len : outlen - 1;
}

/* Waits up to wait_ms for room; returns 1 if there is. */
static int
log_postlogd_wait_room(int fd, int wait_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int n;

	do {
		n = poll(&pfd, 1, wait_ms);
	} while (n < 0 && errno == EINTR);
	return n == 1 && (pfd.revents & POLLOUT);
}

/* How long this record may wait for room in a full queue (0: none). */
static int
log_postlogd_wait_ms(const struct log_postlogd *lp, enum msg_level level)
{
	if (level >= MSG_FATAL)
		return LOG_POSTLOGD_FATAL_WAIT_MS;
	return lp->stalled ? 0 : LOG_POSTLOGD_WAIT_MS;
}

/* One send without waiting; 0, or -1 with errno. */
static int
log_postlogd_send_now(int fd, const char *rec, size_t len)
{
	ssize_t n;

	do {
		n = send(fd, rec, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

static long long
log_postlogd_now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits up to wait_ms for room and sends: 0 sent, -1 no room in time, -2
 * broken. Every process of the instance writes to the same queue, so the
 * room poll() reports may be taken by another writer before our send:
 * such a lost race waits again, until the deadline.
 */
static int
log_postlogd_send_waiting(int fd, const char *rec, size_t len, int wait_ms)
{
	long long deadline = log_postlogd_now_ms() + wait_ms;
	long long left;

	while ((left = deadline - log_postlogd_now_ms()) > 0 &&
	       log_postlogd_wait_room(fd, (int)left)) {
		if (log_postlogd_send_now(fd, rec, len) == 0)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -2;
	}
	return -1;
}

/* One record: 0 sent, -1 dropped with the socket kept, -2 broken. */
static int
log_postlogd_try(struct log_postlogd *lp, const char *rec, size_t len,
                 enum msg_level level)
{
	int wait_ms, status;

	if (log_postlogd_send_now(lp->fd, rec, len) == 0) {
		lp->stalled = 0;
		return 0;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return -2;
	if ((wait_ms = log_postlogd_wait_ms(lp, level)) == 0)
		return -1;
	status = log_postlogd_send_waiting(lp->fd, rec, len, wait_ms);
	if (status != -2)
		lp->stalled = status == -1;
	return status;
}

/* Copies up to n bytes of s to rec at *used, leaving room for the NUL. */
static void
log_postlogd_put(char *rec, size_t *used, const char *s, size_t n)
{
	size_t room = LOG_POSTLOGD_RECORD_MAX - 1 - *used;

	if (n > room)
		n = room;
	memcpy(rec + *used, s, n);
	*used += n;
}

/*
 * log_postlogd_format()'s record, with the head (time stamp, host,
 * identity, pid) formatted once a second rather than for every record.
 */
static size_t
log_postlogd_record(struct log_postlogd *lp, char *rec, time_t when,
                    enum msg_level level, const char *text)
{
	const char *prefix = msg_level_prefix(level);
	size_t used = 0;

	if (lp->head_len == 0 || lp->head_when != when) {
		lp->head_len = log_postlogd_format(lp->head, sizeof(lp->head),
		                                   when, lp->host, lp->ident,
		                                   lp->pid, MSG_INFO, "");
		lp->head_when = when;
	}
	log_postlogd_put(rec, &used, lp->head, lp->head_len);
	log_postlogd_put(rec, &used, prefix, strlen(prefix));
	log_postlogd_put(rec, &used, text, strlen(text));
	rec[used] = 0;
	return used;
}

int
log_postlogd_send(struct log_postlogd *lp, enum msg_level level,
                  const char *text)
{
	char rec[LOG_POSTLOGD_RECORD_MAX];
	size_t len;
	int saved_errno = errno;
	int attempt, status = -1;

	len = log_postlogd_record(lp, rec, time(NULL), level, text);
	/* A broken socket (postlogd's socket re-created) gets one reconnect. */
	for (attempt = 0; attempt < 2; attempt++) {
		if (log_postlogd_connect(lp) < 0)
			break;
		status = log_postlogd_try(lp, rec, len, level);
		if (status != -2)
			break;
		log_postlogd_disconnect(lp);
	}
	errno = saved_errno;
	return status == 0 ? 0 : -1;
}

void
log_postlogd_set_pid(struct log_postlogd *lp, pid_t pid)
{
	lp->pid = pid;
	lp->head_len = 0;
}

void
log_postlogd_output(enum msg_level level, const char *text, void *context)
{
	(void)log_postlogd_send(context, level, text);
}

int
log_postlogd_prefix_ok(const char *file, const char *prefixes)
{
	char *copy = xstrdup(prefixes);
	char *cursor = copy;
	char *prefix;
	int ok = 0;

	while (!ok && (prefix = token_next(&cursor, TOKEN_SEP_LIST)) != NULL)
		ok = strncmp(file, prefix, strlen(prefix)) == 0;
	free(copy);
	return ok;
}
