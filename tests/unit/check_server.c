/*
 * check_server.c - tests for common/server.c and common/server_opts.c
 *
 * The pure pieces (options, generation, retirement, status bytes) are
 * driven from tables. The skeleton itself runs under a fake master: a
 * forked child gets a socketpair end on fd 5, a listening UNIX socket on
 * fd 6, GENERATION, and a main.cf whose maillog_file sends its log to a
 * fake postlogd, then calls server_main(). The test process plays master
 * (reads status records, closes fd 5) and client, and is made a child
 * subreaper so drained grandchildren can be reaped and timed too.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "event.h"
#include "msg.h"
#include "runner.h"
#include "server.h"
#include "server_accept.h"
#include "server_opts.h"
#include "server_status.h"
#include "version.h"
#include "capture.h"
#include "fake_postlogd.h"

#define ARGS_MAX 24
#define LOG_MAX 8192

/* --- options --------------------------------------------------------- */

static char argv_pool[2048];

/*
 * Copies args (NULL-terminated) into writable storage after argv[0] =
 * "testsvc"; returns argc. getopt() wants char *, literals are const.
 */
static int
argv_build(char **argv, const char *const *args)
{
	size_t used = 0, len;
	int n = 0;

	argv[n++] = strcpy(argv_pool, "testsvc");
	used = strlen(argv_pool) + 1;
	for (; args && *args && n < ARGS_MAX - 1; args++) {
		len = strlen(*args) + 1;
		ck_assert_uint_le(used + len, sizeof(argv_pool));
		argv[n++] = memcpy(argv_pool + used, *args, len);
		used += len;
	}
	argv[n] = NULL;
	return n;
}

START_TEST(test_server_opts_as_master_passes_them)
{
	static const char *const args[] = {
	    "-l", "-n", "relay", "-t", "unix", "-d", "-v", "-v",
	    "-u", "-c", "-V",    "-s", "2",    "-S", "-D", NULL};
	char *argv[ARGS_MAX];
	struct server_opts o;
	int argc = argv_build(argv, args);

	conf_init("/nonexistent");
	server_opts_parse(&o, argc, argv, SERVER_MODE_MULTI);
	ck_assert_int_eq(o.solitary, 1);
	ck_assert_int_eq(o.unlimited, 0);
	ck_assert_str_eq(o.service_name, "relay");
	ck_assert_str_eq(o.transport, "unix");
	ck_assert_int_eq(o.debug, 1);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_int_eq(o.unprivileged, 1);
	ck_assert_int_eq(o.chroot, 1);
	ck_assert_int_eq(o.log_stderr, 1);
	ck_assert_int_eq(o.socket_count, 2);
	ck_assert_int_eq(o.standalone, 1);
	ck_assert_int_eq(o.debugger, 1);
	ck_assert_int_eq(o.retire, 0);
	ck_assert_int_eq(o.print_params, 0);
}
END_TEST

START_TEST(test_server_opts_event_mode_and_overrides_in_order)
{
	static const char *const args[] = {"-z",
	                                   "-t",
	                                   "unix",
	                                   "-r",
	                                   "3",
	                                   "-i",
	                                   "5",
	                                   "-o",
	                                   "max_idle = 7",
	                                   "-m",
	                                   "9",
	                                   "-o",
	                                   "syslog_name=postfix/$service_name",
	                                   "-p",
	                                   NULL};
	char *argv[ARGS_MAX];
	struct server_opts o;
	int argc = argv_build(argv, args);

	conf_init("/nonexistent");
	conf_set("max_use", "100");
	server_opts_parse(&o, argc, argv, SERVER_MODE_EVENT);
	ck_assert_int_eq(o.unlimited, 1);
	ck_assert_int_eq(o.retire, 3);
	ck_assert_int_eq(o.socket_count, 1);
	ck_assert_int_eq(o.print_params, 1);
	ck_assert_ptr_null(o.service_name);
	ck_assert_str_eq(conf_lookup("max_idle"), "7");
	ck_assert_str_eq(conf_lookup("max_use"), "9");
	/* -o values stay unexpanded until they are read. */
	ck_assert_str_eq(conf_lookup("syslog_name"), "postfix/$service_name");
}
END_TEST

static const struct {
	enum server_mode mode;
	const char *args[8]; /* NULL-terminated by the zero fill */
	const char *want;
} opt_fatal_rows[] = {
    {SERVER_MODE_MULTI, {"-r", "3"}, "fatal: invalid option: r\n"},
    {SERVER_MODE_EVENT, {"-q"}, "fatal: invalid option: q\n"},
    {SERVER_MODE_EVENT, {"-t"}, "fatal: invalid option: t\n"},
    {SERVER_MODE_EVENT, {"-r", "0"}, "fatal: invalid retirement time: 0\n"},
    {SERVER_MODE_EVENT, {"-r", "-5"}, "fatal: invalid retirement time: -5\n"},
    {SERVER_MODE_EVENT, {"-r", "3x"}, "fatal: invalid retirement time: 3x\n"},
    {SERVER_MODE_MULTI, {"-s", "0"}, "fatal: invalid socket_count: 0\n"},
    {SERVER_MODE_MULTI,
     {"-t", "unix", "extra"},
     "fatal: unexpected command-line argument: extra\n"},
    /* A leading '+': options stop at the first non-option. */
    {SERVER_MODE_MULTI,
     {"arg", "-v"},
     "fatal: unexpected command-line argument: arg\n"},
    {SERVER_MODE_MULTI,
     {"-o", "novalue"},
     "fatal: invalid \"-o novalue\" option value: missing '=' after "
     "attribute name\n"},
};

static int opt_fatal_row;

static void
assert_opt_fatal_text(void)
{
	ck_assert_str_eq(capture_text(), opt_fatal_rows[opt_fatal_row].want);
}

START_TEST(test_server_opts_fatal_texts)
{
	char *argv[ARGS_MAX];
	struct server_opts o;
	int n = argv_build(argv, opt_fatal_rows[_i].args);

	opt_fatal_row = _i;
	conf_init("/nonexistent");
	capture_start();
	msg_set_cleanup(assert_opt_fatal_text);
	server_opts_parse(&o, n, argv, opt_fatal_rows[_i].mode);
	ck_abort_msg("row %d: no fatal error", _i);
}
END_TEST

/* --- pure pieces ------------------------------------------------------ */

static const struct {
	const char *text;
	int status;
	unsigned gen;
} gen_rows[] = {
    {NULL, 0, 0},  {"13", 0, 11}, {"10", 0, 8},  {"0", 0, 0}, {"", -1, 0},
    {"1a", -1, 0}, {"-1", -1, 0}, {" 1", -1, 0}, {"9", 0, 0}, /* digits check,
                                                                 then octal: as
                                                                 stock */
};

START_TEST(test_server_generation_is_octal_digits)
{
	unsigned gen = 12345;
	int status = server_generation_parse(gen_rows[_i].text, &gen);

	ck_assert_msg(status == gen_rows[_i].status, "row %d: status %d", _i,
	              status);
	if (status == 0)
		ck_assert_uint_eq(gen, gen_rows[_i].gen);
}
END_TEST

static const struct {
	int max_idle, max_use, retire_opt, want;
} retire_rows[] = {
    {100, 100, 0, 10000}, /* stock defaults */
    {100, 180, 0, 18000}, /* exactly the cap */
    {101, 180, 0, 18000}, /* over the cap */
    {1, 18000, 0, 18000}, {1, 18001, 0, 18000}, {0, 100, 0, 18000},
    {100, 0, 0, 18000},   {2, 1, 0, 2},         {100, 100, 3, 3}, /* -r wins */
    {0, 0, 50000, 50000}, /* -r is not capped */
};

START_TEST(test_server_retirement_time)
{
	ck_assert_msg(server_retire_secs(
	                  retire_rows[_i].max_idle, retire_rows[_i].max_use,
	                  retire_rows[_i].retire_opt) == retire_rows[_i].want,
	              "row %d", _i);
}
END_TEST

START_TEST(test_server_status_bytes_match_golden)
{
	/* golden startup-master-children.txt: tlsproxy pid 14367 gen 11. */
	static const unsigned char taken[] = {0x1f, 0x38, 0, 0, 0x0b, 0,
	                                      0,    0,    0, 0, 0,    0};
	static const unsigned char avail[] = {0x1f, 0x38, 0, 0, 0x0b, 0,
	                                      0,    0,    1, 0, 0,    0};
	unsigned char out[SERVER_STATUS_SIZE];

	server_status_encode(out, 14367, 11, SERVER_STAT_TAKEN);
	ck_assert_mem_eq(out, taken, sizeof(out));
	server_status_encode(out, 14367, 11, SERVER_STAT_AVAIL);
	ck_assert_mem_eq(out, avail, sizeof(out));
}
END_TEST

static void
ignore_event(int fd, unsigned events, void *ctx)
{
}

START_TEST(test_server_drain_fork_replaces_listen_fds)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int report[2], lfd, first;
	char byte = 0;
	pid_t pid;
	int status;

	/* A listening socket on the first of two free descriptors. */
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(
	    bind(lfd, (struct sockaddr *)&sun, sizeof(sa_family_t)), 0);
	ck_assert_int_eq(listen(lfd, 5), 0);
	first = lfd;
	ck_assert_int_eq(dup2(lfd, first + 1), first + 1);
	ck_assert_int_eq(pipe(report), 0);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	if ((pid = fork()) == 0) {
		event_set(first, EVENT_READ, ignore_event, NULL);
		if (server_drain_fork(first, 2) == 0) {
			struct stat st, in;
			int ok = fstat(STDIN_FILENO, &in) == 0, fd;

			for (fd = first; fd <= first + 1; fd++)
				ok &= fstat(fd, &st) == 0 &&
				      st.st_dev == in.st_dev &&
				      st.st_ino == in.st_ino;
			byte = ok ? 'Y' : 'N';
			if (write(report[1], &byte, 1) != 1)
				_exit(2);
			_exit(0);
		}
		_exit(3);
	}
	/* The parent half exits 0 at once; the child reports. */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(report[1]);
	ck_assert_int_eq(read(report[0], &byte, 1), 1);
	ck_assert_int_eq(byte, 'Y');
	ck_assert_int_gt(wait(&status), 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

/* --- the skeleton under a fake master --------------------------------- */

struct fake_master {
	char dir[64];  /* queue_directory and config directory */
	char sock[96]; /* the service's listen socket */
	char log[128]; /* the fake postlogd socket */
	pid_t pid;     /* the daemon */
	int status_fd; /* master's end of the status socketpair */
	int listen_fd; /* master keeps the listen socket, as master(8) does */
	int log_fd;
};

static const char *svc_greeting;

static const struct conf_param svc_params[] = {
    {CONF_STR, "svc_greeting", "hello", &svc_greeting, 1, 0},
    {CONF_STR, NULL, NULL, NULL, 0, 0},
};

/* The daemon's side: answer a line with "<fd> <pid>", then close. */
static void
svc_event(int fd, unsigned events, void *ctx)
{
	char buf[64], reply[64];
	ssize_t n = read(fd, buf, sizeof(buf));
	int len;

	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0) {
		msg_info("request");
		len = snprintf(reply, sizeof(reply), "%d %ld\n", fd,
		               (long)getpid());
		if (write(fd, reply, (size_t)len) != len)
			msg_warn("reply: %m");
	}
	event_clear(fd);
	close(fd);
	server_disconnect(fd);
}

static void
svc_accept(int fd, void *ctx)
{
	event_set(fd, EVENT_READ, svc_event, NULL);
}

static void
svc_drain(void *ctx)
{
	msg_info("drain hook");
}

static void
svc_exit(void *ctx)
{
	msg_info("exit hook");
}

static const struct server_ops svc_ops = {
    .params = svc_params,
    .on_accept = svc_accept,
    .on_drain = svc_drain,
    .on_exit = svc_exit,
};

static void
fake_write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* Directory, main.cf, listen socket, status pair and fake postlogd. */
static void
fake_master_prepare(struct fake_master *m, const char *main_cf_extra)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char path[256], text[1024];

	snprintf(m->dir, sizeof(m->dir), "/tmp/ck_server.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(m->dir));
	snprintf(path, sizeof(path), "%s/public", m->dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(m->log, sizeof(m->log), "%s/public/postlog", m->dir);
	m->log_fd = fake_postlogd_bind_at(m->log);
	snprintf(text, sizeof(text),
	         "queue_directory = %s\nmaillog_file = %s/maillog\n"
	         "maillog_file_prefixes = %s\nmyhostname = fake.test\n%s\n",
	         m->dir, m->dir, m->dir, main_cf_extra ? main_cf_extra : "");
	snprintf(path, sizeof(path), "%s/main.cf", m->dir);
	fake_write_file(path, text);
	snprintf(m->sock, sizeof(m->sock), "%s/svc", m->dir);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", m->sock);
	m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_eq(
	    bind(m->listen_fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(m->listen_fd, 16), 0);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

/* A soft descriptor limit for the next daemon started (0: inherited). */
static rlim_t fake_nofile;

/* In the forked daemon: the descriptors and environment master gives. */
static void
fake_master_child(struct fake_master *m, int child_end, const char *gen)
{
	struct rlimit rl;
	int flow[2], status, listen_high, null;

	ck_assert_int_eq(pipe(flow), 0);
	status = fcntl(child_end, F_DUPFD, 100);
	listen_high = fcntl(m->listen_fd, F_DUPFD, 100);
	null = open("/dev/null", O_RDWR);
	dup2(null, STDIN_FILENO);
	dup2(flow[0], 3);
	dup2(flow[1], 4);
	dup2(status, SERVER_STATUS_FD);
	dup2(listen_high, SERVER_LISTEN_FD);
	setenv("MAIL_CONFIG", m->dir, 1);
	setenv("MAIL_LOGTAG", "postfix", 1);
	setenv("POSTLOG_SERVICE", m->log, 1);
	setenv("POSTLOG_HOSTNAME", "boot.test", 1);
	unsetenv("MAIL_VERBOSE");
	unsetenv("MAIL_DEBUG");
	if (gen)
		setenv("GENERATION", gen, 1);
	else
		unsetenv("GENERATION");
	if (fake_nofile > 0) {
		ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
		rl.rlim_cur = fake_nofile;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
}

/* Starts "testsvc <args...>" as master would; GENERATION 13 (11). */
static void
fake_master_start(struct fake_master *m, enum server_mode mode, const char *gen,
                  const char *const *args)
{
	char *argv[ARGS_MAX];
	int pair[2], n = argv_build(argv, args);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	if ((m->pid = fork()) == 0) {
		close(pair[0]);
		fake_master_child(m, pair[1], gen);
		server_main(n, argv, mode, &svc_ops);
	}
	close(pair[1]);
	m->status_fd = pair[0];
}

static void
fake_master_cleanup(struct fake_master *m)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", m->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int
fake_connect(struct fake_master *m)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", m->sock);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Waits up to ms for fd to become readable; 1 if it did. */
static int
fake_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, ms) == 1;
}

/* Sends a line and returns the daemon's fd and pid from its answer. */
static void
fake_request(int fd, int *served_fd, long *served_pid)
{
	char reply[64];
	ssize_t n;

	ck_assert_int_eq(write(fd, "x\n", 2), 2);
	ck_assert_msg(fake_readable(fd, 5000), "no answer");
	n = read(fd, reply, sizeof(reply) - 1);
	ck_assert_int_gt(n, 0);
	reply[n] = 0;
	ck_assert_int_eq(sscanf(reply, "%d %ld", served_fd, served_pid), 2);
	close(fd);
}

static void
fake_expect_status(struct fake_master *m, pid_t pid, int avail)
{
	unsigned char got[SERVER_STATUS_SIZE], want[SERVER_STATUS_SIZE];

	ck_assert_msg(fake_readable(m->status_fd, 5000), "no status");
	ck_assert_int_eq(read(m->status_fd, got, sizeof(got)), sizeof(got));
	server_status_encode(want, pid, 11, avail);
	ck_assert_mem_eq(got, want, sizeof(got));
}

/* No status record within ms (the daemon's exit, EOF, is fine). */
static void
fake_expect_no_status(struct fake_master *m, int ms)
{
	char got[SERVER_STATUS_SIZE];

	if (fake_readable(m->status_fd, ms))
		ck_assert_msg(
		    recv(m->status_fd, got, sizeof(got), MSG_DONTWAIT) <= 0,
		    "unexpected status record");
}

/* Waits up to ms for pid to exit; returns its wait status, or -1. */
static int
fake_wait_exit(pid_t pid, int ms)
{
	int status, waited;

	for (waited = 0; waited <= ms; waited += 20) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(20000);
	}
	return -1;
}

static void
fake_expect_exit(pid_t pid, int ms, int code)
{
	int status = fake_wait_exit(pid, ms);

	ck_assert_msg(status != -1, "pid %ld still running", (long)pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == code,
	              "pid %ld: wait status 0x%x, want exit %d", (long)pid,
	              status, code);
}

/* Everything logged so far: records without time stamp, one per line. */
static const char *
fake_log(struct fake_master *m)
{
	static char text[LOG_MAX];
	char rec[4096];
	size_t used = strlen(text);

	while (fake_postlogd_recv(m->log_fd, rec, sizeof(rec)) > 16 &&
	       used + strlen(rec + 16) + 2 < sizeof(text)) {
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		                         "%s\n", rec + 16);
	}
	return text;
}

static void
fake_expect_log(struct fake_master *m, const char *needle)
{
	const char *text = fake_log(m);

	ck_assert_msg(strstr(text, needle) != NULL, "no '%s' in log:\n%s",
	              needle, text);
}

START_TEST(test_server_multi_status_per_client_and_exit_on_master_close)
{
	static const char *const args[] = {"-l", "-t", "unix", NULL};
	struct fake_master m;
	int fd, idle_client;
	long pid;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_MULTI, "13", args);
	/* No status record at start-up; one pair per client accepted. */
	fake_expect_no_status(&m, 300);
	idle_client = fake_connect(&m);
	fake_expect_status(&m, m.pid, SERVER_STAT_TAKEN);
	fake_expect_status(&m, m.pid, SERVER_STAT_AVAIL);
	fake_request(fake_connect(&m), &fd, &pid);
	ck_assert_int_ge(fd, SERVER_CLIENT_FD_MIN);
	ck_assert_int_eq(pid, m.pid);
	fake_expect_status(&m, m.pid, SERVER_STAT_TAKEN);
	fake_expect_status(&m, m.pid, SERVER_STAT_AVAIL);
	/* None for the request itself: it never blocks the process. */
	fake_expect_no_status(&m, 100);
	/* master goes away: exit at once, even with a client connected. */
	close(m.status_fd);
	fake_expect_exit(m.pid, 2000, 0);
	fake_expect_log(&m, "fake postfix/testsvc[");
	fake_expect_log(&m, "]: exit hook");
	close(idle_client);
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_event_drains_on_master_close)
{
	static const char *const args[] = {"-z", "-t", "unix", NULL};
	struct fake_master m;
	char want[64];
	int fd, early, late, status;
	long pid;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_EVENT, "13", args);
	early = fake_connect(&m);
	/* One TAKEN/AVAIL pair around the accept, none per request. */
	fake_expect_status(&m, m.pid, SERVER_STAT_TAKEN);
	fake_expect_status(&m, m.pid, SERVER_STAT_AVAIL);
	close(m.status_fd);
	/* The process master knows exits 0 at once... */
	fake_expect_exit(m.pid, 2000, 0);
	/* ...while its drained copy still answers the early client, */
	late = fake_connect(&m);
	ck_assert_int_eq(write(late, "x\n", 2), 2);
	fake_request(early, &fd, &pid);
	ck_assert_int_ne(pid, m.pid);
	/* accepts nothing new, and exits once its last client is gone. */
	ck_assert_msg(!fake_readable(late, 300), "drained child accepted");
	fake_expect_exit((pid_t)pid, 2000, 0);
	/* Its lines carry its own pid. */
	snprintf(want, sizeof(want), "[%ld]: drain hook", pid);
	fake_expect_log(&m, want);
	snprintf(want, sizeof(want), "[%ld]: exit hook", pid);
	fake_expect_log(&m, want);
	close(late);
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), -1);
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_event_retires_without_cutting_a_client)
{
	static const char *const args[] = {"-z", "-t", "unix", "-r", "1", NULL};
	struct fake_master m;
	int fd, early;
	long pid;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_EVENT, "13", args);
	early = fake_connect(&m);
	fake_expect_status(&m, m.pid, SERVER_STAT_TAKEN);
	fake_expect_exit(m.pid, 2500, 0);
	fake_request(early, &fd, &pid);
	ck_assert_int_ne(pid, m.pid);
	fake_expect_exit((pid_t)pid, 2000, 0);
	fake_master_cleanup(&m);
}
END_TEST

/* Reads status records until none comes for ms; returns the last. */
static int
fake_last_status(struct fake_master *m, pid_t pid, int ms)
{
	unsigned char got[SERVER_STATUS_SIZE], want[SERVER_STATUS_SIZE];
	int last = -1;

	while (fake_readable(m->status_fd, ms)) {
		ck_assert_int_eq(read(m->status_fd, got, sizeof(got)),
		                 sizeof(got));
		last = got[8];
		server_status_encode(want, pid, 11, last);
		ck_assert_mem_eq(got, want, sizeof(got));
	}
	return last;
}

START_TEST(test_server_event_out_of_descriptors_is_busy_not_dead)
{
	static const char *const args[] = {"-z", "-t", "unix", NULL};
	struct fake_master m;
	int clients[24], i, fd;
	long pid;

	/*
	 * Room for about a dozen clients after the skeleton's own
	 * descriptors; the rest wait in the listen queue (16).
	 */
	fake_nofile = 24;
	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_EVENT, "13", args);
	fake_nofile = 0;
	for (i = 0; i < 24; i++)
		clients[i] = fake_connect(&m);
	/* Full: master is told the process is busy, and it lives on. */
	ck_assert_int_eq(fake_last_status(&m, m.pid, 500), SERVER_STAT_TAKEN);
	ck_assert_int_eq(fake_wait_exit(m.pid, 0), -1);
	/* Every client is served as others leave; then available again. */
	for (i = 0; i < 24; i++) {
		fake_request(clients[i], &fd, &pid);
		ck_assert_int_eq(pid, m.pid);
	}
	ck_assert_int_eq(fake_last_status(&m, m.pid, 1500), SERVER_STAT_AVAIL);
	fake_expect_log(&m, "warning: accept connection: Too many open files; "
	                    "not accepting new connections for 1000 ms");
	ck_assert_ptr_null(strstr(fake_log(&m), "error:"));
	close(m.status_fd);
	fake_expect_exit(m.pid, 2000, 0);
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_idle_timer_runs_only_without_clients)
{
	static const char *const args[] = {"-l", "-t",         "unix", "-v",
	                                   "-o", "max_idle=1", NULL};
	struct fake_master m;
	int fd, client;
	long pid;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_MULTI, "13", args);
	client = fake_connect(&m);
	usleep(1500 * 1000);
	fake_request(client, &fd, &pid);
	ck_assert_int_eq(pid, m.pid);
	fake_expect_exit(m.pid, 2500, 0);
	fake_expect_log(&m, "idle timeout -- exiting");
	fake_expect_log(&m, "process generation: 13 (13)");
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_exits_after_max_use_connections)
{
	static const char *const args[] = {"-l", "-t", "unix", "-m", "2", NULL};
	struct fake_master m;
	int fd;
	long pid;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_MULTI, "13", args);
	fake_request(fake_connect(&m), &fd, &pid);
	ck_assert_int_eq(fake_wait_exit(m.pid, 300), -1);
	fake_request(fake_connect(&m), &fd, &pid);
	fake_expect_exit(m.pid, 2000, 0);
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_identity_follows_syslog_name)
{
	static const char *const args[] = {"-l",
	                                   "-n",
	                                   "relay",
	                                   "-t",
	                                   "unix",
	                                   "-o",
	                                   "syslog_name=postfix/$service_name",
	                                   NULL};
	struct fake_master m;
	char want[128];
	int fd;
	long pid;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, SERVER_MODE_MULTI, "13", args);
	fake_request(fake_connect(&m), &fd, &pid);
	snprintf(want, sizeof(want),
	         "fake postfix/relay/testsvc[%ld]: request\n", pid);
	fake_expect_log(&m, want);
	close(m.status_fd);
	fake_expect_exit(m.pid, 2000, 0);
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_p_prints_release_and_parameters_and_exits)
{
	static const char *const args[] = {"-p", "-o", "svc_greeting=hi", NULL};
	struct fake_master m;
	char out[4096], want[256];
	int pipefd[2], saved = dup(STDOUT_FILENO);
	ssize_t n;

	fake_master_prepare(&m, NULL);
	ck_assert_int_eq(pipe(pipefd), 0);
	dup2(pipefd[1], STDOUT_FILENO);
	fake_master_start(&m, SERVER_MODE_EVENT, "13", args);
	dup2(saved, STDOUT_FILENO);
	close(pipefd[1]);
	fake_expect_exit(m.pid, 2000, 0);
	n = read(pipefd[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "# %s\n", version_string());
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0,
	              "no release line first, got:\n%s", out);
	snprintf(want, sizeof(want), "queue_directory = %s\n", m.dir);
	ck_assert_msg(strstr(out, want) != NULL, "got:\n%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\nmax_idle = 100s\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nsvc_greeting = hi\n"));
	fake_expect_no_status(&m, 50);
	fake_master_cleanup(&m);
}
END_TEST

static const struct {
	enum server_mode mode;
	const char *gen;
	const char *args[8];
	const char *want;
} start_fatal_rows[] = {
    {SERVER_MODE_MULTI,
     "13",
     {"-t", "unix"},
     "fatal: service testsvc requires a process limit of 1"},
    {SERVER_MODE_EVENT,
     "13",
     {"-n", "tlsproxy", "-t", "unix"},
     "fatal: service tlsproxy requires a process limit of 0"},
    {SERVER_MODE_MULTI, "13", {"-l"}, "fatal: no transport type specified"},
    {SERVER_MODE_MULTI,
     "13",
     {"-l", "-t", "fifo"},
     "fatal: unsupported transport type: fifo"},
    {SERVER_MODE_MULTI,
     "1x",
     {"-l", "-t", "unix"},
     "fatal: bad generation: 1x"},
    {SERVER_MODE_EVENT,
     "13",
     {"-z", "-t", "unix", "-D"},
     "fatal: no debugger_command variable set up"},
    {SERVER_MODE_EVENT,
     "13",
     {"-z", "-o", "syslog_facility=bogus"},
     "/main.cf: parameter syslog_facility: unrecognized value: bogus"},
    {SERVER_MODE_EVENT,
     "13",
     {"-z", "-o", "maillog_file=/elsewhere"},
     "fatal: maillog_file value '/elsewhere' does not match any prefix "
     "in maillog_file_prefixes"},
    {SERVER_MODE_EVENT,
     "13",
     {"-z", "-t", "unix", "-u", "-o", "mail_owner=no-such-user-tlsreuse"},
     "fatal: unknown user: no-such-user-tlsreuse"},
};

START_TEST(test_server_startup_fatal_texts)
{
	struct fake_master m;

	fake_master_prepare(&m, NULL);
	fake_master_start(&m, start_fatal_rows[_i].mode,
	                  start_fatal_rows[_i].gen, start_fatal_rows[_i].args);
	fake_expect_exit(m.pid, 3000, 1);
	fake_expect_log(&m, start_fatal_rows[_i].want);
	fake_expect_no_status(&m, 10);
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_refuses_a_terminal)
{
	static const char *const args[] = {"-l", "-t", "unix", NULL};
	struct fake_master m;
	char err[256];
	int pty, tty, errpipe[2], saved_err = dup(2);
	ssize_t n;

	/* The child's stdin becomes a pty; it must refuse on stderr. */
	pty = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(pty, 0);
	ck_assert_int_eq(grantpt(pty), 0);
	ck_assert_int_eq(unlockpt(pty), 0);
	tty = open(ptsname(pty), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(tty, 0);
	/* Out of the way of the descriptors master hands over (3-6). */
	tty = fcntl(tty, F_DUPFD, 100);
	ck_assert_int_eq(pipe(errpipe), 0);
	fake_master_prepare(&m, NULL);
	dup2(errpipe[1], 2);
	if ((m.pid = fork()) == 0) {
		fake_master_child(&m, m.listen_fd, "13");
		char *argv[ARGS_MAX];
		int argc = argv_build(argv, args);

		dup2(tty, STDIN_FILENO);
		server_main(argc, argv, SERVER_MODE_MULTI, &svc_ops);
	}
	dup2(saved_err, 2);
	close(errpipe[1]);
	fake_expect_exit(m.pid, 3000, 1);
	n = read(errpipe[0], err, sizeof(err) - 1);
	err[n > 0 ? n : 0] = 0;
	ck_assert_str_eq(err,
	                 "testsvc: fatal: do not run this command by hand\n");
	fake_master_cleanup(&m);
}
END_TEST

START_TEST(test_server_standalone_serves_stdin_once)
{
	static const char *const args[] = {"-S", NULL};
	struct fake_master m;
	char reply[64];
	int pair[2], status[2];
	long pid;
	int fd;

	fake_master_prepare(&m, NULL);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, status), 0);
	if ((m.pid = fork()) == 0) {
		char *argv[ARGS_MAX];
		int argc = argv_build(argv, args);
		int in = fcntl(pair[1], F_DUPFD, 100);

		fake_master_child(&m, status[1], "13");
		dup2(in, STDIN_FILENO);
		server_main(argc, argv, SERVER_MODE_MULTI, &svc_ops);
	}
	close(pair[1]);
	close(status[1]);
	m.status_fd = status[0];
	ck_assert_int_eq(write(pair[0], "x\n", 2), 2);
	ck_assert(fake_readable(pair[0], 5000));
	ck_assert_int_gt(read(pair[0], reply, sizeof(reply) - 1), 0);
	ck_assert_int_eq(sscanf(reply, "%d %ld", &fd, &pid), 2);
	ck_assert_int_eq(fd, STDIN_FILENO);
	ck_assert_int_eq(pid, m.pid);
	/* One client, then exit 0: no listen socket, no status records. */
	fake_expect_exit(m.pid, 2000, 0);
	fake_expect_no_status(&m, 10);
	fake_expect_log(&m, "exit hook");
	close(pair[0]);
	fake_master_cleanup(&m);
}
END_TEST

Suite *server_suite(void);

Suite *
server_suite(void)
{
	Suite *s = suite_create("server");
	TCase *opts = tcase_create("options");
	TCase *pure = tcase_create("pure");
	TCase *master = tcase_create("master");

	tcase_add_test(opts, test_server_opts_as_master_passes_them);
	tcase_add_test(opts,
	               test_server_opts_event_mode_and_overrides_in_order);
	tcase_add_loop_exit_test(
	    opts, test_server_opts_fatal_texts, 1, 0,
	    (int)(sizeof(opt_fatal_rows) / sizeof(opt_fatal_rows[0])));
	suite_add_tcase(s, opts);
	tcase_add_loop_test(pure, test_server_generation_is_octal_digits, 0,
	                    (int)(sizeof(gen_rows) / sizeof(gen_rows[0])));
	tcase_add_loop_test(
	    pure, test_server_retirement_time, 0,
	    (int)(sizeof(retire_rows) / sizeof(retire_rows[0])));
	tcase_add_test(pure, test_server_status_bytes_match_golden);
	tcase_set_timeout(pure, 10);
	tcase_add_test(pure, test_server_drain_fork_replaces_listen_fds);
	suite_add_tcase(s, pure);
	tcase_set_timeout(master, 20);
	tcase_add_test(
	    master,
	    test_server_multi_status_per_client_and_exit_on_master_close);
	tcase_add_test(master, test_server_event_drains_on_master_close);
	tcase_add_test(master,
	               test_server_event_retires_without_cutting_a_client);
	tcase_add_test(master,
	               test_server_event_out_of_descriptors_is_busy_not_dead);
	tcase_add_test(master,
	               test_server_idle_timer_runs_only_without_clients);
	tcase_add_test(master, test_server_exits_after_max_use_connections);
	tcase_add_test(master, test_server_identity_follows_syslog_name);
	tcase_add_test(master, test_server_p_prints_release_and_parameters_and_exits);
	tcase_add_loop_test(
	    master, test_server_startup_fatal_texts, 0,
	    (int)(sizeof(start_fatal_rows) / sizeof(start_fatal_rows[0])));
	tcase_add_test(master, test_server_refuses_a_terminal);
	tcase_add_test(master, test_server_standalone_serves_stdin_once);
	suite_add_tcase(s, master);
	return s;
}

RUNNER_SUITE(server_suite)
