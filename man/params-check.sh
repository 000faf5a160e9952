#!/bin/bash
# params-check.sh - a man page lists exactly the parameters its daemon reads
#
# Usage: params-check.sh DAEMON (scache or tlsproxy). Runs the built
# DAEMON/DAEMON with -p (a "# tlsreuse <release>" line, then every
# parameter read, then exit) against a scratch MAIL_CONFIG with an empty
# main.cf, and compares the names with the ".IP \fBname (default)\fR"
# entries of the CONFIGURATION PARAMETERS section of man/DAEMON.8: none
# documented that the daemon does not read,
# none read that is not documented. A literal default in the page must
# equal the value -p prints ("empty" for an empty value; "see 'postconf
# -d' output" is not compared). Exit 77 only when the daemon is not built.
#
# SPDX-License-Identifier: EPL-2.0
set -u
daemon=${1:?usage: params-check.sh scache|tlsproxy}
top_srcdir=${top_srcdir:-$(dirname "$0")/..}
top_builddir=${top_builddir:-.}
bin=$top_builddir/$daemon/$daemon
page=$top_srcdir/man/$daemon.8

if [ ! -x "$bin" ]; then
	echo "ERROR: $bin is not built (make check builds it first)"
	exit 99
fi
[ -r "$page" ] || { echo "FAIL: no page $page"; exit 1; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/main.cf"

if ! MAIL_CONFIG=$tmp "$bin" -p >"$tmp/read" 2>"$tmp/err"; then
	echo "FAIL: $bin -p failed: $(cat "$tmp/err")"
	exit 1
fi
# The first line names the release, the others are "name = value".
status=0
if ! head -n 1 "$tmp/read" | grep -q '^# tlsreuse [0-9]'; then
	echo "FAIL: $bin -p does not start with \"# tlsreuse <release>\""
	status=1
fi
sed -i 1d "$tmp/read"
# "name = value" -> "name<TAB>value"
sed -n 's/^\([A-Za-z0-9_]*\) = \(.*\)$/\1\t\2/p' "$tmp/read" |
    sort -t "$(printf '\t')" -k1,1 >"$tmp/code"

# The section's entries: .IP "\fBname (default)\fR" -> "name<TAB>default"
awk '
	/^\.SH / { in_section = ($0 ~ /^\.SH "?CONFIGURATION PARAMETERS"?$/); next }
	in_section && /^\.IP "\\fB[A-Za-z0-9_]+ \(/ {
		line = $0
		sub(/^\.IP "\\fB/, "", line)
		sub(/\)\\fR"$/, "", line)
		name = line; sub(/ .*/, "", name)
		def = line; sub(/^[A-Za-z0-9_]+ \(/, "", def)
		gsub(/\\-/, "-", def); gsub(/\\e/, "\\", def)
		printf "%s\t%s\n", name, def
	}' "$page" | sort -t "$(printf '\t')" -k1,1 >"$tmp/page"

if [ "$(wc -l <"$tmp/code")" != "$(wc -l <"$tmp/read")" ]; then
	echo "FAIL: $bin -p printed lines that are not \"name = value\":"
	grep -v '^[A-Za-z0-9_]* = ' "$tmp/read"
	status=1
fi
cut -f1 "$tmp/code" >"$tmp/code.names"
cut -f1 "$tmp/page" >"$tmp/page.names"
if [ ! -s "$tmp/page.names" ]; then
	echo "FAIL: $page has no parameter entries"
	exit 1
fi
for name in $(comm -23 "$tmp/code.names" "$tmp/page.names"); do
	echo "FAIL: $daemon reads $name, $page does not document it"
	status=1
done
for name in $(comm -13 "$tmp/code.names" "$tmp/page.names"); do
	echo "FAIL: $page documents $name, $daemon does not read it"
	status=1
done
for dup in $(uniq -d "$tmp/page.names"); do
	echo "FAIL: $page documents $dup twice"
	status=1
done
# Defaults: code value, page default, both keyed by name.
if ! awk -F '\t' -v page="$page" -v daemon="$daemon" '
	NR == FNR { value[$1] = $2; next }
	$1 in value {
		def = $2
		if (def == "see '"'"'postconf -d'"'"' output") next
		if (def == "empty") def = ""
		if (value[$1] != def) {
			printf "FAIL: %s: %s says (%s), %s uses (%s)\n",
			    $1, page, $2, daemon, value[$1]
			bad = 1
		}
	}
	END { exit bad }' "$tmp/code" "$tmp/page"; then
	status=1
fi
[ $status = 0 ] &&
    echo "PASS: $page lists the $(wc -l <"$tmp/code.names") parameters $daemon reads"
exit $status
