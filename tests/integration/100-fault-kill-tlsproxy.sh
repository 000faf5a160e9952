#!/bin/bash
# 100-fault-kill-tlsproxy.sh - tlsproxy killed (SIGKILL) while mail flows
#
# 400 messages are released to one destination at Postfix's default
# concurrency; after 100 deliveries every tlsproxy process that holds a
# connection to the receiving server is killed with SIGKILL (one that has
# not taken a connection yet would make master(8) throttle tlsproxy for a
# minute, see fault_pids). The sessions they held are lost: smtp(8)
# defers their messages and master(8) starts a new tlsproxy. The queue is
# flushed until empty.
# With stock and with ours: no message lost, and no process ended but the
# killed tlsproxy.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

N=400

kill_tlsproxy_scenario() {
	fault_instance_up
	fault_release "$N"
	fault_wait_sent 100
	fault_signal KILL tlsproxy-connected
	fault_recover 90
	fault_expect_no_loss
	fault_expect_deaths
	fault_result
}

fault_both kill_tlsproxy_scenario
