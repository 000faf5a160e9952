#!/bin/bash
# 10-reuse.sh - N messages over one reused TLS connection
#
# smtp(8) with smtp_tls_connection_reuse = yes hands the TLS handshake to
# tlsproxy(8) and parks the connection in scache(8) between deliveries.
# With a backlog and one delivery at a time, the first message pays for the
# handshake and every later one reuses it: 1 "established", N-1 "reused",
# N "status=sent", no warnings. Stock and ours must log the same.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=50

reuse_scenario() {
	instance_up
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*status=sent' "$N" \
	    "smtp deliveries"
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
	    "messages received by the sink"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' 1 \
	    "smtp TLS handshakes"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection reused' \
	    $((N - 1)) "smtp TLS reuses"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to \[127\.0\.0\.1\]' 1 \
	    "tlsproxy client-role connections"
	expect_count "conn_use=$N," 1 "the last delivery's conn_use"
	expect_no_warnings
}

both_ways reuse_scenario
