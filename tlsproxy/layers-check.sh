#!/bin/bash
# layers-check.sh - each folder includes only what lies below it
#
# The layers of tlsproxy/ (README.md there) and of the tree, checked on
# the sources' quoted #include lines:
#   tlsproxy/tls/          its own headers and common/'s only;
#   tlsproxy/client_role/  its own, tls/ and common/ headers;
#   tlsproxy/server_role/  its own, tls/ and common/ headers;
#   common/                never a daemon's header; scache/ never one of
#                          tlsproxy/ and the reverse;
# and only tlsproxy/ calls OpenSSL's SSL_* functions. Prints each
# offending include; exit 1 if there is one.
#
# SPDX-License-Identifier: EPL-2.0
set -u
top=${top_srcdir:-$(dirname "$0")/..}
status=0

# includes DIR: "file: header" for every quoted include of DIR's sources.
includes() {
	grep -H '^#include "' "$top/$1"/*.[ch] |
	    sed 's|^'"$top"'/||; s|:#include "\(.*\)".*$|: \1|'
}

# allow DIR PATTERN...: each include of DIR must name a header that exists
# in DIR itself, in common/, or matches one of the extended regexps.
allow() {
	local dir=$1 file header
	shift
	while IFS= read -r line; do
		file=${line%%: *}
		header=${line#*: }
		[[ $header != *..* ]] && [ -f "$top/$dir/$header" ] && continue
		[ -f "$top/common/$header" ] && [[ $header != */* ]] && continue
		local ok=0 re
		for re in "$@"; do
			[[ $header =~ $re ]] && ok=1
		done
		[ $ok = 1 ] && continue
		echo "FAIL: $file includes \"$header\", above its layer"
		status=1
	done < <(includes "$dir")
}

allow tlsproxy/tls
allow tlsproxy/client_role '^tls/[a-z_]+\.h$'
allow tlsproxy/server_role '^tls/[a-z_]+\.h$'
allow common
allow scache

if grep -lE '\bSSL_[A-Za-z_]+\(' "$top"/common/*.[ch] "$top"/scache/*.[ch]; then
	echo "FAIL: the files above call SSL_* outside tlsproxy/"
	status=1
fi
exit $status
