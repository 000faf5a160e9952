/*
 * tlsp_heap.h - give freed heap pages back to the kernel
 *
 * A tlsproxy holds many idle sessions at once, each a few dozen small
 * allocations that live for hours, between which every handshake and
 * every burst of data left short-lived ones (handshake state, the
 * request, the pump's and OpenSSL's record buffers). Their free space is
 * reused, but the pages it spans stay resident: about 4 KB per idle
 * session. After memory is freed, tlsp_heap_trim_soon() schedules one
 * malloc_trim(0) (glibc: it gives whole free pages anywhere in the heap
 * back) TLSP_HEAP_TRIM_DELAY_MS later; requests in between share it, so
 * it runs at most that often. Without malloc_trim() it does nothing.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_HEAP_H
#define TLSREUSE_TLSPROXY_TLSP_HEAP_H

/* Delay (and so the shortest interval) between trims, milliseconds. */
#define TLSP_HEAP_TRIM_DELAY_MS 100

/* Memory was freed: trim the heap soon, unless a trim is already due. */
void tlsp_heap_trim_soon(void);

/* 1 if a trim is scheduled, else 0 (for tests). */
int tlsp_heap_trim_pending(void);

#endif
