#!/bin/bash
# 82-tlsproxy-bulk.sh - many messages through our tlsproxy and scache
#
# TLSREUSE_BULK_COUNT messages (default 1000) relayed over reused TLS,
# once with the stock tlsproxy and scache, once with both of ours. Every message must
# reach the sink, nothing may warn, and ours must reuse connections at
# least as often as stock on the same workload. Both runs' handshake and
# reuse counts and times are printed.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=${TLSREUSE_BULK_COUNT:-1000}
HANDSHAKES='postfix/smtp\[[0-9]+\]: Verified TLS connection established'
REUSES='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'

bulk_scenario() {
	local t0=$EPOCHREALTIME label=${TLSREUSE_TLSPROXY}
	instance_up
	send_messages "$N" 200
	wait_for_queue_empty 60
	wait_for_maillog 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N"
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*status=sent' "$N" \
	    "smtp deliveries"
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
	    "messages received by the sink"
	expect_no_warnings
	maillog_count "$REUSES" >"$LIB_TMP/$label.reuses"
	note "$label: $N messages in $(lib_elapsed "$t0") s," \
	    "$(maillog_count "$HANDSHAKES") handshakes," \
	    "$(cat "$LIB_TMP/$label.reuses") reuses"
}

require_ours scache tlsproxy
lib_run_way stock stock stock bulk_scenario ""
lib_run_way ours ours ours bulk_scenario ""
diff -u "$LIB_TMP/stock.outcome" "$LIB_TMP/ours.outcome" >&2 ||
    fail "stock and ours deliver differently"
stock=$(cat "$LIB_TMP/stock.reuses") ours=$(cat "$LIB_TMP/ours.reuses")
[ "$ours" -ge "$stock" ] ||
    fail "ours reused $ours connections, stock $stock"
note "reuses: stock $stock, ours $ours; outcome:" \
    "$(tr -s ' \n' ' ' <"$LIB_TMP/ours.outcome")"
