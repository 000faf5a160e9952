#!/bin/bash
# demo.sh - "make demo": a throwaway Postfix delivering over reused TLS
#
# Starts an isolated Postfix 3.7.11 instance on 127.0.0.1 (lib.sh) with our
# scache and tlsproxy (TLSREUSE_SCACHE / TLSREUSE_TLSPROXY=stock shows a
# stock one instead),
# delivers DEMO_MESSAGES (default 300) messages at TLS level "secure" with
# smtp_tls_connection_reuse = yes and Postfix's default concurrency, prints
# what happened and sample log lines, and tears the instance down.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

N=${DEMO_MESSAGES:-300}

# demo_say NAME MODE: which NAME (scache, tlsproxy) the demo runs.
demo_say() {
	if [ "$2" = ours ]; then
		printf '  %-9s ours (%s)\n' "$1:" "$(lib_ours_path "$1")"
	else
		printf '  %-9s STOCK Postfix %s (TLSREUSE_%s=%s)\n' "$1:" "$1" \
		    "${1^^}" "$2"
	fi
}

# demo_sample TITLE ERE COUNT: the first COUNT maillog lines matching ERE.
demo_sample() {
	echo "  $1:"
	awk -v re="$2" -v max="$3" '$0 ~ re && n < max { print "    " $0; n++ }' \
	    "$I/maillog"
}

echo "tlsreuse demo: a throwaway Postfix on 127.0.0.1, torn down at the end"
demo_say scache "$TLSREUSE_SCACHE"
demo_say tlsproxy "$TLSREUSE_TLSPROXY"
instance_up --name demo \
    --main 'smtp_destination_concurrency_limit = $default_destination_concurrency_limit'
echo "Delivering $N messages (TLS level secure, smtp_tls_connection_reuse = yes)"
t0=$EPOCHREALTIME
send_messages "$N"
wait_for_queue_empty 120
wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' "$N"
took=$(lib_elapsed "$t0")
# scache logs its statistics when it exits; a reload makes it exit.
instance_reload
wait_for_maillog 'postfix/scache\[[0-9]+\]: statistics: max simultaneous' 1 10

cat <<SUMMARY
Results ($took s from injection to the last delivery):
  messages sent:        $(maillog_count 'postfix/smtp\[[0-9]+\]: .*status=sent')
  messages deferred:    $(maillog_count 'status=deferred')
  TLS handshakes:       $(maillog_count 'postfix/smtp\[[0-9]+\]: .*TLS connection established') (smtp "TLS connection established")
  TLS reuses:           $(maillog_count 'postfix/smtp\[[0-9]+\]: .*TLS connection reused') (smtp "TLS connection reused")
  warnings/errors:      $(maillog_count "$LIB_PROBLEM")
Sample log lines:
SUMMARY
demo_sample tlsproxy 'postfix/tlsproxy\[' 3
demo_sample scache 'postfix/scache\[' 4
demo_sample "smtp, new TLS connection" 'postfix/smtp\[[0-9]+\]: .*TLS connection established' 1
demo_sample "smtp, reused TLS connection" 'postfix/smtp\[[0-9]+\]: .*TLS connection reused' 1
demo_sample "smtp, a delivery over it" 'postfix/smtp\[[0-9]+\]: .*conn_use=[0-9]+,' 1
echo "(TLSREUSE_KEEP=1 keeps the instance directory with its full maillog)"
