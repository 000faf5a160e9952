#!/bin/bash
# pages-check.sh - every man page formats without a single groff warning
#
# Runs "groff -man -ww -z" (all warnings, no output) on each page and
# fails on any diagnostic, then renders each with "man -l" as a reader
# would and fails on any message or an empty result. Exit 77 when groff
# or man is not installed (the preflight of make check stops before).
#
# SPDX-License-Identifier: EPL-2.0
set -u
top_srcdir=${top_srcdir:-$(dirname "$0")/..}
pages="scache.8 tlsproxy.8 tlsreuse.7 tlsreuse.1"

for tool in groff man; do
	if ! command -v $tool >/dev/null; then
		echo "SKIP: $tool is not installed"
		exit 77
	fi
done
tmp=$(mktemp) || exit 99
trap 'rm -f "$tmp"' EXIT
status=0
for page in $pages; do
	path=$top_srcdir/man/$page
	if [ ! -r "$path" ]; then
		echo "FAIL: $path is missing"
		status=1
		continue
	fi
	warnings=$(groff -man -ww -z "$path" 2>&1)
	if [ -n "$warnings" ]; then
		echo "FAIL: groff -man -ww -z $page:"
		echo "$warnings"
		status=1
	fi
	# man -l: the reader's view, through man-db's own pipeline.
	text=$(MANWIDTH=80 MANROFFOPT=-ww man -l "$path" 2>"$tmp")
	if [ -s "$tmp" ] || [ "$(printf '%s\n' "$text" | grep -c .)" -lt 20 ]; then
		echo "FAIL: man -l $page: $(cat "$tmp")"
		status=1
	fi
done
[ $status = 0 ] && echo "PASS: $pages format cleanly"
exit $status
