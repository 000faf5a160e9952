#!/bin/bash
# 105-fault-sink-stall.sh - the remote server stops reading mid-DATA
#
# smtp(8) relays through stall-proxy.pl, a TCP relay in front of the
# receiving smtpd, and gives up on a silent server after 10 s (its data
# timeouts, 180 s and 600 s by default). 80 messages of 256 KB are
# released; after 20 deliveries the relay freezes the next connection
# that is inside a message's DATA: the server neither reads nor answers
# any more. That delivery must time out in the DATA phase and be
# deferred, while the other connections go on delivering. The queue is
# then flushed until empty. With stock and with ours: no message lost, no
# process ended, and mail delivered while the frozen connection waited.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

N=80
SIZE=262144
TIMEOUT=10
STALLED_RE="postfix/smtp\\[[0-9]+\\]: $FAULT_QID: .*status=deferred \\(conversation with .* timed out while sending (message body|end of data)"

stall_scenario() {
	local proxy_port dir before during
	read -r proxy_port <<<"$(free_ports 1)"
	fault_instance_up --main "relayhost = [127.0.0.1]:$proxy_port" \
	    --main "smtp_data_xfer_timeout = ${TIMEOUT}s" \
	    --main "smtp_data_done_timeout = ${TIMEOUT}s"
	dir=$I/stall
	mkdir "$dir"
	perl "$LIB_SRCDIR/stall-proxy.pl" "$proxy_port" "$PORT_SINK" "$dir" \
	    2>"$dir/err" &
	track_pid $!
	lib_wait_until 10 test -e "$dir/ready" ||
	    harness_error "stall-proxy.pl did not start: $(cat "$dir/err")"
	fault_release "$N" "$SIZE"
	fault_wait_sent 20 60
	: >"$dir/stall"
	lib_wait_until 30 test -e "$dir/stalled" ||
	    harness_error "stall-proxy.pl froze no connection in DATA"
	before=$(maillog_count "$FAULT_SENT")
	note "a connection froze mid-DATA after $before deliveries"
	wait_for_maillog "$STALLED_RE" 1 $((TIMEOUT * 4))
	during=$(($(maillog_count "$FAULT_SENT") - before))
	note "$during deliveries while the frozen connection waited"
	fault_recover 120
	fault_expect_no_loss
	fault_expect_deaths
	fault_result "delivered-during-stall=$during"
	fault_runs_ours || return 0
	[ "$during" -gt 0 ] || fail "no delivery while one connection was frozen"
}

fault_both stall_scenario
