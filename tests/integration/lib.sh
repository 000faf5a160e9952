# lib.sh - throwaway real-Postfix instances for the integration scenarios
#
# Sourced by tests/integration/NN-what.sh (bash). Starts isolated Postfix
# instances on loopback: own conf/, queue/, data/ and daemon_directory
# (libexec/, hard links of the system's daemons, ours under
# libexec/tlsreuse/), logging to a file through postlogd, a receiving
# smtpd ("sink", STARTTLS, mail discarded), an injection smtpd whose mail
# is held, smtp relaying to the sink with smtp_tls_connection_reuse, tlsmgr
# with session caches and a postscreen listener whose STARTTLS goes to
# tlsproxy. Each trap of a real instance it avoids is noted where it does.
#
# Instances: instance_up [options], instance_down, instance_use,
#   instance_reload, postconf_set, free_ports; $I is the current instance,
#   $PORT_SINK, $PORT_INJECT, $PORT_PS its listeners.
# Mail: send_messages N [SIZE] (= inject_held + release_held),
#   queue_count, wait_for_queue_empty, random_loopback_ip.
# Log: maillog_count, wait_for_maillog, maillog_excerpt,
#   maillog_normalise, smtp_lines, mail_outcome.
# PKI: pki_ensure, pki_variant (expired or foreign server certificates).
# Checks: expect_count, expect_at_least, expect_none, expect_no_warnings,
#   expect_daemons_from_libexec; both_ways FN [ERE] (stock vs ours).
# Exits: skip (77: not root or no Postfix), harness_error (99), fail (1, with a maillog excerpt). A trap
#   stops every instance of the test, killing only their processes, and
#   fails the test if one of our daemons left a sanitizer report.
#
# Environment: TLSREUSE_SCACHE, TLSREUSE_TLSPROXY = ours|stock (default
# ours; "ours" not built is a harness error) choose the daemons that
# both_ways compares with stock; TLSREUSE_KEEP=1
# keeps the temporary directory; TLSREUSE_WAIT_SECS (default 30) bounds
# every wait; top_builddir locates our daemons (DIR/scache/scache,
# DIR/tlsproxy/tlsproxy) and the PKI cache. TLSREUSE_OURS_DIR overrides
# the daemons' DIR: pointed at copies of the stock daemons, it checks that
# a scenario's both_ways comparison is deterministic.
# TLSREUSE_POSTFIX_DAEMONS (default /usr/lib/postfix/sbin) is the
# directory whose programs become each instance's daemon_directory, and
# TLSREUSE_POSTFIX_COMMANDS (default /usr/sbin) the one whose postfix,
# postconf, postsuper, postqueue and postlog the harness runs: pointed at
# another build of Postfix (tests/live/run-release.sh), every scenario
# runs that release's daemons with ours.
#
# SPDX-License-Identifier: EPL-2.0

set -eu

LIB_POSTFIX_SBIN=${TLSREUSE_POSTFIX_DAEMONS:-/usr/lib/postfix/sbin}
LIB_POSTFIX_BIN=${TLSREUSE_POSTFIX_COMMANDS:-/usr/sbin}
# Scenarios call the commands by name: the chosen ones come first.
PATH=$LIB_POSTFIX_BIN:$PATH
LIB_TEST_NAME=$(basename "$0" .sh)
LIB_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_builddir:=$LIB_SRCDIR/../..}"
: "${TLSREUSE_SCACHE:=ours}"
: "${TLSREUSE_TLSPROXY:=ours}"
LIB_OURS_DIR=${TLSREUSE_OURS_DIR:-$top_builddir}
# The names the receiving side's certificates carry.
LIB_MX_NAME=mx.tlsreuse.test
LIB_SINK_RCPT=sink@sink.tlsreuse.test
LIB_SENDER=sender@client.tlsreuse.test
# Seconds to wait for mail, log lines, and processes to go away.
LIB_WAIT_SECS=${TLSREUSE_WAIT_SECS:-30}
LIB_STOP_SECS=5

LIB_TMP=""          # per-test directory, removed on exit
LIB_INSTANCES=""    # instance directories started by this test
LIB_EXCERPT_SHOWN=0
I=""                # the current instance directory

# --- exits -----------------------------------------------------------------

# skip REASON...: not applicable here (exit 77).
skip() {
	echo "SKIP: $LIB_TEST_NAME: $*" >&2
	exit 77
}

# harness_error REASON...: the harness itself broke (exit 99).
harness_error() {
	echo "HARNESS ERROR: $LIB_TEST_NAME: $*" >&2
	lib_show_excerpt
	exit 99
}

# fail REASON...: the scenario's expectation does not hold (exit 1).
fail() {
	echo "FAIL: $LIB_TEST_NAME: $*" >&2
	lib_show_excerpt
	exit 1
}

# note TEXT...: a progress line for the test log.
note() {
	echo "# $*"
}

lib_show_excerpt() {
	if [ "$LIB_EXCERPT_SHOWN" -eq 0 ] && [ -n "$I" ] &&
	    [ -f "$I/maillog" ]; then
		LIB_EXCERPT_SHOWN=1
		maillog_excerpt "${LIB_EXCERPT_RE:-}" >&2
	fi
}

lib_on_exit() {
	local status=$?
	set +e
	if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
		lib_show_excerpt
	fi
	if ! lib_stop_all && [ "$status" -eq 0 ]; then
		status=1
	fi
	lib_release_ports
	if [ -n "$LIB_TMP" ]; then
		if [ "${TLSREUSE_KEEP:-0}" = 1 ]; then
			echo "# kept $LIB_TMP" >&2
		else
			rm -rf -- "$LIB_TMP"
		fi
	fi
	exit "$status"
}

# --- preconditions ---------------------------------------------------------

lib_require() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (Postfix daemons start as root)"
	[ -x "$LIB_POSTFIX_BIN/postfix" ] && [ -x "$LIB_POSTFIX_SBIN/master" ] ||
	    skip "Postfix is not installed ($LIB_POSTFIX_SBIN/master missing)"
	getent passwd postfix >/dev/null && getent group postdrop >/dev/null ||
	    skip "the postfix user or postdrop group is missing"
	command -v perl >/dev/null || harness_error "perl (perl-base) is missing"
	command -v openssl >/dev/null || harness_error "openssl is missing"
	# Another build's own default (a static build says "no").
	LIB_POSTFIX_SHLIB=/usr/lib/postfix
	[ -z "${TLSREUSE_POSTFIX_COMMANDS:-}" ] ||
	    LIB_POSTFIX_SHLIB=$(postconf -dh shlib_directory) ||
	    harness_error "$LIB_POSTFIX_BIN/postconf -dh shlib_directory failed"
}

# The temporary directory: short (UNIX socket paths < 108 bytes) and
# reachable by the postfix user.
lib_make_tmp() {
	local base=${TMPDIR:-/tmp}
	if [ "${#base}" -gt 40 ] ||
	    ! runuser -u postfix -- test -x "$base" 2>/dev/null; then
		base=/tmp
	fi
	LIB_TMP=$(mktemp -d "$base/tr.XXXXXX") || harness_error "mktemp failed"
	chmod 755 "$LIB_TMP"
}

# --- test PKI: a throwaway CA, RSA and ECDSA server chains -----------------
#
# RSA key generation takes 0.2-0.5 s, so one bundle is cached in the build
# tree (CLEANFILES) and regenerated when missing or within a day of expiry.
# The bundle is written to a temporary name and renamed, so concurrent tests
# never read half a bundle.

LIB_PKI_BUNDLE=${TLSREUSE_PKI:-$top_builddir/tests/integration/tls-pki.pem}

# lib_pki_generate DIR: write ca.pem, rsa.pem and ecdsa.pem (key, then the
# certificate) into DIR. The certificates name $LIB_MX_NAME and 127.0.0.1.
lib_pki_generate() {
	local dir=$1 alg
	(
		umask 077
		cd "$dir"
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out ca.key
		openssl req -x509 -new -key ca.key -subj "/CN=tlsreuse test CA" \
		    -days 30 -addext basicConstraints=critical,CA:TRUE \
		    -addext keyUsage=critical,keyCertSign,cRLSign -out ca.pem
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		    -out rsa.key
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out ecdsa.key
		for alg in rsa ecdsa; do
			openssl req -x509 -new -key "$alg.key" \
			    -subj "/CN=$LIB_MX_NAME" -CA ca.pem -CAkey ca.key \
			    -days 30 -addext basicConstraints=CA:FALSE \
			    -addext extendedKeyUsage=serverAuth \
			    -addext "subjectAltName=DNS:$LIB_MX_NAME,IP:127.0.0.1" \
			    -out "$alg.crt"
			cat "$alg.key" "$alg.crt" >"$alg.pem"
		done
	) 2>"$dir/openssl.err" || {
		cat "$dir/openssl.err" >&2
		harness_error "cannot make the test PKI"
	}
}

# lib_pki_split BUNDLE DIR: unpack a bundle ("# file: NAME" + PEM lines).
lib_pki_split() {
	(umask 077 && awk -v dir="$2" '
	    /^# file: / { out = dir "/" $3; next }
	    out != "" { print > out }' "$1")
}

# lib_pki_fresh BUNDLE: true if the bundle's first line, "# not-after:
# EPOCH", is more than a day away (openssl x509 -checkend costs 50-150 ms
# per call on a busy machine; this costs nothing).
lib_pki_fresh() {
	local tag not_after
	read -r tag tag not_after 2>/dev/null <"$1" || return 1
	[ "$tag" = not-after: ] && [ -n "$not_after" ] &&
	    [ "$((EPOCHSECONDS + 86400))" -lt "$not_after" ]
}

# pki_ensure: $LIB_TMP/pki holds a valid CA (with its key, for
# pki_variant) and server chains.
pki_ensure() {
	local dir=$LIB_TMP/pki f tmp not_after=$((EPOCHSECONDS + 29 * 86400))
	[ -d "$dir" ] && return 0
	mkdir -m 700 "$dir"
	if lib_pki_fresh "$LIB_PKI_BUNDLE"; then
		lib_pki_split "$LIB_PKI_BUNDLE" "$dir"
		[ -s "$dir/ca.pem" ] && [ -s "$dir/ca.key" ] &&
		    [ -s "$dir/rsa.pem" ] && [ -s "$dir/ecdsa.pem" ] && return 0
	fi
	lib_pki_generate "$dir"
	tmp=$LIB_PKI_BUNDLE.tmp.$RANDOM$RANDOM
	(
		umask 077
		{
			echo "# not-after: $not_after"
			for f in ca.pem ca.key rsa.pem ecdsa.pem; do
				echo "# file: $f"
				cat "$dir/$f"
			done
		} >"$tmp"
	) && mv -f "$tmp" "$LIB_PKI_BUNDLE" ||
	    note "cannot cache the PKI in $LIB_PKI_BUNDLE (generated per test)"
}

# pki_variant expired|foreign: print the path of a server chain (key, then
# certificate, ECDSA) naming $LIB_MX_NAME and 127.0.0.1 like the others,
# but "expired" (test CA, valid only in January 2020) or "foreign"
# (signed by another CA, unknown to smtp_tls_CAfile). Made once per test.
pki_variant() {
	local dir=$LIB_TMP/pki/$1 ca=$LIB_TMP/pki/ca start end
	pki_ensure
	[ -s "$dir.pem" ] && { echo "$dir.pem"; return 0; }
	case $1 in
	expired) start=20200101000000Z end=20200201000000Z ;;
	foreign)
		ca=$dir/ca
		start=$(date -u -d yesterday +%Y%m%d%H%M%SZ)
		end=$(date -u -d '+30 days' +%Y%m%d%H%M%SZ)
		;;
	*) harness_error "pki_variant: unknown variant $1" ;;
	esac
	mkdir -m 700 "$dir"
	(
		umask 077
		cd "$dir"
		if [ "$1" = foreign ]; then
			openssl genpkey -algorithm EC \
			    -pkeyopt ec_paramgen_curve:P-256 -out ca.key
			openssl req -x509 -new -key ca.key -days 30 \
			    -subj "/CN=tlsreuse foreign CA" \
			    -addext basicConstraints=critical,CA:TRUE \
			    -addext keyUsage=critical,keyCertSign,cRLSign \
			    -out ca.pem
		fi
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out server.key
		openssl req -new -key server.key -subj "/CN=$LIB_MX_NAME" \
		    -addext "subjectAltName=DNS:$LIB_MX_NAME,IP:127.0.0.1" \
		    -addext extendedKeyUsage=serverAuth -out server.csr
		# "openssl ca" is the one that takes explicit validity dates.
		printf '%s\n' '[ca]' 'default_ca = d' '[d]' \
		    'database = index.txt' 'new_certs_dir = .' 'serial = serial' \
		    'default_md = sha256' 'policy = p' 'copy_extensions = copy' \
		    '[p]' 'commonName = supplied' >ca.cnf
		: >index.txt
		echo 01 >serial
		openssl ca -batch -config ca.cnf -cert "$ca.pem" -keyfile "$ca.key" \
		    -in server.csr -startdate "$start" -enddate "$end" -notext \
		    -out server.crt
		cat server.key server.crt >"../$1.pem"
	) >"$dir/openssl.err" 2>&1 || {
		cat "$dir/openssl.err" >&2
		harness_error "cannot make the $1 server certificate"
	}
	echo "$dir.pem"
}

# --- ports -----------------------------------------------------------------

# free_ports N: N distinct loopback TCP ports that could be bound just
# now, from 20000-31999 (below the usual ephemeral range, so outgoing
# connections do not take them). instance_up retries if one is taken later;
# a caller that puts one in a --master-line cannot, so bind early.
# Tests run in parallel, and a port found free is not bound until Postfix
# starts: each port is also reserved with an atomic mkdir under
# LIB_PORT_DIR, owned by this test's pid, released at exit (a reservation
# whose owner is gone is taken over), so two tests never pick the same one.
LIB_PORT_DIR=${TMPDIR:-/tmp}/tlsreuse-ports
free_ports() {
	mkdir -p "$LIB_PORT_DIR"
	perl -MIO::Socket::INET -e '
		my ($n, $dir, $owner, %seen, @ports) = @ARGV;
		sub reserve {
			my ($port) = @_;
			my $r = "$dir/$port";
			if (!mkdir $r) {
				open(my $fh, "<", "$r/owner") or return 0;
				my $pid = <$fh>;
				return 0 if $pid && kill(0, $pid);
				unlink "$r/owner";
				rmdir $r;
				mkdir $r or return 0;
			}
			open(my $fh, ">", "$r/owner") or return 0;
			print $fh $owner;
			return 1;
		}
		for (my $try = 0; @ports < $n && $try < 1000; $try++) {
			my $port = 20000 + int(rand(12000));
			next if $seen{$port}++;
			my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
			    LocalPort => $port, Proto => "tcp", Listen => 1)
			    or next;
			close $s;
			push @ports, $port if reserve($port);
		}
		die "no free ports\n" if @ports < $n;
		print "@ports\n";' "$1" "$LIB_PORT_DIR" "$$" ||
	    harness_error "cannot find $1 free ports"
}

# lib_release_ports: drop this test's port reservations.
lib_release_ports() {
	local r
	for r in "$LIB_PORT_DIR"/*/owner; do
		[ -f "$r" ] && [ "$(cat "$r" 2>/dev/null)" = "$$" ] || continue
		rm -f "$r" && rmdir "${r%/owner}" 2>/dev/null
	done
	return 0
}

# --- instance files --------------------------------------------------------

# lib_backdate FILE...: Postfix re-reads a configuration file younger than
# about 2 s until it has aged; make it old at once.
lib_backdate() {
	touch -d "@$((EPOCHSECONDS - 10))" "$@"
}

# lib_make_queue: the queue layout of postfix-files, made by hand because
# the quick-start flag skips postfix-script's checks (and their cost).
lib_make_queue() {
	local q=$I/queue
	mkdir -m 755 "$q" "$q/pid"
	install -d -m 700 -o postfix "$I/data" "$I/san" "$q/active" "$q/bounce" \
	    "$q/corrupt" "$q/defer" "$q/deferred" "$q/flush" "$q/hold" \
	    "$q/incoming" "$q/private" "$q/saved" "$q/trace"
	install -d -m 730 -o postfix -g postdrop "$q/maildrop"
	install -d -m 710 -o postfix -g postdrop "$q/public"
}

# lib_make_libexec: daemon_directory = hard links of every stock file (so
# postfix-script, post-install and master are there too), ours beneath
# libexec/tlsreuse/ when selected (master.cf names a daemon relative to
# daemon_directory, never by absolute path).
lib_make_libexec() {
	local f
	mkdir -m 755 "$I/libexec" "$I/libexec/tlsreuse"
	ln "$LIB_POSTFIX_SBIN"/* "$I/libexec/" 2>/dev/null ||
	    cp -p "$LIB_POSTFIX_SBIN"/* "$I/libexec/"
	# access(X_OK) fails on a noexec mount.
	[ -x "$I/libexec/master" ] ||
	    harness_error "cannot execute programs in $LIB_TMP (noexec?); set TMPDIR"
	for f in $LIB_OPT_LIBEXEC; do
		cp -p "$f" "$I/libexec/" || harness_error "cannot install $f"
	done
}

# lib_daemon_command NAME MODE: set LIB_CMD to the master.cf command for
# scache or tlsproxy, installing ours when MODE is "ours".
lib_daemon_command() {
	local name=$1 mode=$2 ours
	ours=$(lib_ours_path "$1")
	case $mode in
	stock)
		LIB_CMD=$name
		;;
	ours)
		[ -x "$ours" ] ||
		    harness_error "TLSREUSE_${name^^}=ours but $ours is not built (make builds it)"
		cp "$ours" "$I/libexec/tlsreuse/$name"
		LIB_CMD=tlsreuse/$name
		;;
	*)
		harness_error "TLSREUSE_${name^^}=$mode: want ours or stock"
		;;
	esac
}

lib_write_main_cf() {
	local cache_dest=127.0.0.1 line
	[ "$LIB_OPT_CACHE" = demand ] && cache_dest=
	cat >"$I/conf/main.cf" <<MAIN
# Throwaway tlsreuse test instance ($LIB_TEST_NAME), made by lib.sh.
compatibility_level = 3.6
queue_directory = $I/queue
data_directory = $I/data
daemon_directory = $I/libexec
meta_directory = $I/conf
command_directory = $LIB_POSTFIX_BIN
shlib_directory = $LIB_POSTFIX_SHLIB
mail_owner = postfix
setgid_group = postdrop
maillog_file = $I/maillog
maillog_file_prefixes = $I
myhostname = client.tlsreuse.test
mydomain = tlsreuse.test
myorigin = \$myhostname
mydestination =
local_transport = error:local delivery is disabled
alias_maps =
alias_database =
biff = no
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
header_checks = regexp:$I/conf/header_checks
# One smtp process per destination: the oracle comparison needs the same
# sequence of smtp(8) log lines in every run.
smtp_destination_concurrency_limit = 1
relayhost = [127.0.0.1]:$PORT_SINK
smtp_dns_support_level = disabled
smtp_tls_security_level = $LIB_OPT_TLS_LEVEL
# Names, not the IP literal of the relayhost: "secure" and "verify" do not
# match IP addresses.
smtp_tls_secure_cert_match = $LIB_MX_NAME
smtp_tls_verify_cert_match = $LIB_MX_NAME
smtp_tls_CAfile = $I/tls/ca.pem
smtp_tls_loglevel = 1
smtp_tls_connection_reuse = $LIB_OPT_REUSE
smtp_connection_cache_destinations = $cache_dest
smtp_tls_session_cache_database = btree:$I/data/smtp_scache
# tlsproxy's server role reads the keys from main.cf only.
smtpd_tls_chain_files = $I/tls/rsa.pem, $I/tls/ecdsa.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database = btree:$I/data/smtpd_scache
# postscreen: no loopback allowlist (on by default), after-220 tests on.
postscreen_access_list =
postscreen_dnsbl_sites =
postscreen_greet_wait = 1s
postscreen_pipelining_enable = yes
postscreen_non_smtp_command_enable = yes
postscreen_bare_newline_enable = yes
postscreen_cache_map = btree:$I/data/postscreen_cache
# Daemons built with sanitizers (ours, --enable-sanitizers) report into
# san/, which instance_down checks; the stock daemons ignore these.
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY
    LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$I/san/asan
    UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$I/san/ubsan:print_stacktrace=1
MAIN
	# A --main line replaces the default of the same name.
	for line in "${LIB_OPT_MAIN[@]}"; do
		awk -v name="${line%%[ =]*}" '$1 != name' "$I/conf/main.cf" \
		    >"$I/conf/main.cf.new"
		echo "$line" >>"$I/conf/main.cf.new"
		mv "$I/conf/main.cf.new" "$I/conf/main.cf"
	done
}

lib_write_master_cf() {
	local mx="-o myhostname=$LIB_MX_NAME" line
	local sink="$mx -o receive_override_options=no_header_body_checks,no_address_mappings"
	cat >"$I/conf/master.cf" <<MASTER
# service type  private unpriv chroot wakeup maxproc command + args
127.0.0.1:$PORT_SINK inet n - n - - smtpd -o syslog_name=postfix/sink $sink -o content_filter=discard:sink
127.0.0.1:$PORT_INJECT inet n - n - - smtpd -o syslog_name=postfix/inject -o smtpd_tls_security_level=none
127.0.0.1:$PORT_PS inet n - n - 1 postscreen $mx
smtpd     pass  -       -       n       -       -       smtpd -o syslog_name=postfix/ps-smtpd $sink -o content_filter=discard:postscreen
dnsblog   unix  -       -       n       -       0       dnsblog
tlsproxy  unix  -       -       n       -       0       $TLSPROXY_CMD
scache    unix  -       -       n       -       1       $SCACHE_CMD
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
	for line in "${LIB_OPT_MASTER[@]}"; do
		echo "$line" >>"$I/conf/master.cf"
	done
}

lib_write_conf() {
	lib_write_main_cf
	lib_write_master_cf
	echo '/^X-Tlsreuse-Hold:/ HOLD' >"$I/conf/header_checks"
	lib_backdate "$I"/conf/*
}

# --- instance lifecycle ----------------------------------------------------

lib_parse_options() {
	LIB_OPT_TLS_LEVEL=secure LIB_OPT_REUSE=yes LIB_OPT_CACHE=dest
	LIB_OPT_NAME="" LIB_OPT_LIBEXEC=""
	LIB_OPT_MAIN=() LIB_OPT_MASTER=()
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || harness_error "instance_up: $1 needs a value"
		case $1 in
		--tls-level) LIB_OPT_TLS_LEVEL=$2 ;;
		--reuse) LIB_OPT_REUSE=$2 ;;
		--cache) LIB_OPT_CACHE=$2 ;;
		--name) LIB_OPT_NAME=$2 ;;
		--main) LIB_OPT_MAIN+=("$2") ;;
		--master-line) LIB_OPT_MASTER+=("$2") ;;
		--libexec-file) LIB_OPT_LIBEXEC="$LIB_OPT_LIBEXEC $2" ;;
		*) harness_error "instance_up: unknown option $1" ;;
		esac
		shift 2
	done
}

# lib_master_pid: master's pid from its pid file, if it is running.
lib_master_pid() {
	local pid
	[ -f "$I/queue/pid/master.pid" ] || return 1
	read -r pid 2>/dev/null <"$I/queue/pid/master.pid" || return 1
	[ -n "$pid" ] && ! lib_proc_gone "$pid" && echo "$pid"
}

# lib_proc_gone PID: true if PID has exited (a zombie counts as gone: PID 1
# of a container may reap it late).
lib_proc_gone() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
	stat=${stat##*) }
	[ "${stat%% *}" = Z ]
}

# lib_proc_field PID N: field N (1-based, after the command name: 1 =
# state, 2 = ppid, 3 = pgrp) of /proc/PID/stat.
lib_proc_field() {
	local stat fields
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	read -r -a fields <<<"${stat##*) }"
	echo "${fields[$2 - 1]}"
}

# lib_group_alive PGID: true while a live process is in process group PGID.
lib_group_alive() {
	local f stat fields
	for f in /proc/[0-9]*/stat; do
		read -r stat 2>/dev/null <"$f" || continue
		read -r -a fields <<<"${stat##*) }"
		[ "${fields[2]}" = "$1" ] && [ "${fields[0]}" != Z ] && return 0
	done
	return 1
}

lib_group_gone() {
	! lib_group_alive "$1"
}

# lib_wait_until SECS CMD...: poll CMD every 10 ms for up to SECS seconds.
# The nap is a read timeout on a pipe nobody writes to: no fork per poll.
lib_wait_until() {
	local deadline=$((${EPOCHREALTIME/./} + $1 * 1000000))
	shift
	until "$@"; do
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || return 1
		read -r -t 0.01 -u "$LIB_NAP_FD" _ || true
	done
}

lib_start() {
	: >"$I/queue/quick-start"
	postfix -c "$I/conf" start >"$I/start.out" 2>&1
}

# instance_up [--tls-level L] [--reuse yes|no] [--cache dest|demand]
#     [--name N] [--main 'name = value']... [--master-line LINE]...
#     [--libexec-file PATH]...
# Make and start a new instance and make it current ($I). Defaults: smtp
# relays to the instance's own smtpd at TLS level "secure" with connection
# reuse and always-on connection caching for the relayhost (reuse needs
# that cache hint).
# --main and --master-line lines are appended to main.cf / master.cf;
# --libexec-file installs a program into daemon_directory.
instance_up() {
	local t0=$EPOCHREALTIME try
	lib_parse_options "$@"
	LIB_COUNT=$((${LIB_COUNT:-0} + 1))
	I=$LIB_TMP/${LIB_OPT_NAME:-i$LIB_COUNT}
	mkdir -m 755 "$I" "$I/conf" "$I/tls" || harness_error "cannot make $I"
	LIB_INSTANCES="$LIB_INSTANCES $I"
	pki_ensure
	cp "$LIB_TMP"/pki/ca.pem "$LIB_TMP"/pki/rsa.pem "$LIB_TMP"/pki/ecdsa.pem \
	    "$I/tls/"
	lib_make_queue
	lib_make_libexec
	lib_daemon_command scache "$TLSREUSE_SCACHE"
	SCACHE_CMD=$LIB_CMD
	lib_daemon_command tlsproxy "$TLSREUSE_TLSPROXY"
	TLSPROXY_CMD=$LIB_CMD
	for try in 1 2 3; do
		read -r PORT_SINK PORT_INJECT PORT_PS <<<"$(free_ports 3)"
		lib_write_env
		lib_write_conf
		if lib_start; then
			note "instance ${I##*/} up in" \
			    "$(lib_elapsed "$t0") s (scache=$SCACHE_CMD" \
			    "tlsproxy=$TLSPROXY_CMD ports" \
			    "sink=$PORT_SINK inject=$PORT_INJECT ps=$PORT_PS)"
			return 0
		fi
		grep -q 'Address already in use' "$I/maillog" 2>/dev/null ||
		    break
		note "a port was taken meanwhile; retrying with new ports"
		# Keep master's fatal out of the log the scenario checks.
		mv "$I/maillog" "$I/maillog.start$try"
	done
	cat "$I/start.out" >&2
	harness_error "postfix start failed"
}

lib_write_env() {
	cat >"$I/env" <<ENV
PORT_SINK=$PORT_SINK
PORT_INJECT=$PORT_INJECT
PORT_PS=$PORT_PS
SCACHE_CMD=$SCACHE_CMD
TLSPROXY_CMD=$TLSPROXY_CMD
ENV
}

# instance_use DIR: make an instance started by this test the current one.
instance_use() {
	I=$1
	. "$I/env"
}

# lib_elapsed T0: seconds since $EPOCHREALTIME was T0, to 3 decimals.
lib_elapsed() {
	local us=$((${EPOCHREALTIME/./} - ${1/./}))
	printf '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000))
}

# instance_down [DIR]: stop the instance (default: the current one): TERM
# to master, which passes it to its process group, then KILL to whatever
# is left in that group. Touches no other process.
instance_down() {
	local dir=${1:-$I} save=$I pid pgid t0=$EPOCHREALTIME
	I=$dir
	pid=$(lib_master_pid) || { I=$save; return 0; }
	I=$save
	# master calls setsid(): its children share its process group.
	pgid=$(lib_proc_field "$pid" 3) || pgid=""
	kill -TERM "$pid" 2>/dev/null || true
	lib_wait_until "$LIB_STOP_SECS" lib_proc_gone "$pid" ||
	    kill -KILL "$pid" 2>/dev/null || true
	if [ "$pgid" = "$pid" ] && lib_group_alive "$pid"; then
		kill -KILL -- "-$pid" 2>/dev/null || true
		lib_wait_until 2 lib_group_gone "$pid" ||
		    echo "# processes of $dir survived SIGKILL" >&2
	fi
	rm -f "$dir/queue/pid/master.pid"
	note "instance ${dir##*/} down in $(lib_elapsed "$t0") s"
	lib_check_sanitizers "$dir"
}

# lib_check_sanitizers DIR: print the sanitizer reports of an instance's
# daemons (all of them are done once the instance is down); false if any.
lib_check_sanitizers() {
	local f found=0
	for f in "$1"/san/*; do
		[ -e "$f" ] || continue
		found=1
		echo "--- sanitizer report $f" >&2
		awk 'NR <= 80' "$f" >&2
	done
	[ "$found" -eq 0 ] || {
		echo "FAIL: $LIB_TEST_NAME: sanitizer reports from daemons of $1" >&2
		return 1
	}
}

# lib_stop_all: stop every instance of the test; false if one of them
# left sanitizer reports.
lib_stop_all() {
	local dir ok=0
	for dir in $LIB_INSTANCES; do
		instance_down "$dir" || ok=1
	done
	return "$ok"
}

# instance_reload: postfix reload of the current instance.
instance_reload() {
	postfix -c "$I/conf" reload >"$I/reload.out" 2>&1 ||
	    harness_error "postfix reload failed: $(cat "$I/reload.out")"
}

# postconf_set 'name = value'...: edit the current instance's main.cf and
# backdate it (see lib_backdate). Running daemons see it after
# instance_reload.
postconf_set() {
	postconf -c "$I/conf" -e "$@" || harness_error "postconf -e $* failed"
	lib_backdate "$I"/conf/*
}

# --- mail ------------------------------------------------------------------

# lib_smtp_reply FD CODE: read one (possibly multi-line) SMTP reply from
# FD; a harness error unless its code is CODE.
lib_smtp_reply() {
	local line
	while :; do
		IFS= read -r -t 10 -u "$1" line ||
		    harness_error "injection: no SMTP reply (wanted $2)"
		line=${line%$'\r'}
		[ "${line:3:1}" = - ] && continue
		[ "${line:0:3}" = "$2" ] ||
		    harness_error "injection: wanted $2, got: $line"
		return 0
	done
}

# lib_message_body SIZE: about SIZE bytes of 78-byte CRLF lines.
lib_message_body() {
	local n=$(($1 / 78 + 1)) line
	printf -v line '%076d' 0
	line=${line//0/x}
	for ((; n > 0; n--)); do
		printf '%s\r\n' "$line"
	done
}

# inject_held N [SIZE]: submit N messages of about SIZE bytes (default
# 1000) to the instance's own injection smtpd, in one pipelined SMTP
# session; a header_checks rule puts them on hold.
inject_held() {
	local n=$1 size=${2:-1000} fd i body msg
	body=$(lib_message_body "$size")
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT_INJECT" ||
	    harness_error "cannot connect to the injection smtpd"
	lib_smtp_reply "$fd" 220
	printf 'EHLO client.tlsreuse.test\r\n' >&"$fd"
	lib_smtp_reply "$fd" 250
	for ((i = 1; i <= n; i++)); do
		printf 'MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n' \
		    "$LIB_SENDER" "$LIB_SINK_RCPT" >&"$fd"
		lib_smtp_reply "$fd" 250
		lib_smtp_reply "$fd" 250
		lib_smtp_reply "$fd" 354
		printf -v msg 'From: <%s>\r\nTo: <%s>\r\nSubject: test %d of %d\r\nX-Tlsreuse-Hold: yes\r\n\r\n%s\r\n.\r\n' \
		    "$LIB_SENDER" "$LIB_SINK_RCPT" "$i" "$n" "$body"
		printf '%s' "$msg" >&"$fd"
		lib_smtp_reply "$fd" 250
	done
	printf 'QUIT\r\n' >&"$fd"
	lib_smtp_reply "$fd" 221
	exec {fd}>&-
}

# release_held: move every held message to the deferred queue and have
# qmgr deliver them now, all at once: a backlog, so reuse is deterministic.
release_held() {
	postsuper -c "$I/conf" -H ALL 2>/dev/null ||
	    harness_error "postsuper -H ALL failed"
	postqueue -c "$I/conf" -f || harness_error "postqueue -f failed"
}

# send_messages N [SIZE]: inject_held, then release_held.
send_messages() {
	inject_held "$@"
	release_held
}

# queue_count: the number of messages in the current instance's queues.
queue_count() {
	find "$I/queue/maildrop" "$I/queue/incoming" "$I/queue/active" \
	    "$I/queue/deferred" "$I/queue/hold" -type f | wc -l
}

# lib_queue_empty: polled, so globs (builtin) instead of find; only the
# deferred queue is hashed (hash_queue_names default), one level deep.
lib_queue_empty() {
	local q=$I/queue d
	for d in maildrop/* incoming/* active/* hold/* deferred/*/*; do
		! compgen -G "$q/$d" >/dev/null || return 1
	done
}

# wait_for_queue_empty [SECS]: until no message is queued (fail on timeout).
wait_for_queue_empty() {
	lib_wait_until "${1:-$LIB_WAIT_SECS}" lib_queue_empty ||
	    fail "queue not empty after ${1:-$LIB_WAIT_SECS} s: $(queue_count) left"
}

# --- the maillog -----------------------------------------------------------

# maillog_count ERE: the number of maillog lines matching ERE.
maillog_count() {
	grep -cE -- "$1" "$I/maillog" || true
}

lib_maillog_has() {
	[ "$(maillog_count "$1")" -ge "$2" ]
}

# wait_for_maillog ERE [COUNT] [SECS]: until COUNT lines match (default 1).
# postlogd writes asynchronously, so a line may lag behind its effect.
wait_for_maillog() {
	local secs=${3:-$LIB_WAIT_SECS}
	lib_wait_until "$secs" lib_maillog_has "$1" "${2:-1}" ||
	    fail "after $secs s, $(maillog_count "$1") lines match '$1'" \
	    "(wanted ${2:-1})"
}

# The clock warnings cleanup(8) logs now and then (a file time a tick
# ahead of the clock at a second boundary), not caused by the daemons.
LIB_BENIGN='warning: (file system clock is [0-9]+ seconds? ahead of local clock|resetting file time stamps - this hurts performance)'
LIB_PROBLEM='(warning|error|fatal|panic):'

# maillog_excerpt [ERE]: what a reader needs to see why a scenario failed:
# problem lines, deferrals, rejects and ERE matches (at most 60), then the
# last 25 lines.
maillog_excerpt() {
	local re="$LIB_PROBLEM|status=(deferred|bounced)|reject:|not verified"
	[ -n "${1:-}" ] && re="$re|$1"
	echo "--- maillog excerpt ($I/maillog, $(wc -l <"$I/maillog") lines)"
	awk -v re="$re" '$0 ~ re && n < 60 { print; n++ }' "$I/maillog"
	echo "--- last lines"
	tail -n 25 "$I/maillog"
	echo "---"
}

# maillog_normalise: stdin to stdout without what varies between runs:
# times, pids, queue ids, ports, delays, the instance directory.
maillog_normalise() {
	sed -E \
	    -e "s|$LIB_TMP/[^/ ]+|INSTANCE|g" \
	    -e 's/^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} //' \
	    -e 's/^([a-z]+ [^[]+)\[[0-9]+\]:/\1[PID]:/' \
	    -e 's/: [0-9A-F]{6,}: /: QID: /' \
	    -e 's/(queued as) [0-9A-F]{6,}/\1 QID/' \
	    -e 's/\]:[0-9]+/]:PORT/g' \
	    -e 's/(delay=)[0-9.]+/\1D/; s/(delays=)[0-9.\/]+/\1D/'
}

# smtp_lines: the current instance's smtp(8) log lines, normalised.
smtp_lines() {
	grep -E '^.{16}[^ ]+ postfix/smtp\[' "$I/maillog" | maillog_normalise
}

# mail_outcome: per program and status, how many deliveries (sorted).
mail_outcome() {
	grep -oE 'postfix/[a-z/-]+\[[0-9]+\]: [0-9A-F]+: to=<[^>]*>.* status=[a-z]+' \
	    "$I/maillog" |
	    sed -E 's/\[[0-9]+\]: [0-9A-F]+: to=(<[^>]*>).* (status=[a-z]+)/ \1 \2/' |
	    sort | uniq -c || true
}

# --- expectations (each prints the maillog excerpt when it fails) ----------

# expect_count ERE N [WHAT]: exactly N maillog lines match ERE. On
# failure the excerpt includes the lines that do match.
expect_count() {
	local got
	got=$(maillog_count "$1")
	[ "$got" -eq "$2" ] ||
	    LIB_EXCERPT_RE=$1 fail "${3:-$1}: $got lines, expected $2"
}

# expect_at_least ERE N [WHAT]: at least N maillog lines match ERE.
expect_at_least() {
	local got
	got=$(maillog_count "$1")
	[ "$got" -ge "$2" ] ||
	    LIB_EXCERPT_RE=$1 fail "${3:-$1}: $got lines, expected >= $2"
}

# expect_none ERE [WHAT]: no maillog line matches ERE.
expect_none() {
	expect_count "$1" 0 "${2:-$1}"
}

# expect_no_warnings: no warning/error/fatal/panic line except the known
# benign clock warnings.
expect_no_warnings() {
	local got
	got=$(grep -E -- "$LIB_PROBLEM" "$I/maillog" |
	    grep -cvE -- "$LIB_BENIGN" || true)
	[ "$got" -eq 0 ] || fail "$got warning/error lines in the maillog"
}

# expect_daemons_from_libexec: every running scache and tlsproxy of the
# current instance runs the program that master.cf names (catches a swap
# that silently fell back to another binary).
expect_daemons_from_libexec() {
	local master pid comm want exe
	master=$(lib_master_pid) || fail "the instance is not running"
	for pid in $(pgrep -g "$master"); do
		read -r comm 2>/dev/null <"/proc/$pid/comm" || continue
		case $comm in
		scache) want=$I/libexec/$SCACHE_CMD ;;
		tlsproxy) want=$I/libexec/$TLSPROXY_CMD ;;
		*) continue ;;
		esac
		exe=$(readlink "/proc/$pid/exe") || continue
		[ "$exe" = "$want" ] || fail "$comm (pid $pid) runs $exe, not $want"
	done
}

# --- stock vs ours ---------------------------------------------------------

# lib_ours_path NAME: our build of scache or tlsproxy.
lib_ours_path() {
	echo "$LIB_OURS_DIR/$1/$1"
}

# lib_run_way LABEL SCACHE TLSPROXY FN ERE: run FN with those daemons, keep
# its smtp(8) lines, the lines matching ERE (normalised) and the outcome.
lib_run_way() {
	local label=$1 fn=$4 ere=$5
	# Dynamic scope: instance_up, called by FN, sees these.
	local TLSREUSE_SCACHE=$2 TLSREUSE_TLSPROXY=$3
	note "== $label run: scache=$2 tlsproxy=$3"
	"$fn"
	expect_daemons_from_libexec
	{
		smtp_lines
		if [ -n "$ere" ]; then
			# Lines of several processes: their order may vary.
			grep -E -- "$ere" "$I/maillog" | maillog_normalise |
			    sort || true
		fi
	} >"$LIB_TMP/$label.lines"
	mail_outcome >"$LIB_TMP/$label.outcome"
	instance_down
}

# both_ways FN [ERE]: the oracle comparison. FN starts an instance with
# instance_up, makes mail happen and checks its expectations. It runs once
# with the stock daemons, then once with TLSREUSE_SCACHE/TLSREUSE_TLSPROXY
# (ours unless a caller chose stock for one of them); the two runs must
# have the same mail outcome and the same normalised smtp(8) lines (and
# lines matching ERE). Stock for both tests nothing of ours: a harness
# error.
both_ways() {
	local fn=$1 ere=${2:-}
	[ "$TLSREUSE_SCACHE$TLSREUSE_TLSPROXY" != stockstock ] ||
	    harness_error "both_ways: TLSREUSE_SCACHE and TLSREUSE_TLSPROXY" \
	        "are both stock: nothing of ours to test"
	lib_run_way stock stock stock "$fn" "$ere"
	lib_run_way ours "$TLSREUSE_SCACHE" "$TLSREUSE_TLSPROXY" "$fn" "$ere"
	lib_compare_ways stock ours
}

# require_ours NAME...: a scenario about our NAME (scache, tlsproxy) cannot
# run with the stock one chosen in its place.
require_ours() {
	local name mode
	for name; do
		mode=TLSREUSE_${name^^}
		[ "${!mode}" = ours ] ||
		    harness_error "$mode=${!mode}: this scenario tests our $name"
	done
}

lib_compare_ways() {
	local what
	for what in outcome lines; do
		if ! diff -u "$LIB_TMP/$1.$what" "$LIB_TMP/$2.$what" \
		    >"$LIB_TMP/diff.$what"; then
			cat "$LIB_TMP/diff.$what" >&2
			fail "$1 and $2 runs differ ($what, diff above)"
		fi
	done
	note "$1 and $2 runs agree: $(wc -l <"$LIB_TMP/$2.lines") log lines," \
	    "outcome: $(tr -s ' \n' ' ' <"$LIB_TMP/$2.outcome")"
}

# random_loopback_ip: a random 127.x.y.z (all of 127/8 is local on Linux),
# so that postscreen has never seen the client (it remembers clients).
random_loopback_ip() {
	echo "127.$((RANDOM % 254 + 1)).$((RANDOM % 256)).$((RANDOM % 254 + 1))"
}

# need_program NAME: a harness error if NAME (installed by ./bootstrap) is
# missing.
need_program() {
	command -v "$1" >/dev/null ||
	    harness_error "$1 is missing (./bootstrap installs it)"
}

# --- start of every test ---------------------------------------------------

lib_require
exec {LIB_NAP_FD}<> <(:)
trap lib_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
lib_make_tmp
