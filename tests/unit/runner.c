/*
 * runner.c - main() for every Check program in tests/unit
 *
 * Built once into tests/unit/libunit.a; each program links it with one
 * check_<module>.c, whose RUNNER_SUITE() names the suite to run (see
 * runner.h). Exit status: 1 when a test failed; else 77 (SKIP)
 * when the suite lacked an outside program its tests compare with (see
 * runner.h); else 0.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "runner.h"

/* automake's code for a test that could not run. */
#define RUNNER_EXIT_SKIP 77

/* The first outside program a suite lacked, for the SKIP line. */
static const char *runner_missing_path;
static const char *runner_missing_package;

int
runner_have_program(const char *path, const char *package)
{
	if (path[0] != 0 && access(path, X_OK) == 0)
		return 1;
	if (runner_missing_path == NULL) {
		runner_missing_path = path[0] ? path : "(not found by configure)";
		runner_missing_package = package;
	}
	return 0;
}

int
main(void)
{
	SRunner *runner;
	int failed;

	/* A fatal or panic in a test should not also sleep a second. */
	msg_set_exit_delay(0);
	runner = srunner_create(runner_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	if (failed != 0)
		return EXIT_FAILURE;
	if (runner_missing_path != NULL) {
		printf("SKIP: %s is missing (Debian package %s): the tests that "
		       "compare with it did not run\n",
		    runner_missing_path, runner_missing_package);
		return RUNNER_EXIT_SKIP;
	}
	return EXIT_SUCCESS;
}
