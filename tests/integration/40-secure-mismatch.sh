#!/bin/bash
# 40-secure-mismatch.sh - a certificate that does not match must defer
#
# At TLS level "secure" smtp(8) insists that the server certificate names
# the match name; here it asks for a name the certificate lacks. The TLS
# handshake through tlsproxy still completes ("Untrusted"), but nothing
# may be sent: the message is deferred with smtp(8)'s reason "Server
# certificate not verified", and the connection is not kept for reuse.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

mismatch_scenario() {
	instance_up --main 'smtp_tls_secure_cert_match = other.tlsreuse.test'
	send_messages 1
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=deferred'
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*dsn=4\.7\.5, status=deferred \(Server certificate not verified\)' 1 \
	    "deferral with smtp(8)'s reason"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: server certificate verification failed for .*: num=62:hostname mismatch' 1 \
	    "tlsproxy's verification failure"
	expect_count 'postfix/smtp\[[0-9]+\]: Untrusted TLS connection established' 1 \
	    "smtp's untrusted handshake"
	expect_none 'status=sent' "deliveries"
	expect_none 'TLS connection reused' "TLS reuses"
	expect_no_warnings
	[ "$(queue_count)" -eq 1 ] || fail "queue: $(queue_count) messages, expected 1"
}

both_ways mismatch_scenario
