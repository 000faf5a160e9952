#!/bin/bash
# 80-tlsproxy-attacker-matrix.sh - servers that must not get the mail
#
# At levels secure and verify the sink presents, in turn, a certificate
# for another name (smtp asks for other.tlsreuse.test), one from a CA
# that smtp_tls_CAfile does not hold, and an expired one; at level
# fingerprint smtp_tls_fingerprint_cert_match lists a digest that matches
# neither certificate. Each case sends one message through tlsproxy (with
# reuse on), which must be deferred with smtp(8)'s reason, never sent nor
# received by the sink, nor its connection reused. One instance per
# level, reconfigured (postconf_set + reload) between cases; the queue
# is emptied after each case. Stock and ours (TLSREUSE_TLSPROXY and
# TLSREUSE_SCACHE default to ours here) must log the same smtp(8) lines
# and the same tlsproxy verification failures.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

LEVEL=""
OUTCOME='postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*status='
DEFERRED='postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*dsn=4\.7\.5, status=deferred \(Server certificate not verified\)'
# A SHA-256 digest that no certificate of the test has.
BAD_FPRINT=$(printf '00:%.0s' {1..31})00
VERIFY_FAILED='postfix/tlsproxy\[[0-9]+\]: (server )?certificate verification failed for [^ ]+'

# attack_case NAME FAILURE 'name = value'...: configure, send one
# message, expect tlsproxy's "certificate verification failed" line to
# end in FAILURE (an ERE) and smtp(8) to defer the message as "not
# verified"; then drop it from the queue.
attack_case() {
	local name=$1 failure=$2 done
	shift 2
	note "level $LEVEL, case $name"
	postconf_set "$@"
	instance_reload
	done=$(maillog_count "$OUTCOME")
	send_messages 1
	# Any outcome ends the wait: a delivery fails at once, below.
	wait_for_maillog "$OUTCOME" $((done + 1))
	expect_count "$DEFERRED" $((done + 1)) "$LEVEL/$name: smtp deferrals"
	expect_count "$VERIFY_FAILED: $failure" 1 \
	    "$LEVEL/$name: tlsproxy verification failures"
	postsuper -c "$I/conf" -d ALL 2>/dev/null ||
	    harness_error "postsuper -d ALL failed"
}

# attack_server_chain VARIANT: the sink presents pki_variant VARIANT.
attack_server_chain() {
	cp "$(pki_variant "$1")" "$I/tls/$1.pem"
	echo "smtpd_tls_chain_files = $I/tls/$1.pem"
}

matrix_scenario() {
	local match=smtp_tls_${LEVEL}_cert_match
	instance_up --tls-level "$LEVEL"
	case $LEVEL in
	fingerprint)
		attack_case wrong-fingerprint 'num=65:no matching DANE TLSA records' \
		    "smtp_tls_fingerprint_cert_match = $BAD_FPRINT"
		;;
	*)
		attack_case wrong-name 'num=62:hostname mismatch' \
		    "$match = other.tlsreuse.test"
		attack_case untrusted-ca 'untrusted issuer /CN=tlsreuse foreign CA' \
		    "$match = $LIB_MX_NAME" "$(attack_server_chain foreign)"
		attack_case expired 'certificate has expired' \
		    "$(attack_server_chain expired)"
		;;
	esac
	expect_none 'status=sent' "deliveries"
	expect_none 'TLS connection reused' "TLS reuses"
	expect_no_warnings
}

for LEVEL in secure verify fingerprint; do
	both_ways matrix_scenario "$VERIFY_FAILED"
done
