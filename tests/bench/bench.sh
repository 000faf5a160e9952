# bench.sh - side-by-side benchmarks: stock tlsproxy/scache against ours
#
# Run by "make bench" (bash, root, Postfix installed). Uses the
# integration harness (tests/integration/lib.sh) for throwaway Postfix
# instances. For each of BENCH_PAIRS pairs it runs every benchmark group
# once with the stock daemons, then once with ours (stock, ours, stock,
# ours ...), each run on a fresh instance with the same configuration:
#
#   e2e    1000 x 1 KB + 200 x 100 KB messages held, released at once,
#          smtp_tls_connection_reuse = yes: time to an empty queue, msg/s,
#          CPU of tlsproxy, scache and the instance, peak RSS, handshakes
#          and reused connections (smtp(8) log lines).
#   proxy  tlsproxy under master(8) with bench_sink as the TLS server: idle memory (1000 sessions),
#          handshake latency (1000 full, 1000 resumed), data path (1 GiB
#          through 1 and through 8 sessions), then scache save_endp/
#          find_endp cycles (1 and 8 clients) on the same instance.
#
# Ours = TLSREUSE_OURS_DIR (default: the build tree) scache/scache and
# tlsproxy/tlsproxy; both must be built (make bench builds them). A
# figure no run of ours produced shows "-". Raw figures go to
# tests/bench/results/<UTC time>.tsv, the table to stdout and
# tests/bench/results/latest.txt.
#
# The noise floor: "make bench-oracle" (BENCH_ORACLE=1) runs copies of
# the stock daemons as ours and keeps its raw figures as
# tests/bench/results/oracle.tsv (its table as oracle.txt). A later run's
# table shows, beside each ratio, the lowest and highest per-pair ratio
# of that oracle run: a ratio inside that range is not told apart from
# noise.
#
# Environment: BENCH_PAIRS (default 3), BENCH_SCALE (default 1; 0.1 for a
# quick smoke run, smaller than the issue's minimums), BENCH_ORACLE.
#
# SPDX-License-Identifier: EPL-2.0

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# A base of our own for the instances: during a 10-minute run on a shared
# machine, /tmp/tr.* directories of ours were removed by someone else's
# cleanup of the integration tests' leftovers.
BENCH_TMPDIR=${BENCH_TMPDIR:-/tmp/tlsreuse-bench}
mkdir -p -m 755 "$BENCH_TMPDIR" && export TMPDIR=$BENCH_TMPDIR
. "$top_srcdir/tests/integration/lib.sh"

BENCH_DIR=$top_builddir/tests/bench
BENCH_RESULTS=$BENCH_DIR/results
BENCH_ORACLE_RAW=$BENCH_RESULTS/oracle.tsv
BENCH_PAIRS=${BENCH_PAIRS:-3}
BENCH_SCALE=${BENCH_SCALE:-1}
HZ=$(getconf CLK_TCK)

# bench_n N: N times BENCH_SCALE, at least 1.
bench_n() {
	awk -v n="$1" -v s="$BENCH_SCALE" 'BEGIN { v = int(n * s); print v < 1 ? 1 : v }'
}

E2E_SMALL=$(bench_n 1000)
E2E_LARGE=$(bench_n 200)
E2E_MESSAGES=$((E2E_SMALL + E2E_LARGE))
DATA_BYTES=$(bench_n 1073741824)
HANDSHAKES=$(bench_n 1000)
IDLE_SESSIONS=$(bench_n 1000)
SCACHE_CYCLES_1=$(bench_n 20000)
SCACHE_CYCLES_8=$(bench_n 2500)

# --- results ---------------------------------------------------------------

# record PAIR SIDE METRIC VALUE: one raw figure.
record() {
	printf '%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_RAW"
}

# calc EXPR: awk arithmetic, printed with up to 6 significant digits.
calc() {
	awk "BEGIN { printf \"%.6g\n\", $1 }"
}

# --- /proc sampling: CPU ticks and peak RSS vanish when a process exits ----

# proc_snapshot MASTER: "pid comm ticks vmhwm_kb vmrss_kb" for master
# (ticks including reaped children) and each live child of master.
proc_snapshot() {
	local m=$1 kids pid stat f k v hwm rss
	read -r -a kids 2>/dev/null <"/proc/$m/task/$m/children" || true
	read -r stat 2>/dev/null <"/proc/$m/stat" || return 0
	read -r -a f <<<"${stat##*) }"
	echo "$m master $((f[11] + f[12] + f[13] + f[14])) 0 0"
	for pid in "${kids[@]}"; do
		read -r stat 2>/dev/null <"/proc/$pid/stat" || continue
		read -r -a f <<<"${stat##*) }"
		hwm=0 rss=0
		while read -r k v _; do
			case $k in
			VmHWM:) hwm=$v ;;
			VmRSS:) rss=$v ;;
			esac
		done 2>/dev/null <"/proc/$pid/status"
		stat=${stat#*\(}
		echo "$pid ${stat%%)*} $((f[11] + f[12])) $hwm $rss"
	done
}

# sampler_start MASTER FILE: snapshot every 200 ms into FILE until stopped.
sampler_start() {
	(
		while :; do
			proc_snapshot "$1"
			read -r -t 0.2 -u "$LIB_NAP_FD" _ || true
		done >>"$2"
	) &
	SAMPLER_PID=$!
}

sampler_stop() {
	kill "$SAMPLER_PID" 2>/dev/null || true
	wait "$SAMPLER_PID" 2>/dev/null || true
}

# usage_summary BASE SAMPLES FINAL: "tlsproxy_cpu scache_cpu instance_cpu
# tlsproxy_hwm scache_hwm" (seconds, KiB) between the snapshots BASE and
# FINAL. A child that was alive in BASE and is gone in FINAL has been
# reaped into master's cutime/cstime, so its BASE ticks are subtracted.
usage_summary() {
	awk -v hz="$HZ" '
	FILENAME == ARGV[1] { base[$1] = $3; next }
	FILENAME == ARGV[2] {
		if ($4 > hwm[$2]) hwm[$2] = $4
		if ($3 > last[$1]) { last[$1] = $3; comm[$1] = $2 }
		next
	}
	{
		final[$1] = 1; comm[$1] = $2; last[$1] = $3
		if ($4 > hwm[$2]) hwm[$2] = $4
		if ($2 == "master") master = $1
	}
	END {
		for (p in last) {
			d = last[p] - base[p]
			cpu[comm[p]] += d
			if (p == master || p in final) inst += d
		}
		for (p in base) if (!(p in final)) inst -= base[p]
		printf "%.2f %.2f %.2f %d %d\n", cpu["tlsproxy"] / hz,
		    cpu["scache"] / hz, inst / hz, hwm["tlsproxy"], hwm["scache"]
	}' "$@"
}

# daemon_ticks COMM: CPU ticks of the current instance's COMM processes.
daemon_ticks() {
	proc_snapshot "$(lib_master_pid)" |
	    awk -v c="$1" '$2 == c { t += $3 } END { print t + 0 }'
}

# daemon_rss COMM: summed VmRSS (KiB) and process count of COMM.
daemon_rss() {
	proc_snapshot "$(lib_master_pid)" |
	    awk -v c="$1" '$2 == c { r += $5; n++ } END { print r + 0, n + 0 }'
}

# --- which daemons ---------------------------------------------------------

# --- benchmark 1: end to end -----------------------------------------------

run_e2e() {
	local pair=$1 side=$2 t0 secs usage sent
	local TLSREUSE_SCACHE TLSREUSE_TLSPROXY
	TLSREUSE_SCACHE=$side TLSREUSE_TLSPROXY=$side
	note "pair $pair: e2e on $side (scache=$TLSREUSE_SCACHE tlsproxy=$TLSREUSE_TLSPROXY)"
	# The harness's one-delivery-at-a-time limit is for deterministic
	# logs; a benchmark wants Postfix's default concurrency.
	instance_up --name "e2e-$pair-$side" \
	    --main 'smtp_destination_concurrency_limit = 20'
	t0=$EPOCHREALTIME
	inject_held "$E2E_SMALL" 1000
	inject_held "$E2E_LARGE" 100000
	note "injected $E2E_MESSAGES messages in $(lib_elapsed "$t0") s"
	proc_snapshot "$(lib_master_pid)" >"$I/usage.base"
	sampler_start "$(lib_master_pid)" "$I/usage.samples"
	t0=$EPOCHREALTIME
	release_held
	wait_for_queue_empty 600
	secs=$(lib_elapsed "$t0")
	proc_snapshot "$(lib_master_pid)" >"$I/usage.final"
	sampler_stop
	wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$E2E_MESSAGES"
	sent=$(maillog_count 'postfix/smtp\[[0-9]+\]: .*status=sent')
	[ "$sent" -eq "$E2E_MESSAGES" ] ||
	    fail "e2e: $sent of $E2E_MESSAGES messages sent"
	read -r -a usage <<<"$(usage_summary "$I/usage.base" \
	    "$I/usage.samples" "$I/usage.final")"
	note "delivered in $secs s"
	record "$pair" "$side" e2e_secs "$secs"
	record "$pair" "$side" e2e_msgs_per_sec "$(calc "$E2E_MESSAGES / $secs")"
	record "$pair" "$side" e2e_tlsproxy_cpu "${usage[0]}"
	record "$pair" "$side" e2e_scache_cpu "${usage[1]}"
	record "$pair" "$side" e2e_instance_cpu "${usage[2]}"
	record "$pair" "$side" e2e_tlsproxy_hwm "${usage[3]}"
	record "$pair" "$side" e2e_scache_hwm "${usage[4]}"
	record "$pair" "$side" e2e_handshakes \
	    "$(maillog_count 'postfix/smtp\[[0-9]+\]: .*TLS connection established to')"
	record "$pair" "$side" e2e_reused \
	    "$(maillog_count 'postfix/smtp\[[0-9]+\]: .*TLS connection reused to')"
	expect_daemons_from_libexec
	instance_down
}

# --- benchmarks 2-5: tlsproxy and scache under master(8) -------------------

# tlsp ARGS...: bench_tlsp against the current instance; its complaints
# (and the sessions it had to replace) go to $I/tlsp.err.
tlsp() {
	"$BENCH_DIR/bench_tlsp" "$I/queue/private/tlsproxy" "$SINK_PORT" \
	    "$I/tls/ca.pem" "$LIB_MX_NAME" "$@" 2>>"$I/tlsp.err"
}

# tlsp_failed WHAT: fail with bench_tlsp's last complaints.
tlsp_failed() {
	fail "$1: bench_tlsp failed: $(grep -v 'stalled session' "$I/tlsp.err" |
	    tail -n 3)"
}

sink_start() {
	exec {SINK_OUT}< <(exec "$BENCH_DIR/bench_sink" "$I/tls/ecdsa.pem" \
	    2>>"$I/sink.err")
	SINK_PID=$!
	read -r -t 10 -u "$SINK_OUT" SINK_PORT ||
	    harness_error "bench_sink did not start: $(cat "$I/sink.err")"
}

sink_stop() {
	kill "$SINK_PID" 2>/dev/null || true
	exec {SINK_OUT}<&-
}

# timed FN ARGS...: run FN and note how long it took.
timed() {
	local t0=$EPOCHREALTIME
	"$@"
	note "$1 took $(lib_elapsed "$t0") s"
}

# settle: let the daemons finish the work just handed to them.
settle() {
	read -r -t 0.3 -u "$LIB_NAP_FD" _ || true
}

# Benchmark 4: RSS per idle session, one tlsproxy process.
bench_idle() {
	local pair=$1 side=$2 line rss1 rss procs
	coproc IDLE { tlsp idle "$IDLE_SESSIONS"; }
	read -r -t 60 -u "${IDLE[0]}" line || tlsp_failed "idle: no first session"
	settle
	read -r rss1 procs <<<"$(daemon_rss tlsproxy)"
	echo go >&"${IDLE[1]}"
	read -r -t 300 -u "${IDLE[0]}" line ||
	    tlsp_failed "idle: sessions did not open"
	settle
	read -r rss procs <<<"$(daemon_rss tlsproxy)"
	record "$pair" "$side" idle_tlsproxy_procs "$procs"
	eval "exec ${IDLE[1]}>&-"
	wait "$IDLE_PID" || tlsp_failed idle
	record "$pair" "$side" idle_rss_total "$rss"
	record "$pair" "$side" idle_rss_per_session \
	    "$(calc "($rss - $rss1) / ($IDLE_SESSIONS - 1)")"
}

# Benchmark 3: handshake latency, full and resumed.
bench_handshake() {
	local pair=$1 side=$2 mode p50 p99 t0
	for mode in full resumed; do
		t0=$(daemon_ticks tlsproxy)
		read -r p50 p99 <<<"$(tlsp handshake "$HANDSHAKES" "$mode")"
		[ -n "$p99" ] || tlsp_failed "handshake $mode"
		settle
		record "$pair" "$side" "hs_${mode}_p50_ms" "$(calc "$p50 / 1000")"
		record "$pair" "$side" "hs_${mode}_p99_ms" "$(calc "$p99 / 1000")"
		record "$pair" "$side" "hs_${mode}_cpu_ms" \
		    "$(calc "($(daemon_ticks tlsproxy) - $t0) * 1000 / $HZ / $HANDSHAKES")"
	done
}

# Benchmark 2: the data path, 1 and 8 sessions.
bench_data() {
	local pair=$1 side=$2 n t0 secs cpu gib
	gib=$(calc "$DATA_BYTES / 1073741824")
	for n in 1 8; do
		t0=$(daemon_ticks tlsproxy)
		secs=$(tlsp data "$DATA_BYTES" "$n") || tlsp_failed "data"
		settle
		cpu=$(calc "($(daemon_ticks tlsproxy) - $t0) / $HZ")
		record "$pair" "$side" "data${n}_mib_per_sec" \
		    "$(calc "$DATA_BYTES / 1048576 / $secs")"
		record "$pair" "$side" "data${n}_cpu_per_gib" "$(calc "$cpu / $gib")"
		record "$pair" "$side" "data${n}_aes_fraction" \
		    "$(calc "$DATA_BYTES / ($cpu > 0 ? $cpu : 0.01) / $AES_BYTES_PER_SEC")"
	done
}

# Benchmark 5: scache cycles per second, 1 and 8 clients; the metrics
# get SUFFIX (empty, or _nolog).
bench_scache_cycles() {
	local pair=$1 side=$2 suffix=$3 n rate
	local -a cycles=([1]=$SCACHE_CYCLES_1 [8]=$SCACHE_CYCLES_8)
	for n in 1 8; do
		rate=$("$BENCH_DIR/bench_scache" "$I/queue/private/scache" "$n" \
		    "${cycles[n]}") || fail "scache: bench_scache failed"
		record "$pair" "$side" "scache${n}_cycles_per_sec$suffix" "$rate"
	done
}

# Benchmark 5 as configured by default (ours logs each reuse: one
# datagram to postlogd per hand-out, which stock does not send), then
# with our per-reuse log line off (reuse_log=no), which shows what the
# line costs. Stock has no such line: it runs the same again.
bench_scache() {
	local pair=$1 side=$2
	bench_scache_cycles "$pair" "$side" ""
	if [ "$side" = ours ]; then
		postconf -c "$I/conf" -M \
		    "scache/unix=scache unix - - n - 1 $SCACHE_CMD reuse_log=no" ||
		    harness_error "postconf -M failed"
		lib_backdate "$I"/conf/*
		instance_reload
		wait_for_maillog 'postfix/scache\[[0-9]+\]: statistics: max simultaneous' 1
	fi
	bench_scache_cycles "$pair" "$side" _nolog
}

run_proxy() {
	local pair=$1 side=$2
	local TLSREUSE_SCACHE TLSREUSE_TLSPROXY
	TLSREUSE_SCACHE=$side TLSREUSE_TLSPROXY=$side
	note "pair $pair: tlsproxy/scache on $side (scache=$TLSREUSE_SCACHE tlsproxy=$TLSREUSE_TLSPROXY)"
	# Long-lived daemons: no tlsproxy restart every 100 sessions. (Stock
	# tlsproxy insists on process_limit 0; the tables count processes.)
	instance_up --name "proxy-$pair-$side" \
	    --main 'max_use = 1000000' --main 'max_idle = 3600'
	: >"$I/tlsp.err"
	sink_start
	timed bench_idle "$pair" "$side"
	timed bench_handshake "$pair" "$side"
	timed bench_data "$pair" "$side"
	timed bench_scache "$pair" "$side"
	record "$pair" "$side" stalled_sessions \
	    "$(grep -c 'stalled session' "$I/tlsp.err" || true)"
	expect_daemons_from_libexec
	sink_stop
	instance_down
}

# --- the table -------------------------------------------------------------

# The rows: metric, unit, target on ours/stock ("<=0.5", ">=1.0", "-"),
# or "ours>=X" for an absolute target on ours' own median; description.
BENCH_ROWS='
e2e_secs|s|<=1.0|1. e2e: time to empty queue
e2e_msgs_per_sec|msg/s|>=1.0|1. e2e: messages per second
e2e_tlsproxy_cpu|s|-|1. e2e: tlsproxy CPU
e2e_scache_cpu|s|-|1. e2e: scache CPU
e2e_instance_cpu|s|-|1. e2e: whole instance CPU
e2e_tlsproxy_hwm|KiB|-|1. e2e: tlsproxy peak RSS
e2e_scache_hwm|KiB|-|1. e2e: scache peak RSS
e2e_handshakes|n|-|1. e2e: TLS handshakes (smtp log)
e2e_reused|n|>=1.0|1. e2e: reused connections (smtp log)
data1_mib_per_sec|MiB/s|-|2. data, 1 session: throughput
data1_cpu_per_gib|s/GiB|<=0.5|2. data, 1 session: tlsproxy CPU per GiB
data1_aes_fraction|x|ours>=0.40|2. data, 1 session: bytes/CPU-s over AES-GCM
data8_mib_per_sec|MiB/s|-|2. data, 8 sessions: throughput
data8_cpu_per_gib|s/GiB|<=0.5|2. data, 8 sessions: tlsproxy CPU per GiB
data8_aes_fraction|x|ours>=0.40|2. data, 8 sessions: bytes/CPU-s over AES-GCM
hs_full_p50_ms|ms|<=1.0|3. handshake, full: p50
hs_full_p99_ms|ms|<=1.0|3. handshake, full: p99
hs_full_cpu_ms|ms|-|3. handshake, full: tlsproxy CPU each
hs_resumed_p50_ms|ms|<=1.0|3. handshake, resumed: p50
hs_resumed_p99_ms|ms|<=1.0|3. handshake, resumed: p99
hs_resumed_cpu_ms|ms|-|3. handshake, resumed: tlsproxy CPU each
idle_rss_per_session|KiB|<=0.5|4. idle sessions: RSS per session
idle_rss_total|KiB|-|4. idle sessions: tlsproxy RSS in all
idle_tlsproxy_procs|n|-|4. idle sessions: tlsproxy processes
stalled_sessions|n|-|2-4. sessions replaced: first reply stalled 5 s
scache1_cycles_per_sec|1/s|>=2.0|5. scache, 1 client: cycles/s
scache8_cycles_per_sec|1/s|>=2.0|5. scache, 8 clients: cycles/s
scache1_cycles_per_sec_nolog|1/s|-|5. scache, 1 client, reuse_log=no: cycles/s
scache8_cycles_per_sec_nolog|1/s|-|5. scache, 8 clients, reuse_log=no: cycles/s
'

print_table() {
	local metric unit target label
	echo "tlsreuse benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $BENCH_PAIRS pair(s) (stock, ours alternating), medians"
	echo "machine: $(machine_line)"
	echo "load average (1 min) at start: $LOAD_START, at end: $(load_now)"
	echo "versions: $(versions_line)"
	echo "single-core AES-256-GCM (openssl speed, 16 KiB blocks): $(calc "$AES_BYTES_PER_SEC / 1048576") MiB/s per CPU-second"
	echo "kernel TLS: $(ktls_line)"
	echo "ours: $LIB_OURS_DIR/scache/scache, $LIB_OURS_DIR/tlsproxy/tlsproxy"
	echo "noise floor (column oracle): $(oracle_line)"
	echo
	printf '%-52s %-6s %11s %11s %7s %-11s %-10s %s\n' figure unit stock \
	    ours ours/st oracle target verdict
	while IFS='|' read -r metric unit target label; do
		[ -n "$metric" ] || continue
		awk -F '\t' -v m="$metric" -v unit="$unit" -v target="$target" \
		    -v label="$label" \
		    -v oracle="$(oracle_file)" '
		function median(a, n,    i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		# The oracle run: per-pair ratios of stock copies to stock.
		FILENAME == oracle {
			if ($3 == m && $2 == "stock") os[$1] = $4
			if ($3 == m && $2 == "ours") oo[$1] = $4
			next
		}
		$3 == m && $2 == "stock" { s[++ns] = $4 }
		$3 == m && $2 == "ours" { o[++no] = $4 }
		END {
			spread = "-"
			for (pair in os) {
				if (!(pair in oo) || os[pair] + 0 == 0) continue
				r = oo[pair] / os[pair]
				if (spread == "-" || r < lo) lo = r
				if (spread == "-" || r > hi) hi = r
				spread = sprintf("%.2f-%.2f", lo, hi)
			}
			ms = ns ? sprintf("%.4g", median(s, ns)) : "-"
			if (!no) {
				printf "%-52s %-6s %11s %11s %7s %-11s %-10s %s\n",
				    label, unit, ms, "-", "-", spread, target, "-"
				exit
			}
			mo = median(o, no)
			if (ms + 0 == 0) {
				printf "%-52s %-6s %11s %11.4g %7s %-11s %-10s %s\n",
				    label, unit, ms, mo, "-", spread, target, "-"
				exit
			}
			ratio = mo / ms
			verdict = "-"
			if (target ~ /^ours>=/) {
				verdict = mo >= substr(target, 7) + 0 ? "met" : "MISSED"
			} else if (target ~ /^<=/) {
				verdict = ratio <= substr(target, 3) + 0 ? "met" : "MISSED"
			} else if (target ~ /^>=/) {
				verdict = ratio >= substr(target, 3) + 0 ? "met" : "MISSED"
			}
			printf "%-52s %-6s %11s %11.4g %7.2f %-11s %-10s %s\n",
			    label, unit, ms, mo, ratio, spread, target, verdict
		}' $(oracle_file) "$BENCH_RAW"
	done <<<"$BENCH_ROWS"
	echo
	echo "raw: ${BENCH_RAW#"$top_builddir"/}"
	echo "reproduce: make bench"
}

# oracle_file: the saved oracle run to compare with, if any (none while
# the oracle itself runs).
oracle_file() {
	if [ -z "${BENCH_ORACLE:-}" ] && [ -s "$BENCH_ORACLE_RAW" ]; then
		echo "$BENCH_ORACLE_RAW"
	fi
}

oracle_line() {
	local f
	if [ -n "${BENCH_ORACLE:-}" ]; then
		echo "this is the oracle run (copies of stock as ours); kept as ${BENCH_ORACLE_RAW#"$top_builddir"/}"
	elif f=$(oracle_file) && [ -n "$f" ]; then
		echo "lowest-highest per-pair ratio of the make bench-oracle run in ${f#"$top_builddir"/} ($(awk -F '\t' 'NR > 1 && $1 + 0 > n { n = $1 + 0 } END { print n + 0 }' "$f") pairs, $(date -u -r "$f" '+%Y-%m-%d %H:%M UTC'))"
	else
		echo "none: no saved make bench-oracle run (${BENCH_ORACLE_RAW#"$top_builddir"/})"
	fi
}

# ktls_line: whether the kernel offers kernel TLS (the tls ULP).
ktls_line() {
	local ulp
	ulp=$(cat /proc/sys/net/ipv4/tcp_available_ulp 2>/dev/null) || ulp=""
	case " $ulp " in
	*" tls "*)
		echo "offered by this kernel (tcp_available_ulp: $ulp); neither tlsproxy turns it on (OpenSSL's configuration can: Options = KTLS)" ;;
	*)
		echo "not available (tcp_available_ulp: ${ulp:-none}): both daemons encrypt in user space" ;;
	esac
}

load_now() {
	awk '{ print $1 }' /proc/loadavg
}

machine_line() {
	local model
	model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "${model:-unknown CPU}, $(nproc) CPUs, $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
}

versions_line() {
	local rev
	rev=$(git -C "$top_srcdir" describe --always --dirty 2>/dev/null) || rev=unknown
	echo "Postfix $(postconf -dh mail_version), $(openssl version | awk '{ print $1, $2 }'), tlsreuse $rev"
}

aes_measure() {
	AES_BYTES_PER_SEC=$(openssl speed -evp aes-256-gcm -bytes 16384 \
	    -seconds 3 2>/dev/null |
	    awk '/^AES-256-GCM/ { sub(/k$/, "", $2); print $2 * 1000 }')
	[ -n "$AES_BYTES_PER_SEC" ] || harness_error "openssl speed failed"
}

# --- main ------------------------------------------------------------------

bench_main() {
	local pair side sides="stock ours" t0=$EPOCHREALTIME f
	for f in "$BENCH_DIR"/bench_sink "$BENCH_DIR"/bench_tlsp \
	    "$BENCH_DIR"/bench_scache "$(lib_ours_path scache)" \
	    "$(lib_ours_path tlsproxy)"; do
		[ -x "$f" ] || harness_error "$f not built (make bench builds it)"
	done
	mkdir -p "$BENCH_RESULTS"
	BENCH_RAW=$BENCH_RESULTS/$(date -u +%Y%m%dT%H%M%SZ).tsv
	printf 'pair\tside\tmetric\tvalue\n' >"$BENCH_RAW"
	LOAD_START=$(load_now)
	aes_measure
	record 0 machine aes_gcm_bytes_per_sec "$AES_BYTES_PER_SEC"
	for ((pair = 1; pair <= BENCH_PAIRS; pair++)); do
		for side in $sides; do run_e2e "$pair" "$side"; done
		for side in $sides; do run_proxy "$pair" "$side"; done
	done
	if [ -n "${BENCH_ORACLE:-}" ]; then
		print_table | tee "$BENCH_RESULTS/oracle.txt"
		cp "$BENCH_RAW" "$BENCH_ORACLE_RAW"
	else
		print_table | tee "$BENCH_RESULTS/latest.txt"
	fi
	note "make bench took $(lib_elapsed "$t0") s"
}

bench_main
