#!/bin/bash
# 99-tlsreuse-status.sh - "tlsreuse status" finds each problem on its own
#
# One instance per case, all running our daemons: a healthy one (ours
# named with their release, both transports reusing from main.cf, no
# problem, then "not-running" once it is stopped), and one for each
# thing that stands in the way of reuse, made the way an administrator
# would make it, then reloaded, so that each case reports exactly its
# own problem code: the tlsproxy entry commented out, or missing; a
# process limit of 2 on scache; connection_cache_ttl_limit shorter than
# smtp_connection_cache_time_limit; a transport that turns reuse off;
# master.cf changed after the last reload (gone after the reload); reuse
# nowhere (gone when a policy table entry turns it on for one
# destination, which the status then lists).
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool-lib.sh"

require_ours scache tlsproxy

# edit_master_cf SED-SCRIPT: change master.cf as an administrator would,
# then reload.
edit_master_cf() {
	sed -i -e "$1" "$I/conf/master.cf"
	lib_backdate "$I"/conf/*
	instance_reload
}

# wait_for_master_reread: postfix reload only signals master(8); until
# it has acted, the status rightly says not-reloaded.
wait_for_master_reread() {
	local i
	for ((i = 0; i < LIB_WAIT_SECS * 5; i++)); do
		tool -j status
		[ "$(json 'scalar grep { ($_->{problem} // "") eq "not-reloaded" } @o')" = 0 ] &&
		    return 0
		read -r -t 0.2 -u "$LIB_NAP_FD" _ || true
	done
	fail "still not-reloaded $LIB_WAIT_SECS s after postfix reload"
}

case_healthy() {
	local release
	instance_up
	release=$(MAIL_CONFIG=$I/conf "$(lib_ours_path scache)" -p |
	    head -n 1 | cut -d' ' -f3)
	expect_problems ""
	[ "$(json 'join " ", map { "$_->{role}:$_->{implementation}:$_->{version}" }
	    grep { $_->{type} eq "daemon" } @o')" = \
	    "tlsproxy:tlsreuse:$release scache:tlsreuse:$release" ] ||
	    fail "daemons: $(cat "$I/tool.out")"
	[ "$(json 'join " ", map { "$_->{service}:$_->{reuse_from}:" .
	    ($_->{reuse} ? "yes" : "no") } grep { $_->{type} eq "transport" } @o')" = \
	    "smtp:main.cf:yes relay:main.cf:yes" ] ||
	    fail "transports: $(cat "$I/tool.out")"
	tool status
	grep -qx 'No problems found.' "$I/tool.out" || fail "text: $(cat "$I/tool.out")"
	grep -qE "^  scache/unix \(scache\): line [0-9]+, tlsreuse/scache: tlsreuse $release," \
	    "$I/tool.out" || fail "text daemons: $(cat "$I/tool.out")"
	instance_down
	expect_problems "not-running"
}

case_tlsproxy_commented() {
	instance_up
	edit_master_cf 's|^tlsproxy |#tlsproxy |'
	expect_problems "tlsproxy-commented"
	instance_down
}

case_tlsproxy_missing() {
	instance_up
	edit_master_cf '/^tlsproxy /d'
	expect_problems "tlsproxy-missing"
	instance_down
}

case_scache_process_limit() {
	instance_up
	edit_master_cf 's|^\(scache .*\)1       tlsreuse/scache$|\12       tlsreuse/scache|'
	grep -q '^scache .* 2       tlsreuse/scache$' "$I/conf/master.cf" ||
	    harness_error "the scache line did not change"
	expect_problems "scache-process-limit"
	instance_down
}

case_ttl_limit() {
	instance_up --main 'smtp_connection_cache_time_limit = 5s'
	expect_problems "ttl-limit ttl-limit"
	grep -q 'connection_cache_ttl_limit (2s) is shorter than relay/unix smtp_connection_cache_time_limit (5s)' \
	    "$I/tool.out" || fail "ttl-limit text: $(cat "$I/tool.out")"
	instance_down
}

case_transport_reuse_off() {
	instance_up
	postconf -c "$I/conf" -P 'relay/unix/smtp_tls_connection_reuse=no' ||
	    harness_error "postconf -P failed"
	lib_backdate "$I"/conf/*
	instance_reload
	expect_problems "transport-reuse-off"
	[ "$(json 'my ($t) = grep { $_->{type} eq "transport" &&
	    $_->{service} eq "relay" } @o; "$t->{reuse_value}:$t->{reuse_from}"')" = \
	    "no:master.cf" ] || fail "relay: $(cat "$I/tool.out")"
	instance_down
}

case_not_reloaded() {
	instance_up
	# qmgr's start stands for master's last read: wait for it, so the
	# edit below comes after both (instance_up does not wait for qmgr).
	lib_wait_until "$LIB_WAIT_SECS" pgrep -P "$(lib_master_pid)" -x qmgr \
	    >/dev/null || fail "no qmgr under master"
	# An edit with a fresh time stamp, and no reload.
	echo '# a comment added later' >>"$I/conf/master.cf"
	expect_problems "not-reloaded"
	grep -q "master.cf changed at .*: run postfix reload" "$I/tool.out" ||
	    fail "not-reloaded text: $(cat "$I/tool.out")"
	instance_reload
	# postfix reload only signals master(8); give it time to act.
	wait_for_master_reread
	expect_problems ""
	instance_down
}

case_reuse_by_policy() {
	instance_up --reuse no
	expect_problems "no-reuse"
	echo "[127.0.0.1]:$PORT_SINK secure match=$LIB_MX_NAME connection_reuse=yes" \
	    >"$I/conf/tls_policy"
	postconf_set 'smtp_tls_policy_maps = texthash:${config_directory}/tls_policy'
	instance_reload
	expect_problems ""
	[ "$(json 'my ($t) = grep { $_->{type} eq "transport" } @o;
	    my $e = $t->{policy_maps}[0]{entries}[0];
	    join "|", $t->{reuse} ? 1 : 0, $t->{policy_reuse} ? 1 : 0,
	    $e->{destination}, $e->{policy}')" = \
	    "0|1|[127.0.0.1]:$PORT_SINK|secure match=$LIB_MX_NAME connection_reuse=yes" ] ||
	    fail "policy entry: $(cat "$I/tool.out")"
	instance_down
}

case_healthy
case_tlsproxy_commented
case_tlsproxy_missing
case_scache_process_limit
case_ttl_limit
case_transport_reuse_off
case_not_reloaded
case_reuse_by_policy
