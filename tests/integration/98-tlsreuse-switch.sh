#!/bin/bash
# 98-tlsreuse-switch.sh - "tlsreuse enable", then "disable", on a live instance
#
# An instance that runs the stock tlsproxy and scache, with ours
# installed beside them as "make install" puts them. "tlsreuse -n
# enable" shows the change and makes none; without a terminal and
# without -y it refuses; "-y enable" changes exactly the two command
# words, checks, reloads: mail then flows over reused TLS connections
# through our daemons (the processes run our programs, our scache logs
# each hand-out). "-y disable" gives back master.cf byte for byte, and
# mail flows through the stock daemons again.
#
# Then Debian's shape: the tlsproxy entry commented out. enable adds an
# active copy below a marker line, mail flows through ours, and disable
# gives back the same bytes, commented entry and all.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool-lib.sh"

require_ours scache tlsproxy
N=5
HANDED='postfix/scache\[[0-9]+\]: Verified TLS connection handed out'

# deliver N: N more messages, delivered over one reused connection.
deliver() {
	local sent reused
	sent=$(($(maillog_count 'postfix/smtp\[[0-9]+\]: .*status=sent') + $1))
	reused=$(($(maillog_count 'Verified TLS connection reused') + $1 - 1))
	send_messages "$1"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$sent"
	expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection reused' \
	    "$reused" "TLS reuses so far"
}

# expect_running WHICH: the youngest tlsproxy and scache run WHICH
# (ours: libexec/tlsreuse/NAME, stock: libexec/NAME).
expect_running() {
	local name want got
	for name in tlsproxy scache; do
		want=$I/libexec/$name
		[ "$1" = ours ] && want=$I/libexec/tlsreuse/$name
		got=$(newest_exe "$name")
		[ "$got" = "$want" ] || fail "$name runs $got, not $want"
	done
}

expect_master_cf() {
	cmp -s "$I/conf/master.cf" "$1" ||
	    fail "master.cf: $2: $(diff "$1" "$I/conf/master.cf" | head -20)"
}

# --- the harness's own master.cf: both entries active, stock
TLSREUSE_SCACHE=stock TLSREUSE_TLSPROXY=stock instance_up
install_ours
allow_postfix_check
cp "$I/conf/master.cf" "$LIB_TMP/master.cf.before"
deliver "$N"
expect_running stock

tool -n enable
[ "$TOOL_STATUS" -eq 0 ] || fail "enable -n: exit $TOOL_STATUS"
grep -qx -- "+tlsproxy  unix  -       -       n       -       0       tlsreuse/tlsproxy" \
    "$I/tool.out" || fail "enable -n shows no diff: $(cat "$I/tool.out")"
grep -qx 'Dry run: not changed.' "$I/tool.out" || fail "enable -n: no dry-run line"
expect_master_cf "$LIB_TMP/master.cf.before" "changed by enable -n"

tool enable
[ "$TOOL_STATUS" -eq 1 ] || fail "enable without -y and terminal: exit $TOOL_STATUS"
grep -q 'not changed: confirm with -y' "$I/tool.err" ||
    fail "enable without -y: $(cat "$I/tool.err")"
expect_master_cf "$LIB_TMP/master.cf.before" "changed without confirmation"

tool -y enable
[ "$TOOL_STATUS" -eq 0 ] || fail "enable -y: exit $TOOL_STATUS: $(cat "$I/tool.out" "$I/tool.err")"
grep -qx 'postfix reload: ok' "$I/tool.out" || fail "enable did not reload"
[ "$(diff "$LIB_TMP/master.cf.before" "$I/conf/master.cf" | grep -c '^[<>]')" = 4 ] ||
    fail "enable changed more than the two command lines"
sed -e 's|0       tlsproxy$|0       tlsreuse/tlsproxy|' \
    -e 's|1       scache$|1       tlsreuse/scache|' \
    "$LIB_TMP/master.cf.before" >"$LIB_TMP/master.cf.enabled"
expect_master_cf "$LIB_TMP/master.cf.enabled" "after enable"
expect_problems ""
[ "$(json 'join " ", map { $_->{implementation} }
    grep { $_->{type} eq "daemon" } @o')" = "tlsreuse tlsreuse" ] ||
    fail "status after enable: $(cat "$I/tool.out")"
handed=$(maillog_count "$HANDED")
deliver "$N"
expect_running ours
expect_count "$HANDED" $((handed + N - 1)) "our scache's hand-outs"

tool -y enable
[ "$TOOL_STATUS" -eq 0 ] && grep -qx 'Nothing to change.' "$I/tool.out" ||
    fail "enable twice: exit $TOOL_STATUS: $(cat "$I/tool.out")"

tool -y disable
[ "$TOOL_STATUS" -eq 0 ] || fail "disable -y: exit $TOOL_STATUS: $(cat "$I/tool.err")"
expect_master_cf "$LIB_TMP/master.cf.before" "enable then disable"
handed=$(maillog_count "$HANDED")
deliver "$N"
expect_running stock
expect_count "$HANDED" "$handed" "hand-outs logged after disable"
expect_problems ""
expect_no_warnings
instance_down

# --- Debian's shape: tlsproxy commented out
instance_up
install_ours
allow_postfix_check
sed -i 's|^tlsproxy  unix  -       -       n       -       0       .*|#tlsproxy  unix  -       -       n       -       0       tlsproxy|' \
    "$I/conf/master.cf"
sed -i 's|tlsreuse/scache$|scache|' "$I/conf/master.cf"
lib_backdate "$I"/conf/*
instance_reload
cp "$I/conf/master.cf" "$LIB_TMP/master.cf.debian"
expect_problems "tlsproxy-commented"

tool -y enable
[ "$TOOL_STATUS" -eq 0 ] || fail "enable (commented tlsproxy): exit $TOOL_STATUS: $(cat "$I/tool.err")"
grep -A2 -x '#tlsproxy  unix  -       -       n       -       0       tlsproxy' \
    "$I/conf/master.cf" >"$LIB_TMP/added"
printf '%s\n' \
    '#tlsproxy  unix  -       -       n       -       0       tlsproxy' \
    '# Added by "tlsreuse enable"; "tlsreuse disable" removes it.' \
    'tlsproxy  unix  -       -       n       -       0       tlsreuse/tlsproxy' |
    cmp -s - "$LIB_TMP/added" || fail "enable did not add the entry: $(cat "$LIB_TMP/added")"
expect_problems ""
deliver "$N"
expect_running ours

tool -y disable
[ "$TOOL_STATUS" -eq 0 ] || fail "disable (commented tlsproxy): exit $TOOL_STATUS"
expect_master_cf "$LIB_TMP/master.cf.debian" "enable then disable, Debian shape"
expect_problems "tlsproxy-commented"
expect_no_warnings
