# fault-lib.sh - what the fault scenarios share (sourced after lib.sh)
#
# A fault scenario starts an instance, releases a backlog of mail and,
# while it flows, does one bad thing: kills or stops a daemon, kills or
# stalls the receiving server, attacks a local socket. It lets the
# instance recover, flushing the deferred queue until every message it
# released was delivered, and checks:
#
#   fault_expect_no_loss  every message the injection smtpd accepted was
#                         delivered by smtp(8) or is still queued: none
#                         dropped (a message sent twice is no loss);
#   fault_expect_deaths   master(8) reported no process ended except the
#                         ones the scenario killed itself (fault_signal
#                         KILL). Where only stock daemons run, a death is
#                         reported, not failed: the scenarios show what
#                         stock does. Where one of ours runs, any other
#                         death fails the test.
#
# fault_both runs a scenario with the stock scache and tlsproxy, then with
# ours (TLSREUSE_SCACHE, TLSREUSE_TLSPROXY). The runs are not compared
# line by line: when a fault strikes is not deterministic. fault_result
# prints one "# result:" line per run (deferrals, deaths, time), the
# source of the README's Reliability table.
#
# Instances: fault_instance_up [instance_up options] - Postfix's default
#   destination concurrency (20, not the harness's 1) and long queue ids
#   (never reused, so messages are followed by id).
# Processes: fault_pids WHAT (scache, tlsproxy, tlsmgr: master's children
#   of that name; tlsproxy-connected: those holding a connection to the
#   sink; sink, sink-connected: the receiving smtpd's processes),
#   fault_signal SIG WHAT [PID...], fault_rss_kb WHAT [PID...], fault_fds
#   WHAT [PID...], fault_is_ours NAME, fault_runs_ours, fault_sanitized
#   NAME.
# Mail: fault_release N [SIZE], fault_flow_start [BATCH], fault_flow_stop,
#   fault_wait_sent N [SECS], fault_recover [SECS], fault_starttls LABEL.
# Checks: fault_expect_no_loss, fault_expect_deaths, fault_result.
# Helpers: hostile-client.pl (local attackers), stall-proxy.pl (a server
#   that stops reading in the middle of a message).
#
# SPDX-License-Identifier: EPL-2.0

FAULT_QID='[0-9A-Za-z]+'
FAULT_SENT="postfix/smtp\\[[0-9]+\\]: $FAULT_QID: to=<[^>]*>, .* status=sent "
FAULT_RECEIVED='postfix/discard\[[0-9]+\]: .* status=sent \(sink\)'
FAULT_WAY=""     # stock or ours, during fault_both
FAULT_KILLED=""  # pids the scenario killed in this run
FAULT_T0=""      # $EPOCHREALTIME at the first fault_release
FAULT_INJECTED=0 # messages released in this run

# fault_instance_up [instance_up options]: instance_up for fault
# scenarios (see the header).
fault_instance_up() {
	instance_up --main 'smtp_destination_concurrency_limit = 20' \
	    --main 'enable_long_queue_ids = yes' "$@"
}

# fault_is_ours NAME: true when our NAME (scache or tlsproxy), not stock
# nor a copy of stock from make check-oracle, serves this run.
fault_is_ours() {
	local mode=TLSREUSE_${1^^}
	[ "${!mode}" = ours ] &&
	    ! cmp -s "$(lib_ours_path "$1")" "$LIB_POSTFIX_SBIN/$1"
}

# fault_sanitized NAME: true when our NAME is built with AddressSanitizer
# (--enable-sanitizers), whose quarantine keeps freed memory resident:
# its memory says nothing about ours then.
fault_sanitized() {
	ldd "$(lib_ours_path "$1")" 2>/dev/null | grep -q libasan
}

# fault_runs_ours: true when one of our daemons serves this run.
fault_runs_ours() {
	fault_is_ours scache || fault_is_ours tlsproxy
}

# fault_way LABEL SCACHE TLSPROXY FN: one run of FN with those daemons.
fault_way() {
	local TLSREUSE_SCACHE=$2 TLSREUSE_TLSPROXY=$3
	FAULT_WAY=$1 FAULT_KILLED="" FAULT_STARTTLS="" FAULT_ATTACKS="" FAULT_T0=""
	FAULT_INJECTED=0 FAULT_ELAPSED=""
	note "== $1 run: scache=$2 tlsproxy=$3"
	"$4"
	expect_daemons_from_libexec
	lib_kill_tracked
	instance_down
}

# fault_both FN: FN with the stock daemons, then with ours.
fault_both() {
	[ "$TLSREUSE_SCACHE$TLSREUSE_TLSPROXY" != stockstock ] ||
	    harness_error "fault_both: TLSREUSE_SCACHE and TLSREUSE_TLSPROXY" \
	        "are both stock: nothing of ours to test"
	fault_way stock stock stock "$1"
	fault_way ours "$TLSREUSE_SCACHE" "$TLSREUSE_TLSPROXY" "$1"
}

# --- processes -------------------------------------------------------------

# fault_pids WHAT: the live pids of WHAT in the current instance; WHAT
# is a program name, "sink" (the receiving smtpd's processes),
# "sink-connected" (those of them that hold a client connection) or
# "tlsproxy-connected" (the tlsproxy processes that hold a connection to
# the sink). Killing a process of which master(8) has counted no use
# makes master throttle the service for a minute ("bad command
# startup"): its guard against a broken program, not the crash in
# service a scenario means. master counts a use when a process reports
# available again after taking a connection, which tlsproxy does at once
# (a receiving smtpd only when its first session ends: see test 104).
fault_pids() {
	local master pid comm side=remote
	master=$(lib_master_pid) || return 0
	case $1 in
	sink-connected | tlsproxy-connected)
		# The sink's end of a connection to its port is the local one.
		[ "$1" != sink-connected ] || side=local
		fault_holding "$(fault_tcp_inodes "$PORT_SINK" "$side")" \
		    $(fault_pids "${1%-connected}") | sort -n
		return 0
		;;
	esac
	for pid in $(pgrep -g "$master"); do
		[ "$pid" != "$master" ] && ! lib_proc_gone "$pid" || continue
		read -r comm 2>/dev/null <"/proc/$pid/comm" || continue
		case $1 in
		sink)
			[ "$comm" = smtpd ] &&
			    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" |
			    grep -q 'syslog_name=postfix/sink ' || continue
			;;
		*)
			[ "$comm" = "$1" ] || continue
			;;
		esac
		echo "$pid"
	done
}

# fault_tcp_inodes PORT local|remote: the socket inodes of the
# established IPv4 connections whose local (or remote) port is PORT, one
# per line ("-" if none).
fault_tcp_inodes() {
	local field=3 # /proc/net/tcp: 2 local address, 3 remote, 4 state
	[ "$2" != local ] || field=2
	awk -v port="$(printf '%04X' "$1")" -v field="$field" '
	    $field ~ ":" port "$" && $4 == "01" { print $10; n++ }
	    END { if (!n) print "-" }' /proc/net/tcp
}

# fault_holding INODES PID...: those of the PIDs that have one of the
# sockets INODES open (one find(1) for all).
fault_holding() {
	local inodes=$1 pid dirs=()
	shift
	for pid; do
		dirs+=("/proc/$pid/fd")
	done
	[ ${#dirs[@]} -gt 0 ] || return 0
	find "${dirs[@]}" -lname 'socket:*' -printf '%h %l\n' 2>/dev/null |
	    awk -v inodes="$inodes" '
		BEGIN { n = split(inodes, list, "\n"); for (i = 1; i <= n; i++) want["socket:[" list[i] "]"] = 1 }
		$2 in want { split($1, part, "/"); pid[part[3]] = 1 }
		END { for (p in pid) print p }'
}

# fault_signal SIG WHAT [PID...]: send SIG to the given processes of WHAT,
# or to all of them (there must be one); the pids signalled with KILL are
# expected to die. The note gives each one's open descriptors just before.
fault_signal() {
	local sig=$1 what=$2 pids pid fds=""
	shift 2
	pids=${*:-$(fault_pids "$what" | tr '\n' ' ')}
	[ -n "$pids" ] || fail "no $what process to send SIG$sig to"
	for pid in $pids; do
		fds="$fds $(fault_fds "$what" "$pid")"
	done
	for pid in $pids; do
		kill "-$sig" "$pid" 2>/dev/null || note "pid $pid was gone already"
	done
	[ "$sig" != KILL ] || FAULT_KILLED="$FAULT_KILLED $pids"
	note "SIG$sig to $what: pid $pids(descriptors$fds; after" \
	    "$(maillog_count "$FAULT_SENT") deliveries)"
}

# fault_rss_kb WHAT [PID...]: the resident memory of WHAT's processes (or
# of those of the PIDs still alive), KiB, summed.
fault_rss_kb() {
	local pid sum=0 key value unit pids
	if [ $# -gt 1 ]; then
		shift
		pids=$*
	else
		pids=$(fault_pids "$1")
	fi
	for pid in $pids; do
		while read -r key value unit; do
			[ "$key" = VmRSS: ] && sum=$((sum + value))
		done 2>/dev/null <"/proc/$pid/status"
	done
	echo "$sum"
}

# fault_fds WHAT [PID...]: the open descriptors of WHAT's processes (or
# of those of the PIDs still alive), summed.
fault_fds() {
	local pid sum=0 fds pids
	if [ $# -gt 1 ]; then
		shift
		pids=$*
	else
		pids=$(fault_pids "$1")
	fi
	for pid in $pids; do
		fds=(/proc/"$pid"/fd/*)
		[ -e "${fds[0]}" ] && sum=$((sum + ${#fds[@]}))
	done
	echo "$sum"
}

# --- mail ------------------------------------------------------------------

# fault_release N [SIZE]: inject N messages held, then release them all
# (the run's time counts from its first release).
fault_release() {
	inject_held "$@"
	FAULT_T0=${FAULT_T0:-$EPOCHREALTIME}
	release_held
	FAULT_INJECTED=$((FAULT_INJECTED + $1))
}

# fault_flow_start [BATCH]: mail keeps coming in the background: BATCH
# messages (default 50) injected and released every second, until
# fault_flow_stop, which adds them to the run's count.
fault_flow_start() {
	local batch=${1:-50}
	FAULT_T0=${FAULT_T0:-$EPOCHREALTIME}
	: >"$I/flow.count"
	rm -f "$I/flow.stop"
	(
		until [ -e "$I/flow.stop" ]; do
			inject_held "$batch"
			release_held
			echo "$batch" >>"$I/flow.count"
			read -r -t 1 -u "$LIB_NAP_FD" _ || true
		done
	) &
	FAULT_FLOW_PID=$!
	track_pid "$FAULT_FLOW_PID"
}

fault_flow_stop() {
	local n total=0
	: >"$I/flow.stop"
	wait "$FAULT_FLOW_PID" || harness_error "the background mail flow failed"
	while read -r n; do
		total=$((total + n))
	done <"$I/flow.count"
	FAULT_INJECTED=$((FAULT_INJECTED + total))
	note "background flow: $total messages released"
}

# fault_wait_sent N [SECS]: until smtp(8) delivered N messages.
fault_wait_sent() {
	wait_for_maillog "$FAULT_SENT" "$1" "${2:-$LIB_WAIT_SECS}"
}

# fault_recover [SECS]: after the fault, until every message released in
# this run was delivered: each time the undelivered ones all wait in the
# deferred queue, flush it (postqueue -f also ends a destination's
# "delivery temporarily suspended"). Other queue files (a message the
# receiving smtpd is still reading, say) do not count. Fails after SECS.
fault_recover() {
	local secs=${1:-$LIB_WAIT_SECS} deadline flushes=0
	local n s q qd lost d u ids
	deadline=$((${EPOCHREALTIME/./} + secs * 1000000))
	while :; do
		read -r n s q qd lost d u ids <<<"$(fault_accounting)"
		[ "$s" -lt "$FAULT_INJECTED" ] || break
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] ||
		    fail "after $secs s, $((FAULT_INJECTED - s)) messages not" \
		    "delivered ($q queued, $qd of them deferred; $flushes flushes)"
		if [ "$q" -gt 0 ] && [ "$q" -eq "$qd" ]; then
			postqueue -c "$I/conf" -f ||
			    harness_error "postqueue -f failed"
			flushes=$((flushes + 1))
		fi
		read -r -t 0.5 -u "$LIB_NAP_FD" _ || true
	done
	FAULT_ELAPSED=$(lib_elapsed "$FAULT_T0")
	note "all delivered $FAULT_ELAPSED s after the release ($flushes flushes)"
}

# fault_starttls LABEL: one new client (a fresh 127/8 address) through
# postscreen's STARTTLS, i.e. tlsproxy's server role (ps-client.pl tls);
# its transcript goes to $I/LABEL.out. True if the client saw TLS and
# postscreen's 450; FAULT_STARTTLS collects "LABEL=ok|failed" for the
# result line.
fault_starttls() {
	local src
	src=$(random_loopback_ip)
	if perl "$LIB_SRCDIR/ps-client.pl" "$PORT_PS" "$src" tls \
	    >"$I/$1.out" 2>&1; then
		FAULT_STARTTLS="${FAULT_STARTTLS:+$FAULT_STARTTLS,}$1=ok"
		return 0
	fi
	FAULT_STARTTLS="${FAULT_STARTTLS:+$FAULT_STARTTLS,}$1=failed"
	note "STARTTLS client $1 ($src) failed: $(tail -n 1 "$I/$1.out")"
	return 1
}

# fault_attack NAME MODE ARG: one hostile-client.pl attacker (MODE ARG)
# on private/NAME (scache or tlsproxy) of the running instance. Adds
# "MODE:closed|open/Ww/Ss/Dd" to FAULT_ATTACKS: whether NAME closed the
# connection, its new warning lines W, S seconds from the first byte to
# the close, D deliveries meanwhile. Where ours serves NAME, the attacker
# must be closed with exactly one warning.
fault_attack() {
	local name=$1 mode=$2 arg=$3 re w0 d0 out closed state after w d
	re="postfix/$name\\[[0-9]+\\]: warning: "
	w0=$(maillog_count "$re")
	d0=$(maillog_count "$FAULT_SENT")
	out=$(perl "$LIB_SRCDIR/hostile-client.pl" "$I/queue/private/$name" \
	    "$mode" "$arg") || harness_error "hostile-client.pl $mode: $out"
	closed=$(sed -nE 's/.* closed=([a-z]+) .*/\1/p' <<<"$out")
	after=$(sed -nE 's/.* after=([0-9.]+)$/\1/p' <<<"$out")
	if [ "$closed" = yes ] && fault_is_ours "$name"; then
		wait_for_maillog "$re" $((w0 + 1)) 5
	fi
	# A second warning would follow the first at once.
	read -r -t 0.3 -u "$LIB_NAP_FD" _ || true
	w=$(($(maillog_count "$re") - w0))
	d=$(($(maillog_count "$FAULT_SENT") - d0))
	note "$name, $mode $arg: $out; $w warnings, $d deliveries meanwhile"
	state=open
	[ "$closed" != yes ] || state=closed
	FAULT_ATTACKS="${FAULT_ATTACKS:+$FAULT_ATTACKS,}$mode:$state/${w}w/${after}s/${d}d"
	fault_is_ours "$name" || return 0
	[ "$closed" = yes ] || fail "$name left the $mode attacker open"
	[ "$w" -eq 1 ] || LIB_EXCERPT_RE=$re fail "$name logged $w warnings for the $mode attacker, not 1"
}

# --- checks ----------------------------------------------------------------

# fault_accounting: "injected sent queued in-deferred lost deferred
# suspended [QID...]" for the mail of this instance's injection smtpd:
# sent = delivered by smtp(8); queued = still in a queue (in-deferred: of
# those, in the deferred queue); lost = neither (their QIDs follow);
# deferred = deferred at least once; suspended = of those, by qmgr's
# "delivery temporarily suspended". The queue is read before the log, so
# a message is never missed between the two.
fault_accounting() {
	{
		find "$I/queue/maildrop" "$I/queue/incoming" "$I/queue/active" \
		    "$I/queue/deferred" "$I/queue/hold" -type f -printf 'Q %h %f\n'
		cat "$I/maillog"
	} | awk -v qid="$FAULT_QID" -v deferred_dir="$I/queue/deferred" '
	    function id() {
		    match($0, "]: " qid ": ")
		    return substr($0, RSTART + 3, RLENGTH - 5)
	    }
	    /^Q / {
		    queued[$3] = index($2, deferred_dir) == 1 ? "deferred" : "other"
		    next
	    }
	    $0 ~ "postfix/inject/smtpd\\[[0-9]+\\]: " qid ": client=" {
		    injected[id()] = 1
	    }
	    $0 ~ "postfix/smtp\\[[0-9]+\\]: " qid ": to=<.* status=sent " {
		    sent[id()] = 1
	    }
	    $0 ~ "]: " qid ": to=<.* status=deferred " {
		    deferred[id()] = 1
		    if ($0 ~ /delivery temporarily suspended/)
			    suspended[id()] = 1
	    }
	    END {
		    for (m in injected) {
			    n++
			    if (m in sent) s++
			    else if (m in queued) {
				    q++
				    if (queued[m] == "deferred") qd++
			    } else { lost++; ids = ids " " m }
			    if (m in deferred) d++
			    if (m in suspended) u++
		    }
		    printf "%d %d %d %d %d %d %d%s\n", n, s, q, qd, lost, d, u, ids
	    }'
}

# fault_expect_no_loss: every injected message was sent or is queued.
# postlogd may write a "sent" line after the queue file is gone, so a
# shortfall is looked at again for a few seconds before it fails.
fault_expect_no_loss() {
	local n s q qd lost d u ids tries=0
	while :; do
		read -r n s q qd lost d u ids <<<"$(fault_accounting)"
		[ "$lost" -ne 0 ] && [ "$tries" -lt 20 ] || break
		tries=$((tries + 1))
		read -r -t 0.25 -u "$LIB_NAP_FD" _ || true
	done
	[ "$n" -eq "$FAULT_INJECTED" ] ||
	    harness_error "the injection smtpd logged $n messages, not $FAULT_INJECTED"
	[ "$lost" -eq 0 ] ||
	    LIB_EXCERPT_RE="${ids// /|}" fail "$lost of $n messages lost" \
	    "(neither delivered nor queued):$ids"
	note "no message lost: $n injected, $s delivered, $q queued," \
	    "$d deferred at least once ($u by \"delivery temporarily suspended\")"
}

# fault_deaths: "PID PROGRAM HOW" for each process master(8) saw end
# abnormally ("exit status N", "killed by signal N").
fault_deaths() {
	sed -nE 's/.*postfix\/master\[[0-9]+\]: warning: process ([^ ]+) pid ([0-9]+) (exit status [0-9]+|killed by signal [0-9]+).*/\2 \1 \3/p' \
	    "$I/maillog" | sed -E "s|$I/libexec/||"
}

# fault_unexpected_deaths: fault_deaths but those of FAULT_KILLED.
fault_unexpected_deaths() {
	local pid rest
	fault_deaths | while read -r pid rest; do
		case " $FAULT_KILLED " in
		*" $pid "*) ;;
		*) echo "$pid $rest" ;;
		esac
	done
}

# fault_expect_deaths: no process ended but those the scenario killed
# (fails where ours run; reported where only stock runs), and master(8)
# throttled none of our daemons: the scenarios kill only processes that
# have served, so a throttle ("bad command startup") of one of ours means
# master never counted its uses, or it died at start.
fault_expect_deaths() {
	local other throttled
	other=$(fault_unexpected_deaths | tr '\n' ';')
	throttled=$(sed -nE "s|.*postfix/master\[[0-9]+\]: warning: $I/libexec/([^ ]+): bad command startup.*|\1|p" \
	    "$I/maillog" | sort -u | tr '\n' ' ')
	case " $throttled" in
	*" tlsreuse/"*)
		LIB_EXCERPT_RE='bad command startup' \
		    fail "master(8) throttled ${throttled% }"
		;;
	esac
	[ -z "$throttled" ] || note "master(8) throttled ${throttled% }"
	if [ -z "$other" ]; then
		note "no process ended but the $(echo "$FAULT_KILLED" | wc -w)" \
		    "the test killed"
	elif fault_runs_ours; then
		LIB_EXCERPT_RE='postfix/master\[' \
		    fail "processes ended by the fault: $other"
	else
		note "stock: processes ended by the fault: $other"
	fi
}

# fault_dead_reused: the connections smtp(8) took from the cache ("TLS
# connection reused") but delivered nothing over: its RSET probe found
# them dead and it made a new connection.
fault_dead_reused() {
	local reused used
	reused=$(maillog_count 'postfix/smtp\[[0-9]+\]: [A-Za-z]+ TLS connection reused to ')
	used=$(maillog_count "postfix/smtp\\[[0-9]+\\]: $FAULT_QID: to=<[^>]*>, .*conn_use=")
	echo $((reused - used))
}

# fault_result [TEXT]: the run's line for the Reliability table.
fault_result() {
	local n s q qd lost d u ids received deaths warnings
	read -r n s q qd lost d u ids <<<"$(fault_accounting)"
	received=$(maillog_count "$FAULT_RECEIVED")
	deaths=$(fault_unexpected_deaths |
	    sed -E 's/^[0-9]+ ([^ ]+) (exit status|killed by signal) /\1:\2=/; s/(exit|signal) [a-z ]*=/\1-/' |
	    sort | uniq -c | awk '{ printf "%s%s=%d", n++ ? "," : "", $2, $1 }')
	warnings=$(grep -oE "postfix/[a-z/-]+\[[0-9]+\]: $LIB_PROBLEM" "$I/maillog" |
	    sed -E 's/\[[0-9]+\]: /:/; s/:$//; s|^postfix/||' | sort | uniq -c |
	    awk '{ printf "%s%s=%d", n++ ? "," : "", $2, $1 }')
	note "result: ${LIB_TEST_NAME} $FAULT_WAY: injected=$n lost=$lost" \
	    "deferred=$d suspended=$u received=$received" \
	    "dead-reused=$(fault_dead_reused)" \
	    "time=${FAULT_ELAPSED:-?}s killed=$(echo "$FAULT_KILLED" | wc -w)" \
	    "other-deaths=${deaths:-none} warnings=${warnings:-none}" \
	    "${FAULT_STARTTLS:+starttls=$FAULT_STARTTLS}" \
	    "${FAULT_ATTACKS:+attacks=$FAULT_ATTACKS} ${1:-}"
}
