/*
 * runner.h - what a Check suite may tell the shared main() in runner.c
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_RUNNER_H
#define TLSREUSE_TESTS_RUNNER_H

/*
 * Called while a suite is built (in the parent, before any test forks):
 * 1 when the outside program at path can be run. Otherwise 0, and the
 * program's result becomes SKIP (exit 77) unless a test fails, so a
 * comparison that could not run never reports PASS. package names the
 * Debian package that provides the program.
 */
int runner_have_program(const char *path, const char *package);

#endif
