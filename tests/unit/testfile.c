/*
 * testfile.c - read a test data file whole, for the Check suites
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "testfile.h"

char *
testfile_read(const char *dir, const char *name, size_t *len)
{
	char path[512];
	char *text;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	text = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return text;
}
