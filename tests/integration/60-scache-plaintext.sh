#!/bin/bash
# 60-scache-plaintext.sh - plaintext SMTP connections reused through scache
#
# With TLS off, smtp(8) caches its TCP connection itself in scache(8):
# the first message connects, every later one of the backlog reuses the
# cached socket (conn_use counts up to N). scache holds no TLS summary
# for these, so ours logs no reuse line. Stock and ours must log the same
# smtp(8) lines.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=20

plaintext_scenario() {
	instance_up --tls-level none
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
	    "messages received by the sink"
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*conn_use=' \
	    $((N - 1)) "deliveries over a cached connection"
	expect_count "conn_use=$N," 1 "the last delivery's conn_use"
	expect_none 'TLS connection' "TLS lines"
	expect_no_warnings
}

both_ways plaintext_scenario
