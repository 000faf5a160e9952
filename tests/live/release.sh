# release.sh - point tests/integration/lib.sh at another build of Postfix
#
# Sourced (bash) by the scripts in tests/live before lib.sh.
# live_use_release DIR: DIR is a built Postfix source tree (libexec/ and
# bin/ hold the programs "make" left there) or an installed
# daemon_directory (commands from $TLSREUSE_POSTFIX_COMMANDS, else
# /usr/sbin). Exports TLSREUSE_POSTFIX_DAEMONS and
# TLSREUSE_POSTFIX_COMMANDS for lib.sh, or exits 2 with a reason; an
# unbuilt source tree is refused (nothing here builds Postfix).
#
# SPDX-License-Identifier: EPL-2.0

# The programs an instance runs, and the commands lib.sh calls.
LIVE_DAEMONS="master smtp smtpd postscreen tlsmgr postlogd qmgr pickup
cleanup trivial-rewrite bounce discard anvil proxymap spawn postfix-script"
LIVE_COMMANDS="postfix postconf postsuper postqueue postlog"

# live_check_dir DIR WHAT NAMES: every NAME is an executable in DIR.
live_check_dir() {
	local name
	for name in $3; do
		[ -x "$1/$name" ] || {
			echo "$0: $1/$name is missing: $2" >&2
			exit 2
		}
	done
}

live_use_release() {
	local src
	src=$(cd "$1" 2>/dev/null && pwd) || {
		echo "$0: no directory $1" >&2
		exit 2
	}
	if [ -d "$src/src/global" ] || [ -f "$src/makedefs" ]; then
		[ -x "$src/libexec/master" ] && [ -x "$src/bin/postfix" ] || {
			echo "$0: $src is a Postfix source tree that has not been built." >&2
			echo "These scripts do not build Postfix. Build it first, e.g.:" >&2
			echo "    cd $src && make makefiles CCARGS=-DUSE_TLS AUXLIBS='-lssl -lcrypto' && make" >&2
			exit 2
		}
		export TLSREUSE_POSTFIX_DAEMONS=$src/libexec
		export TLSREUSE_POSTFIX_COMMANDS=$src/bin
	else
		export TLSREUSE_POSTFIX_DAEMONS=$src
		export TLSREUSE_POSTFIX_COMMANDS=${TLSREUSE_POSTFIX_COMMANDS:-/usr/sbin}
	fi
	live_check_dir "$TLSREUSE_POSTFIX_DAEMONS" \
	    "not a built Postfix daemon directory" "$LIVE_DAEMONS"
	live_check_dir "$TLSREUSE_POSTFIX_COMMANDS" \
	    "no Postfix commands there (set TLSREUSE_POSTFIX_COMMANDS)" \
	    "$LIVE_COMMANDS"
}

# live_require_36: our tlsproxy serves smtp(8) of Postfix 3.6 and later.
live_require_36() {
	RELEASE=$(postconf -dh mail_version)
	case $RELEASE in
	[0-2].* | 3.[0-5] | 3.[0-5][.-]*)
		skip "Postfix $RELEASE: our tlsproxy serves smtp(8) of 3.6 and later"
		;;
	esac
}
