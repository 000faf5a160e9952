#!/bin/bash
# 92-tlsproxy-server-sni.sh - tls_server_sni_maps picks the certificate
#
# tls_server_sni_maps names a chain for sni.tlsreuse.test, once as an
# inline: map and once as a texthash: map. A client that asks for that
# name gets its certificate and tlsproxy logs "... established from
# [addr]:port to sni.tlsreuse.test: ..."; a client that asks for another
# name gets the default chain (mx.tlsreuse.test) and tlsproxy's "TLS SNI
# ... not matched, using default chain". Stock and ours must log the
# same postscreen and tlsproxy lines. TLSREUSE_TLSPROXY=ours unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

need_program openssl
SNI=sni.tlsreuse.test
MAP=""

sni_scenario() {
	instance_up --main "tls_server_sni_maps = $MAP"
	ps_session "$NET.1" "$I/sni.out" -servername "$SNI"
	expect_in_file "$I/sni.out" "^subject=CN = $SNI\$" "the SNI certificate"
	ps_session "$NET.2" "$I/other.out" -servername other.tlsreuse.test
	expect_in_file "$I/other.out" "^subject=CN = $LIB_MX_NAME\$" \
	    "the default certificate"
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.2\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.1\]:[0-9]+ to sni\.tlsreuse\.test: TLSv1\.3 " 1 \
	    "the summary names the SNI"
	expect_count "postfix/tlsproxy\[[0-9]+\]: TLS SNI other\.tlsreuse\.test from \[$NET_RE\.2\]:[0-9]+ not matched, using default chain$" 1 \
	    "the unmatched SNI"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.2\]:[0-9]+: TLSv1\.3 " 1 \
	    "the summary without SNI"
	expect_no_warnings
}

# The SNI chain: key and certificate in one file, read before the jail.
(umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -subj "/CN=$SNI" -addext "subjectAltName=DNS:$SNI" -days 2 \
    -keyout "$LIB_TMP/sni.pem" -out "$LIB_TMP/sni.crt" 2>/dev/null &&
    cat "$LIB_TMP/sni.crt" >>"$LIB_TMP/sni.pem") ||
    harness_error "cannot make the SNI certificate"
echo "$SNI $LIB_TMP/sni.pem" >"$LIB_TMP/sni_map"

for MAP in "inline:{ $SNI=$LIB_TMP/sni.pem }" "texthash:$LIB_TMP/sni_map"; do
	note "map $MAP"
	both_ways sni_scenario "$SERVER_LOG_ERE"
done
