#!/bin/bash
# 103-fault-stop-tlsmgr.sh - tlsmgr stopped (SIGSTOP) for 10 s mid-run
#
# As in 102, smtp(8) makes a new TLS connection every 10 messages, so
# tlsproxy asks tlsmgr for sessions throughout; a first client does
# STARTTLS through postscreen(8) before the mail, so the tlsproxy it
# reaches holds a ticket key. 600 messages are released; after 100
# deliveries tlsmgr is stopped with SIGSTOP, a second client does STARTTLS
# while it is stopped, and 10 s later tlsmgr gets SIGCONT. With stock and
# with ours: no message lost and no process ended. Ours must also keep
# delivering while tlsmgr is stopped and finish the STARTTLS handshake
# during the stop (a tlsmgr that does not answer costs a handshake its
# session cache, not the handshake).
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

N=600
STOP_SECS=10

stop_tlsmgr_scenario() {
	local before during
	fault_instance_up --main 'smtp_connection_reuse_count_limit = 10'
	fault_starttls before-stop || fail "STARTTLS before the stop failed"
	fault_release "$N"
	fault_wait_sent 100
	fault_signal STOP tlsmgr
	before=$(maillog_count "$FAULT_SENT")
	fault_starttls during-stop || true
	sleep "$STOP_SECS"
	during=$(($(maillog_count "$FAULT_SENT") - before))
	fault_signal CONT tlsmgr
	note "$during deliveries while tlsmgr was stopped"
	fault_recover 120
	fault_expect_no_loss
	fault_expect_deaths
	fault_result "delivered-during-stop=$during"
	fault_runs_ours || return 0
	[ "$during" -gt 0 ] || fail "no delivery while tlsmgr was stopped"
	case $FAULT_STARTTLS in
	*failed*) fail "a STARTTLS handshake failed: $FAULT_STARTTLS" ;;
	esac
}

fault_both stop_tlsmgr_scenario
