/*
 * fdpass.h - pass descriptors over UNIX-domain sockets (SCM_RIGHTS)
 *
 * Postfix hands a descriptor over as one NUL data byte carrying one
 * SCM_RIGHTS control message, and brackets the hand-over with "dummy"
 * attribute lists (FDPASS_DUMMY). On Linux a plain read() that consumes
 * the carrier byte silently drops the descriptor, so every read of an IPC
 * socket must go through fdpass_read(), which always supplies a control
 * buffer (doc/scache-protocol.md section 2).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_FDPASS_H
#define TLSREUSE_COMMON_FDPASS_H

#include <sys/types.h>

/* The attribute list "dummy" = "" (name, value, terminator). */
#define FDPASS_DUMMY "dummy\0\0\0"
#define FDPASS_DUMMY_LEN (sizeof(FDPASS_DUMMY) - 1)

/*
 * Sends fd over sock as one NUL byte with one SCM_RIGHTS message. The
 * caller keeps its copy of fd. Retries on EINTR; never raises SIGPIPE.
 * Returns 0, or -1 with errno (EAGAIN: a nonblocking sock is full; try
 * again when writable).
 */
int fdpass_send(int sock, int fd);

/* *fd_out of fdpass_read() when a descriptor came but could not be kept. */
#define FDPASS_FD_LOST (-2)

/*
 * Reads up to len bytes from sock with recvmsg(), so a descriptor that
 * rides along is never lost unnoticed. Sets *fd_out to the received
 * descriptor (close-on-exec, now owned by the caller), to -1 if none
 * came, or to FDPASS_FD_LOST if the peer sent one that the kernel could
 * not install because this process's descriptor table is full (EMFILE:
 * it is gone; the bytes are returned as usual). Retries on EINTR.
 * Returns the byte count (> 0), 0 at end of file, or -1 with errno:
 * EAGAIN for a nonblocking sock with nothing to read, EBADMSG when the
 * control data is not exactly one SOL_SOCKET/SCM_RIGHTS descriptor (every
 * descriptor that came with it is closed and the bytes are discarded),
 * or the recvmsg() error. A NULL fd_out or a zero len panics.
 */
ssize_t fdpass_read(int sock, void *data, size_t len, int *fd_out);

#endif
