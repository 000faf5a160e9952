/*
 * check_tr_policy.c - tests for tlsreuse/tr_policy.c
 *
 * The map types that can be listed, in the syntax Postfix accepts, and
 * the ones that cannot; table files are written to a scratch directory.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "tr_policy.h"
#include "runner.h"

static char dir[] = "/tmp/check_tr_policy.XXXXXX";

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path);
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes dir/name; returns its path (static buffer). */
static const char *
put_file(const char *name, const char *text, time_t mtime)
{
	static char path[512];
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	if (mtime)
		utimensat(AT_FDCWD, path, ts, 0);
	return path;
}

static const struct {
	const char *value;
	int want;
} reuse_values[] = {
	{"encrypt connection_reuse=yes", 1},
	{"secure match=mx connection_reuse=no", 0},
	{"may CONNECTION_REUSE=Yes", 1},
	{"may", -1},
	{"may connection_reuse=maybe", -1},
	{"may xconnection_reuse=yes", -1},
	{"", -1},
};

START_TEST(test_tr_policy_reuse_attribute)
{
	ck_assert_int_eq(tr_policy_reuse(reuse_values[_i].value),
	    reuse_values[_i].want);
}
END_TEST

START_TEST(test_tr_policy_table_text)
{
	static const char text[] =
	    "# comment\n"
	    "a.example   encrypt connection_reuse=yes\n"
	    "\n"
	    "b.example   may\n"
	    "[c]:587     secure\n"
	    "   # an indented comment inside\n"
	    "    match=mx connection_reuse=no\n"
	    "d.example\tdane connection_reuse=yes";
	struct tr_policy_map map = {0};

	tr_policy_add_table(&map, text, sizeof(text) - 1);
	ck_assert_uint_eq(map.count, 3);
	ck_assert_str_eq(map.entry[0].key, "a.example");
	ck_assert_str_eq(map.entry[0].value, "encrypt connection_reuse=yes");
	ck_assert_int_eq(map.entry[0].reuse, 1);
	ck_assert_str_eq(map.entry[1].key, "[c]:587");
	ck_assert_str_eq(map.entry[1].value,
	    "secure match=mx connection_reuse=no");
	ck_assert_int_eq(map.entry[1].reuse, 0);
	ck_assert_str_eq(map.entry[2].key, "d.example");
	ck_assert_int_eq(map.entry[2].reuse, 1);
	free(map.entry[0].key);
	free(map.entry[0].value);
	free(map.entry[1].key);
	free(map.entry[1].value);
	free(map.entry[2].key);
	free(map.entry[2].value);
	free(map.entry);
}
END_TEST

START_TEST(test_tr_policy_inline_and_static)
{
	struct tr_policy p;

	tr_policy_read(&p, "inline:{ {[a]:25 = encrypt connection_reuse=yes},"
	    " b=may, c=encrypt } , static:{ secure connection_reuse=yes }");
	ck_assert_uint_eq(p.count, 2);
	ck_assert_str_eq(p.map[0].listed, "inline");
	ck_assert_uint_eq(p.map[0].count, 1);
	ck_assert_str_eq(p.map[0].entry[0].key, "[a]:25");
	ck_assert_str_eq(p.map[0].entry[0].value,
	    "encrypt connection_reuse=yes");
	ck_assert_str_eq(p.map[1].spec,
	    "static:{ secure connection_reuse=yes }");
	ck_assert_uint_eq(p.map[1].count, 1);
	ck_assert_str_eq(p.map[1].entry[0].key, "*");
	ck_assert_str_eq(p.map[1].entry[0].value,
	    "secure connection_reuse=yes");
	tr_policy_free(&p);
}
END_TEST

START_TEST(test_tr_policy_files)
{
	struct tr_policy p;
	struct buf maps;
	const char *tls = "x.example encrypt connection_reuse=yes\n";

	put_file("texthash_policy", tls, 0);
	put_file("hash_policy", tls, 2000000000);
	put_file("hash_policy.db", "", 1900000000);
	put_file("lmdb_policy", tls, 0);
	buf_init(&maps);
	buf_printf(&maps, "texthash:%s/texthash_policy, proxy:hash:%s/"
	    "hash_policy lmdb:%s/lmdb_policy hash:%s/absent "
	    "pcre:%s/policy.pcre", dir, dir, dir, dir, dir);
	tr_policy_read(&p, buf_str(&maps));
	ck_assert_uint_eq(p.count, 5);
	/* texthash: its own text. */
	ck_assert_uint_eq(p.map[0].count, 1);
	ck_assert_ptr_null(p.map[0].note);
	/* hash: the source file, newer than the .db. */
	ck_assert_uint_eq(p.map[1].count, 1);
	ck_assert_ptr_nonnull(strstr(p.map[1].note, "run postmap"));
	/* lmdb: the source file, no .lmdb to compare with. */
	ck_assert_uint_eq(p.map[2].count, 1);
	ck_assert_ptr_null(p.map[2].note);
	/* No source file, and a type that cannot be listed. */
	ck_assert_ptr_null(p.map[3].listed);
	ck_assert_ptr_nonnull(strstr(p.map[3].note, "no source file"));
	ck_assert_ptr_null(p.map[4].listed);
	ck_assert_str_eq(p.map[4].note,
	    "pcre: maps of this type cannot be listed");
	tr_policy_free(&p);
	buf_free(&maps);
}
END_TEST

START_TEST(test_tr_policy_keeps_a_bounded_number)
{
	struct tr_policy_map map = {0};
	struct buf text;
	size_t i;

	buf_init(&text);
	for (i = 0; i < TR_POLICY_ENTRIES_MAX + 2; i++)
		buf_printf(&text, "d%zu encrypt connection_reuse=yes\n"
		    "x%zu may\n", i, i);
	tr_policy_add_table(&map, text.data, text.len);
	ck_assert_uint_eq(map.count, TR_POLICY_ENTRIES_MAX);
	ck_assert_uint_eq(map.more, 2);
	for (i = 0; i < map.count; i++) {
		free(map.entry[i].key);
		free(map.entry[i].value);
	}
	free(map.entry);
	buf_free(&text);
}
END_TEST

Suite *tr_policy_suite(void);

Suite *
tr_policy_suite(void)
{
	Suite *s = suite_create("tr_policy");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_tr_policy_reuse_attribute, 0,
	    sizeof(reuse_values) / sizeof(reuse_values[0]));
	tcase_add_test(tc, test_tr_policy_table_text);
	tcase_add_test(tc, test_tr_policy_inline_and_static);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tr_policy_files);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_tr_policy_keeps_a_bounded_number);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tr_policy_suite)
