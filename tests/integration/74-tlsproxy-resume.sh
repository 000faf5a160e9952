#!/bin/bash
# 74-tlsproxy-resume.sh - new handshakes resume the TLS session via tlsmgr
#
# smtp_connection_reuse_count_limit = 3 closes the proxied connection
# after three deliveries, so 9 messages need 3 TLS handshakes through
# tlsproxy. The first one saves its session in tlsmgr's smtp cache; the
# next ones look it up and resume it, which smtp(8) shows in its
# "established" line: a resumed TLS 1.3 session has no server-digest, so
# the 2nd and 3rd lines end at "(prime256v1)". smtp's lines must equal
# stock's (a tlsproxy that does not resume fails here); tlsproxy's CONNECT
# and summary lines are compared too. TLSREUSE_TLSPROXY=ours unless set;
# runs with the stock scache and with ours (TLSREUSE_SCACHE chooses one).
#
# SPDX-License-Identifier: EPL-2.0

SCACHES=${TLSREUSE_SCACHE:-stock ours}
. "$(dirname "$0")/lib.sh"

N=9

resume_scenario() {
	instance_up --main 'smtp_connection_reuse_count_limit = 3'
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' 3 \
	    "smtp TLS handshakes"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to ' 3 \
	    "tlsproxy client-role connections"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established .*\(prime256v1\)$' 2 \
	    "smtp lines of resumed sessions"
	wait_for_maillog 'postfix/tlsproxy\[[0-9]+\]: DISCONNECT ' 2
	expect_no_warnings
}

for TLSREUSE_SCACHE in $SCACHES; do
	both_ways resume_scenario \
	    'postfix/tlsproxy\[[0-9]+\]: (CONNECT|Verified TLS connection established)'
done
