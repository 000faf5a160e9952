/*
 * check_server_accept.c - tests for common/server_accept.c
 *
 * A listening UNIX socket in this process, the real event loop and an
 * injected clock. Descriptor exhaustion is real: the soft RLIMIT_NOFILE
 * is lowered and the table filled with copies of /dev/null (Check's fork
 * mode keeps that inside the test); the test's client sockets are made
 * before the table fills.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "capture.h"
#include "event.h"
#include "runner.h"
#include "server_accept.h"

#define CLIENTS 4
#define FILL_MAX 512

static uint64_t fake_now;
static struct server_accept sa;
static struct sockaddr_un addr = {.sun_family = AF_UNIX};
static int listen_fd;
static int accepted[CLIENTS * 2], n_accepted;
static int shortage_calls, shortage_frees;
static int pauses, resumes;
static int fill[FILL_MAX], n_fill;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static void
on_client(int fd, void *ctx)
{
	ck_assert_int_lt(n_accepted, CLIENTS * 2);
	accepted[n_accepted++] = fd;
}

/* Frees one of the filler descriptors while shortage_frees > 0. */
static int
on_shortage(void *ctx)
{
	shortage_calls++;
	if (shortage_frees == 0 || n_fill == 0)
		return 0;
	shortage_frees--;
	close(fill[--n_fill]);
	return 1;
}

static void
on_pause(int paused, void *ctx)
{
	if (paused)
		pauses++;
	else
		resumes++;
}

static void
setup(void)
{
	fake_now = 1000;
	event_clock_set(fake_clock);
	capture_start();
	n_accepted = shortage_calls = shortage_frees = pauses = resumes = 0;
	n_fill = 0;
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	/* An abstract name: nothing to clean up. */
	snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1,
	         "ck_server_accept.%ld", (long)getpid());
	ck_assert_int_eq(
	    bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(listen_fd, 16), 0);
	server_accept_start(&sa, listen_fd, 1, on_client, on_shortage, on_pause,
	                    NULL);
}

static void
teardown(void)
{
	server_accept_stop(&sa);
	close(listen_fd);
}

static void
spin(void)
{
	int i;

	for (i = 0; i < 3; i++)
		event_loop(0);
}

static void
advance(uint64_t ms)
{
	fake_now += ms;
	spin();
}

/* A client socket, made now, connected later. */
static int
client_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static void
client_connect(int fd)
{
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)),
	                 0);
}

/* Lowers the descriptor limit and takes every free slot. */
static void
fill_table(void)
{
	struct rlimit rl;
	int fd;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = 256;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		ck_assert_int_lt(n_fill, FILL_MAX);
		fill[n_fill++] = fd;
	}
	ck_assert_int_eq(errno, EMFILE);
}

START_TEST(test_server_accept_moves_client_fd_up)
{
	int c = client_socket(), flags;

	client_connect(c);
	spin();
	ck_assert_int_eq(n_accepted, 1);
	ck_assert_int_ge(accepted[0], SERVER_CLIENT_FD_MIN);
	flags = fcntl(accepted[0], F_GETFL);
	ck_assert_int_ne(flags & O_NONBLOCK, 0);
	ck_assert_int_eq(fcntl(accepted[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(test_server_accept_full_table_pauses_and_warns_once)
{
	int c[CLIENTS], i;

	for (i = 0; i < CLIENTS; i++)
		c[i] = client_socket();
	fill_table();
	client_connect(c[0]);
	spin();
	/* One try (the hook freed nothing), then no more until the pause
	 * is over: the socket is out of the event set. */
	ck_assert_int_eq(n_accepted, 0);
	ck_assert_int_eq(pauses, 1);
	ck_assert_int_eq(shortage_calls, 1);
	ck_assert_int_eq(
	    capture_count(
	        "warning: accept connection: Too many "
	        "open files; not accepting new connections for 1000 ms"),
	    1);
	advance(SERVER_ACCEPT_PAUSE_MS - 1);
	ck_assert_int_eq(shortage_calls, 1);
	/* The pause ends, the table is still full: pause again, quietly. */
	advance(1);
	ck_assert_int_eq(resumes, 1);
	ck_assert_int_eq(pauses, 2);
	ck_assert_int_eq(shortage_calls, 2);
	ck_assert_int_eq(capture_count("warning"), 1);
	/* A minute on, the next pause warns again, with the count. */
	for (i = 0; i < SERVER_ACCEPT_WARN_MS / SERVER_ACCEPT_PAUSE_MS; i++)
		advance(SERVER_ACCEPT_PAUSE_MS);
	ck_assert_int_eq(capture_count("warning"), 2);
	ck_assert_int_eq(capture_count("(59 more pauses since the last "
	                               "warning)"),
	                 1);
	/* A descriptor is freed (a client went away): accept at once. */
	close(fill[--n_fill]);
	server_accept_resume(&sa);
	spin();
	ck_assert_int_eq(n_accepted, 1);
	ck_assert_int_eq(capture_count("error"), 0);
}
END_TEST

START_TEST(test_server_accept_shortage_hook_frees_and_retries_at_once)
{
	int c = client_socket();

	fill_table();
	shortage_frees = 1;
	client_connect(c);
	spin();
	ck_assert_int_eq(n_accepted, 1);
	ck_assert_int_eq(shortage_calls, 1);
	ck_assert_int_eq(pauses, 0);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(test_server_accept_stop_cancels_the_pause)
{
	int c = client_socket();

	fill_table();
	client_connect(c);
	spin();
	ck_assert_int_eq(pauses, 1);
	server_accept_stop(&sa);
	close(fill[--n_fill]);
	advance(SERVER_ACCEPT_PAUSE_MS);
	server_accept_resume(&sa);
	spin();
	ck_assert_int_eq(resumes, 0);
	ck_assert_int_eq(n_accepted, 0);
}
END_TEST

START_TEST(test_server_accept_never_exits_on_exhaustion)
{
	int c = client_socket(), i;

	/* Stock logged an error per attempt and died at the 13th. */
	fill_table();
	client_connect(c);
	spin();
	for (i = 0; i < 100; i++)
		advance(SERVER_ACCEPT_PAUSE_MS);
	ck_assert_int_eq(pauses, 101);
	ck_assert_int_eq(capture_count("error"), 0);
	ck_assert_int_eq(capture_count("warning"), 2);
}
END_TEST

Suite *server_accept_suite(void);

Suite *
server_accept_suite(void)
{
	Suite *s = suite_create("server_accept");
	TCase *tc = tcase_create("accept");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_server_accept_moves_client_fd_up);
	tcase_add_test(tc, test_server_accept_full_table_pauses_and_warns_once);
	tcase_add_test(
	    tc, test_server_accept_shortage_hook_frees_and_retries_at_once);
	tcase_add_test(tc, test_server_accept_stop_cancels_the_pause);
	tcase_add_test(tc, test_server_accept_never_exits_on_exhaustion);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(server_accept_suite)
