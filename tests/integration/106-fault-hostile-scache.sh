#!/bin/bash
# 106-fault-hostile-scache.sh - hostile local clients of scache while mail flows
#
# While mail keeps coming (50 messages a second), local clients attack
# private/scache one after another: 1 MB of random bytes, an attribute
# name that never ends (up to 100 MB), 10,000 attributes in one list, a
# 50 MB value, and a well-formed start of a request followed by silence;
# 300 idle connections stay open meanwhile. With stock and with ours: no
# message lost and no process ended. Ours must close each attacker with
# one warning line (the silent one after connection_cache_protocol_timeout,
# 5 s), keep delivering during every attack, and end with its memory
# within 2 MB of what it was before. Idle connections are what smtp(8)
# itself keeps between requests; scache serves them until ipc_timeout.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

NAME=scache
. "$(dirname "$0")/hostile-lib.sh"

fault_both hostile_scenario
