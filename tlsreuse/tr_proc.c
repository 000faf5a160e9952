/*
 * tr_proc.c - the running master(8) of an instance: since when, and
 * when it last read its configuration
 *
 * /proc/PID/stat gives the parent, the command name and the start time
 * in clock ticks since boot (CLOCK_BOOTTIME). Converting with the
 * present offset between CLOCK_REALTIME and CLOCK_BOOTTIME is exact to
 * the tick, unlike /proc/stat's btime, which is rounded to seconds.
 *
 * Errors: none; what cannot be read is not running.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tr_proc.h"

struct tr_proc_stat {
	char comm[32];
	long ppid;
	unsigned long long start_ticks;
};

/* Parses /proc/PID/stat; 0 on success. */
static int
tr_proc_stat(const char *proc, long pid, struct tr_proc_stat *st)
{
	char path[256], text[1024], *open, *close;
	unsigned long long field;
	FILE *fp;
	size_t n, len;
	int i;

	snprintf(path, sizeof(path), "%s/%ld/stat", proc, pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = 0;
	/* "pid (comm) state ppid ..."; comm may hold spaces and ')'. */
	if ((open = strchr(text, '(')) == NULL ||
	    (close = strrchr(text, ')')) == NULL || close < open)
		return -1;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = 0;
	/* After ") ": state is field 3; ppid 4; starttime 22. */
	open = close + 2;
	for (i = 3; i <= 22; i++) {
		if (i == 3) {
			open = strchr(open, ' ');
			if (open == NULL)
				return -1;
			continue;
		}
		field = strtoull(open, &close, 10);
		if (close == open)
			return -1;
		if (i == 4)
			st->ppid = (long)field;
		if (i == 22)
			st->start_ticks = field;
		open = close;
	}
	return 0;
}

/* A start time in clock ticks since boot, as UNIX time. */
static double
tr_proc_ticks_to_time(unsigned long long ticks)
{
	struct timespec real, boot;
	long hz = sysconf(_SC_CLK_TCK);

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (double)real.tv_sec - (double)boot.tv_sec +
	    (real.tv_nsec - boot.tv_nsec) / 1e9 +
	    (double)ticks / (double)(hz > 0 ? hz : 100);
}

static long
tr_proc_pid_file(const char *queue_directory)
{
	char path[4096];
	long pid = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/pid/master.pid", queue_directory);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fscanf(fp, "%ld", &pid) != 1)
		pid = 0;
	fclose(fp);
	return pid;
}

/* qmgr, or the oqmgr/nqmgr that a master.cf may run instead. */
static int
tr_proc_is_qmgr(const char *comm)
{
	return strcmp(comm, "qmgr") == 0 || strcmp(comm, "oqmgr") == 0 ||
	    strcmp(comm, "nqmgr") == 0;
}

/* The youngest qmgr child of master, if any. */
static void
tr_proc_qmgr(struct tr_master *m, const char *proc)
{
	struct tr_proc_stat st, young = {0};
	struct dirent *d;
	DIR *dir;
	long pid;
	char *end;

	if ((dir = opendir(proc)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		pid = strtol(d->d_name, &end, 10);
		if (*end != 0 || pid <= 0 || tr_proc_stat(proc, pid, &st) < 0 ||
		    st.ppid != m->pid || !tr_proc_is_qmgr(st.comm))
			continue;
		if (st.start_ticks >= young.start_ticks) {
			young = st;
			m->qmgr_pid = pid;
		}
	}
	closedir(dir);
	if (m->qmgr_pid != 0)
		m->reloaded = tr_proc_ticks_to_time(young.start_ticks);
}

int
tr_proc_master(struct tr_master *m, const char *queue_directory,
    const char *proc)
{
	struct tr_proc_stat st;

	memset(m, 0, sizeof(*m));
	m->pid = tr_proc_pid_file(queue_directory);
	if (m->pid <= 0 || tr_proc_stat(proc, m->pid, &st) < 0 ||
	    strcmp(st.comm, "master") != 0) {
		m->pid = 0;
		return 0;
	}
	m->started = m->reloaded = tr_proc_ticks_to_time(st.start_ticks);
	tr_proc_qmgr(m, proc);
	return 1;
}
