#!/bin/bash
# 93-tlsproxy-server-resume.sh - TLS resumption through tlsmgr(8)
#
# A TLS 1.2 client without tickets resumes from tlsmgr's smtpd session
# cache (smtpd_tls_session_cache_database); a TLS 1.3 client resumes
# with a session ticket sealed by tlsmgr's ticket keys. Each second
# session comes from a new address (postscreen would otherwise send a
# passed client straight to smtpd) and must be "Reused" in s_client's
# report. Stock and ours must log the same postscreen and tlsproxy
# lines. TLSREUSE_TLSPROXY=ours unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

need_program openssl

resume_scenario() {
	instance_up
	ps_session "$NET.1" "$I/12a.out" -tls1_2 -no_ticket -sess_out "$I/12.sess"
	expect_in_file "$I/12a.out" '^New, TLSv1\.2,' "TLS 1.2 full handshake"
	ps_session "$NET.2" "$I/12b.out" -tls1_2 -no_ticket -sess_in "$I/12.sess"
	expect_in_file "$I/12b.out" '^Reused, TLSv1\.2,' \
	    "TLS 1.2 resumed from the session cache"
	ps_session "$NET.3" "$I/13a.out" -tls1_3 -sess_out "$I/13.sess"
	expect_in_file "$I/13a.out" '^New, TLSv1\.3,' "TLS 1.3 full handshake"
	ps_session "$NET.4" "$I/13b.out" -tls1_3 -sess_in "$I/13.sess"
	expect_in_file "$I/13b.out" '^Reused, TLSv1\.3,' \
	    "TLS 1.3 resumed with a session ticket"
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.4\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.[1-4]\]:" 4 \
	    "tlsproxy handshakes"
	expect_no_warnings
}

both_ways resume_scenario \
    "$SERVER_LOG_ERE"
