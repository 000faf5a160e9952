#!/bin/bash
# 77-tlsproxy-unexpected-settings.sh - a transport's own global TLS settings
#
# The transport carrying the mail overrides a global TLS setting in
# master.cf (-o tls_medium_cipherlist=...), which smtp(8) sends in its
# TLS_CLIENT_PARAMS. tlsproxy uses its own main.cf value (the session
# still works) and warns as stock does: "request from tlsproxy client
# with unexpected settings", the "(server) ... != (client) ..." line and
# the "to avoid this warning" advice, once although several connections
# are made. Stock and ours must log the same. TLSREUSE_TLSPROXY=ours
# unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=3

settings_scenario() {
	instance_up --main 'default_transport = tlssmtp' \
	    --main 'tlssmtp_destination_concurrency_limit = 1' \
	    --main 'smtp_connection_reuse_count_limit = 1' \
	    --master-line 'tlssmtp unix - - n - - smtp -o tls_medium_cipherlist=aNULL:-aNULL:HIGH:@STRENGTH'
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_at_least 'postfix/tlsproxy\[[0-9]+\]: CONNECT to ' 2 \
	    "tlsproxy connections"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: request from tlsproxy client with unexpected settings$' 1 \
	    "the unexpected-settings warning"
	expect_count "postfix/tlsproxy\\[[0-9]+\\]: warning: \\(server\\) 'tls_medium_cipherlist=aNULL:-aNULL:HIGH:MEDIUM:\\+RC4:@STRENGTH' != \\(client\\) 'tls_medium_cipherlist=aNULL:-aNULL:HIGH:@STRENGTH'$" 1 \
	    "the difference"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: ' 3 \
	    "tlsproxy warnings"
}

both_ways settings_scenario 'postfix/tlsproxy\[[0-9]+\]: warning:'
