/*
 * testfile.h - read a test data file whole, for the Check suites
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_TESTFILE_H
#define TLSREUSE_TESTS_TESTFILE_H

#include <stddef.h>

/* The contents of dir/name plus a NUL (caller frees); sets *len if not
 * NULL. A file that cannot be read fails the test. */
char *testfile_read(const char *dir, const char *name, size_t *len);

#endif
