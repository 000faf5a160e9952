/*
 * tr_switch.h - point master.cf at our daemons or back at stock, as text
 *
 * Plans "tlsreuse enable" and "tlsreuse disable": the new master.cf text
 * and one note per decision. Only the command word of the tlsproxy and
 * scache entries changes; every other byte (columns, spacing, -o
 * settings, comments, continuation lines) stays, so that enable followed
 * by disable gives back the same bytes. Where enable must add a tlsproxy
 * entry (Debian ships it commented out; it may be missing), the entry
 * goes in below TR_SWITCH_MARKER, and disable removes exactly those
 * lines again.
 *
 * Pure: no I/O, no logging.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_SWITCH_H
#define TLSREUSE_TLSREUSE_TR_SWITCH_H

#include <stddef.h>

#include "buf.h"

/* Our programs, relative to daemon_directory, as master.cf names them. */
#define TR_SWITCH_OURS_DIR "tlsreuse/"

/* The comment line above an entry that "tlsreuse enable" added. */
#define TR_SWITCH_MARKER \
	"# Added by \"tlsreuse enable\"; \"tlsreuse disable\" removes it."

enum tr_switch_to {
	TR_SWITCH_OURS,  /* enable */
	TR_SWITCH_STOCK, /* disable */
};

struct tr_switch_plan {
	struct buf text;  /* the new master.cf */
	int changed;      /* text differs from the old one */
	struct buf notes; /* one line per entry: what is done and why */
	struct buf error; /* why not (empty when the plan is good) */
};

/*
 * Plans the switch of the tlsproxy_name/unix and scache_name/unix
 * entries of text (len bytes) to our programs or to stock. Returns 0
 * with the plan, or -1 with plan->error set and no change planned: an
 * entry is missing where one is needed (scache), is duplicated, is too
 * short, or runs a program that is neither stock nor ours; or the
 * text holds a NUL byte.
 */
int tr_switch_plan(struct tr_switch_plan *plan, const char *text, size_t len,
    enum tr_switch_to to, const char *tlsproxy_name, const char *scache_name);

void tr_switch_plan_init(struct tr_switch_plan *plan);
void tr_switch_plan_free(struct tr_switch_plan *plan);

#endif
