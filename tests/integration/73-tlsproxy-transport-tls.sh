#!/bin/bash
# 73-tlsproxy-transport-tls.sh - TLS set only on the transport (master.cf)
#
# main.cf says smtp_tls_security_level = none; the transport that carries
# the mail turns TLS on with "-o smtp_tls_security_level=secure" in
# master.cf. Stock 3.7.11 tlsproxy only sets up its client role from
# main.cf, so the first request makes it dereference a NULL pointer:
# master(8) logs it killed by signal 11 and nothing is delivered. Our
# tlsproxy loads a context for every smtp/lmtp service of master.cf before
# the privilege drop and must deliver every message without a warning.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

# make check-oracle puts stock daemons in place of ours: nothing to show.
[ -z "${TLSREUSE_OURS_DIR:-}" ] || skip "checks our tlsproxy only"

N=10

transport_instance() {
	instance_up --main 'smtp_tls_security_level = none' \
	    --main 'default_transport = tlssmtp' \
	    --main 'tlssmtp_destination_concurrency_limit = 1' \
	    --master-line 'tlssmtp unix - - n - - smtp -o smtp_tls_security_level=secure'
}

note "stock tlsproxy: expected to crash"
TLSREUSE_TLSPROXY=stock transport_instance
send_messages 1
wait_for_maillog 'warning: process [^ ]*/tlsproxy pid [0-9]+ killed by signal 11'
expect_none 'status=sent' "deliveries with the stock tlsproxy"
instance_down

note "our tlsproxy: must deliver"
TLSREUSE_TLSPROXY=ours transport_instance
send_messages "$N"
wait_for_queue_empty
wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' "$N" \
    "messages received by the sink"
expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to \[127\.0\.0\.1\]' 1 \
    "tlsproxy client-role connections"
expect_count 'Verified TLS connection reused' $((N - 1)) "smtp TLS reuses"
expect_no_warnings
