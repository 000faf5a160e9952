#!/bin/bash
# 61-scache-reuse-log.sh - our scache logs each hand-out of a TLS connection
#
# Every "TLS connection reused" that smtp(8) logs is a connection our
# scache(8) handed out of its cache; for each, ours logs one line with
# the TLS properties smtp stored: trust level, endpoint, conn_use (the
# same number smtp's delivery line shows), protocol, cipher, peer and
# issuer CN. Then "reuse_log=no" as the last word of the master.cf
# command turns the lines off, and neither stock postconf nor "postfix
# check" complains about it. The smtp(8) lines match stock's.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/scache-lib.sh"

N=30
HANDED='postfix/scache\[[0-9]+\]: Verified TLS connection handed out to 127\.0\.0\.1\[127\.0\.0\.1\]:[0-9]+ conn_use=[0-9]+ age=[0-9]+s: TLSv1\.[23] with cipher [A-Z0-9_]+ \([0-9]+/[0-9]+ bits\) key-exchange [^ ]+ .*peer_CN="mx\.tlsreuse\.test" issuer_CN="[^"]+"$'
REUSED='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'

conn_uses() {
	grep -E -- "$1" "$I/maillog" | grep -oE 'conn_use=[0-9]+' | sort
}

reuse_log_scenario() {
	local word=""
	instance_up
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count "$REUSED" $((N - 1)) "smtp TLS reuses"
	if scache_is_ours; then
		# One line per reuse, with the properties smtp(8) reports.
		expect_count "$HANDED" $((N - 1)) "scache reuse lines"
		[ "$(conn_uses "$HANDED")" = "$(conn_uses \
		    'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*conn_use=')" ] ||
		    fail "scache and smtp disagree on conn_use numbers"
		word=" reuse_log=no"
	fi

	# The switch: stock tools accept it, and the lines stop.
	postconf -c "$I/conf" -M \
	    "scache/unix=scache unix - - n - 1 $SCACHE_CMD$word" ||
	    harness_error "postconf -M failed"
	lib_backdate "$I"/conf/*
	postconf -c "$I/conf" -n >/dev/null 2>"$I/postconf.err"
	# postfix check reads the package file list from meta_directory.
	cp -r /etc/postfix/postfix-files /etc/postfix/postfix-files.d "$I/conf/"
	postfix -c "$I/conf" check >>"$I/postconf.err" 2>&1 ||
	    fail "postfix check failed: $(cat "$I/postconf.err")"
	[ ! -s "$I/postconf.err" ] ||
	    fail "stock tools complain: $(cat "$I/postconf.err")"
	instance_reload
	wait_for_maillog 'postfix/scache\[[0-9]+\]: statistics: max simultaneous' 1
	send_messages 5
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' $((N + 5))
	expect_count "$REUSED" $((N - 1 + 4)) "smtp TLS reuses after reload"
	if scache_is_ours; then
		expect_count "$HANDED" $((N - 1)) \
		    "scache reuse lines after reuse_log=no"
	fi
	expect_no_warnings
}

both_ways reuse_log_scenario
