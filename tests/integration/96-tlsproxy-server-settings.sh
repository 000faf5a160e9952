#!/bin/bash
# 96-tlsproxy-server-settings.sh - legacy key files, ciphers, curves, DH
#
# The server role configured the pre-3.4 way (smtpd_tls_cert_file and
# smtpd_tls_eccert_file, keys in the same files) with cipher exclusions
# (tlsproxy_tls_exclude_ciphers = AES256), one ECDHE group
# (tls_eecdh_auto_curves = secp384r1) and explicit DH parameters
# (tlsproxy_tls_dh1024_param_file). A TLS 1.2 client that prefers
# AES256 gets the RSA key, the AES128 cipher and secp384r1; a TLS 1.2 DHE-only client gets the
# 2048-bit DH group; a TLS 1.3 client gets the ECDSA key and secp384r1.
# Stock and ours must log the same postscreen and tlsproxy lines.
# TLSREUSE_TLSPROXY=ours unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

need_program openssl

settings_scenario() {
	instance_up --main 'smtpd_tls_chain_files =' \
	    --main "smtpd_tls_cert_file = $LIB_TMP/pki/rsa.pem" \
	    --main "smtpd_tls_eccert_file = $LIB_TMP/pki/ecdsa.pem" \
	    --main 'tlsproxy_tls_exclude_ciphers = AES256' \
	    --main 'tls_eecdh_auto_curves = secp384r1' \
	    --main "tlsproxy_tls_dh1024_param_file = $LIB_TMP/dh.pem"
	ps_session "$NET.1" "$I/ecdhe.out" -tls1_2 -sigalgs RSA+SHA256 \
	    -cipher ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256
	expect_in_file "$I/ecdhe.out" '^Server public key is 2048 bit' \
	    "TLS 1.2: the RSA key"
	expect_in_file "$I/ecdhe.out" '^Server Temp Key: ECDH, secp384r1, 384 bits' \
	    "TLS 1.2: the one ECDHE group"
	ps_session "$NET.2" "$I/dhe.out" -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256
	expect_in_file "$I/dhe.out" '^Server Temp Key: DH, 2048 bits' \
	    "TLS 1.2: the DH parameters"
	ps_session "$NET.3" "$I/tls13.out" -tls1_3
	expect_in_file "$I/tls13.out" '^Server public key is 256 bit' \
	    "TLS 1.3: the ECDSA key"
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.3\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.1\]:[0-9]+: TLSv1\.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 \(128/128 bits\)$" 1 \
	    "TLS 1.2 without AES256"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.2\]:[0-9]+: TLSv1\.2 with cipher DHE-RSA-AES128-GCM-SHA256 \(128/128 bits\)$" 1 \
	    "TLS 1.2 with DHE"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.3\]:[0-9]+: TLSv1\.3 with cipher TLS_AES_[0-9A-Z_]+ \([0-9/]+ bits\) key-exchange ECDHE \(secp384r1\) server-signature ECDSA \(prime256v1\) server-digest SHA256$" 1 \
	    "TLS 1.3 with the one group"
	expect_no_warnings
}

pki_ensure
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 \
    -out "$LIB_TMP/dh.pem" 2>"$LIB_TMP/dh.err" || {
	cat "$LIB_TMP/dh.err" >&2
	harness_error "cannot make DH parameters"
}
both_ways settings_scenario \
    "$SERVER_LOG_ERE"
