/*
 * tr_run.c - run a Postfix command and keep what it says
 *
 * fork, then in the child: stdin from /dev/null, stdout and stderr to
 * one pipe, exec. The parent reads the pipe to its end (so the child
 * never blocks on a full pipe), keeping TR_RUN_OUTPUT_MAX bytes.
 *
 * Errors: returned (-1 with the reason in the output); never fatal.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tr_run.h"

/* In the child: never returns. */
static void
tr_run_child(const char *const argv[], int pipe_w)
{
	/* execv() takes char *const[] for historical reasons only. */
	union {
		const char *const *in;
		char *const *out;
	} args = {.in = argv};
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(pipe_w, STDOUT_FILENO) < 0 || dup2(pipe_w, STDERR_FILENO) < 0)
		_exit(126);
	execv(argv[0], args.out);
	/* The parent reads this as the command's own output. */
	(void)write(STDERR_FILENO, "exec failed: ", 13);
	(void)write(STDERR_FILENO, strerror(errno), strlen(strerror(errno)));
	_exit(127);
}

static void
tr_run_read(int fd, struct buf *out)
{
	char chunk[4096];
	size_t room;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		room = TR_RUN_OUTPUT_MAX - out->len;
		if (room > 0)
			buf_append(out, chunk, (size_t)n < room ? (size_t)n :
			    room);
	}
}

int
tr_run(const char *const argv[], struct buf *out)
{
	int fds[2], status;
	pid_t pid;

	buf_reset(out);
	if (pipe(fds) < 0) {
		buf_printf(out, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		buf_printf(out, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		tr_run_child(argv, fds[1]);
	}
	close(fds[1]);
	tr_run_read(fds[0], out);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			buf_printf(out, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
