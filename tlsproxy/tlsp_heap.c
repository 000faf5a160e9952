/*
 * tlsp_heap.c - give freed heap pages back to the kernel
 *
 * The one pending trim is an event timer keyed by (fn, NULL): whether it
 * is set is the whole state, so there is nothing at file scope.
 * See tlsp_heap.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "event.h"

#include "tlsp_heap.h"

/* Timer: the trim that was asked for. */
static void
tlsp_heap_trim_event(void *ctx)
{
	(void)ctx;
#ifdef HAVE_MALLOC_TRIM
	(void)malloc_trim(0);
#endif
}

void
tlsp_heap_trim_soon(void)
{
	if (event_timer_left(tlsp_heap_trim_event, NULL) < 0)
		event_timer_set(tlsp_heap_trim_event, NULL,
		                TLSP_HEAP_TRIM_DELAY_MS);
}

int
tlsp_heap_trim_pending(void)
{
	return event_timer_left(tlsp_heap_trim_event, NULL) >= 0;
}
