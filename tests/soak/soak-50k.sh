#!/bin/bash
# soak-50k.sh - 50,000 messages: memory and descriptors of tlsproxy and scache
#
# SOAK_MESSAGES (default 50000) messages of 1 KB go through a fresh
# instance with the stock scache and tlsproxy, then through one with ours
# (SOAK_STOCK_MESSAGES, default SOAK_MESSAGES, sets the stock run's; 0
# skips it), at Postfix's default destination concurrency. They are
# injected in batches of 1000, the next batch while the previous ones are
# delivered (at most 2000 queued). Every 5 s a sampler records the
# messages delivered so far and each tlsproxy and scache process's
# resident memory (VmRSS) and open descriptors, into soak-WAY.tsv beside
# this script's log (kept under tests/soak/).
#
# tlsproxy's max_use is raised to 1,000,000 here: with the default of
# 100 a process exits after 100 clients (stock and ours alike), every
# few thousand messages, and no process would live long enough to show
# a slow leak. smtp(8)'s max_idle is 5 s, so that idle smtp processes,
# which keep their connections to scache, are gone when the idle
# descriptors are counted.
#
# Before the run, 200 messages warm the daemons up and the instance
# idles until the cached connections are gone; after it, the same. Both
# ways must deliver every message and warn about nothing. Ours must also
# have each process that lived through the whole run grow by at most
# SOAK_RSS_SLACK KiB (default 128) over the second half of the run (the
# first half is the warm-up: malloc's arena grows to the peak working set
# of 20 concurrent sessions, then stays), and hold no more descriptors
# idle after the run than idle before it. Printed for both ways: RSS
# and its anonymous part at 10%, 50% and 100% of the messages, the most
# descriptors, the time taken.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/fault-lib.sh"

N=${SOAK_MESSAGES:-50000}
N_STOCK=${SOAK_STOCK_MESSAGES:-$N}
BATCH=1000
AHEAD=2000
WARM=200
SLACK=${SOAK_RSS_SLACK:-128}
SAMPLE_SECS=5
OUT_DIR=${SOAK_OUT_DIR:-$top_builddir/tests/soak}

# soak_sample: one line per tlsproxy and scache process: time (s since
# the start), delivered, name, pid, VmRSS KiB, anonymous KiB (heap and
# the like; the rest of RSS is library code shared with other
# processes), descriptors.
soak_sample() {
	local t name pid rss anon delivered
	t=$(lib_elapsed "$SOAK_T0")
	delivered=$(maillog_count "$FAULT_SENT")
	for name in tlsproxy scache; do
		for pid in $(fault_pids "$name"); do
			rss=$(fault_rss_kb "$name" "$pid")
			anon=$(awk '/^Anonymous:/ { print $2 }' \
			    "/proc/$pid/smaps_rollup" 2>/dev/null)
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$delivered" \
			    "$name" "$pid" "$rss" "${anon:-0}" \
			    "$(fault_fds "$name" "$pid")"
		done
	done
}

# soak_queue_below N: fewer than N messages queued (polled: a count of
# the maillog would read a growing file every 10 ms).
soak_queue_below() {
	[ "$(queue_count)" -lt "$1" ] || {
		read -r -t 0.2 -u "$LIB_NAP_FD" _ || true
		return 1
	}
}

soak_sampler() {
	until [ -e "$I/sampler.stop" ]; do
		soak_sample
		read -r -t "$SAMPLE_SECS" -u "$LIB_NAP_FD" _ || true
	done
}

# soak_idle: until the queue is empty, every cached connection expired
# (the TTL is 2 s) and every smtp(8) process exited (max_idle is 5 s for
# them here): then no client holds a connection to tlsproxy or scache.
soak_idle() {
	wait_for_queue_empty 120
	lib_wait_until 60 soak_no_smtp || fail "smtp(8) processes did not exit"
	sleep 1
}

soak_no_smtp() {
	[ -z "$(fault_pids smtp)" ]
}

# soak_fds NAME: the most descriptors one of NAME's processes holds.
soak_fds() {
	local pid n max=0
	for pid in $(fault_pids "$1"); do
		n=$(fault_fds "$1" "$pid")
		[ "$n" -le "$max" ] || max=$n
	done
	echo "$max"
}

soak_run() {
	local n=$1 injected=0 t_run
	fault_instance_up
	postconf -c "$I/conf" -P smtp/unix/max_idle=5s \
	    tlsproxy/unix/max_use=1000000
	lib_backdate "$I"/conf/*
	instance_reload
	SOAK_T0=$EPOCHREALTIME
	send_messages "$WARM"
	soak_idle
	SOAK_IDLE_TLSPROXY=$(soak_fds tlsproxy) SOAK_IDLE_SCACHE=$(soak_fds scache)
	SOAK_BASE=$(maillog_count "$FAULT_SENT")
	# Both writers append: the last sample must not be overwritten.
	: >"$I/samples.tsv"
	soak_sampler >>"$I/samples.tsv" &
	track_pid $!
	t_run=$EPOCHREALTIME
	while [ "$injected" -lt "$n" ]; do
		lib_wait_until 600 soak_queue_below "$AHEAD" ||
		    fail "deliveries stalled: $(queue_count) messages queued"
		inject_held "$BATCH"
		release_held
		injected=$((injected + BATCH))
	done
	wait_for_queue_empty 600
	SOAK_RUN_SECS=$(lib_elapsed "$t_run")
	soak_sample >>"$I/samples.tsv"
	soak_idle
	: >"$I/sampler.stop"
	wait
	SOAK_IDLE_FDS="tlsproxy $SOAK_IDLE_TLSPROXY -> $(soak_fds tlsproxy)"
	SOAK_IDLE_FDS="$SOAK_IDLE_FDS, scache $SOAK_IDLE_SCACHE -> $(soak_fds scache)"
	[ "$(soak_fds tlsproxy)" -le "$SOAK_IDLE_TLSPROXY" ] &&
	    [ "$(soak_fds scache)" -le "$SOAK_IDLE_SCACHE" ] && SOAK_FDS_OK=1 ||
	    SOAK_FDS_OK=0
	expect_count "$FAULT_SENT" $((SOAK_BASE + n)) "smtp deliveries"
	expect_count "$FAULT_RECEIVED" $((SOAK_BASE + n)) "messages received by the sink"
}

# soak_report WAY N: the figures of the run, from samples.tsv: for each
# process, RSS and anonymous memory at 10%, 50% and the end of the run
# and the most descriptors; for a process that lived through the whole
# run, "GREW" if its RSS rose by more than SLACK KiB over the second
# half (the first half being the warm-up).
soak_report() {
	local tsv=$OUT_DIR/soak-$1.tsv
	{
		printf 'secs\tdelivered\tdaemon\tpid\trss_kib\tanon_kib\tfds\n'
		awk -v base="$SOAK_BASE" -F'\t' -v OFS='\t' \
		    'NF == 7 { $2 -= base; print }' "$I/samples.tsv"
	} >"$tsv"
	awk -F'\t' -v n="$2" -v way="$1" -v slack="$SLACK" '
	    NR == 1 { next }
	    {
		    key = $3 " " $4
		    if (!(key in first)) first[key] = $2
		    for (i = 1; i <= 2; i++) {
			    at = i == 1 ? n / 10 : n / 2
			    if ($2 <= at || !((key, i) in rss)) {
				    rss[key, i] = $5; anon[key, i] = $6
			    }
		    }
		    last[key] = $2; rss[key, 3] = $5; anon[key, 3] = $6
		    if ($7 > maxfd[key]) maxfd[key] = $7
	    }
	    END {
		    for (key in first) {
			    whole = first[key] <= n / 10 && last[key] >= n
			    printf "soak %s: %s: RSS/anon KiB %d/%d at 10%%, %d/%d at 50%%, %d/%d at the end; most descriptors %d%s\n",
				way, key, rss[key, 1], anon[key, 1], rss[key, 2],
				anon[key, 2], rss[key, 3], anon[key, 3],
				maxfd[key], whole ? "" : " (not alive for the whole run)"
			    if (whole && rss[key, 3] - rss[key, 2] > slack)
				    grew = grew " " key "(+" rss[key, 3] - rss[key, 2] " KiB)"
		    }
		    if (grew != "") print "GREW:" grew
	    }' "$tsv" | sort >"$I/report"
	note "soak $1: $2 messages in $SOAK_RUN_SECS s"
	sed 's/^/# /' "$I/report"
	note "soak $1: idle descriptors (most of one process), before -> after the run: $SOAK_IDLE_FDS"
	note "soak $1: samples in $tsv"
}

soak_way() {
	local TLSREUSE_SCACHE=$2 TLSREUSE_TLSPROXY=$2
	FAULT_WAY=$1 FAULT_T0="" FAULT_INJECTED=0
	note "== $1 run: $3 messages"
	soak_run "$3"
	expect_no_warnings
	soak_report "$1" "$3"
	lib_kill_tracked
	instance_down
}

mkdir -p "$OUT_DIR"
[ "$N_STOCK" -eq 0 ] || soak_way stock stock "$N_STOCK"
soak_way ours ours "$N"
! grep -q '^GREW:' "$I/report" ||
    fail "memory grew after the warm-up: $(sed -n 's/^GREW://p' "$I/report")"
[ "$SOAK_FDS_OK" = 1 ] || fail "more idle descriptors after the run: $SOAK_IDLE_FDS"
