/*
 * check_server_status.c - tests for common/server_status.c
 *
 * The test plays master(8) on one end of a socketpair and reads the
 * records; the channel writes on the other end, whose send buffer is
 * made as small as the kernel allows so that it fills after a few
 * records, as it does when hundreds of clients arrive while master is
 * busy.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "event.h"
#include "runner.h"
#include "server_status.h"

#define PID 4242
#define GEN 11

static struct server_status st;
static int master_fd, child_fd, gone_calls;

static void
count_gone(void *ctx)
{
	gone_calls++;
}

static void
setup(void)
{
	int sp[2], small = 1;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	master_fd = sp[0];
	child_fd = sp[1];
	ck_assert_int_eq(
	    setsockopt(child_fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)),
	    0);
	gone_calls = 0;
	capture_start();
	server_status_start(&st, child_fd, PID, GEN, count_gone, NULL);
}

static void
teardown(void)
{
	server_status_stop(&st);
	close(master_fd);
	close(child_fd);
}

/* Reads every record master has been sent; returns how many. */
static int
master_read(int *states, int max)
{
	unsigned char rec[SERVER_STATUS_SIZE], want[SERVER_STATUS_SIZE];
	int n = 0;

	while (recv(master_fd, rec, sizeof(rec), MSG_DONTWAIT) ==
	       (ssize_t)sizeof(rec)) {
		ck_assert_int_lt(n, max);
		states[n] = rec[8];
		server_status_encode(want, PID, GEN, states[n]);
		ck_assert_mem_eq(rec, want, sizeof(rec));
		n++;
	}
	return n;
}

static void
spin(void)
{
	int i;

	for (i = 0; i < 3; i++)
		event_loop(0);
}

/* Toggles the state until a record does not fit; returns the count. */
static int
fill(void)
{
	int i;

	for (i = 0; !st.blocked; i++) {
		ck_assert_int_lt(i, 100000);
		ck_assert_int_eq(
		    server_status_set(&st, i % 2 ? SERVER_STAT_AVAIL
		                                 : SERVER_STAT_TAKEN),
		    0);
	}
	return i;
}

/*
 * Fills the socket with records of the state master has (which it takes
 * as redundant), so that the channel's next change finds it full.
 */
static void
fill_redundant(void)
{
	unsigned char rec[SERVER_STATUS_SIZE];
	int i;

	server_status_encode(rec, PID, GEN, st.sent);
	for (i = 0; send(child_fd, rec, sizeof(rec), MSG_DONTWAIT) ==
	            (ssize_t)sizeof(rec);
	     i++)
		ck_assert_int_lt(i, 100000);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
}

/*
 * Reads what master has been sent and replays it as master(8) does:
 * a record of the state it has is ignored, AVAIL after TAKEN counts a
 * use. Returns the uses; *state is the state master ends with.
 */
static int
master_uses(int *state)
{
	static int states[100000];
	int i, n, uses = 0;

	n = master_read(states, 100000);
	for (i = 0; i < n; i++) {
		if (states[i] == *state)
			continue;
		if (states[i] == SERVER_STAT_AVAIL)
			uses++;
		*state = states[i];
	}
	return uses;
}

START_TEST(test_server_status_sends_each_change)
{
	int states[8];

	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(master_read(states, 8), 2);
	ck_assert_int_eq(states[0], SERVER_STAT_TAKEN);
	ck_assert_int_eq(states[1], SERVER_STAT_AVAIL);
}
END_TEST

START_TEST(test_server_status_new_child_starts_available)
{
	int states[8];

	/* master counts a new child as available: nothing to send. */
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(master_read(states, 8), 0);
}
END_TEST

START_TEST(test_server_status_full_socket_sends_latest_when_drained)
{
	static int states[100000];
	int sent, got;

	sent = fill();
	/* The last change did not fit; later ones are only remembered. */
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	got = master_read(states, 100000);
	ck_assert_int_eq(got, sent - 1);
	ck_assert_int_eq(states[got - 1], SERVER_STAT_AVAIL);
	spin();
	ck_assert_int_eq(master_read(states, 100000), 1);
	ck_assert_int_eq(states[0], SERVER_STAT_TAKEN);
	ck_assert_int_eq(st.blocked, 0);
	/* Back to normal: the next change goes out at once. */
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(master_read(states, 100000), 1);
	ck_assert_int_eq(states[0], SERVER_STAT_AVAIL);
	ck_assert_str_eq(capture_text(), "");
}
END_TEST

START_TEST(test_server_status_change_back_sends_nothing)
{
	static int states[100000];
	int state = SERVER_STAT_AVAIL;

	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	fill_redundant();
	/* Blocked on AVAIL, then back to the TAKEN master has. */
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(st.blocked, 1);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(master_uses(&state), 0);
	ck_assert_int_eq(state, SERVER_STAT_TAKEN);
	spin();
	ck_assert_int_eq(master_read(states, 100000), 0);
	ck_assert_int_eq(st.blocked, 0);
	ck_assert_int_eq(st.want, st.sent);
}
END_TEST

START_TEST(test_server_status_use_behind_full_socket_is_counted)
{
	int state = SERVER_STAT_AVAIL;

	/* A client taken and done while master's socket is full. */
	fill_redundant();
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(st.blocked, 1);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(master_uses(&state), 0);
	spin();
	/* master counts the use, ending where the child is: available. */
	ck_assert_int_eq(master_uses(&state), 1);
	ck_assert_int_eq(state, SERVER_STAT_AVAIL);
	ck_assert_int_eq(st.blocked, 0);
	/* Counted once: the next change is sent as it is. */
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(master_uses(&state), 0);
	ck_assert_int_eq(state, SERVER_STAT_TAKEN);
}
END_TEST

START_TEST(test_server_status_taken_behind_full_socket_sent_once)
{
	static int states[100000];
	int n;

	fill_redundant();
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_AVAIL), 0);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	(void)master_read(states, 100000);
	spin();
	/* Still taken at the drain: TAKEN alone, no pair. */
	n = master_read(states, 100000);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(states[0], SERVER_STAT_TAKEN);
}
END_TEST

START_TEST(test_server_status_master_gone)
{
	close(master_fd);
	master_fd = -1;
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), -1);
	ck_assert_int_eq(errno, EPIPE);
	spin();
	ck_assert_int_ge(gone_calls, 1);
}
END_TEST

START_TEST(test_server_status_master_gone_while_blocked)
{
	fill();
	close(master_fd);
	master_fd = -1;
	spin();
	ck_assert_int_ge(gone_calls, 1);
}
END_TEST

START_TEST(test_server_status_does_nothing_unless_started)
{
	struct server_status idle;
	int states[8];

	memset(&idle, 0, sizeof(idle));
	ck_assert_int_eq(server_status_set(&idle, SERVER_STAT_TAKEN), 0);
	server_status_stop(&idle);
	server_status_stop(&st);
	ck_assert_int_eq(server_status_set(&st, SERVER_STAT_TAKEN), 0);
	ck_assert_int_eq(master_read(states, 8), 0);
	ck_assert_int_eq(st.fd, -1);
}
END_TEST

Suite *server_status_suite(void);

Suite *
server_status_suite(void)
{
	Suite *s = suite_create("server_status");
	TCase *tc = tcase_create("records");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_server_status_sends_each_change);
	tcase_add_test(tc, test_server_status_new_child_starts_available);
	tcase_add_test(
	    tc, test_server_status_full_socket_sends_latest_when_drained);
	tcase_add_test(tc, test_server_status_change_back_sends_nothing);
	tcase_add_test(tc,
	               test_server_status_use_behind_full_socket_is_counted);
	tcase_add_test(tc,
	               test_server_status_taken_behind_full_socket_sent_once);
	tcase_add_test(tc, test_server_status_master_gone);
	tcase_add_test(tc, test_server_status_master_gone_while_blocked);
	tcase_add_test(tc, test_server_status_does_nothing_unless_started);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(server_status_suite)
