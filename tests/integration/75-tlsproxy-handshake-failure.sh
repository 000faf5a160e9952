#!/bin/bash
# 75-tlsproxy-handshake-failure.sh - the TLS handshake fails at tlsproxy
#
# smtp(8) insists on TLS 1.3 (smtp_tls_mandatory_protocols) while the
# receiving smtpd offers at most TLS 1.2: the handshake that tlsproxy runs
# fails. tlsproxy logs OpenSSL's reason, "TLS handshake failed for
# service=smtp peer=[127.0.0.1]:port" and DISCONNECT, and closes; smtp(8)
# sees no TLS context and defers with "Cannot start TLS: handshake
# failure". Stock and ours must log the same smtp(8) and tlsproxy lines.
# TLSREUSE_TLSPROXY=ours unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

failure_scenario() {
	instance_up --main 'smtp_tls_mandatory_protocols = >=TLSv1.3' \
	    --main 'smtpd_tls_protocols = <=TLSv1.2'
	send_messages 1
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=deferred'
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*status=deferred \(Cannot start TLS: handshake failure\)' 1 \
	    "deferral with smtp(8)'s reason"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: TLS handshake failed for service=smtp peer=\[127\.0\.0\.1\]:[0-9]+$' 1 \
	    "tlsproxy's handshake failure"
	wait_for_maillog 'postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[127\.0\.0\.1\]:[0-9]+$'
	expect_none 'status=sent' "deliveries"
}

both_ways failure_scenario \
    'postfix/tlsproxy\[[0-9]+\]: (CONNECT|TLS handshake failed|DISCONNECT|warning:)'
