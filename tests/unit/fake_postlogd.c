/*
 * fake_postlogd.c - a datagram socket that stands in for postlogd(8)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fake_postlogd.h"

static char fake_dir[64];
static char fake_path[128];

const char *
fake_postlogd_path(void)
{
	if (fake_dir[0] == 0) {
		snprintf(fake_dir, sizeof(fake_dir), "/tmp/ck_postlogd.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(fake_dir));
		snprintf(fake_path, sizeof(fake_path), "%s/postlog", fake_dir);
	}
	return fake_path;
}

int
fake_postlogd_bind(void)
{
	return fake_postlogd_bind_at(fake_postlogd_path());
}

int
fake_postlogd_bind_at(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(sun.sun_path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

void
fake_postlogd_remove(void)
{
	if (fake_dir[0] != 0) {
		unlink(fake_path);
		rmdir(fake_dir);
	}
}

ssize_t
fake_postlogd_recv(int fd, char *out, size_t outlen)
{
	ssize_t n = recv(fd, out, outlen - 1, MSG_DONTWAIT);

	out[n > 0 ? n : 0] = 0;
	return n;
}

void
fake_postlogd_assert(const char *rec, const char *want)
{
	ck_assert_msg(strlen(rec) > 16 && rec[3] == ' ' && rec[6] == ' ' &&
	                  rec[9] == ':' && rec[12] == ':' && rec[15] == ' ',
	              "bad time stamp in '%s'", rec);
	ck_assert_str_eq(rec + 16, want);
}
