# hostile-lib.sh - the hostile-client scenario for one daemon
#
# Sourced after fault-lib.sh with NAME set to scache or tlsproxy; see
# 106-fault-hostile-scache.sh and 107-fault-hostile-tlsproxy.sh.
#
# SPDX-License-Identifier: EPL-2.0

# Growth of the daemon's resident memory allowed over the attacks, KiB.
HOSTILE_RSS_SLACK=2048
# Silent connections held at once.
HOSTILE_IDLE=300

# hostile_deadline: the seconds NAME gives a client to finish a request:
# scache's connection_cache_protocol_timeout (5 s by default), tlsproxy's
# fixed 100 s (stock's too).
hostile_deadline() {
	case $NAME in
	scache) echo 5 ;;
	tlsproxy) echo 100 ;;
	esac
}

# hostile_silent: a client that stops after a well-formed start of a
# request and HOSTILE_IDLE clients that send nothing, at once, while mail
# flows. Where NAME's deadline is short (scache) or HOSTILE_FULL=1, they
# wait for it (plus 10 s): ours must close the first with one warning;
# tlsproxy must close the idle ones too, scache serves them until
# ipc_timeout like the connections smtp(8) keeps between requests.
# Otherwise they give up after 5 s and close.
hostile_silent() {
	local deadline wait=5 full=0 w0 d0 prefix_pid idle_pid re pc ic w d
	deadline=$(hostile_deadline)
	if [ "$deadline" -le 10 ] || [ "${HOSTILE_FULL:-0}" = 1 ]; then
		wait=$((deadline + 10)) full=1
	fi
	re="postfix/$NAME\\[[0-9]+\\]: warning: "
	w0=$(maillog_count "$re")
	d0=$(maillog_count "$FAULT_SENT")
	HOSTILE_WAIT=$wait perl "$LIB_SRCDIR/hostile-client.pl" \
	    "$I/queue/private/$NAME" prefix "$NAME" >"$I/prefix.out" &
	prefix_pid=$!
	track_pid "$prefix_pid"
	HOSTILE_WAIT=$wait perl "$LIB_SRCDIR/hostile-client.pl" \
	    "$I/queue/private/$NAME" idle "$HOSTILE_IDLE" >"$I/idle.out" &
	idle_pid=$!
	track_pid "$idle_pid"
	wait "$prefix_pid" "$idle_pid" ||
	    harness_error "hostile-client.pl: $(cat "$I/prefix.out" "$I/idle.out")"
	read -r -t 0.5 -u "$LIB_NAP_FD" _ || true
	pc=$(sed -nE 's/.* closed=([0-9]+) .*/\1/p' "$I/prefix.out")
	ic=$(sed -nE 's/.* closed=([0-9]+) .*/\1/p' "$I/idle.out")
	w=$(($(maillog_count "$re") - w0))
	d=$(($(maillog_count "$FAULT_SENT") - d0))
	note "$NAME, silent clients for $wait s: $(cat "$I/prefix.out");" \
	    "$(cat "$I/idle.out"); $w warnings, $d deliveries meanwhile"
	FAULT_ATTACKS="$FAULT_ATTACKS,prefix+${HOSTILE_IDLE}idle:${pc}+${ic}closed/${w}w/${wait}s/${d}d"
	fault_is_ours "$NAME" && [ "$full" = 1 ] || return 0
	[ "$pc" -eq 1 ] || fail "$NAME left the silent client open"
	[ "$NAME" = scache ] || [ "$ic" -eq "$HOSTILE_IDLE" ] ||
	    fail "$NAME closed $ic of $HOSTILE_IDLE idle clients"
	[ "$w" -eq $((1 + ic)) ] ||
	    LIB_EXCERPT_RE=$re fail "$NAME logged $w warnings for $((1 + ic)) silent clients"
	[ "$d" -gt 0 ] || fail "no delivery while silent clients waited"
}

# hostile_rss_check FROM TO WHEN: ours may grow at most
# HOSTILE_RSS_SLACK KiB (TO is 0 when the processes retired meanwhile:
# max_use counts every client, attackers too; under ASan only reported).
hostile_rss_check() {
	fault_is_ours "$NAME" && [ "$2" -ne 0 ] && ! fault_sanitized "$NAME" ||
	    return 0
	[ "$2" -le $(($1 + HOSTILE_RSS_SLACK)) ] ||
	    fail "$NAME grew from $1 to $2 KiB $3"
}

# hostile_scenario: the attacks, one after the other, while mail flows.
# Memory is that of the processes of NAME that were there before the
# attacks (master may start more meanwhile).
hostile_scenario() {
	local pids rss0 rss1 rss2
	fault_instance_up
	fault_flow_start 50
	fault_wait_sent 100
	pids=$(fault_pids "$NAME")
	rss0=$(fault_rss_kb "$NAME" $pids)
	fault_attack "$NAME" random 1048576
	fault_attack "$NAME" endless-name 104857600
	fault_attack "$NAME" attrs 10000
	fault_attack "$NAME" value 52428800
	rss1=$(fault_rss_kb "$NAME" $pids)
	hostile_silent
	rss2=$(fault_rss_kb "$NAME" $pids)
	fault_flow_stop
	note "$NAME memory (pid $(echo $pids)): $rss0 KiB before the attacks," \
	    "$rss1 KiB after the loud ones, $rss2 KiB after the silent ones" \
	    "(0: retired); $(fault_pids "$NAME" | wc -l) processes now"
	fault_recover 120
	fault_expect_no_loss
	fault_expect_deaths
	fault_result "rss=${rss0}->${rss1}->${rss2}KiB"
	hostile_rss_check "$rss0" "$rss1" "under the loud attacks"
	hostile_rss_check "$rss1" "$rss2" "with the silent clients"
}
