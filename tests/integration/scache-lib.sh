# scache-lib.sh - what the 6x-scache scenarios share (sourced after lib.sh)
#
# SPDX-License-Identifier: EPL-2.0

# scache_is_ours: true when this run's scache is our daemon, not stock
# and not a copy of stock standing in for ours (make check-oracle); only
# then do our additions (reuse lines, eviction statistics) show.
scache_is_ours() {
	[ "$TLSREUSE_SCACHE" = ours ] &&
	    ! cmp -s "$(lib_ours_path scache)" "$LIB_POSTFIX_SBIN/scache"
}
