#!/bin/bash
# 71-tlsproxy-reuse.sh - 10-reuse.sh with our tlsproxy by default
#
# The golden smtp(8) <-> tlsproxy conversation end to end under the real
# master(8) and smtp(8): 10-reuse.sh's scenario, compared with stock, with
# TLSREUSE_TLSPROXY=ours unless the caller chose otherwise, once with the
# stock scache and once with ours (TLSREUSE_SCACHE, if set, chooses one).
#
# SPDX-License-Identifier: EPL-2.0

for scache in ${TLSREUSE_SCACHE:-stock ours}; do
	TLSREUSE_SCACHE=$scache bash "$(dirname "$0")/10-reuse.sh" || exit
done
