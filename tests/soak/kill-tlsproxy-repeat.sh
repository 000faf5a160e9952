#!/bin/bash
# kill-tlsproxy-repeat.sh - how often does a killed tlsproxy suspend delivery?
#
# When a delivery agent reports a destination failure, qmgr(8) counts it
# against the destination's concurrency window; a whole window's worth
# of failures with no success between them (a "cohort", limit 1 by
# default) marks the destination dead, and every queued message for it
# is deferred "delivery temporarily suspended" for minimal_backoff_time.
# Killing tlsproxy fails every smtp(8) session it carried at once, so
# whether that happens depends on how many sessions were in the middle
# of a transaction in the killed process.
#
# SOAK_KILL_ROUNDS rounds (default 20) of: 1000 messages at Postfix's
# default concurrency, tlsproxy killed with SIGKILL after 300 deliveries,
# recovery, once with stock and once with ours; first killing every
# tlsproxy process ("all"), then only the one holding the most
# descriptors ("busiest", a crash of one process). Each run must lose no
# message and end no process but the killed one. Per run it prints the
# sessions that failed, the longest run of failures with no delivery
# between them (maillog order) and the messages suspended; at the end,
# per way and mode, how many runs were suspended. Ours must not be
# suspended significantly more often than stock (see the test at the end).
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/fault-lib.sh"

ROUNDS=${SOAK_KILL_ROUNDS:-20}
N=1000
KILL_AT=300
MODE=all

# kill_busiest: the pid of the tlsproxy process with the most descriptors.
kill_busiest() {
	local pid n best="" max=-1
	for pid in $(fault_pids tlsproxy); do
		n=$(fault_fds tlsproxy "$pid")
		[ "$n" -le "$max" ] || { max=$n; best=$pid; }
	done
	echo "$best"
}

# kill_figures: "failed streak suspended" after the kill, from the maillog.
kill_figures() {
	awk -v qid="$FAULT_QID" '
	    /postfix\/master\[[0-9]+\]: warning: process .* killed by signal 9/ { k = 1 }
	    !k { next }
	    $0 ~ "postfix/smtp\\[[0-9]+\\]: " qid ": to=<.*status=deferred \\(lost connection" {
		    failed++
		    if (++run > streak) streak = run
		    next
	    }
	    $0 ~ "postfix/smtp\\[[0-9]+\\]: " qid ": to=<.*status=sent " { run = 0 }
	    /delivery temporarily suspended/ { suspended++ }
	    END { printf "%d %d %d\n", failed, streak, suspended }' "$I/maillog"
}

kill_scenario() {
	local figures
	fault_instance_up
	fault_release "$N"
	fault_wait_sent "$KILL_AT"
	if [ "$MODE" = busiest ]; then
		fault_signal KILL tlsproxy "$(kill_busiest)"
	else
		fault_signal KILL tlsproxy
	fi
	fault_recover 120
	fault_expect_no_loss
	fault_expect_deaths
	read -r failed streak suspended <<<"$(kill_figures)"
	note "kill $MODE $FAULT_WAY: $(fault_pids tlsproxy | wc -l) tlsproxy" \
	    "processes after; failed=$failed streak=$streak suspended=$suspended"
	echo "$MODE $FAULT_WAY $failed $streak $suspended" >>"$LIB_TMP/figures"
}

for MODE in all busiest; do
	for ((round = 1; round <= ROUNDS; round++)); do
		note "=== kill $MODE, round $round of $ROUNDS"
		fault_both kill_scenario
	done
done
awk '{
	key = $1 " " $2; runs[key]++; failed[key] += $3; streak[key] += $4
	if ($5 > 0) susp[key]++
    }
    END {
	for (key in runs)
		printf "# %s: %d runs, %d suspended, mean failed sessions %.1f, mean streak %.1f\n",
		    key, runs[key], susp[key], failed[key] / runs[key], streak[key] / runs[key]
    }' "$LIB_TMP/figures" | sort
# Ours is worse only if, over both modes, its share of suspended runs
# exceeds stock's by more than chance allows: a one-sided two-proportion
# z-test at the 1% level (z > 2.33). A plain "ours <= stock" per mode
# would fail most soak runs on noise alone at these rates (about 1 in 6).
awk '$2 == "stock" { n1++; if ($5 > 0) s1++ }
    $2 == "ours" { n2++; if ($5 > 0) s2++ }
    END {
	p = (s1 + s2) / (n1 + n2)
	z = p > 0 && p < 1 ? (s2 / n2 - s1 / n1) / sqrt(p * (1 - p) * (1 / n1 + 1 / n2)) : 0
	printf "%d %d %d %d %.2f\n", s1, n1, s2, n2, z
    }' "$LIB_TMP/figures" >"$LIB_TMP/z"
read -r s_stock n_stock s_ours n_ours z <"$LIB_TMP/z"
note "suspended runs: stock $s_stock of $n_stock, ours $s_ours of $n_ours (z = $z)"
awk -v z="$z" 'BEGIN { exit !(z > 2.33) }' &&
    fail "ours is suspended more often than stock: z = $z > 2.33"
exit 0
