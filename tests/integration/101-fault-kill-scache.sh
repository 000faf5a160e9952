#!/bin/bash
# 101-fault-kill-scache.sh - scache killed (SIGKILL) while mail flows
#
# 400 messages are released at Postfix's default concurrency; after 100
# deliveries scache is killed with SIGKILL. Every connection it held is
# closed with it (each was idle: no message rides on a cached
# connection), smtp(8) reconnects to the scache that master(8) starts
# next. With stock and with ours: no message lost, and no process ended
# but the killed scache.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

N=400

kill_scache_scenario() {
	fault_instance_up
	fault_release "$N"
	fault_wait_sent 100
	fault_signal KILL scache
	fault_recover 90
	fault_expect_no_loss
	fault_expect_deaths
	fault_result
}

fault_both kill_scache_scenario
