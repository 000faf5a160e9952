#!/bin/bash
# 50-runtime-master.sh - the common/server.c skeleton under the real master(8)
#
# testsvc (tests/integration/testsvc.c) answers one line per connection
# with "<greeting> <pid> <line>". Started by the stock master from
# master.cf lines, it must: answer; report busy/idle so that master hands
# the next connection to the same idle process instead of spawning
# another; log through postlogd with Postfix's identity; exit on
# "postfix reload", on max_idle, and (with -r) retire without cutting a
# connection it already accepted. Both skeleton modes run: EVENT (maxproc
# 0, "-z") and MULTI (maxproc 1, "-l").
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

TESTSVC=$top_builddir/tests/integration/testsvc
[ -x "$TESTSVC" ] || skip "$TESTSVC is not built"

# ask SERVICE LINE [DELAY]: connect to private/SERVICE, wait DELAY seconds
# (fractions allowed), send LINE, print the one-line answer.
ask() {
	perl -MIO::Socket::UNIX -e '
		my ($path, $line, $delay) = @ARGV;
		alarm 20;
		my $s = IO::Socket::UNIX->new(Peer => $path)
		    or die "connect $path: $!\n";
		select(undef, undef, undef, $delay) if $delay;
		print $s "$line\n";
		my $reply = <$s>;
		defined $reply or die "no answer from $path\n";
		print $reply;' "$I/queue/private/$1" "$2" "${3:-0}"
}

# answer_pid ANSWER: the pid field of an answer.
answer_pid() {
	set -- $1
	echo "$2"
}

# svc_pids ARGV: pids in the instance's process group whose command line
# is exactly ARGV (space-separated), e.g. "testsvc -z -t unix -u".
svc_pids() {
	local master pid cmd
	master=$(lib_master_pid) || return 0
	for pid in $(pgrep -g "$master" -x testsvc); do
		cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
		[ "$cmd" = "$1 " ] && echo "$pid"
	done
	return 0
}

# running ARGV: true while a process with that command line runs.
running() {
	[ -n "$(svc_pids "$1")" ]
}

expect_answer() {
	[ "$1" = "$2" ] || fail "answer '$1', expected '$2'"
}

gone_within() {
	lib_wait_until "$2" lib_proc_gone "$1" ||
	    fail "pid $1 still running after $2 s ($3)"
}

instance_up --libexec-file "$TESTSVC" \
    --master-line 'testsvc unix - - n - 0 testsvc' \
    --master-line 'tsname unix - - n - 0 testsvc -o syslog_name=postfix/$service_name' \
    --master-line 'tsidle unix - - n - 0 testsvc -o max_idle=2' \
    --master-line 'tsretire unix - - n - 0 testsvc -r 3 -o testsvc_greeting=bye' \
    --master-line 'tsmulti unix - - n - 1 testsvc'

note "EVENT mode: answers, then the idle process gets the next request"
A1=$(ask testsvc one) || fail "testsvc did not answer"
P1=$(answer_pid "$A1")
expect_answer "$A1" "hello $P1 one"
A2=$(ask testsvc two) || fail "testsvc did not answer twice"
expect_answer "$A2" "hello $P1 two"
[ "$(svc_pids 'testsvc -z -t unix -u')" = "$P1" ] ||
    fail "expected one testsvc process ($P1), have: $(svc_pids 'testsvc -z -t unix -u')"
[ "$(lib_proc_field "$P1" 3)" = "$(lib_master_pid)" ] ||
    fail "testsvc left master's process group"
wait_for_maillog "postfix/testsvc\\[$P1\\]: request: two" 1

note "identity follows syslog_name=postfix/\$service_name"
PN=$(answer_pid "$(ask tsname named)") || fail "tsname did not answer"
wait_for_maillog "postfix/tsname/testsvc\\[$PN\\]: request: named" 1

note "MULTI mode: the same process serves the next client"
M1=$(answer_pid "$(ask tsmulti m1)") || fail "tsmulti did not answer"
M2=$(answer_pid "$(ask tsmulti m2)") || fail "tsmulti did not answer twice"
[ "$M1" = "$M2" ] || fail "tsmulti: second request went to pid $M2, not $M1"
[ "$(svc_pids 'testsvc -l -n tsmulti -t unix -u')" = "$M1" ] ||
    fail "expected one tsmulti process"

note "max_idle=2: the idle process exits by itself"
PI=$(answer_pid "$(ask tsidle idle)") || fail "tsidle did not answer"
gone_within "$PI" 6 "max_idle=2"

note "-r 3: retirement drains; an accepted connection still gets its answer"
T0=$EPOCHREALTIME
ask tsretire late 5 >"$LIB_TMP/late.answer" &
LATE=$!
RETIRE_ARGV='testsvc -z -n tsretire -t unix -u -r 3 -o testsvc_greeting=bye'
lib_wait_until 5 running "$RETIRE_ARGV" || fail "tsretire did not start"
PR=$(svc_pids "$RETIRE_ARGV")
gone_within "$PR" 6 "retirement after 3 s"
wait "$LATE" || fail "the connection accepted before retirement was cut"
AL=$(cat "$LIB_TMP/late.answer")
PL=$(answer_pid "$AL")
expect_answer "$AL" "bye $PL late"
[ "$PL" != "$PR" ] || fail "the retired process itself answered after retiring"
note "late answer after $(lib_elapsed "$T0") s from drained pid $PL"
gone_within "$PL" 3 "drained child with no client left"
PR2=$(answer_pid "$(ask tsretire fresh)") || fail "no new tsretire"
[ "$PR2" != "$PR" ] && [ "$PR2" != "$PL" ] || fail "no fresh tsretire process"

note "postfix reload: every service's process exits, new ones answer"
P1=$(answer_pid "$(ask testsvc before)")
M1=$(answer_pid "$(ask tsmulti before)")
instance_reload
gone_within "$P1" 5 "EVENT mode after reload"
gone_within "$M1" 5 "MULTI mode after reload"
P3=$(answer_pid "$(ask testsvc after)") || fail "no testsvc after reload"
[ "$P3" != "$P1" ] || fail "testsvc pid $P1 survived the reload"

expect_none 'postfix/master\[[0-9]+\]: warning:' "master warnings"
expect_none 'testsvc\[[0-9]+\]: (warning|error|fatal|panic):' "testsvc problems"
