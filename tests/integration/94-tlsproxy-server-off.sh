#!/bin/bash
# 94-tlsproxy-server-off.sh - server role off: STARTTLS refused, cleanly
#
# tlsproxy_tls_security_level = none turns tlsproxy's server role off
# while postscreen still offers STARTTLS. tlsproxy warns at start-up and
# answers each server request with status 0; postscreen replies "454
# 4.7.0 TLS not available due to local problem" and the client carries
# on in plaintext to postscreen's 450 and a PASS NEW. Stock and ours
# must log the same postscreen and tlsproxy lines. TLSREUSE_TLSPROXY=ours
# unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

SRC=$NET.1
SRC_RE=${SRC//./\\.}

off_scenario() {
	instance_up --main 'tlsproxy_tls_security_level = none'
	ps_client "$SRC" refused >"$I/refused.out" 2>&1 || {
		sed 's/^/    /' "$I/refused.out" >&2
		fail "the client did not see what it should (above)"
	}
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$SRC_RE\]"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: TLS server role is disabled with tlsproxy_tls_security_level or tlsproxy_use_tls$' 1 \
	    "tlsproxy's start-up warning"
	expect_count "postfix/tlsproxy\[[0-9]+\]: TLS handshake failed for service=smtpd peer=\[$SRC_RE\]:[0-9]+$" 1 \
	    "tlsproxy's refusal"
	expect_count "postfix/postscreen\[[0-9]+\]: PASS NEW \[$SRC_RE\]:" 1 \
	    "postscreen carries on"
}

both_ways off_scenario \
    "$SERVER_LOG_ERE"
