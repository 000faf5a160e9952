#!/bin/bash
# 65-scache-forged-cn.sh - a remote server cannot forge our reuse line
#
# The receiving server presents a certificate (valid for its name, from
# the trusted CA) whose CN is chosen to fake a field of scache's reuse
# line: a '"' followed by ' issuer_CN="...', a trailing backslash, a
# right-to-left override (U+202E) and a C1 control (U+009B, a terminal
# CSI). smtp(8) verifies by the subjectAltName and delivers over reused
# connections as usual; our scache logs each hand-out with the name
# escaped: the fake field stays inside peer_CN's quotes, the backslash
# is doubled, the two invisible characters are written as \xHH, and no
# raw byte of them reaches the maillog. The smtp(8) lines match stock's.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/scache-lib.sh"

N=5
REUSED='postfix/smtp\[[0-9]+\]: Verified TLS connection reused'
FORGED_CN='mx" issuer_CN="Evil CA\'$'\xe2\x80\xae\xc2\x9b'
# What the reuse line must show (fixed string, not a pattern).
ESCAPED='peer_CN="mx\" issuer_CN=\"Evil CA\\\xe2\x80\xae\xc2\x9b" issuer_CN="tlsreuse test CA"'

# forged_chain: key and certificate for the sink, named as lib.sh's are
# (subjectAltName) but with FORGED_CN as its CN; prints the file name.
forged_chain() {
	local dir=$LIB_TMP/pki/forged subj
	pki_ensure
	mkdir -m 700 "$dir"
	# openssl's -subj takes a backslash before a literal backslash.
	subj="/CN=${FORGED_CN//\\/\\\\}"
	(
		umask 077
		cd "$dir"
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out server.key
		openssl req -new -utf8 -key server.key -subj "$subj" \
		    -out server.csr
		printf '%s\n' "subjectAltName=DNS:$LIB_MX_NAME,IP:127.0.0.1" \
		    'extendedKeyUsage=serverAuth' >ext.cnf
		openssl x509 -req -in server.csr -CA ../ca.pem -CAkey ../ca.key \
		    -CAcreateserial -days 30 -extfile ext.cnf -out server.crt
		cat server.key server.crt >chain.pem
	) >"$dir/openssl.err" 2>&1 || {
		cat "$dir/openssl.err" >&2
		harness_error "cannot make the forged-CN certificate"
	}
	echo "$dir/chain.pem"
}

forged_cn_scenario() {
	local handed
	instance_up --main "smtpd_tls_chain_files = $CHAIN"
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count "$REUSED" $((N - 1)) "smtp TLS reuses"
	expect_no_warnings
	scache_is_ours || return 0
	handed=$(grep -cF -- "$ESCAPED" "$I/maillog" || true)
	[ "$handed" -eq $((N - 1)) ] ||
	    LIB_EXCERPT_RE='handed out' fail "$handed escaped reuse lines," \
	    "expected $((N - 1))"
	expect_count 'TLS connection handed out' $((N - 1)) "reuse lines"
	! grep -q $'\xe2\x80\xae\|\xc2\x9b' "$I/maillog" ||
	    fail "a raw U+202E or U+009B reached the maillog"
}

CHAIN=$(forged_chain)
openssl x509 -in "$CHAIN" -noout -subject -nameopt utf8,-esc_ctrl,-esc_msb |
    grep -qF "$FORGED_CN" || harness_error "the certificate lacks the forged CN"
both_ways forged_cn_scenario
