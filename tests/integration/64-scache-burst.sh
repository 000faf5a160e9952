#!/bin/bash
# 64-scache-burst.sh - several smtp(8) processes sharing cached connections
#
# With five deliveries at a time, several TLS connections are open and
# parked in scache(8) at once, and each smtp process takes whichever
# connection is oldest. The order of log lines then varies from run to
# run, so stock and ours are compared on what happened to the mail, and
# ours logs one reuse line per "TLS connection reused" (the burst fills
# postlogd's 10-datagram queue, so this also shows that the postlogd
# sink waits for room instead of dropping records).
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/scache-lib.sh"

N=100
REUSED='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'

burst_scenario() {
	local reused handed
	instance_up --main 'smtp_destination_concurrency_limit = 5'
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
	    "messages received by the sink"
	expect_at_least "$REUSED" $((N / 2)) "smtp TLS reuses"
	instance_reload
	wait_for_maillog 'postfix/scache\[[0-9]+\]: statistics: max simultaneous' 1
	expect_no_warnings
	scache_is_ours || return 0
	reused=$(maillog_count "$REUSED")
	handed=$(maillog_count 'postfix/scache\[[0-9]+\]: Verified TLS connection handed out')
	[ "$handed" -eq "$reused" ] ||
	    fail "$handed scache reuse lines for $reused smtp reuses"
}

require_ours scache
lib_run_way stock stock stock burst_scenario ""
lib_run_way ours ours "$TLSREUSE_TLSPROXY" \
    burst_scenario ""
diff -u "$LIB_TMP/stock.outcome" "$LIB_TMP/ours.outcome" >&2 ||
    fail "stock and ours deliver differently"
note "stock and ours deliver the same: $(tr -s ' \n' ' ' <"$LIB_TMP/ours.outcome")"
