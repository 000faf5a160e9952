/*
 * runner.h - what a Check suite may tell the shared main() in runner.c
 *
 * runner.c is built once, into tests/unit/libunit.a, and every
 * check_<module> program links it. A check_<module>.c names the one suite
 * its program runs with RUNNER_SUITE(<module>_suite), written once after
 * that function; automake then reports per module, and a crash names its
 * module.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_RUNNER_H
#define TLSREUSE_TESTS_RUNNER_H

#include <check.h>

/* The suite this program runs; RUNNER_SUITE() defines it. */
Suite *runner_suite(void);

/* clang-format off */
#define RUNNER_SUITE(suite_fn) \
	Suite *runner_suite(void) { return suite_fn(); }
/* clang-format on */

/*
 * Called while a suite is built (in the parent, before any test forks):
 * 1 when the outside program at path can be run. Otherwise 0, and the
 * program's result becomes SKIP (exit 77) unless a test fails, so a
 * comparison that could not run never reports PASS. package names the
 * Debian package that provides the program.
 */
int runner_have_program(const char *path, const char *package);

#endif
