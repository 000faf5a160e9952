/*
 * bench_ipc.h - blocking IPC helpers shared by the benchmark clients
 *
 * The bench clients talk to a daemon under master(8) the way smtp(8)
 * does: blocking UNIX-domain sockets, one attribute list at a time. Every
 * failure here is fatal: a benchmark that lost its peer has no figure.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_BENCH_IPC_H
#define TLSREUSE_TESTS_BENCH_IPC_H
#include <stddef.h>

#include "attr_dec.h"
#include "buf.h"

/* Seconds any one read or write on a daemon socket may block. */
#define IPC_TIMEOUT_SECS 60

/*
 * Connects to a UNIX-domain stream socket with IPC_TIMEOUT_SECS on reads
 * and writes; fatal on failure.
 */
int ipc_connect_unix(const char *path);

/* Connects to 127.0.0.1:port over TCP; fatal on failure. */
int ipc_connect_tcp(unsigned port);

/* Writes all of out to fd, then empties out; fatal on failure. */
void ipc_send(int fd, struct buf *out);

/*
 * Reads exactly one attribute list from fd into dec (reset first). The
 * peer must send nothing behind it: fatal on trailing bytes, EOF or a
 * malformed list. Returns the list (owned by dec).
 */
const struct attr_list *ipc_read_list(int fd, struct attr_dec *dec,
    const char *what);

/* The value of name in list; fatal if it is missing. */
const char *ipc_value(const struct attr_list *list, const char *name);

/* strerror(), but "timed out" for the EAGAIN of an expired timeout. */
const char *ipc_strerror(int err);

/* Microseconds of CLOCK_MONOTONIC. */
long long ipc_now_us(void);

#endif
