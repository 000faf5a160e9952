/*
 * tr_apply.h - "tlsreuse enable" and "tlsreuse disable"
 *
 * Shows the change to master.cf first (notes, then a unified diff) and
 * applies it only when asked: with -y, or after a "y" at a terminal;
 * -n shows it and stops. Refuses when the programs to switch to are not
 * installed, or "postfix check" fails. Writes master.cf atomically
 * (same owner and mode), runs "postfix check" again (and puts the old
 * file back if that fails), then "postfix reload" if Postfix runs.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_APPLY_H
#define TLSREUSE_TLSREUSE_TR_APPLY_H

#include <stdio.h>

#include "tr_conf.h"
#include "tr_switch.h"

enum tr_apply_mode {
	TR_APPLY_ASK,     /* confirm at a terminal, else refuse */
	TR_APPLY_DRY_RUN, /* -n: show, change nothing */
	TR_APPLY_YES,     /* -y: apply without asking */
};

/*
 * Runs enable (to = TR_SWITCH_OURS) or disable on the instance conf
 * describes, reporting to out and errors with msg_warn(). Returns the
 * exit status: 0 done (or nothing to do, or a dry run), 1 refused,
 * not confirmed, or failed.
 */
int tr_apply(const struct tr_conf *conf, enum tr_switch_to to,
    enum tr_apply_mode mode, FILE *out);

#endif
