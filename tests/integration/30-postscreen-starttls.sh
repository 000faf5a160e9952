#!/bin/bash
# 30-postscreen-starttls.sh - postscreen hands STARTTLS to tlsproxy
#
# A new client that passes postscreen's after-220 tests talks TLS with
# tlsproxy's server role (postscreen does no TLS itself), gets the 450
# that ends every such first session, and is remembered: its next
# connection is "PASS OLD", goes to smtpd, and its mail is delivered.
# Each run uses a fresh postscreen cache, both from the same random
# 127/8 source address.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

need_program swaks
SRC=$(random_loopback_ip)
SRC_RE=${SRC//./\\.}

# swaks_session OUT: one STARTTLS session from $SRC to postscreen.
swaks_session() {
	swaks --server "127.0.0.1:$PORT_PS" --local-interface "$SRC" --tls \
	    --ehlo pstest.tlsreuse.test --from pstest@tlsreuse.test \
	    --to "$LIB_SINK_RCPT" --timeout 10 >"$1" 2>&1 || true
}

# expect_in_file FILE ERE WHAT
expect_in_file() {
	grep -qE -- "$2" "$1" || {
		sed 's/^/    /' "$1" >&2
		fail "$3: no line matching '$2' in $1 (above)"
	}
}

postscreen_scenario() {
	instance_up
	swaks_session "$I/first.out"
	expect_in_file "$I/first.out" '^<~\* +450 4\.3\.2' \
	    "first session: 450 after TLS"
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$SRC_RE\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: CONNECT from \[$SRC_RE\]:" 1 \
	    "tlsproxy server-role connections"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$SRC_RE\]:" 1 \
	    "tlsproxy server-role handshakes"
	expect_count "postfix/postscreen\[[0-9]+\]: PASS NEW \[$SRC_RE\]:" 1 \
	    "postscreen PASS NEW"

	swaks_session "$I/second.out"
	expect_in_file "$I/second.out" '^<~ +250 2\.0\.0 Ok: queued' \
	    "second session: mail accepted"
	wait_for_queue_empty
	wait_for_maillog 'postfix/discard\[[0-9]+\]: .*status=sent \(postscreen\)'
	expect_count "postfix/postscreen\[[0-9]+\]: PASS OLD \[$SRC_RE\]:" 1 \
	    "postscreen PASS OLD"
	expect_count "postfix/ps-smtpd/smtpd\[[0-9]+\]: Anonymous TLS connection established from unknown\[$SRC_RE\]" 1 \
	    "smtpd handshakes after PASS OLD"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT from' 1 \
	    "tlsproxy connections in all"
	expect_no_warnings
}

both_ways postscreen_scenario 'postfix/postscreen\['
