#!/bin/bash
# 81-tlsproxy-policy-reuse.sh - connection reuse for one destination only
#
# main.cf leaves smtp_tls_connection_reuse = no; a texthash: entry of
# smtp_tls_policy_maps for the relayhost's destination, [127.0.0.1]:PORT,
# says "secure match=mx.tlsreuse.test connection_reuse=yes". smtp(8) must
# then hand that destination's TLS to tlsproxy and reuse the connection:
# one handshake for N messages, as with stock. 20-reuse-off.sh is the
# control (no policy entry, no reuse). TLSREUSE_TLSPROXY and
# TLSREUSE_SCACHE default to ours here.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=10

policy_reuse_scenario() {
	instance_up --reuse no \
	    --main 'smtp_tls_policy_maps = texthash:${config_directory}/tls_policy'
	# smtp(8) opens the map when it first starts, after this.
	echo "[127.0.0.1]:$PORT_SINK secure match=$LIB_MX_NAME connection_reuse=yes" \
	    >"$I/conf/tls_policy"
	lib_backdate "$I/conf/tls_policy"
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
	    "messages received by the sink"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' 1 \
	    "smtp TLS handshakes"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection reused' \
	    $((N - 1)) "smtp TLS reuses"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to \[127\.0\.0\.1\]' 1 \
	    "tlsproxy client-role connections"
	expect_no_warnings
}

both_ways policy_reuse_scenario \
    'postfix/tlsproxy\[[0-9]+\]: [A-Za-z]+ TLS connection established'
