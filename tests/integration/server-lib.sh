# server-lib.sh - what the 9x server-role scenarios share (sourced after
# lib.sh)
#
# Each scenario sends remote SMTP clients through postscreen(8)'s STARTTLS
# into tlsproxy's server role, from addresses of a fresh 127.x.y.0/24 (so
# that postscreen has never seen them), then compares stock's and our log
# lines with both_ways and SERVER_LOG_ERE.
#
# SPDX-License-Identifier: EPL-2.0

# NET: the scenario's 127.x.y; clients use $NET.1, $NET.2, ...
NET=$(random_loopback_ip)
NET=${NET%.*}
NET_RE=${NET//./\\.}

# The lines both_ways compares: all of tlsproxy's, postscreen's verdicts.
SERVER_LOG_ERE='postfix/tlsproxy\[|postfix/postscreen\[[0-9]+\]: (CONNECT|PASS|NOQUEUE|DISCONNECT|warning)'

# ps_client SRC MODE ARGS... >OUT: one client of postscreen, see ps-client.pl.
ps_client() {
	perl "$LIB_SRCDIR/ps-client.pl" "$PORT_PS" "$@"
}

# ps_session SRC OUT S_CLIENT_ARGS...: one STARTTLS session from SRC with
# openssl s_client, its output in OUT; fails the test if it fails.
ps_session() {
	local src=$1 out=$2
	shift 2
	ps_client "$src" tls "$@" >"$out" 2>&1 ||
	    fail "client from $src: $(tail -n 3 "$out")"
}

# expect_in_file FILE ERE WHAT: FILE has a line matching ERE, or the test
# fails showing FILE.
expect_in_file() {
	grep -qE -- "$2" "$1" || {
		sed 's/^/    /' "$1" >&2
		fail "$3: no line matching '$2' in $1 (above)"
	}
}
