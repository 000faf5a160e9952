#!/bin/bash
# 78-tlsproxy-scache-events.sh - scache's remote-close and reload with ours
#
# 62-scache-remote-close.sh and 63-scache-reload.sh, run with our
# tlsproxy (TLSREUSE_TLSPROXY=ours unless set): the remote server closing
# a cached connection must reach smtp(8) through our pump as an EOF, and
# after "postfix reload" our draining tlsproxy process must keep serving
# (and finally DISCONNECT) the connection scache held, as stock does.
#
# SPDX-License-Identifier: EPL-2.0

for scenario in 62-scache-remote-close 63-scache-reload; do
	bash "$(dirname "$0")/$scenario.sh" || exit
done
