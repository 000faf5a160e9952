/*
 * check_tlsp_sni_map.c - tls_server_sni_maps reading and lookups
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "runner.h"
#include "server_role/tlsp_sni_map.h"

Suite *tlsp_sni_map_suite(void);

static char dir[] = "/tmp/check_sni_map.XXXXXX";
static char path_a[64];
static char path_b[64];
static char path_c[64];
static char path_t[64];

static void
write_file(char *path, const char *name, const char *text)
{
	FILE *fp;

	snprintf(path, 64, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
setup(void)
{
	strcpy(dir, "/tmp/check_sni_map.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file(path_a, "a.pem", "AAA\n");
	write_file(path_b, "b.pem", "BBB\n");
	write_file(path_c, "c.pem", "CCC\n");
	capture_start();
}

static void
teardown(void)
{
	unlink(path_a);
	unlink(path_b);
	unlink(path_c);
	unlink(path_t);
	rmdir(dir);
}

/* The map text found for sni, "" for none, "ERR" on a map error. */
static const char *
find(const struct tlsp_sni_map *map, const char *sni)
{
	int error;
	const char *pem = tlsp_sni_map_find(map, sni, &error);

	if (error)
		return "ERR";
	return pem ? pem : "";
}

START_TEST(inline_map_joins_files_and_folds_case)
{
	char spec[512];
	struct tlsp_sni_map *map;

	snprintf(spec, sizeof(spec),
	         "inline:{ Mx.Example.COM=%s, "
	         "{ .example.net = %s %s } }",
	         path_a, path_b, path_c);
	ck_assert_ptr_nonnull(map = tlsp_sni_map_open(spec));
	ck_assert_str_eq(find(map, "mx.example.com"), "AAA\n");
	ck_assert_str_eq(find(map, "MX.EXAMPLE.com"), "AAA\n");
	ck_assert_str_eq(find(map, "a.b.example.net"), "BBB\nCCC\n");
	ck_assert_str_eq(find(map, "example.net"), "");
	ck_assert_str_eq(find(map, "mx.example.org"), "");
	ck_assert_str_eq(capture_text(), "");
	tlsp_sni_map_free(map);
}
END_TEST

START_TEST(full_name_wins_over_parent_domain)
{
	char spec[512];
	struct tlsp_sni_map *map;

	snprintf(spec, sizeof(spec),
	         "inline:{.example.com=%s} "
	         "inline:{mx.example.com=%s}",
	         path_a, path_b);
	ck_assert_ptr_nonnull(map = tlsp_sni_map_open(spec));
	ck_assert_str_eq(find(map, "mx.example.com"), "BBB\n");
	ck_assert_str_eq(find(map, "smtp.example.com"), "AAA\n");
	tlsp_sni_map_free(map);
}
END_TEST

START_TEST(texthash_map_reads_lines_comments_continuations)
{
	char text[512];
	struct tlsp_sni_map *map;

	snprintf(
	    text, sizeof(text),
	    "# comment\n\nmx.example.com %s\n"
	    "other.example.com %s\n  %s\nbroken\nmissing.example /no/such\n",
	    path_a, path_b, path_c);
	write_file(path_t, "sni", text);
	snprintf(text, sizeof(text), "texthash:%s", path_t);
	ck_assert_ptr_nonnull(map = tlsp_sni_map_open(text));
	ck_assert_str_eq(find(map, "mx.example.com"), "AAA\n");
	ck_assert_str_eq(find(map, "other.example.com"), "BBB\nCCC\n");
	ck_assert_str_eq(find(map, "missing.example"), "");
	ck_assert_int_eq(capture_count("line 6: expected format: key "
	                               "whitespace value"),
	                 1);
	ck_assert_int_eq(capture_count("line 7: open /no/such: No such file "
	                               "or directory: skipping this entry"),
	                 1);
	tlsp_sni_map_free(map);
}
END_TEST

START_TEST(static_map_answers_every_name)
{
	char spec[256];
	struct tlsp_sni_map *map;

	snprintf(spec, sizeof(spec), "static:{%s, %s}", path_a, path_c);
	ck_assert_ptr_nonnull(map = tlsp_sni_map_open(spec));
	ck_assert_str_eq(find(map, "anything.example"), "AAA\nCCC\n");
	tlsp_sni_map_free(map);
}
END_TEST

START_TEST(broken_map_fails_lookups_as_stock)
{
	struct tlsp_sni_map *map;

	ck_assert_ptr_nonnull(
	    map = tlsp_sni_map_open("inline:{a.example=/no/such.pem}"));
	ck_assert_int_eq(
	    capture_count(
	        "error: open /no/such.pem: No such file "
	        "or directory: \"inline:{a.example=/no/such.pem}\"; need "
	        "\"inline:{name=filename...}\""),
	    1);
	ck_assert_str_eq(find(map, "a.example"), "ERR");
	ck_assert_int_eq(
	    capture_count("warning: inline:{a.example=/no/such.pem}"
	                  " is unavailable. open /no/such.pem"),
	    1);
	tlsp_sni_map_free(map);
}
END_TEST

START_TEST(unsupported_map_type_disables_sni_with_one_warning)
{
	char spec[256];

	snprintf(spec, sizeof(spec),
	         "inline:{a.example=%s}, hash:/etc/sni "
	         "lmdb:/etc/sni2",
	         path_a);
	ck_assert_ptr_null(tlsp_sni_map_open(spec));
	ck_assert_str_eq(
	    capture_text(),
	    "warning: tls_server_sni_maps: map "
	    "type \"hash\" is not supported by this tlsproxy (only inline, "
	    "texthash and static); SNI support is disabled\n");
}
END_TEST

START_TEST(empty_spec_is_no_map)
{
	ck_assert_ptr_null(tlsp_sni_map_open(""));
	ck_assert_ptr_null(tlsp_sni_map_open(" , "));
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(hostname_syntax_as_postfix)
{
	char name[300];
	int i;

	ck_assert_int_eq(tlsp_sni_valid_hostname("mx.example.com"), 1);
	ck_assert_int_eq(tlsp_sni_valid_hostname("a_b.x-y.example"), 1);
	ck_assert_int_eq(tlsp_sni_valid_hostname("1.2.3.4"), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("1.2.3.x4"), 1);
	ck_assert_int_eq(tlsp_sni_valid_hostname(""), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("a..b"), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname(".a"), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("a.b."), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("-a.b"), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("a-.b"), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("a b"), 0);
	ck_assert_int_eq(tlsp_sni_valid_hostname("a\xc3\xa9.b"), 0);
	/* labels: 63 bytes ok, 64 not */
	memset(name, 'a', 63);
	name[63] = 0;
	ck_assert_int_eq(tlsp_sni_valid_hostname(name), 1);
	memset(name, 'a', 64);
	name[64] = 0;
	ck_assert_int_eq(tlsp_sni_valid_hostname(name), 0);
	/* whole name: 255 bytes ok, 256 not (labels of 9) */
	for (i = 0; i < 256; i++)
		name[i] = i % 10 == 9 ? '.' : 'a';
	name[255] = 0;
	ck_assert_int_eq(tlsp_sni_valid_hostname(name), 1);
	name[255] = 'a';
	name[256] = 0;
	ck_assert_int_eq(tlsp_sni_valid_hostname(name), 0);
}
END_TEST

/* texthash file text, then its map. */
static struct tlsp_sni_map *
thash(const char *text)
{
	char spec[128];

	write_file(path_t, "sni", text);
	snprintf(spec, sizeof(spec), "texthash:%s", path_t);
	return tlsp_sni_map_open(spec);
}

START_TEST(texthash_line_limit_at_and_one_past)
{
	struct buf text;
	struct tlsp_sni_map *map;
	char key[TLSP_SNI_MAP_LINE_MAX + 2];
	size_t klen = TLSP_SNI_MAP_LINE_MAX - 1 - strlen(path_a);

	/* A logical line of exactly the limit, split over two lines. */
	memset(key, 'k', klen);
	key[klen] = 0;
	buf_init(&text);
	buf_printf(&text, "%s\n  %s\nlong%s %s\nnext %s\n", key, path_a, key,
	           path_a, path_b);
	map = thash(buf_str(&text));
	ck_assert_str_eq(find(map, key), "AAA\n");
	ck_assert_int_eq(capture_count("line 3: line longer than 4096 bytes: "
	                               "skipping this entry"),
	                 1);
	ck_assert_str_eq(find(map, "next"), "BBB\n");
	tlsp_sni_map_free(map);
	/* One physical line one byte past the limit. */
	capture_start();
	buf_reset(&text);
	buf_printf(&text, "x%s %s\nnext %s\n", key, path_a, path_b);
	map = thash(buf_str(&text));
	ck_assert_int_eq(capture_count("line 1: line longer than 4096 bytes"),
	                 1);
	ck_assert_str_eq(find(map, "next"), "BBB\n");
	tlsp_sni_map_free(map);
	buf_free(&text);
}
END_TEST

START_TEST(entry_limit_at_and_one_past)
{
	struct buf text;
	struct tlsp_sni_map *map;
	int i;

	buf_init(&text);
	for (i = 1; i <= TLSP_SNI_MAP_ENTRIES_MAX + 1; i++)
		buf_printf(&text, "h%d.example %s\n", i, path_a);
	map = thash(buf_str(&text));
	ck_assert_str_eq(find(map, "h10000.example"), "AAA\n");
	ck_assert_str_eq(find(map, "h10001.example"), "");
	ck_assert_int_eq(capture_count("line 10001: more than 10000 entries: "
	                               "skipping this entry"),
	                 1);
	tlsp_sni_map_free(map);
	buf_free(&text);
}
END_TEST

START_TEST(value_size_limit_at_and_one_past)
{
	char *big = malloc(TLSP_SNI_MAP_PEM_MAX + 2);
	char spec[256];
	struct tlsp_sni_map *map;

	memset(big, 'P', TLSP_SNI_MAP_PEM_MAX);
	big[TLSP_SNI_MAP_PEM_MAX] = 0;
	write_file(path_t, "big", big);
	snprintf(spec, sizeof(spec), "static:%s", path_t);
	map = tlsp_sni_map_open(spec);
	ck_assert_uint_eq(strlen(find(map, "any")), TLSP_SNI_MAP_PEM_MAX);
	tlsp_sni_map_free(map);
	snprintf(spec, sizeof(spec), "static:{%s %s}", path_t, path_a);
	map = tlsp_sni_map_open(spec);
	ck_assert_str_eq(find(map, "any"), "ERR");
	ck_assert_int_eq(capture_count("file too large: "), 2);
	tlsp_sni_map_free(map);
	free(big);
}
END_TEST

Suite *
tlsp_sni_map_suite(void)
{
	Suite *s = suite_create("tlsp_sni_map");
	TCase *tc = tcase_create("sni_map");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, inline_map_joins_files_and_folds_case);
	tcase_add_test(tc, full_name_wins_over_parent_domain);
	tcase_add_test(tc, texthash_map_reads_lines_comments_continuations);
	tcase_add_test(tc, static_map_answers_every_name);
	tcase_add_test(tc, broken_map_fails_lookups_as_stock);
	tcase_add_test(tc, unsupported_map_type_disables_sni_with_one_warning);
	tcase_add_test(tc, empty_spec_is_no_map);
	tcase_add_test(tc, hostname_syntax_as_postfix);
	tcase_add_test(tc, texthash_line_limit_at_and_one_past);
	tcase_add_test(tc, entry_limit_at_and_one_past);
	tcase_add_test(tc, value_size_limit_at_and_one_past);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_sni_map_suite)
