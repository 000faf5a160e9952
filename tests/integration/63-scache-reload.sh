#!/bin/bash
# 63-scache-reload.sh - postfix reload while connections are cached
#
# With a 30 s cache time the connection is still in scache(8) when
# "postfix reload" comes: master(8) lets go of scache, which logs its
# statistics and exits, closing what it held (tlsproxy(8) logs the
# DISCONNECT). The next messages go out over a new connection, then
# reuse it. Stock and ours must log the same smtp(8) lines and the same
# statistics.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=5
STATS='postfix/scache\[[0-9]+\]: statistics: (domain|address|max)'

reload_scenario() {
	instance_up --main 'connection_cache_ttl_limit = 30s' \
	    --main 'smtp_connection_cache_time_limit = 30s'
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	instance_reload
	wait_for_maillog 'postfix/scache\[[0-9]+\]: statistics: max simultaneous' 1
	wait_for_maillog 'postfix/tlsproxy\[[0-9]+\]: DISCONNECT' 1
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' $((2 * N))
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' 2 \
	    "smtp TLS handshakes (one before, one after the reload)"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection reused' \
	    $((2 * N - 2)) "smtp TLS reuses"
	expect_no_warnings
}

both_ways reload_scenario "$STATS"
