#!/bin/sh
# preflight.sh - every outside tool the tests use, present and able
#
# Run first by "make check" and "make bench" (argument: check or bench).
# Each tool is tried the way the tests use it, so a missing install step
# stops the run in its first second with one line naming the Debian
# package that ./bootstrap installs, instead of surfacing minutes later
# as a confusing scenario failure. HAVE_CHECK (yes/no, from configure)
# says whether the Check library was found: without it no unit test
# would even be built.
#
# SPDX-License-Identifier: EPL-2.0

set -u

target=${1:-check}
missing=0

# lack WHAT PACKAGE: one line for a tool that is missing or unable.
lack() {
	echo "preflight: $1: install the Debian package $2 (./bootstrap does)" >&2
	missing=$((missing + 1))
}

# have_exe PATH PACKAGE: PATH exists and is executable.
have_exe() {
	[ -x "$1" ] || lack "$1 is missing" "$2"
}

# have_cmd NAME PACKAGE: NAME is on PATH (or in /usr/sbin).
have_cmd() {
	PATH=$PATH:/usr/sbin:/sbin command -v "$1" >/dev/null 2>&1 ||
	    lack "$1 is missing" "$2"
}

[ "${HAVE_CHECK:-yes}" = yes ] ||
    lack "the Check library was not found by configure (unit tests not built)" \
        check

# Postfix: the real peer of every scenario and of the differential tests.
for f in postconf postfix postmap postsuper posttls-finger sendmail; do
	have_exe "/usr/sbin/$f" postfix
done
for f in master smtp smtpd postscreen tlsmgr tlsproxy scache postlogd \
    discard; do
	have_exe "/usr/lib/postfix/sbin/$f" postfix
done
if [ -x /usr/sbin/postconf ] &&
    ! /usr/sbin/postconf -d mail_version >/dev/null 2>&1; then
	lack "postconf -d does not run" postfix
fi

have_cmd openssl openssl
if command -v openssl >/dev/null 2>&1 &&
    ! openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        >/dev/null 2>&1; then
	lack "openssl cannot make an EC key" openssl
fi

have_cmd perl perl-base
if command -v perl >/dev/null 2>&1 &&
    ! perl -MIO::Socket::INET -MIO::Socket::UNIX -MIPC::Open2 -e 1 \
        2>/dev/null; then
	lack "perl lacks IO::Socket or IPC::Open2" perl-base
fi
if command -v perl >/dev/null 2>&1 && ! perl -MJSON::PP -e 1 2>/dev/null; then
	lack "perl lacks JSON::PP" perl
fi

# swaks speaks STARTTLS only with Net::SSLeay, which is merely a
# Recommends of the swaks package.
have_cmd swaks swaks
if command -v swaks >/dev/null 2>&1 &&
    swaks --tls --server 127.0.0.1:9 --timeout 1 --quit-after connect 2>&1 |
    grep -q 'TLS not available'; then
	lack "swaks cannot do TLS (Net::SSLeay)" libnet-ssleay-perl
fi

have_cmd groff groff-base
have_cmd man man-db
have_cmd ps procps
have_cmd pgrep procps
have_cmd timeout coreutils
have_cmd prlimit util-linux
have_cmd getent libc-bin

if [ "$missing" -ne 0 ]; then
	echo "preflight: $missing tool(s) missing or unable; make $target stopped" >&2
	exit 1
fi
echo "preflight: every tool make $target uses is here"
