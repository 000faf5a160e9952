#!/bin/bash
# 20-reuse-off.sh - the same mail with smtp_tls_connection_reuse = no
#
# Without reuse smtp(8) does TLS itself and never caches a TLS connection:
# every message has its own handshake (later ones resume the TLS session
# from tlsmgr's cache), no "reused" line, and tlsproxy is not involved.
# The control for 10-reuse.sh: its counts come from reuse, not the setup.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=10

reuse_off_scenario() {
	instance_up --reuse no
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*status=sent' "$N" \
	    "smtp deliveries"
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
	    "messages received by the sink"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' "$N" \
	    "smtp TLS handshakes"
	expect_none 'TLS connection reused' "TLS reuses"
	expect_none 'conn_use=' "deliveries over a cached connection"
	expect_none 'postfix/tlsproxy\[' "tlsproxy lines"
	expect_no_warnings
}

both_ways reuse_off_scenario
