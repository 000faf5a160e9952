#!/bin/bash
# 90-tlsproxy-server.sh - postscreen STARTTLS through our tlsproxy
#
# New clients pass postscreen's after-220 tests over TLS that tlsproxy's
# server role terminates: one swaks session and two openssl s_client
# sessions that allow only RSA or only ECDSA signatures, so tlsproxy
# must pick the RSA or the ECDSA key of smtpd_tls_chain_files. Each
# client gets postscreen's 450 for a new client and is passed ("PASS
# NEW"); tlsproxy logs CONNECT, "Anonymous TLS connection established
# from ..." with the right server signature, and DISCONNECT. Stock and
# ours must log the same postscreen and tlsproxy lines, and nothing may
# warn. Each run uses fresh postscreen caches and the same fresh client
# addresses. TLSREUSE_TLSPROXY=ours unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

need_program swaks
need_program openssl
SRC_SWAKS=$NET.1 SRC_RSA=$NET.2 SRC_EC=$NET.3
TLS13_RE='TLSv1\.3 with cipher [A-Z0-9_]+ \([0-9]+/[0-9]+ bits\) key-exchange X25519'

server_scenario() {
	instance_up
	swaks --server "127.0.0.1:$PORT_PS" --local-interface "$SRC_SWAKS" \
	    --tls --ehlo pstest.tlsreuse.test --from pstest@tlsreuse.test \
	    --to "$LIB_SINK_RCPT" --timeout 10 >"$I/swaks.out" 2>&1 || true
	expect_in_file "$I/swaks.out" '^<~\* +450 4\.3\.2' "swaks: 450 after TLS"
	ps_client "$SRC_RSA" tls -sigalgs rsa_pss_rsae_sha256 >"$I/rsa.out" \
	    2>&1 || fail "RSA client: $(tail -n 3 "$I/rsa.out")"
	expect_in_file "$I/rsa.out" '^Server public key is 2048 bit' \
	    "RSA client: the RSA certificate"
	ps_client "$SRC_EC" tls -sigalgs ecdsa_secp256r1_sha256 >"$I/ec.out" \
	    2>&1 || fail "ECDSA client: $(tail -n 3 "$I/ec.out")"
	expect_in_file "$I/ec.out" '^Server public key is 256 bit' \
	    "ECDSA client: the ECDSA certificate"
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.3\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: CONNECT from \[$NET_RE\.[123]\]:[0-9]+$" 3 \
	    "tlsproxy server-role connections"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.1\]:[0-9]+: " 1 \
	    "tlsproxy handshake with swaks"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.2\]:[0-9]+: $TLS13_RE server-signature RSA-PSS \(2048 bits\) server-digest SHA256$" 1 \
	    "tlsproxy handshake with the RSA key"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.3\]:[0-9]+: $TLS13_RE server-signature ECDSA \(prime256v1\) server-digest SHA256$" 1 \
	    "tlsproxy handshake with the ECDSA key"
	expect_count "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.[123]\]:[0-9]+$" 3 \
	    "tlsproxy disconnects"
	expect_count "postfix/postscreen\[[0-9]+\]: PASS NEW \[$NET_RE\.[123]\]:" 3 \
	    "postscreen PASS NEW"
	expect_no_warnings
}

both_ways server_scenario \
    "$SERVER_LOG_ERE"
