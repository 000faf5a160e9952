/*
 * tr_proc.h - the running master(8) of an instance: since when, and
 * when it last read its configuration
 *
 * master(8) reads main.cf and master.cf when it starts and at each
 * "postfix reload", and records neither time anywhere. At every reload
 * it replaces all its children, and it wakes qmgr(8) at once, so a new
 * qmgr process starts right after the reload; qmgr runs until the next
 * one (or until master stops). The time master last read its
 * configuration is therefore taken as the start of its youngest qmgr
 * child, or master's own start when it has none. Process start times
 * come from /proc, on the same clock as file times.
 *
 * Limits: a qmgr that crashed and was restarted looks like a reload; a
 * file changed between master's read and qmgr's start is not seen.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_PROC_H
#define TLSREUSE_TLSREUSE_TR_PROC_H

struct tr_master {
	long pid;          /* 0: not running */
	double started;    /* UNIX time, to 1/100 s */
	double reloaded;   /* last read of the configuration */
	long qmgr_pid;     /* the qmgr the reload time comes from, or 0 */
};

/*
 * Fills m for the master whose pid file is in queue_directory/pid, if
 * that process runs (and is a master). Returns 1 if it runs, else 0
 * with m->pid = 0. proc is "/proc" (tests point it elsewhere).
 */
int tr_proc_master(struct tr_master *m, const char *queue_directory,
    const char *proc);

#endif
