#!/bin/bash
# run-release.sh - our tlsproxy and scache behind another Postfix release
#
# Usage (as root, after ./bootstrap && make):
#     tests/live/run-release.sh [-n COUNT] POSTFIX_DIR
#
# POSTFIX_DIR is either a Postfix source tree that has been built (it has
# libexec/master and bin/postfix, as "make makefiles ...; make" leaves
# them) or an installed daemon_directory (it has master, smtp, ...; the
# commands are then taken from $TLSREUSE_POSTFIX_COMMANDS or /usr/sbin).
# This script never builds Postfix: an unbuilt tree is refused.
#
# It starts one throwaway instance (tests/integration/lib.sh) in which
# that release's master, smtp, smtpd, postscreen, tlsmgr, postlogd and
# the other daemons run with our tlsproxy and scache, then:
#   1. delivers COUNT (default 100) messages at TLS level "secure" with
#      connection reuse;
#   2. delivers 3 messages through each of two transports that override
#      the global tls_high_cipherlist and tls_eecdh_auto_curves in
#      master.cf, one of them limited to TLS 1.2 (the cipher shows the
#      first override) and one at TLS 1.3 (the key exchange shows the
#      second);
#   3. plays one remote client that sends STARTTLS to postscreen.
# It prints the delivered counts, the cipher and key exchange each
# transport negotiated, the postscreen outcome and every warning from
# our daemons, and exits 0 only if all mail was delivered, postscreen's
# STARTTLS worked, the overrides took effect and our daemons logged no
# warning. Not part of "make check": it needs a Postfix of your choice.
#
# Environment: TLSREUSE_KEEP=1 keeps the instance (maillog, main.cf,
# master.cf); TLSREUSE_WAIT_SECS bounds each wait (default 120 here).
#
# SPDX-License-Identifier: EPL-2.0

set -eu

COUNT=100
usage() {
	echo "usage: $0 [-n COUNT] POSTFIX_DIR" >&2
	exit 2
}
while getopts n: opt; do
	case $opt in
	n) COUNT=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
case $COUNT in
'' | *[!0-9]*) usage ;;
esac

LIVE_DIR=$(cd "$(dirname "$0")" && pwd)
. "$LIVE_DIR/release.sh"
live_use_release "$1"

export TLSREUSE_TLSPROXY=ours TLSREUSE_SCACHE=ours
: "${TLSREUSE_WAIT_SECS:=120}"
export TLSREUSE_WAIT_SECS
: "${top_builddir:=$LIVE_DIR/../..}"
export top_builddir
. "$LIVE_DIR/../integration/lib.sh"
need_program swaks

live_require_36
# One cipher and one group that no release's defaults choose first, so a
# transport that ignores them negotiates something else.
TUNED_CIPHER=ECDHE-RSA-AES128-GCM-SHA256
TUNED_GROUP=secp384r1
TUNED="-o tls_high_cipherlist=$TUNED_CIPHER -o tls_eecdh_auto_curves=$TUNED_GROUP -o smtp_tls_mandatory_ciphers=high"
TUNED_N=3

# live_sent TAG: deliveries that smtp(8) logging as postfix/TAG made
# (TAG: smtp, or tuned12/smtp for syslog_name=postfix/tuned12).
live_sent() {
	maillog_count "postfix/$1\\[[0-9]+\\]: [0-9A-F]+: to=.* status=sent"
}

# live_tls TAG: "PROTOCOL CIPHER [key-exchange K]" of TAG's first new
# TLS session (the key exchange is logged for TLS 1.3 only).
live_tls() {
	local line
	line=$(grep -m1 -E "postfix/$1\\[[0-9]+\\]: .*TLS connection established to" \
	    "$I/maillog") || { echo "no TLS session"; return 0; }
	printf '%s %s' \
	    "$(sed -E 's/.*: (TLSv[0-9.]+) with cipher ([^ ]+) .*/\1 \2/' <<<"$line")" \
	    "$(sed -nE 's/.* (key-exchange [^ ]+( \([^)]*\))?).*/\1/p' <<<"$line")"
}

live_postscreen() {
	local src out=$I/postscreen.out
	src=$(random_loopback_ip)
	swaks --server "127.0.0.1:$PORT_PS" --local-interface "$src" --tls \
	    --ehlo live.tlsreuse.test --from live@tlsreuse.test \
	    --to "$LIB_SINK_RCPT" --timeout 10 >"$out" 2>&1 || true
	grep -qE '^<~\* +450 4\.3\.2' "$out" &&
	    lib_wait_until 10 lib_maillog_has \
	    "postfix/tlsproxy\\[[0-9]+\\]: [A-Za-z]+ TLS connection established from \\[${src//./\\.}\\]" 1
}

instance_up \
    --master-line "tuned12 unix - - n - - smtp -o syslog_name=postfix/tuned12 $TUNED -o smtp_tls_mandatory_protocols=<=TLSv1.2" \
    --master-line "tuned13 unix - - n - - smtp -o syslog_name=postfix/tuned13 $TUNED -o smtp_tls_mandatory_protocols=>=TLSv1.3"
# The sink's port is known only now; trivial-rewrite reads this at start.
postconf_set "transport_maps = inline:{tuned12.tlsreuse.test=tuned12:[127.0.0.1]:$PORT_SINK, tuned13.tlsreuse.test=tuned13:[127.0.0.1]:$PORT_SINK}"
instance_reload
note "Postfix $RELEASE from $TLSREUSE_POSTFIX_DAEMONS; ours from $top_builddir"
send_messages "$COUNT"
wait_for_queue_empty
for t in tuned12 tuned13; do
	LIB_SINK_RCPT=sink@$t.tlsreuse.test send_messages "$TUNED_N"
done
wait_for_queue_empty
live_postscreen && PS=OK || PS=FAILED
# postlogd writes asynchronously: let the last lines land.
lib_wait_until 5 lib_maillog_has 'postfix/tuned13/smtp\[[0-9]+\]: .*status=sent' "$TUNED_N" || true

sent=$(live_sent smtp)
reused=$(maillog_count 'postfix/smtp\[[0-9]+\]: .*TLS connection reused')
tls_default=$(live_tls smtp)
tls12=$(live_tls tuned12/smtp)
tls13=$(live_tls tuned13/smtp)
ours_warn=$(grep -E 'postfix/(tlsproxy|scache)\[[0-9]+\]: (warning|error|fatal|panic):' \
    "$I/maillog" || true)
other_warn=$(grep -E -- "$LIB_PROBLEM" "$I/maillog" |
    grep -vE 'postfix/(tlsproxy|scache)\[' | grep -vE -- "$LIB_BENIGN" || true)

echo "Postfix $RELEASE with our tlsproxy and scache"
echo "  smtp (defaults):  delivered $sent/$COUNT, $reused reused; $tls_default"
echo "  tuned12 (TLS 1.2, high cipherlist $TUNED_CIPHER, groups $TUNED_GROUP):" \
    "delivered $(live_sent tuned12/smtp)/$TUNED_N; $tls12"
echo "  tuned13 (TLS 1.3, high cipherlist $TUNED_CIPHER, groups $TUNED_GROUP):" \
    "delivered $(live_sent tuned13/smtp)/$TUNED_N; $tls13"
echo "  postscreen STARTTLS: $PS"
echo "  warnings from our daemons: $(printf '%s' "$ours_warn" | grep -c . || true)"
[ -z "$ours_warn" ] || sed 's/^/    /' <<<"$ours_warn"
echo "  other warning/error lines: $(printf '%s' "$other_warn" | grep -c . || true)"
[ -z "$other_warn" ] || sed 's/^/    /' <<<"$other_warn"

ok=1
[ "$sent" -eq "$COUNT" ] || ok=0
[ "$(live_sent tuned12/smtp)" -eq "$TUNED_N" ] && [ "$(live_sent tuned13/smtp)" -eq "$TUNED_N" ] || ok=0
case "$tls12 " in *" $TUNED_CIPHER "*) ;; *) ok=0 ;; esac
case $tls13 in *"$TUNED_GROUP"*) ;; *) ok=0 ;; esac
[ "$PS" = OK ] && [ -z "$ours_warn" ] || ok=0
[ "$ok" -eq 1 ] || fail "Postfix $RELEASE: see the summary above"
echo "PASS: Postfix $RELEASE"
