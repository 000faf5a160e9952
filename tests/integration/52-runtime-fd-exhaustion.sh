#!/bin/bash
# 52-runtime-fd-exhaustion.sh - out of descriptors, our daemons carry on
#
# master(8) is given a descriptor limit of 256 (prlimit: it raised its
# soft limit to the hard one at start), which the daemons it starts from
# then on inherit. A local client then
# holds 300 idle connections to private/scache and 300 to
# private/tlsproxy (more than one process can accept) while mail flows,
# and lets them go. Stock daemons log "accept connection: Too many open
# files" 13 times and exit ("too many errors"), taking the cached
# connections with them. Ours must: stop accepting for a moment and warn
# once per minute per process (this run is shorter: at most once each),
# keep serving what is open (tlsproxy also reports itself busy so that
# master(8) starts another process for the waiting clients), never exit,
# lose no message (each delivered, or deferred and delivered by a queue
# flush at the end), and the same scache answers again once the clients
# are gone.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
require_ours scache tlsproxy

NOFILE=256
HOLD=300
REUSED='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'
PAUSED='postfix/(scache|tlsproxy)\[[0-9]+\]: warning: accept connection: Too many open files; not accepting new connections for 1000 ms'
ENDED='postfix/master\[[0-9]+\]: warning: process .*/tlsreuse/(scache|tlsproxy) pid [0-9]+ (exit status|killed by signal)'
# Expected while the clients are held: tlsproxy's word on the held
# clients leaving without a request and on a remote socket it had no room
# for (that delivery is deferred), scache's on a save whose descriptor
# found no room, smtp(8) waiting in vain for the cache (whose queue the
# held clients fill) or the proxy, and then caching no more.
EXPECTED="$PAUSED|tlsp_get_request_event: receive request attributes|tlsp_get_fd_event: receive remote SMTP peer file descriptor|scache_save_endp_service: unable to receive file descriptor: descriptor table full|postfix/smtp\\[[0-9]+\\]: warning: (.*(private/scache|private/tlsproxy)|disabling connection caching)"

# hold: connect up to HOLD times to each socket given, without blocking
# (a full listen queue is retried for up to 10 s), print "held N M ...",
# then keep the connections until stdin closes.
hold() {
	perl -MSocket -MFcntl -e '
		my ($n, @paths) = @ARGV;
		my (%held, @out);
		my $deadline = time + 10;
		for my $path (@paths) {
			$held{$path} = [];
			while (@{$held{$path}} < $n && time < $deadline) {
				socket(my $s, AF_UNIX, SOCK_STREAM, 0)
				    or die "socket: $!\n";
				fcntl($s, F_SETFL, O_NONBLOCK) or die "fcntl: $!\n";
				if (connect($s, pack_sockaddr_un($path))) {
					push @{$held{$path}}, $s;
				} elsif ($!{EAGAIN}) {
					select(undef, undef, undef, 0.01);
				} else {
					die "connect $path: $!\n";
				}
			}
			push @out, scalar @{$held{$path}};
		}
		$| = 1;
		print "held @out\n";
		<STDIN>;' "$HOLD" "$@"
}

# sent: deliveries logged by smtp(8) so far.
sent() {
	maillog_count 'postfix/smtp\[[0-9]+\]: .*status=sent'
}

# settled: every message is delivered or deferred (nothing in flight).
settled() {
	local d
	for d in maildrop incoming active hold; do
		! compgen -G "$I/queue/$d/*" >/dev/null || return 1
	done
}

# deliver N WHAT: send N messages; wait until each is delivered or, if
# its delivery failed, deferred (still queued: not lost).
deliver() {
	send_messages "$1"
	lib_wait_until 120 settled || fail "$2: messages still in flight"
	note "$2: $(sent) delivered in all, $(queue_count) deferred"
}

# daemon_pids NAME: the pids of NAME in the instance's process group.
daemon_pids() {
	pgrep -g "$(lib_master_pid)" -x "$1" | sort | tr '\n' ' '
}

# more_than PIDS NAME: more NAME processes run now than PIDS lists.
more_than() {
	local now
	now=$(daemon_pids "$2")
	[ "$(wc -w <<<"$now")" -gt "$(wc -w <<<"$1")" ]
}

# scache_answers: a find_endp on a new connection to private/scache gets
# its reply.
scache_answers() {
	perl -MIO::Socket::UNIX -e '
		alarm 5;
		my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 1;
		local $/ = "\0\0";
		<$s> =~ /^protocol\0connection_cache_protocol\0/ or exit 1;
		print $s "request\0find_endp\0label\0probe\0\0";
		my $reply = "";
		sysread($s, $reply, 64) > 0 && $reply =~ /^status\0/ or exit 1;' \
	    "$I/queue/private/scache"
}

fd_exhaustion_scenario() {
	local line others master tp sc t0=$EPOCHSECONDS minutes pid count
	instance_up
	master=$(lib_master_pid)
	prlimit --pid "$master" --nofile="$NOFILE:$NOFILE" ||
	    harness_error "prlimit failed"
	deliver 5 "before"
	expect_count "$REUSED" 4 "smtp TLS reuses before"
	tp=$(daemon_pids tlsproxy)
	sc=$(daemon_pids scache)
	# master is stopped while the clients connect, so that it cannot
	# spread them over new tlsproxy processes: one process fills up.
	kill -STOP "$master"
	coproc HOLDER { hold "$I/queue/private/scache" "$I/queue/private/tlsproxy"; }
	read -r -t 30 -u "${HOLDER[0]}" line || line=""
	note "$line"
	case $line in "held $HOLD $HOLD") ;; *)
		kill -CONT "$master"
		fail "holder: '$line'" ;;
	esac
	lib_wait_until 30 lib_maillog_has "$PAUSED" 2
	kill -CONT "$master"
	expect_count 'postfix/scache\[[0-9]+\]: warning: accept connection' 1
	expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: accept connection' 1
	# The full tlsproxy said it was busy: master starts another one.
	lib_wait_until 30 more_than "$tp" tlsproxy ||
	    fail "no second tlsproxy for the waiting clients"
	deliver 3 "while held"
	eval "exec ${HOLDER[1]}>&-"
	wait "$HOLDER_PID" || true
	# The same scache serves again (smtp processes that gave up on it
	# stay without cache until they exit, as with stock).
	lib_wait_until 10 scache_answers ||
	    fail "scache does not answer after the clients left"
	[ "$(daemon_pids scache)" = "$sc" ] || fail "scache was replaced"
	deliver 5 "after"
	# Nothing lost: what was deferred goes out now.
	postqueue -c "$I/conf" -f || harness_error "postqueue -f failed"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' 13
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' 13 \
	    "messages received by the sink"
	expect_none "$ENDED" "our daemons ending"
	expect_none 'too many errors' "fatal accept errors"
	# At most one warning per process and started minute.
	minutes=$(((EPOCHSECONDS - t0) / 60 + 1))
	while read -r count pid; do
		[ "$count" -le "$minutes" ] ||
		    fail "$pid warned $count times in $minutes minute(s)"
	done < <(grep -oE "$PAUSED" "$I/maillog" | grep -oE '\[[0-9]+\]' |
	    sort | uniq -c)
	others=$(grep -E -- "$LIB_PROBLEM" "$I/maillog" |
	    grep -cvE -- "$EXPECTED|$LIB_BENIGN" || true)
	[ "$others" -eq 0 ] || fail "$others unexpected warning/error lines"
}

fd_exhaustion_scenario
