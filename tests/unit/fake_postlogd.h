/*
 * fake_postlogd.h - a datagram socket in a temporary directory that stands
 * in for postlogd(8), for tests of the postlog client
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_FAKE_POSTLOGD_H
#define TLSREUSE_TESTS_FAKE_POSTLOGD_H

#include <sys/types.h>

/* Path of the socket (fixed for the process once the first bind ran). */
const char *fake_postlogd_path(void);

/* (Re)creates and binds the socket at the path; returns its descriptor. */
int fake_postlogd_bind(void);

/* The same at another path (the caller removes it). */
int fake_postlogd_bind_at(const char *path);

/* Removes the socket file and its directory. */
void fake_postlogd_remove(void);

/* Receives one record without waiting into out (NUL-terminated). */
ssize_t fake_postlogd_recv(int fd, char *out, size_t outlen);

/* Asserts "Mmm dd HH:MM:SS " followed by exactly want. */
void fake_postlogd_assert(const char *rec, const char *want);

#endif
