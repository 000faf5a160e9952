/*
 * bench_ipc.c - blocking IPC helpers shared by the benchmark clients
 *
 * See bench_ipc.h. Reads go through fdpass_read() so that a descriptor
 * riding on a byte is never silently dropped.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bench_ipc.h"
#include "fdpass.h"
#include "msg.h"

/* Bounds every read and write, so a stalled peer fails the benchmark. */
static void ipc_set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = IPC_TIMEOUT_SECS, .tv_usec = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		msg_fatal("setsockopt: %m");
}

const char *ipc_strerror(int err)
{
	return err == EAGAIN ? "timed out" : strerror(err);
}

int ipc_connect_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		msg_fatal("socket path too long: %s", path);
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		msg_fatal("connect %s: %m", path);
	ipc_set_timeouts(fd);
	return fd;
}

int ipc_connect_tcp(unsigned port)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		msg_fatal("connect 127.0.0.1:%u: %m", port);
	return fd;
}

void ipc_send(int fd, struct buf *out)
{
	size_t done = 0;
	ssize_t n;

	while (done < out->len) {
		n = send(fd, out->data + done, out->len - done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			msg_fatal("write to daemon: %s", ipc_strerror(errno));
		done += (size_t)n;
	}
	buf_reset(out);
}

const struct attr_list *ipc_read_list(int fd, struct attr_dec *dec,
    const char *what)
{
	char data[4096];
	enum attr_dec_status status = ATTR_DEC_NEED_MORE;
	size_t used;
	ssize_t n;
	int passed;

	attr_dec_reset(dec);
	while (status == ATTR_DEC_NEED_MORE) {
		if ((n = fdpass_read(fd, data, sizeof(data), &passed)) <= 0)
			msg_fatal("%s: %s", what, n == 0 ? "EOF" : ipc_strerror(errno));
		if (passed >= 0)
			msg_fatal("%s: unexpected descriptor", what);
		status = attr_dec_feed(dec, data, (size_t)n, &used);
		if (status == ATTR_DEC_BAD)
			msg_fatal("%s: %s", what, attr_dec_reason(dec));
		if (status == ATTR_DEC_OK && used != (size_t)n)
			msg_fatal("%s: %zu bytes after the list", what,
			    (size_t)n - used);
	}
	return attr_dec_list(dec);
}

const char *ipc_value(const struct attr_list *list, const char *name)
{
	const struct attr_pair *pair = attr_list_get(list, name);

	if (pair == NULL)
		msg_fatal("reply lacks attribute %s", name);
	return pair->value;
}

long long ipc_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
