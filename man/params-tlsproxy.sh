#!/bin/bash
# params-tlsproxy.sh - man/tlsproxy.8 lists exactly the parameters tlsproxy(8) reads
#
# SPDX-License-Identifier: EPL-2.0
exec bash "$(dirname "$0")/params-check.sh" tlsproxy
