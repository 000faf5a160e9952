/*
 * check_fdpass.c - tests for common/fdpass.c
 *
 * Real socketpairs throughout; leaks are checked by counting the entries
 * of /proc/self/fd before and after.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fdpass.h"
#include "runner.h"

static int sv[2];

static void
setup_pair(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void
teardown_pair(void)
{
	close(sv[0]);
	close(sv[1]);
}

/* Number of open descriptors of this process. */
static int
open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1; /* the directory's own descriptor */
}

/* Asserts that a and b refer to the same open file. */
static void
assert_same_file(int a, int b)
{
	struct stat sa, sb;

	ck_assert_int_eq(fstat(a, &sa), 0);
	ck_assert_int_eq(fstat(b, &sb), 0);
	ck_assert_uint_eq(sa.st_dev, sb.st_dev);
	ck_assert_uint_eq(sa.st_ino, sb.st_ino);
}

/* Sends one byte with nfds descriptors in one SCM_RIGHTS message. */
static void
send_rights(int sock, const int *fds, size_t nfds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 16)];
	} cbuf;
	struct msghdr msg = {0};
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte = 0;

	ck_assert_uint_le(nfds, 16);
	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
	ck_assert_int_eq(sendmsg(sock, &msg, 0), 1);
}

START_TEST(test_fdpass_dummy_is_an_attribute_list)
{
	ck_assert_uint_eq(FDPASS_DUMMY_LEN, 8);
	ck_assert_mem_eq(FDPASS_DUMMY, "dummy\0\0\0", 8);
}
END_TEST

START_TEST(test_fdpass_sends_and_receives_the_same_file)
{
	int p[2], got = 0;
	char byte = 'x';

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fdpass_send(sv[0], p[0]), 0);
	ck_assert_int_eq(fdpass_read(sv[1], &byte, 1, &got), 1);
	ck_assert_int_eq(byte, 0);
	ck_assert_int_ge(got, 0);
	ck_assert_int_ne(got, p[0]);
	assert_same_file(got, p[0]);
	ck_assert_int_eq(fcntl(got, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	/* It works: a byte written to the pipe arrives on the passed end. */
	ck_assert_int_eq(write(p[1], "z", 1), 1);
	ck_assert_int_eq(read(got, &byte, 1), 1);
	ck_assert_int_eq(byte, 'z');
	close(got);
}
END_TEST

START_TEST(test_fdpass_data_before_the_fd_is_not_lost)
{
	char buf[64];
	int fd = -1;

	ck_assert_int_eq(write(sv[0],
	                       "status\0"
	                       "0\0\0",
	                       10),
	                 10);
	ck_assert_int_eq(fdpass_send(sv[0], sv[0]), 0);
	ck_assert_int_eq(write(sv[0], "after", 5), 5);
	/* The bytes before the carrier and the carrier come in one read. */
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), 11);
	ck_assert_mem_eq(buf,
	                 "status\0"
	                 "0\0\0\0",
	                 11);
	ck_assert_int_ge(fd, 0);
	assert_same_file(fd, sv[0]);
	close(fd);
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), 5);
	ck_assert_mem_eq(buf, "after", 5);
	ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(test_fdpass_plain_data_has_no_fd)
{
	char buf[8];
	int fd = 123;

	ck_assert_int_eq(write(sv[0], "abc", 3), 3);
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), 3);
	ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(test_fdpass_rejects_credentials_and_closes_the_fd)
{
	int on = 1, before, fd = 0;
	char buf[8];

	/* With SO_PASSCRED every message also carries SCM_CREDENTIALS. */
	ck_assert_int_eq(
	    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
	before = open_fds();
	ck_assert_int_eq(fdpass_send(sv[0], sv[0]), 0);
	errno = 0;
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(fd, -1);
	ck_assert_int_eq(open_fds(), before);
}
END_TEST

START_TEST(test_fdpass_rejects_two_fds_and_closes_both)
{
	int fds[2] = {sv[0], sv[0]}, before, fd = 0;
	char buf[8];

	before = open_fds();
	send_rights(sv[0], fds, 2);
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(fd, -1);
	ck_assert_int_eq(open_fds(), before);
}
END_TEST

START_TEST(test_fdpass_rejects_truncated_rights_without_leaks)
{
	int fds[16], i, before, fd = 0;
	char buf[8];

	for (i = 0; i < 16; i++)
		fds[i] = sv[0];
	before = open_fds();
	send_rights(sv[0], fds, 16);
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(open_fds(), before);
}
END_TEST

/* Fills the descriptor table with copies of fd; returns how many. */
static int
fill_table(int fd, int *copies, int max)
{
	struct rlimit rl;
	int n = 0, c;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = 64;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while ((c = dup(fd)) >= 0) {
		ck_assert_int_lt(n, max);
		copies[n++] = c;
	}
	ck_assert_int_eq(errno, EMFILE);
	return n;
}

START_TEST(test_fdpass_full_table_reports_the_descriptor_lost)
{
	int copies[64], n, p[2], got = 0;
	char byte = 'x';

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fdpass_send(sv[0], p[0]), 0);
	n = fill_table(p[1], copies, 64);
	/* The byte arrives; the descriptor could not be installed. */
	ck_assert_int_eq(fdpass_read(sv[1], &byte, 1, &got), 1);
	ck_assert_int_eq(byte, 0);
	ck_assert_int_eq(got, FDPASS_FD_LOST);
	/* With one slot free the next one is received again. */
	close(copies[--n]);
	ck_assert_int_eq(fdpass_send(sv[0], p[0]), 0);
	ck_assert_int_eq(fdpass_read(sv[1], &byte, 1, &got), 1);
	ck_assert_int_ge(got, 0);
	assert_same_file(got, p[0]);
}
END_TEST

START_TEST(test_fdpass_reports_peer_close_as_eof)
{
	char buf[8];
	int fd = 0;

	close(sv[0]);
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), 0);
	ck_assert_int_eq(fd, -1);
	sv[0] = -1;
}
END_TEST

START_TEST(test_fdpass_nonblocking_read_says_eagain)
{
	char buf[8];
	int fd = 0;

	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(fdpass_read(sv[1], buf, sizeof(buf), &fd), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(test_fdpass_nonblocking_send_says_eagain_when_full)
{
	char chunk[4096];
	int size = 4096;

	memset(chunk, 'x', sizeof(chunk));
	ck_assert_int_eq(
	    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	while (write(sv[0], chunk, sizeof(chunk)) > 0)
		continue;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fdpass_send(sv[0], sv[0]), -1);
	ck_assert_int_eq(errno, EAGAIN);
}
END_TEST

START_TEST(test_fdpass_send_to_closed_peer_fails_without_sigpipe)
{
	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(fdpass_send(sv[0], sv[0]), -1);
	ck_assert_int_eq(errno, EPIPE);
}
END_TEST

START_TEST(test_fdpass_read_without_fd_out_panics)
{
	char buf[1];

	(void)fdpass_read(sv[1], buf, sizeof(buf), NULL);
}
END_TEST

START_TEST(test_fdpass_read_of_zero_bytes_panics)
{
	char buf[1];
	int fd;

	(void)fdpass_read(sv[1], buf, 0, &fd);
}
END_TEST

Suite *fdpass_suite(void);

Suite *
fdpass_suite(void)
{
	Suite *s = suite_create("fdpass");
	TCase *tc;

	tc = tcase_create("pass");
	tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_fdpass_dummy_is_an_attribute_list);
	tcase_add_test(tc, test_fdpass_sends_and_receives_the_same_file);
	tcase_add_test(tc, test_fdpass_data_before_the_fd_is_not_lost);
	tcase_add_test(tc, test_fdpass_plain_data_has_no_fd);
	tcase_add_test(tc, test_fdpass_full_table_reports_the_descriptor_lost);
	tcase_add_test(tc, test_fdpass_reports_peer_close_as_eof);
	tcase_add_test(tc, test_fdpass_nonblocking_read_says_eagain);
	tcase_add_test(tc, test_fdpass_nonblocking_send_says_eagain_when_full);
	tcase_add_test(tc,
	               test_fdpass_send_to_closed_peer_fails_without_sigpipe);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_fdpass_rejects_credentials_and_closes_the_fd);
	tcase_add_test(tc, test_fdpass_rejects_two_fds_and_closes_both);
	tcase_add_test(tc, test_fdpass_rejects_truncated_rights_without_leaks);
	tcase_add_test_raise_signal(tc, test_fdpass_read_without_fd_out_panics,
	                            SIGABRT);
	tcase_add_test_raise_signal(tc, test_fdpass_read_of_zero_bytes_panics,
	                            SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(fdpass_suite)
