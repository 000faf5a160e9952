#!/bin/bash
# 05-harness.sh - the harness itself: instances are isolated from each other
#
# Two instances run at once, each delivering to its own sink over its own
# ports; the second also gets an extra program and master.cf line. Stopping
# one removes every process of its master's process group and leaves the
# other instance, and a process of the test itself, alone. postconf_set
# and instance_reload change the running survivor's behaviour.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

# deliver_and_check N: N messages through the current instance, relayed to
# the current instance's own sink port.
deliver_and_check() {
	local sent=$(($(maillog_count 'postfix/smtp\[[0-9]+\]: .*status=sent') + $1))
	send_messages "$1"
	wait_for_queue_empty
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$sent"
	expect_count "postfix/smtp\\[[0-9]+\\]: .*relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:$PORT_SINK, .*status=sent" \
	    "$sent" "deliveries to this instance's sink"
	expect_no_warnings
}

instance_up --name a
A=$I A_MASTER=$(lib_master_pid)
deliver_and_check 3
# The hooks the runtime tests use: an extra program and master.cf line.
printf '#!/bin/sh\nexit 0\n' >"$LIB_TMP/probe"
chmod 755 "$LIB_TMP/probe"
instance_up --name b --libexec-file "$LIB_TMP/probe" \
    --master-line 'probe unix - - n - 1 probe -o syslog_name=probe'
B=$I B_MASTER=$(lib_master_pid)
[ -x "$B/libexec/probe" ] || fail "--libexec-file did not install probe"
postconf -c "$B/conf" -M probe/unix | grep -q 'probe -o syslog_name=probe$' ||
    fail "--master-line did not reach master.cf"
deliver_and_check 3
[ "$A_MASTER" != "$B_MASTER" ] || fail "both instances report master $A_MASTER"

sleep 60 &
BYSTANDER=$!
A_PIDS=$(pgrep -g "$A_MASTER" | tr '\n' ' ')
instance_down "$A"
for pid in $A_PIDS; do
	lib_proc_gone "$pid" || fail "process $pid of instance a survived"
done
lib_proc_gone "$BYSTANDER" && fail "instance_down killed a process of the test"
kill "$BYSTANDER"
wait "$BYSTANDER" 2>/dev/null || true

instance_use "$B"
[ "$(lib_master_pid)" = "$B_MASTER" ] || fail "instance b stopped with a"
deliver_and_check 2

# postconf_set + instance_reload: reuse off from now on, so the next two
# messages get a handshake each from smtp itself and none via tlsproxy.
HANDSHAKES=$(maillog_count 'postfix/smtp\[[0-9]+\]: .*TLS connection established')
PROXIED=$(maillog_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to')
postconf_set 'smtp_tls_connection_reuse = no'
[ "$(postconf -c "$B/conf" -h smtp_tls_connection_reuse)" = no ] ||
    fail "postconf_set did not change main.cf"
[ "$(stat -c %Y "$B/conf/main.cf")" -lt "$((EPOCHSECONDS - 2))" ] ||
    fail "postconf_set did not backdate main.cf"
instance_reload
deliver_and_check 2
expect_count 'postfix/smtp\[[0-9]+\]: .*TLS connection established' \
    $((HANDSHAKES + 2)) "smtp handshakes after the reload"
expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to' "$PROXIED" \
    "tlsproxy connections after the reload"
