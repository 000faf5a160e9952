#!/bin/bash
# 62-scache-remote-close.sh - a cached connection the remote server closes
#
# The receiving smtpd gives up on an idle client after 2 s
# (smtpd_timeout) while the connection sits in scache for up to 30 s.
# tlsproxy(8) sees the server go and closes its side of the cached
# socket. Stock scache keeps that dead socket and hands it out; smtp(8)
# finds out with its RSET probe and connects again. Ours notices the
# close, drops the socket at once and counts it (statistics after
# reload: closed-by-peer=1), so the next delivery simply opens a new
# connection: no reuse line, no warning. Both deliver every message.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/scache-lib.sh"

TIMEOUT='postfix/sink/smtpd\[[0-9]+\]: timeout after'

remote_close_scenario() {
	instance_up --main 'smtpd_timeout = 2s' \
	    --main 'connection_cache_ttl_limit = 30s' \
	    --main 'smtp_connection_cache_time_limit = 30s'
	send_messages 1
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' 1
	# The server hangs up on the cached connection.
	wait_for_maillog "$TIMEOUT" 1 10
	sleep 1
	send_messages 1
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' 2
	expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' 2 \
	    "messages received by the sink"
	instance_reload
	wait_for_maillog 'postfix/scache\[[0-9]+\]: statistics: max simultaneous' 1
	scache_is_ours || return 0
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' 2 \
	    "smtp TLS handshakes"
	expect_none 'TLS connection reused' "reuse of the dead connection"
	expect_count 'postfix/scache\[[0-9]+\]: statistics: evicted connections closed-by-peer=1 over-limit=0' 1 \
	    "dead connection evictions"
	expect_no_warnings
}

require_ours scache
lib_run_way stock stock stock remote_close_scenario ""
lib_run_way ours ours "$TLSREUSE_TLSPROXY" \
    remote_close_scenario ""
# smtp(8) lines differ by design (stock hands out the dead connection):
# compare what happened to the mail.
diff -u "$LIB_TMP/stock.outcome" "$LIB_TMP/ours.outcome" >&2 ||
    fail "stock and ours deliver differently"
note "stock and ours deliver the same: $(tr -s ' \n' ' ' <"$LIB_TMP/ours.outcome")"
