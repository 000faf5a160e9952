#!/bin/bash
# capture-request.sh - the tlsproxy request a Postfix release sends
#
# Usage (as root): tests/live/capture-request.sh POSTFIX_DIR OUT [-o name=value]...
#
# POSTFIX_DIR as for run-release.sh. Starts a throwaway instance of that
# release (tests/integration/lib.sh) whose smtp(8) transport, with the
# given -o overrides, talks to capture-request.pl instead of a tlsproxy;
# delivers one message at TLS level "secure" and writes the exact bytes
# of the request (header list, then the body list with TLS_CLIENT_PARAMS,
# TLS_CLIENT_INIT_PROPS and TLS_CLIENT_START_PROPS) to OUT. The message
# stays deferred; the instance is removed. The request names the
# instance's CA file, under a temporary directory.
#
# SPDX-License-Identifier: EPL-2.0

set -eu

[ $# -ge 2 ] || { echo "usage: $0 POSTFIX_DIR OUT [-o name=value]..." >&2; exit 2; }
LIVE_DIR=$(cd "$(dirname "$0")" && pwd)
. "$LIVE_DIR/release.sh"
live_use_release "$1"
OUT=$2
shift 2
OVERRIDES="$*"

: "${top_builddir:=$LIVE_DIR/../..}"
export top_builddir
# The stock daemons stand in for ours: the capture replaces tlsproxy.
export TLSREUSE_TLSPROXY=stock TLSREUSE_SCACHE=stock
. "$LIVE_DIR/../integration/lib.sh"
live_require_36

CAPTURE_DIR=$LIB_TMP/capture
mkdir -m 1777 "$CAPTURE_DIR"
instance_up --main 'default_transport = captured' \
    --master-line "captured unix - - n - - smtp -o tlsproxy_service_name=capture $OVERRIDES" \
    --master-line "capture unix - n n - 0 spawn user=nobody argv=/usr/bin/perl $LIVE_DIR/capture-request.pl $CAPTURE_DIR"
send_messages 1
lib_wait_until "$LIB_WAIT_SECS" compgen -G "$CAPTURE_DIR/request-*.bin" >/dev/null ||
    fail "no request reached the capture service"
cp "$(compgen -G "$CAPTURE_DIR/request-*.bin" | head -n 1)" "$OUT"
note "Postfix $RELEASE: $(wc -c <"$OUT") request bytes in $OUT"
