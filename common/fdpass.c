/*
 * fdpass.c - pass descriptors over UNIX-domain sockets (SCM_RIGHTS)
 *
 * The receive side is the only way tlsreuse reads an IPC socket: it
 * always offers a control buffer, large enough for a few descriptors and
 * a credentials message, so whatever the peer attaches is seen, and
 * anything other than exactly one descriptor is closed and reported. A
 * descriptor the kernel could not install (the table is full) leaves the
 * message truncated and empty; that is reported apart, since it is not
 * the peer's fault.
 * Linux ends a stream read right after the byte that carries descriptors,
 * so the descriptor belongs to the last byte returned.
 *
 * Errors: returned as -1 with errno; nothing here logs or exits, so peer
 * input cannot reach a fatal path.
 * See also: stream.c; doc/tlsproxy-protocol.md section 2.5 and
 * doc/scache-protocol.md section 2 (the two hand-overs).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "msg.h"

#include "fdpass.h"

/*
 * Descriptors one receive can see before the kernel truncates (and closes
 * the rest itself); any count but one is refused anyway.
 */
#define FDPASS_RECV_FDS 4

union fdpass_cbuf {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int) * FDPASS_RECV_FDS) +
	         CMSG_SPACE(sizeof(struct ucred))];
};

int
fdpass_send(int sock, int fd)
{
	union fdpass_cbuf cbuf;
	struct msghdr msg = {0};
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte = 0;
	ssize_t n;

	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

/* Closes every descriptor in an SCM_RIGHTS message. */
static void
fdpass_close_rights(struct cmsghdr *cmsg)
{
	size_t i, nfds;
	int fd;

	if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len < CMSG_LEN(0))
		return;
	nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	for (i = 0; i < nfds; i++) {
		memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
		(void)close(fd);
	}
}

/* fdpass_take()'s verdict on control data that is not one descriptor. */
#define FDPASS_BAD (-3)

/*
 * Returns the one descriptor the control data carries, -1 if none,
 * FDPASS_FD_LOST if the kernel could not install it, or FDPASS_BAD
 * (after closing everything received) if it is anything else.
 */
static int
fdpass_take(struct msghdr *msg)
{
	struct cmsghdr *cmsg, *first = CMSG_FIRSTHDR(msg);
	int fd;

	if (first == NULL && (msg->msg_flags & MSG_CTRUNC) == 0)
		return -1;
	/*
	 * Truncated with nothing delivered: our buffer has room for more
	 * than one descriptor and credentials are never asked for, so the
	 * kernel failed to install the first descriptor (a full table).
	 */
	if (first == NULL)
		return FDPASS_FD_LOST;
	if (first != NULL && CMSG_NXTHDR(msg, first) == NULL &&
	    (msg->msg_flags & MSG_CTRUNC) == 0 &&
	    first->cmsg_level == SOL_SOCKET && first->cmsg_type == SCM_RIGHTS &&
	    first->cmsg_len == CMSG_LEN(sizeof(int))) {
		memcpy(&fd, CMSG_DATA(first), sizeof(int));
		return fd;
	}
	for (cmsg = first; cmsg != NULL; cmsg = CMSG_NXTHDR(msg, cmsg))
		fdpass_close_rights(cmsg);
	return FDPASS_BAD;
}

ssize_t
fdpass_read(int sock, void *data, size_t len, int *fd_out)
{
	union fdpass_cbuf cbuf;
	struct msghdr msg = {0};
	struct iovec iov;
	ssize_t n;
	int fd;

	/* A zero-byte read would look like end of file. */
	if (fd_out == NULL || len == 0)
		msg_panic("%s: null fd_out or zero length", __func__);
	*fd_out = -1;
	iov.iov_base = data;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	fd = fdpass_take(&msg);
	if (fd == FDPASS_BAD) {
		errno = EBADMSG;
		return -1;
	}
	*fd_out = fd;
	return n;
}
