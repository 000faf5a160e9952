#!/bin/bash
# 102-fault-kill-tlsmgr.sh - tlsmgr killed (SIGKILL) while mail flows
#
# smtp(8) is told to use each TLS connection for at most 10 messages,
# so tlsproxy keeps making new connections (and asking tlsmgr for
# sessions) throughout. 400 messages are released; after 100 deliveries
# tlsmgr is killed with SIGKILL; master(8) starts a new one when the next
# client connects. Then a new client does STARTTLS through postscreen(8):
# tlsproxy's server role must finish that handshake (for a new session
# ticket it asks the new tlsmgr for a key over a connection it opened
# before the kill). With stock and with ours: no message lost, no process
# ended but the killed tlsmgr, and that handshake works.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

N=400

kill_tlsmgr_scenario() {
	fault_instance_up --main 'smtp_connection_reuse_count_limit = 10'
	fault_release "$N"
	fault_wait_sent 100
	fault_signal KILL tlsmgr
	fault_starttls after-kill || true
	fault_recover 90
	fault_expect_no_loss
	fault_expect_deaths
	fault_result
	case $FAULT_STARTTLS in
	*failed*)
		fault_runs_ours && fail "STARTTLS after the tlsmgr restart failed"
		;;
	esac
	return 0
}

fault_both kill_tlsmgr_scenario
