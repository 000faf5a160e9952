#!/bin/bash
# 95-tlsproxy-server-ccert.sh - tlsproxy asks postscreen's clients for certificates
#
# tlsproxy_tls_ask_ccert = yes with tlsproxy_tls_CAfile naming a client
# CA: a client whose certificate that CA issued is "Trusted", one with a
# certificate of another CA "Untrusted", one without a certificate
# "Anonymous"; none is refused (postscreen ignores certificates). With
# tlsproxy_tls_loglevel = peercert tlsproxy also logs each certificate's
# subject, issuer and fingerprints. Stock and ours must log the same
# postscreen and tlsproxy lines. TLSREUSE_TLSPROXY=ours unless set.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server-lib.sh"

need_program openssl
CC=$LIB_TMP/ccert

ccert_scenario() {
	instance_up --main 'tlsproxy_tls_ask_ccert = yes' \
	    --main "tlsproxy_tls_CAfile = $CC/ca.pem" \
	    --main 'tlsproxy_tls_loglevel = summary, peercert'
	ps_session "$NET.1" "$I/trusted.out" -cert "$CC/client.pem"
	ps_session "$NET.2" "$I/untrusted.out" -cert "$I/tls/rsa.pem"
	ps_session "$NET.3" "$I/anonymous.out"
	wait_for_maillog "postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[$NET_RE\.3\]"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Trusted TLS connection established from \[$NET_RE\.1\]:[0-9]+: TLSv1\.3 .* client-signature " 1 \
	    "the CA's client certificate"
	expect_count "postfix/tlsproxy\[[0-9]+\]: \[$NET_RE\.1\]:[0-9]+: subject_CN=client\.tlsreuse\.test, issuer=tlsreuse client CA, fingerprint=" 1 \
	    "the trusted certificate's details"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Untrusted TLS connection established from \[$NET_RE\.2\]:[0-9]+: " 1 \
	    "another CA's certificate"
	expect_count "postfix/tlsproxy\[[0-9]+\]: Anonymous TLS connection established from \[$NET_RE\.3\]:[0-9]+: " 1 \
	    "no certificate"
	expect_count "postfix/postscreen\[[0-9]+\]: PASS NEW \[$NET_RE\.[123]\]:" 3 \
	    "postscreen passes all three"
	expect_no_warnings
}

# A client CA and a client certificate it issued (key and cert in one file).
mkdir -m 700 "$CC"
(
	cd "$CC" &&
	    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -subj "/CN=tlsreuse client CA" -days 2 \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign -keyout ca.key -out ca.pem &&
	    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -subj "/CN=client.tlsreuse.test" -keyout client.key \
	    -out client.csr &&
	    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -days 2 -extfile <(echo extendedKeyUsage=clientAuth) \
	    -out client.crt &&
	    cat client.key client.crt >client.pem
) >"$LIB_TMP/ccert.err" 2>&1 || {
	cat "$LIB_TMP/ccert.err" >&2
	harness_error "cannot make the client certificates"
}

both_ways ccert_scenario \
    "$SERVER_LOG_ERE"
