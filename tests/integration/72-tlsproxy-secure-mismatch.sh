#!/bin/bash
# 72-tlsproxy-secure-mismatch.sh - 40-secure-mismatch.sh with our tlsproxy
#
# A certificate that does not match at level "secure": the handshake
# through our tlsproxy completes, tlsproxy logs the verification failure,
# smtp(8) defers with "Server certificate not verified" exactly as with
# stock. TLSREUSE_TLSPROXY=ours unless the caller chose otherwise.
#
# SPDX-License-Identifier: EPL-2.0

exec bash "$(dirname "$0")/40-secure-mismatch.sh"
