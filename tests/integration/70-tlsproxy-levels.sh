#!/bin/bash
# 70-tlsproxy-levels.sh - our tlsproxy at encrypt, verify, secure, fingerprint
#
# For each TLS security level smtp(8) hands the handshake to tlsproxy and
# then reuses the connection: the first of N messages pays for the
# handshake ("established", logged by tlsproxy and smtp), the N-1 others
# reuse it. smtp(8)'s lines (status word, cipher, peer) must be the same
# with our tlsproxy as with stock's, and nothing may warn. Our tlsproxy
# is the default here (TLSREUSE_TLSPROXY=ours unless set); each level
# runs with the stock scache and with ours (TLSREUSE_SCACHE, if set,
# chooses one).
#
# SPDX-License-Identifier: EPL-2.0

SCACHES=${TLSREUSE_SCACHE:-stock ours}
. "$(dirname "$0")/lib.sh"

N=10
LEVEL=""
FPRINTS=""

level_scenario() {
	if [ "$LEVEL" = fingerprint ]; then
		instance_up --tls-level fingerprint \
		    --main "smtp_tls_fingerprint_cert_match = $FPRINTS"
	else
		instance_up --tls-level "$LEVEL"
	fi
	send_messages "$N"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
	expect_count 'postfix/smtp\[[0-9]+\]: [0-9A-F]+: .*status=sent' "$N" \
	    "smtp deliveries at $LEVEL"
	expect_count 'postfix/smtp\[[0-9]+\]: [A-Za-z]+ TLS connection established' 1 \
	    "smtp TLS handshakes at $LEVEL"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: [A-Za-z]+ TLS connection established' 1 \
	    "tlsproxy summary lines at $LEVEL"
	expect_count 'postfix/smtp\[[0-9]+\]: [A-Za-z]+ TLS connection reused' \
	    $((N - 1)) "smtp TLS reuses at $LEVEL"
	expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to \[127\.0\.0\.1\]' 1 \
	    "tlsproxy client-role connections at $LEVEL"
	expect_no_warnings
}

pki_ensure
for f in rsa ecdsa; do
	FPRINTS="$FPRINTS $(openssl x509 -in "$LIB_TMP/pki/$f.pem" -noout \
	    -fingerprint -sha256 | sed 's/.*=//')"
done
for TLSREUSE_SCACHE in $SCACHES; do
	for LEVEL in encrypt verify secure fingerprint; do
		note "level $LEVEL, scache=$TLSREUSE_SCACHE"
		both_ways level_scenario \
		    'postfix/tlsproxy\[[0-9]+\]: [A-Za-z]+ TLS connection established'
	done
done
