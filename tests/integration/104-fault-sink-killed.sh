#!/bin/bash
# 104-fault-sink-killed.sh - the remote server dies while connections are cached
#
# Cached connections are kept for 10 s here, and master(8) waits 1 s, not
# 60, before it starts a server whose first process died without ever
# finishing a connection ("bad command startup -- throttling", which a
# killed receiving smtpd on its first connection is). 200 messages are
# delivered;
# with the queue empty, the connections smtp(8) used sit in scache(8)
# (through tlsproxy, their TLS ends at the receiving smtpd). Every
# receiving smtpd process is then killed with SIGKILL: each cached
# connection now leads to a dead server. A second 200 messages follow.
# With stock and with ours: no message lost, no process ended but the
# killed smtpd processes. smtp(8) logs "TLS connection reused" for each
# connection it takes from scache, then probes it with RSET and silently
# drops a dead one: a reuse line without a delivery on that connection
# is a dead connection handed out (stock: one per cached connection).
# Ours must hand out none: scache drops a cached connection as soon as
# tlsproxy closes it after the server hung up.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

N=200

sink_killed_scenario() {
	local dead
	fault_instance_up --main 'smtp_connection_cache_time_limit = 10s' \
	    --main 'connection_cache_ttl_limit = 10s' \
	    --main 'service_throttle_time = 1s'
	fault_release "$N"
	wait_for_queue_empty 60
	fault_signal KILL sink-connected
	# The dead servers' FINs reach tlsproxy at once; give it a moment.
	sleep 1
	fault_release "$N"
	fault_recover 90
	fault_expect_no_loss
	fault_expect_deaths
	fault_result
	fault_runs_ours || return 0
	dead=$(fault_dead_reused)
	[ "$dead" -eq 0 ] || fail "$dead dead cached connections handed out"
}

fault_both sink_killed_scenario
