#!/bin/bash
# 91-tlsproxy-server-bad-clients.sh - broken TLS clients behind postscreen
#
# While one s_client session holds its TLS connection open in tlsproxy
# (after its EHLO), a second client answers "220 Ready to start TLS"
# with text instead of a ClientHello and a third sends half a
# ClientHello and hangs up. tlsproxy logs OpenSSL's reason (if any),
# "TLS handshake failed for service=smtpd peer=..." and DISCONNECT for
# each; then the first session carries on (EHLO done, MAIL, RCPT gets
# postscreen's 450, QUIT), in the same tlsproxy process. Stock and ours
# must log the same tlsproxy and postscreen lines (postscreen's HANGUP
# lines carry a duration and are only counted). TLSREUSE_TLSPROXY=ours
# unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

need_program openssl
SRC_GOOD=$NET.1 SRC_GARBAGE=$NET.2 SRC_PARTIAL=$NET.3

bad_clients_scenario() {
	local pids
	instance_up
	ps_client "$SRC_GOOD" around "$SRC_GARBAGE" "$SRC_PARTIAL" \
	    >"$I/around.out" 2>&1 || {
		sed 's/^/    /' "$I/around.out" >&2
		fail "the clients did not see what they should (above)"
	}
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.1\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: CONNECT from \[$NET_RE\.[123]\]:[0-9]+$" 3 \
	    "tlsproxy server-role connections"
	expect_count "postfix/tlsproxy\[[0-9]+\]: TLS handshake failed for service=smtpd peer=\[$NET_RE\.[23]\]:[0-9]+$" 2 \
	    "tlsproxy handshake failures"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.1\]:[0-9]+: TLSv1\.3 " 1 \
	    "the good session's handshake"
	expect_count "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.[123]\]:[0-9]+$" 3 \
	    "tlsproxy disconnects"
	expect_count "postfix/postscreen\[[0-9]+\]: PASS NEW \[$NET_RE\.1\]:" 1 \
	    "the good client passes"
	expect_count "postfix/postscreen\[[0-9]+\]: HANGUP after [0-9.]+ from \[$NET_RE\.[23]\]:[0-9]+ in tests after SMTP handshake$" 2 \
	    "postscreen sees the broken clients hang up"
	pids=$(grep -oE 'postfix/tlsproxy\[[0-9]+\]' "$I/maillog" | sort -u | wc -l)
	[ "$pids" -eq 1 ] || fail "$pids tlsproxy processes; the test needs one"
}

both_ways bad_clients_scenario \
    "$SERVER_LOG_ERE"
