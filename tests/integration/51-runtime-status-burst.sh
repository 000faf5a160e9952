#!/bin/bash
# 51-runtime-status-burst.sh - no status change is lost when master lags
#
# master(8) reads its children's 12-byte status records one at a time.
# Here it is stopped (SIGSTOP) while 300 local clients connect to our
# tlsproxy and 300 to our scache (both report TAKEN/AVAIL around each
# accept): 1200 records, far more than the shared status socket holds.
# Once master runs again, each daemon sends the state master must know
# last, available, so: no "status socket full" warning, master forks no
# second tlsproxy for the next connection (it would if it believed the
# first one busy), no daemon ended, and mail still flows over reused
# connections afterwards.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
require_ours scache tlsproxy

CLIENTS=300
HELD_LEFT='postfix/tlsproxy\[[0-9]+\]: warning: tlsp_get_request_event: receive request attributes: (Connection reset by peer|Broken pipe)'
REUSED='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'

# daemon_pids NAME: the pids of NAME in the instance's process group.
daemon_pids() {
	pgrep -g "$(lib_master_pid)" -x "$1" | sort | tr '\n' ' '
}

# burst: hold CLIENTS connections to each of private/tlsproxy and
# private/scache, print "done" when all are made, then wait for stdin to
# close.
burst() {
	perl -MIO::Socket::UNIX -e '
		my ($tlsproxy, $scache, $n) = @ARGV;
		alarm 120;
		my @held;
		for my $path ($tlsproxy, $scache) {
			for (1 .. $n) {
				push @held, IO::Socket::UNIX->new(Peer => $path)
				    or die "connect $path: $!\n";
			}
		}
		$| = 1;
		print "done\n";
		<STDIN>;' "$I/queue/private/tlsproxy" "$I/queue/private/scache" \
	    "$CLIENTS"
}

status_burst_scenario() {
	local master tp sc line problems
	# A tlsproxy ends by itself after max_use clients; not here.
	instance_up --main 'max_use = 100000'
	send_messages 3
	wait_for_queue_empty
	master=$(lib_master_pid)
	tp=$(daemon_pids tlsproxy)
	sc=$(daemon_pids scache)
	[ -n "$tp" ] && [ -n "$sc" ] || fail "tlsproxy or scache not running"
	note "master $master stopped; burst of $CLIENTS clients each"
	kill -STOP "$master"
	coproc BURST { burst; }
	read -r -t 120 -u "${BURST[0]}" line || line=""
	kill -CONT "$master"
	[ "$line" = done ] || fail "the burst did not complete"
	eval "exec ${BURST[1]}>&-"
	wait "$BURST_PID" || fail "the burst client failed"
	# master catches up (no sign of it in the log: wait until it and
	# both daemons are idle); then one more connection must not fork.
	lib_wait_until 20 settled "$master" $tp $sc ||
	    fail "master and the daemons did not settle"
	perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Peer => $ARGV[0])
	    or die "connect: $!\n"; sleep 1' "$I/queue/private/tlsproxy"
	[ "$(daemon_pids tlsproxy)" = "$tp" ] ||
	    fail "tlsproxy processes $tp became $(daemon_pids tlsproxy):" \
	    "master missed an AVAIL"
	[ "$(daemon_pids scache)" = "$sc" ] || fail "scache was replaced"
	send_messages 5
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' 8
	expect_at_least "$REUSED" 4 "smtp TLS reuses after the burst"
	expect_none 'status socket full' "lost status updates"
	expect_none 'postfix/master\[[0-9]+\]: warning: .*(exit status|killed by signal)' \
	    "daemons that ended"
	# The held tlsproxy clients and the extra one left without a
	# request, each with one warning; nothing else may warn.
	expect_at_least "$HELD_LEFT" "$CLIENTS" "held clients closed"
	problems=$(grep -E -- "$LIB_PROBLEM" "$I/maillog" |
	    grep -cvE -- "$HELD_LEFT|$LIB_BENIGN" || true)
	[ "$problems" -eq 0 ] || fail "$problems other warning/error lines"
}

# waiting PID...: each PID is blocked in epoll_wait (232) or epoll_pwait
# (281), i.e. has nothing left to read or write.
waiting() {
	local pid nr rest
	for pid; do
		read -r nr rest 2>/dev/null <"/proc/$pid/syscall" || return 1
		[ "$nr" = 232 ] || [ "$nr" = 281 ] || return 1
	done
}

# settled PID...: waiting, and still so a moment later (a record sent
# just after the first look wakes master again).
settled() {
	waiting "$@" || return 1
	read -r -t 0.1 -u "$LIB_NAP_FD" _ || true
	waiting "$@"
}

status_burst_scenario
