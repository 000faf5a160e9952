#!/bin/bash
# 107-fault-hostile-tlsproxy.sh - hostile local clients of tlsproxy while mail flows
#
# As 106, on private/tlsproxy: while mail keeps coming, local clients send
# 1 MB of random bytes, an attribute name that never ends (up to 100 MB),
# 10,000 attributes in one list and a 50 MB value; meanwhile a client that
# sent a well-formed start of a request and 300 clients that sent nothing
# wait. With stock and with ours: no message lost and no process ended.
# Ours must close each of the first four with one warning line, keep
# delivering, and end with its memory within 2 MB of what it was before.
# tlsproxy gives a silent client 100 s (as stock does); make soak waits
# that long (HOSTILE_FULL=1) and then wants each silent client closed
# with one warning, make check closes them itself.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault-lib.sh"

NAME=tlsproxy
. "$(dirname "$0")/hostile-lib.sh"

fault_both hostile_scenario
