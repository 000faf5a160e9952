#!/bin/bash
# 77-tlsproxy-unexpected-settings.sh - a transport's own global TLS settings
#
# Two transports override global TLS settings in master.cf:
# tls_high_cipherlist (one cipher that no default list puts first) and
# tls_eecdh_auto_curves (secp384r1 only), with smtp_tls_mandatory_ciphers
# = high so that the high list is the one in use; "tuned12" stops at
# TLS 1.2, where the cipher list decides the cipher, "tuned13" runs
# TLS 1.3, where the group list decides the key exchange. smtp(8) sends
# these settings in its request (TLS_CLIENT_PARAMS).
#
# Stock 3.7.11 tlsproxy uses its own main.cf values instead, so both
# transports negotiate the defaults, and it logs "request from tlsproxy
# client with unexpected settings" with the differences and its advice.
# Ours applies the transport's settings: the maillog shows the chosen
# cipher and group, and no warning at all.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

require_ours tlsproxy

N=3
CIPHER=ECDHE-RSA-AES128-GCM-SHA256
GROUP=secp384r1
TUNED="-o tls_high_cipherlist=$CIPHER -o tls_eecdh_auto_curves=$GROUP -o smtp_tls_mandatory_ciphers=high"

# settings_instance: the two transports, mail for tuned12.tlsreuse.test
# and tuned13.tlsreuse.test routed to them (the sink's port is known
# only once the instance is up; trivial-rewrite rereads on reload).
settings_instance() {
	instance_up \
	    --master-line "tuned12 unix - - n - - smtp -o syslog_name=postfix/tuned12 $TUNED -o smtp_tls_mandatory_protocols=<=TLSv1.2" \
	    --master-line "tuned13 unix - - n - - smtp -o syslog_name=postfix/tuned13 $TUNED -o smtp_tls_mandatory_protocols=>=TLSv1.3"
	postconf_set "transport_maps = inline:{tuned12.tlsreuse.test=tuned12:[127.0.0.1]:$PORT_SINK, tuned13.tlsreuse.test=tuned13:[127.0.0.1]:$PORT_SINK}"
	instance_reload
	local t
	for t in tuned12 tuned13; do
		LIB_SINK_RCPT=sink@$t.tlsreuse.test send_messages "$N"
		wait_for_queue_empty
		wait_for_maillog "postfix/$t/smtp\\[[0-9]+\\]: .*status=sent" "$N"
	done
}

# established TAG: the smtp(8) "TLS connection established" lines of the
# transport that logs as postfix/TAG/smtp.
established() {
	echo "postfix/$1/smtp\\[[0-9]+\\]: Verified TLS connection established to [^ ]+: $2"
}

note "stock tlsproxy: the transports' settings are not used"
TLSREUSE_TLSPROXY=stock settings_instance
expect_none "$(established tuned12 "TLSv1\\.2 with cipher $CIPHER ")" \
    "tuned12 sessions with the transport's cipher (stock)"
expect_none "$(established tuned13 "TLSv1\\.3 .* key-exchange ECDHE \\($GROUP\\)")" \
    "tuned13 sessions with the transport's group (stock)"
expect_at_least 'postfix/tlsproxy\[[0-9]+\]: warning: request from tlsproxy client with unexpected settings$' 1 \
    "stock's unexpected-settings warning"
instance_down

note "our tlsproxy: the transports' settings are used, without a warning"
TLSREUSE_TLSPROXY=ours settings_instance
tls12=$(maillog_count "$(established tuned12 'TLSv1\.2 with cipher ')")
[ "$tls12" -ge 1 ] || fail "no TLS 1.2 session through tuned12"
expect_count "$(established tuned12 "TLSv1\\.2 with cipher $CIPHER \\(128/128 bits\\)$")" "$tls12" \
    "tuned12 sessions with the transport's cipher"
tls13=$(maillog_count "$(established tuned13 'TLSv1\.3 with cipher ')")
[ "$tls13" -ge 1 ] || fail "no TLS 1.3 session through tuned13"
expect_count "$(established tuned13 "TLSv1\\.3 with cipher [^ ]+ \\([0-9/]+ bits\\) key-exchange ECDHE \\($GROUP\\) ")" "$tls13" \
    "tuned13 sessions with the transport's group"
expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' $((2 * N)) \
    "messages received by the sink"
expect_no_warnings
