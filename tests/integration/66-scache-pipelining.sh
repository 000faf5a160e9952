#!/bin/bash
# 66-scache-pipelining.sh - a client that never reads cannot grow scache
#
# A local client connects to private/scache and pipelines find_dest
# requests as fast as it can (up to 12 MB) without ever reading a reply.
# Our scache stops reading that client once 16 KB of replies wait (its
# socket buffers then hold the rest), so its memory stays flat; the
# deadline set when the request began is not moved by the bytes that keep
# coming, so after connection_cache_protocol_timeout (5 s) the client is
# closed with one warning. Meanwhile smtp(8) is served: mail goes out over
# reused connections, nothing is lost, no daemon ends. The figure is the
# peak RSS (VmHWM). (Ours before read all 12 MB; its peak went from 2.6
# to 11 MB.)
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
require_ours scache

VOLUME=$((12 * 1024 * 1024))
# Growth allowed while the client pushes 12 MB: the held replies, the
# input buffer and allocator slack.
RSS_SLACK_KB=1024
REUSED='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'
TIMEOUT='postfix/scache\[[0-9]+\]: warning: timeout on scache socket while writing a reply'

# pipeline PATH VOLUME: write find_dest requests to PATH, never reading;
# print "stalled BYTES" once writes make no progress for 1 s, then
# "closed BYTES" when the server closes the connection (or "done BYTES"
# after VOLUME bytes, or "open BYTES" if still open 20 s later).
pipeline() {
	perl -MSocket -MFcntl -MTime::HiRes=time,sleep -e '
		my ($path, $volume) = @ARGV;
		socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
		connect($s, pack_sockaddr_un($path)) or die "connect: $!\n";
		fcntl($s, F_SETFL, O_NONBLOCK) or die "fcntl: $!\n";
		$SIG{PIPE} = "IGNORE";
		$| = 1;
		my $req = "request\0find_dest\0label\0pipelined.example\0\0";
		my $chunk = $req x 1024;
		my ($sent, $last, $stalled, $start) = (0, time, 0, time);
		while ($sent < $volume) {
			# A partial write goes on where it stopped.
			my $at = $sent % length($chunk);
			my $n = syswrite($s, $chunk, length($chunk) - $at, $at);
			if (defined $n) {
				$sent += $n;
				$last = time;
				next;
			}
			if (!$!{EAGAIN}) {
				print "closed $sent\n";
				exit 0;
			}
			if (!$stalled && time - $last > 1) {
				print "stalled $sent\n";
				$stalled = 1;
			}
			if (time - $start > 20) {
				print "open $sent\n";
				exit 0;
			}
			sleep 0.01;
		}
		print "done $sent\n";' "$1" "$2"
}

# peak PID: the peak resident set size (VmHWM) in kB.
peak() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

pipelining_scenario() {
	local pid before stalled_at line bytes after
	instance_up
	send_messages 3
	wait_for_queue_empty
	pid=$(pgrep -g "$(lib_master_pid)" -x scache) || fail "scache not running"
	before=$(peak "$pid")
	coproc PIPE { pipeline "$I/queue/private/scache" "$VOLUME"; }
	read -r -t 30 -u "${PIPE[0]}" line bytes || line=""
	[ "$line" = stalled ] || fail "the client was not held back: '$line $bytes'"
	stalled_at=$(peak "$pid")
	note "scache peak RSS $before kB before, $stalled_at kB once the" \
	    "client was held after $bytes bytes"
	# Others are served while it is held.
	send_messages 5
	wait_for_queue_empty
	after=$(peak "$pid")
	read -r -t 30 -u "${PIPE[0]}" line bytes || line=""
	[ "$line" = closed ] || fail "the client was not closed: '$line $bytes'"
	wait "$PIPE_PID" || true
	note "scache peak RSS $after kB after mail flowed; client closed" \
	    "after $bytes bytes"
	[ "$stalled_at" -le $((before + RSS_SLACK_KB)) ] &&
	    [ "$after" -le $((before + RSS_SLACK_KB)) ] ||
	    fail "scache grew from $before kB to $stalled_at/$after kB"
	[ "$(pgrep -g "$(lib_master_pid)" -x scache)" = "$pid" ] ||
	    fail "scache was replaced"
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' 8
	expect_at_least "$REUSED" 5 "smtp TLS reuses"
	expect_count "$TIMEOUT" 1 "the pipelining client's timeout"
	expect_none 'postfix/master\[[0-9]+\]: warning: .*(exit status|killed by signal)' \
	    "daemons that ended"
	[ "$(grep -E -- "$LIB_PROBLEM" "$I/maillog" |
	    grep -cvE -- "$TIMEOUT|$LIB_BENIGN")" -eq 0 ] ||
	    fail "other warnings in the maillog"
}

pipelining_scenario
