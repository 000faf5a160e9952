#!/bin/bash
# 97-tlsreuse-cache.sh - "tlsreuse cache" lists what our scache holds
#
# Mail to two destinations: the sink's own domain through the smtp
# transport (relayhost), and d2.tlsreuse.test through the relay transport
# (transport_maps), three and two messages, one delivery at a time, with
# cache times raised so the connections are still cached afterwards.
# "tlsreuse -j cache" must then list exactly two connections, each with
# its destination bound to it, conn_use equal to the last conn_use smtp(8)
# logged for that destination, the TLS properties smtp(8) logged when it
# established the connection (protocol, cipher, bits; Verified; the test
# certificate's names), and counters that agree with the maillog. The
# text form says the same. Then the stock scache in its place: the tool
# says "stock scache: no listing" and stock logs its usual warning.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool-lib.sh"

require_ours scache tlsproxy
N1=3
N2=2
D2=d2.tlsreuse.test

# One delivery at a time per transport (the harness sets it for smtp).
instance_up --main 'connection_cache_ttl_limit = 60s' \
    --main 'smtp_connection_cache_time_limit = 60s' \
    --main 'relay_destination_concurrency_limit = 1'
postconf_set "transport_maps = inline:{ $D2=relay:[127.0.0.1]:$PORT_SINK }"
instance_reload
inject_held "$N1"
LIB_SINK_RCPT=x@$D2 inject_held "$N2"
release_held
wait_for_queue_empty
wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' $((N1 + N2))
expect_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection established' 2 \
    "TLS handshakes (one per destination)"

tool -j cache
[ "$TOOL_STATUS" -eq 0 ] || fail "tlsreuse cache: exit $TOOL_STATUS: $(cat "$I/tool.err")"
[ "$(json 'scalar grep { $_->{type} eq "connection" } @o')" = 2 ] ||
    fail "not two connections: $(cat "$I/tool.out")"

# last_conn_use RCPT_ERE: the last conn_use smtp(8) logged for it (1 if
# none: smtp leaves out conn_use=1).
last_conn_use() {
	local n
	n=$(grep -E "postfix/smtp\[[0-9]+\]: [0-9A-F]+: to=<$1>.*status=sent" \
	    "$I/maillog" | grep -oE 'conn_use=[0-9]+' | tail -n 1)
	echo "${n#conn_use=}" | sed 's/^$/1/'
}

# The TLS summary of smtp's "established" line.
read -r PROTOCOL CIPHER BITS <<<"$(grep -E \
    'postfix/smtp\[[0-9]+\]: Verified TLS connection established' "$I/maillog" |
    head -n 1 | sed -E 's/.*: (TLSv[0-9.]+) with cipher ([A-Z0-9_-]+) \(([0-9]+\/[0-9]+) bits\).*/\1 \2 \3/')"
[ -n "$BITS" ] || fail "no TLS summary in smtp's established line"
established="$PROTOCOL $CIPHER $BITS"

check_connection() {
	local transport=$1 rcpt=$2 want_use got
	want_use=$(last_conn_use "$rcpt")
	got=$(json 'my ($c) = grep { $_->{type} eq "connection" &&
	    $_->{endpoint}[0] eq "'"$transport"'" } @o;
	    join "|", scalar @{$c->{destinations}},
	    join(" ", @{$c->{destinations}[0]}), $c->{conn_use}, $c->{trust},
	    "$c->{protocol} $c->{cipher} $c->{cipher_bits}", $c->{server},
	    $c->{peer_CN}, $c->{issuer_CN}, $c->{tls} ? "tls" : "plain",
	    ($c->{time_left} > 0 && $c->{time_left} <= 60) ? "left-ok" : "left-bad",
	    (grep { $_ eq "127.0.0.1" } @{$c->{endpoint}}) ? "addr-ok" : "addr-bad"')
	local want="1|$transport [127.0.0.1]:$PORT_SINK|$want_use|Verified|$established|127.0.0.1[127.0.0.1]:$PORT_SINK|$LIB_MX_NAME|tlsreuse test CA|tls|left-ok|addr-ok"
	[ "$got" = "$want" ] || {
		cat "$I/tool.out" >&2
		fail "$transport connection: got  $got
	expected $want"
	}
	note "$transport: conn_use $want_use, $established, as in the maillog"
}
check_connection smtp "$LIB_SINK_RCPT"
check_connection relay "x@$D2"
[ "$(last_conn_use "$LIB_SINK_RCPT")" = "$N1" ] &&
    [ "$(last_conn_use "x@$D2")" = "$N2" ] ||
    fail "the maillog's conn_use numbers are not $N1 and $N2"

# Counters since scache started: every delivery cached its connection,
# every reuse was a destination hit, nothing was dropped yet.
reused=$(maillog_count 'postfix/smtp\[[0-9]+\]: Verified TLS connection reused')
got=$(json 'my ($s) = grep { $_->{type} eq "scache" } @o;
    join " ", @$s{qw(implementation connections bindings cached domain_hits
    expired closed_by_peer over_limit ttl_limit)}')
[ "$got" = "tlsreuse 2 2 $((N1 + N2)) $reused 0 0 0 60" ] ||
    fail "scache counters: $got (maillog: $reused reuses)"

tool cache
[ "$TOOL_STATUS" -eq 0 ] || fail "text cache: exit $TOOL_STATUS"
grep -q "^connection relay \[127\.0\.0\.1\]:$PORT_SINK 127\.0\.0\.1 $PORT_SINK " \
    "$I/tool.out" || fail "text: no relay connection: $(cat "$I/tool.out")"
grep -qE "^  destination +relay \[127\.0\.0\.1\]:$PORT_SINK$" "$I/tool.out" ||
    fail "text: relay destination missing"
grep -qE "^  conn_use +$N1$" "$I/tool.out" || fail "text: conn_use $N1 missing"
grep -qE "^  TLS +Verified $PROTOCOL with cipher $CIPHER \($BITS bits\)$" \
    "$I/tool.out" || fail "text: TLS line missing"

# The stock scache in ours' place answers with its usual error.
postconf -c "$I/conf" -M "scache/unix=scache unix - - n - 1 scache" ||
    harness_error "postconf -M failed"
lib_backdate "$I"/conf/*
instance_reload
tool -j cache
[ "$TOOL_STATUS" -eq 1 ] || fail "stock scache: exit $TOOL_STATUS"
[ "$(json 'join " ", map { "$_->{problem}:$_->{text}" } @o')" = \
    "stock-scache:stock scache: no listing" ] ||
    fail "stock scache: $(cat "$I/tool.out")"
tool cache
grep -qx 'stock scache: no listing' "$I/tool.out" ||
    fail "stock scache, text: $(cat "$I/tool.out")"
STOCK_WARNING='postfix/scache\[[0-9]+\]: warning: unrecognized request: "tlsreuse_list", ignored'
wait_for_maillog "$STOCK_WARNING" 2
others=$(grep -E -- "$LIB_PROBLEM" "$I/maillog" | grep -vE -- "$LIB_BENIGN" |
    grep -cvE -- "$STOCK_WARNING" || true)
[ "$others" -eq 0 ] || fail "$others warnings besides stock scache's"
