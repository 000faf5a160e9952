#!/bin/bash
# hostile-tlsproxy-full.sh - 107-fault-hostile-tlsproxy.sh, deadlines waited out
#
# The scenario of tests/integration/107-fault-hostile-tlsproxy.sh with
# HOSTILE_FULL=1: the client that stops after the start of a request and
# the 300 that send nothing wait the 100 s tlsproxy gives a request;
# ours must then have closed each of them with one warning while mail
# kept flowing.
#
# SPDX-License-Identifier: EPL-2.0

HOSTILE_FULL=1 exec bash "$(dirname "$0")/../integration/107-fault-hostile-tlsproxy.sh"
