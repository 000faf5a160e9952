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

need_program openssl
NET=$(random_loopback_ip)
NET=${NET%.*}
NET_RE=${NET//./\\.}
SNI=sni.tlsreuse.test
MAP=""

# expect_in_file FILE ERE WHAT
expect_in_file() {
	grep -qE -- "$2" "$1" || {
		sed 's/^/    /' "$1" >&2
		fail "$3: no line matching '$2' in $1 (above)"
	}
}

# sni_session SRC NAME OUT: one s_client session asking for NAME.
sni_session() {
	perl "$LIB_SRCDIR/ps-client.pl" "$PORT_PS" "$1" tls -servername "$2" \
	    >"$3" 2>&1 || fail "client for $2: $(tail -n 3 "$3")"
}

sni_scenario() {
	instance_up --main "tls_server_sni_maps = $MAP"
	sni_session "$NET.1" "$SNI" "$I/sni.out"
	expect_in_file "$I/sni.out" "^subject=CN = $SNI\$" "the SNI certificate"
	sni_session "$NET.2" other.tlsreuse.test "$I/other.out"
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

ERE='postfix/tlsproxy\[|postfix/postscreen\[[0-9]+\]: (CONNECT|PASS|NOQUEUE|DISCONNECT|warning)'
for MAP in "inline:{ $SNI=$LIB_TMP/sni.pem }" "texthash:$LIB_TMP/sni_map"; do
	note "map $MAP"
	both_ways sni_scenario "$ERE"
done
