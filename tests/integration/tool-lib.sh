# tool-lib.sh - what the tlsreuse(1) scenarios share (sourced after lib.sh)
#
# tool ARGS...: runs the built tlsreuse -c $I/conf ARGS..., output in
#   $I/tool.out (stdout) and $I/tool.err, exit status in TOOL_STATUS.
# json EXPR: a Perl expression over the JSON lines of $I/tool.out, each
#   decoded into @o (a line that is not JSON is a failure); prints its value.
# expect_problems CODES: "tlsreuse -j status" reports exactly these
#   problem codes (blank-separated, sorted; "" for none).
# install_ours: puts our daemons where "make install" would, under the
#   instance's daemon_directory (tlsreuse/tlsproxy, tlsreuse/scache).
# allow_postfix_check: "postfix check" needs the package's file list in
#   meta_directory (the instance's conf/).
# newest_exe NAME: the program of the youngest NAME process of the
#   current instance's master.
#
# SPDX-License-Identifier: EPL-2.0

TOOL=$top_builddir/tlsreuse/tlsreuse
[ -x "$TOOL" ] || harness_error "$TOOL is not built"
perl -MJSON::PP -e 1 2>/dev/null ||
    harness_error "perl lacks JSON::PP (./bootstrap installs perl)"

tool() {
	TOOL_STATUS=0
	"$TOOL" -c "$I/conf" "$@" >"$I/tool.out" 2>"$I/tool.err" </dev/null ||
	    TOOL_STATUS=$?
	note "tlsreuse $* -> exit $TOOL_STATUS"
}

json() {
	perl -MJSON::PP -e '
		my @o;
		while (my $line = <STDIN>) {
			my $obj = eval { JSON::PP->new->decode($line) };
			die "not a JSON line: $line" unless ref $obj eq "HASH";
			push @o, $obj;
		}
		my $v = eval $ARGV[0];
		die $@ if $@;
		print defined $v ? "$v\n" : "\n";' "$1" <"$I/tool.out" ||
	    fail "tlsreuse output: $(head -c 400 "$I/tool.out")"
}

expect_problems() {
	local got
	tool -j status
	got=$(json 'join " ", sort map { $_->{problem} }
	    grep { $_->{type} eq "problem" } @o')
	[ "$got" = "$1" ] || {
		cat "$I/tool.out" >&2
		fail "status problems: got \"$got\", expected \"$1\""
	}
	if [ -z "$1" ]; then
		[ "$TOOL_STATUS" -eq 0 ] || fail "status exit $TOOL_STATUS"
	else
		[ "$TOOL_STATUS" -eq 2 ] || fail "status exit $TOOL_STATUS, not 2"
	fi
}

install_ours() {
	cp "$(lib_ours_path scache)" "$(lib_ours_path tlsproxy)" \
	    "$I/libexec/tlsreuse/" || harness_error "cannot install ours"
}

allow_postfix_check() {
	cp -r /etc/postfix/postfix-files /etc/postfix/postfix-files.d \
	    "$I/conf/" || harness_error "cannot copy postfix-files"
}

newest_exe() {
	local master pid best="" best_start=-1 start
	master=$(lib_master_pid) || fail "the instance is not running"
	for pid in $(pgrep -P "$master" -x "$1"); do
		start=$(lib_proc_field "$pid" 20) || continue
		[ "$start" -gt "$best_start" ] || continue
		best_start=$start
		best=$(readlink "/proc/$pid/exe")
	done
	echo "$best"
}
