/*
 * runner.c - main() for every Check program in tests/unit
 *
 * Each program links one check_<module>.c and is compiled with
 * -DSUITE_FN=<module>_suite, so automake reports per module and a crash
 * names its module. Exit status: 0 when every test passed.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdlib.h>

#include "msg.h"

#ifndef SUITE_FN
#error "compile with -DSUITE_FN=<module>_suite"
#endif

Suite *SUITE_FN(void);

int
main(void)
{
	SRunner *runner;
	int failed;

	/* A fatal or panic in a test should not also sleep a second. */
	msg_set_exit_delay(0);
	runner = srunner_create(SUITE_FN());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
