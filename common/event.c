/*
 * event.c - the epoll event loop and its timers
 *
 * Descriptors live in an array indexed by fd (grown on demand), so lookup
 * is O(1). Each registration carries a generation number that travels in
 * the epoll data word with the fd; an event whose generation no longer
 * matches (the fd was cleared, or cleared, closed and reused within one
 * epoll_wait batch) is dropped. A registration with mask 0 is taken out
 * of the kernel set, so a hung-up descriptor nobody listens to cannot
 * spin the loop.
 *
 * Timers are a binary min-heap ordered by (deadline, sequence), with a
 * hash table from (fn, ctx) to the heap node: set, cancel and run are
 * O(log n). A timer set while timers are running gets a sequence number
 * past the run's stamp and waits for the next iteration, so a zero-delay
 * timer that re-arms itself cannot starve I/O.
 *
 * State: one loop per process, at file scope (the one exception, beside
 * the configuration, to keeping state in objects the caller holds).
 * Errors: epoll setup or a refused descriptor is fatal; misuse (negative
 * fd, re-entering the loop) panics.
 * See also: stream.c, the main user.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "msg.h"

#include "event.h"

/* Events taken from the kernel per epoll_wait() call. */
#define EVENT_BATCH 256

struct event_fd {
	event_fn fn;
	void *ctx;
	unsigned mask; /* EVENT_READ | EVENT_WRITE */
	uint32_t gen;  /* 0: not registered */
	int in_kernel; /* fd is in the epoll set */
};

struct event_timer {
	event_timer_fn fn;
	void *ctx;
	uint64_t when; /* monotonic ms */
	uint64_t seq;  /* tie-break and starvation stamp */
	size_t heap_idx;
	struct event_timer *next; /* hash chain */
};

static struct {
	int epfd;             /* -1 until first use */
	int running;          /* inside event_loop() */
	uint64_t now;         /* cached monotonic ms */
	event_clock_fn clock; /* NULL: CLOCK_MONOTONIC */
	struct event_fd *fds; /* indexed by fd */
	size_t nfds;
	uint32_t next_gen;
	struct event_timer **heap; /* min-heap by (when, seq) */
	size_t heap_len, heap_size;
	struct event_timer **hash; /* (fn, ctx) -> timer */
	size_t nbuckets;           /* power of two, or 0 */
	uint64_t next_seq;
	const struct epoll_event *batch; /* being dispatched, or NULL */
	int batch_len;
	int batch_next; /* the first event not yet delivered */
} event_state = {.epfd = -1, .next_gen = 1};

/* Reads the clock (real or injected) in milliseconds. */
static uint64_t
event_clock_read(void)
{
	struct timespec ts;

	if (event_state.clock != NULL)
		return event_state.clock();
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		msg_fatal("%s: clock_gettime: %m", __func__);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t
event_now_refresh(void)
{
	event_state.now = event_clock_read();
	return event_state.now;
}

uint64_t
event_now(void)
{
	if (event_state.now == 0 && event_state.clock == NULL)
		return event_now_refresh();
	return event_state.now;
}

void
event_clock_set(event_clock_fn fn)
{
	event_state.clock = fn;
	event_now_refresh();
}

/* Creates the epoll instance on first use. */
static int
event_epfd(void)
{
	if (event_state.epfd < 0) {
		event_state.epfd = epoll_create1(EPOLL_CLOEXEC);
		if (event_state.epfd < 0)
			msg_fatal("%s: epoll_create1: %m", __func__);
	}
	return event_state.epfd;
}

/* Returns the slot for fd, growing the table when needed. */
static struct event_fd *
event_fd_slot(int fd)
{
	size_t want, old = event_state.nfds;

	if (fd < 0)
		msg_panic("%s: bad descriptor %d", __func__, fd);
	if ((size_t)fd >= old) {
		want = old ? old : 64;
		while (want <= (size_t)fd)
			want *= 2;
		event_state.fds = xreallocarray(event_state.fds, want,
		                                sizeof(*event_state.fds));
		memset(event_state.fds + old, 0,
		       (want - old) * sizeof(*event_state.fds));
		event_state.nfds = want;
	}
	return event_state.fds + fd;
}

/* Brings the kernel's view of fd in line with its slot. */
static void
event_fd_sync(int fd, struct event_fd *slot)
{
	struct epoll_event ev = {0};
	int op;

	if (slot->mask == 0) {
		if (slot->in_kernel &&
		    epoll_ctl(event_epfd(), EPOLL_CTL_DEL, fd, NULL) != 0 &&
		    errno != ENOENT && errno != EBADF)
			msg_fatal("%s: epoll_ctl DEL fd %d: %m", __func__, fd);
		slot->in_kernel = 0;
		return;
	}
	ev.events = ((slot->mask & EVENT_READ) ? EPOLLIN : 0u) |
	            ((slot->mask & EVENT_WRITE) ? EPOLLOUT : 0u);
	ev.data.u64 = (uint64_t)slot->gen << 32 | (uint32_t)fd;
	op = slot->in_kernel ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(event_epfd(), op, fd, &ev) != 0) {
		/* Closed and reused without event_clear(): start afresh. */
		if (op != EPOLL_CTL_MOD || errno != ENOENT ||
		    epoll_ctl(event_epfd(), EPOLL_CTL_ADD, fd, &ev) != 0)
			msg_fatal("%s: epoll_ctl fd %d: %m", __func__, fd);
	}
	slot->in_kernel = 1;
}

void
event_set(int fd, unsigned mask, event_fn fn, void *ctx)
{
	struct event_fd *slot = event_fd_slot(fd);

	if (fn == NULL || (mask & ~(EVENT_READ | EVENT_WRITE)) != 0)
		msg_panic("%s: fd %d: bad mask %#x or callback", __func__, fd,
		          mask);
	/* A new callback is a new registration: older events are stale. */
	if (slot->gen == 0 || slot->fn != fn || slot->ctx != ctx) {
		slot->gen = event_state.next_gen++;
		if (event_state.next_gen == 0)
			event_state.next_gen = 1;
	}
	slot->fn = fn;
	slot->ctx = ctx;
	slot->mask = mask;
	event_fd_sync(fd, slot);
}

void
event_clear(int fd)
{
	struct event_fd *slot;

	if (fd < 0 || (size_t)fd >= event_state.nfds ||
	    event_state.fds[fd].gen == 0)
		return;
	slot = event_state.fds + fd;
	slot->mask = 0;
	event_fd_sync(fd, slot);
	memset(slot, 0, sizeof(*slot));
}

/* Hash bucket of (fn, ctx). */
static size_t
event_timer_bucket(event_timer_fn fn, void *ctx)
{
	uint64_t h = (uint64_t)(uintptr_t)fn * 0x9e3779b97f4a7c15u;

	h ^= (uint64_t)(uintptr_t)ctx + (h >> 29);
	h *= 0xbf58476d1ce4e5b9u;
	return (size_t)(h >> 32) & (event_state.nbuckets - 1);
}

/* Returns the link that points at timer (fn, ctx), or at the chain end. */
static struct event_timer **
event_timer_link(event_timer_fn fn, void *ctx)
{
	struct event_timer **link;

	if (event_state.nbuckets == 0)
		return NULL;
	link = event_state.hash + event_timer_bucket(fn, ctx);
	while (*link != NULL && ((*link)->fn != fn || (*link)->ctx != ctx))
		link = &(*link)->next;
	return link;
}

/* Doubles the hash table when it gets as full as one timer per bucket. */
static void
event_timer_rehash(void)
{
	struct event_timer **old = event_state.hash, *t, *next;
	size_t i, nold = event_state.nbuckets, b;

	if (event_state.heap_len < nold)
		return;
	event_state.nbuckets = nold ? nold * 2 : 64;
	event_state.hash = xcalloc(event_state.nbuckets, sizeof(*old));
	for (i = 0; i < nold; i++) {
		for (t = old[i]; t != NULL; t = next) {
			next = t->next;
			b = event_timer_bucket(t->fn, t->ctx);
			t->next = event_state.hash[b];
			event_state.hash[b] = t;
		}
	}
	free(old);
}

/* Nonzero when timer a runs before timer b. */
static int
event_timer_before(const struct event_timer *a, const struct event_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

/* Stores t at heap position i. */
static void
event_heap_put(struct event_timer *t, size_t i)
{
	event_state.heap[i] = t;
	t->heap_idx = i;
}

/* Restores heap order around position i after its key changed. */
static void
event_heap_fix(size_t i)
{
	struct event_timer **h = event_state.heap, *t = h[i];
	size_t n = event_state.heap_len, child;

	while (i > 0 && event_timer_before(t, h[(i - 1) / 2])) {
		event_heap_put(h[(i - 1) / 2], i);
		i = (i - 1) / 2;
	}
	while ((child = 2 * i + 1) < n) {
		if (child + 1 < n && event_timer_before(h[child + 1], h[child]))
			child++;
		if (!event_timer_before(h[child], t))
			break;
		event_heap_put(h[child], i);
		i = child;
	}
	event_heap_put(t, i);
}

/* Takes t out of the heap and the hash (at link) and frees it. */
static void
event_timer_unlink(struct event_timer **link)
{
	struct event_timer *t = *link, *last;
	size_t i = t->heap_idx;

	*link = t->next;
	last = event_state.heap[--event_state.heap_len];
	if (last != t) {
		event_heap_put(last, i);
		event_heap_fix(i);
	}
	free(t);
}

void
event_timer_set(event_timer_fn fn, void *ctx, uint64_t delay_ms)
{
	struct event_timer **link = event_timer_link(fn, ctx), *t;
	uint64_t now = event_now();

	if (fn == NULL)
		msg_panic("%s: null callback", __func__);
	if (link == NULL || *link == NULL) {
		t = xcalloc(1, sizeof(*t));
		t->fn = fn;
		t->ctx = ctx;
		if (event_state.heap_len == event_state.heap_size) {
			event_state.heap_size = event_state.heap_size
			                            ? event_state.heap_size * 2
			                            : 64;
			event_state.heap = xreallocarray(
			    event_state.heap, event_state.heap_size,
			    sizeof(*event_state.heap));
		}
		event_heap_put(t, event_state.heap_len++);
		event_timer_rehash();
		link = event_timer_link(fn, ctx);
		*link = t;
	}
	t = *link;
	t->when = delay_ms > UINT64_MAX - now ? UINT64_MAX : now + delay_ms;
	t->seq = event_state.next_seq++;
	event_heap_fix(t->heap_idx);
}

int
event_timer_cancel(event_timer_fn fn, void *ctx)
{
	struct event_timer **link = event_timer_link(fn, ctx);

	if (link == NULL || *link == NULL)
		return 0;
	event_timer_unlink(link);
	return 1;
}

int64_t
event_timer_left(event_timer_fn fn, void *ctx)
{
	struct event_timer **link = event_timer_link(fn, ctx);
	uint64_t now = event_now();

	if (link == NULL || *link == NULL)
		return -1;
	if ((*link)->when <= now)
		return 0;
	return (*link)->when - now > INT64_MAX ? INT64_MAX
	                                       : (int64_t)((*link)->when - now);
}

/* The epoll_wait timeout: max_wait_ms capped by the first timer. */
static int
event_wait_ms(int max_wait_ms)
{
	uint64_t when, now = event_now();

	if (event_state.heap_len == 0)
		return max_wait_ms < 0 ? -1 : max_wait_ms;
	when = event_state.heap[0]->when;
	if (when <= now)
		return 0;
	if (when - now < (uint64_t)INT32_MAX &&
	    (max_wait_ms < 0 || when - now < (uint64_t)max_wait_ms))
		return (int)(when - now);
	return max_wait_ms < 0 ? INT32_MAX : max_wait_ms;
}

/* Runs the timers due now that were set before this run started. */
static void
event_timers_run(void)
{
	uint64_t stamp = event_state.next_seq;
	struct event_timer *t;
	event_timer_fn fn;
	void *ctx;

	while (event_state.heap_len > 0) {
		t = event_state.heap[0];
		if (t->when > event_state.now || t->seq >= stamp)
			break;
		fn = t->fn;
		ctx = t->ctx;
		event_timer_unlink(event_timer_link(fn, ctx));
		fn(ctx);
	}
}

/* Delivers one epoll event unless its registration is gone. */
static void
event_dispatch(const struct epoll_event *ev)
{
	int fd = (int)(uint32_t)ev->data.u64;
	uint32_t gen = (uint32_t)(ev->data.u64 >> 32);
	struct event_fd *slot;
	unsigned got = 0;

	if ((size_t)fd >= event_state.nfds)
		return;
	slot = event_state.fds + fd;
	if (slot->gen != gen)
		return;
	if (ev->events & EPOLLIN)
		got |= EVENT_READ;
	if (ev->events & EPOLLOUT)
		got |= EVENT_WRITE;
	/* A hang-up or error wakes whichever side is listening. */
	if (ev->events & (EPOLLHUP | EPOLLERR))
		got |= EVENT_READ | EVENT_WRITE;
	got &= slot->mask;
	if (got != 0)
		slot->fn(fd, got, slot->ctx);
}

void
event_loop(int max_wait_ms)
{
	struct epoll_event evs[EVENT_BATCH];
	int n, i;

	if (event_state.running)
		msg_panic("%s: re-entered from a callback", __func__);
	event_state.running = 1;
	event_now_refresh();
	n = epoll_wait(event_epfd(), evs, EVENT_BATCH,
	               event_wait_ms(max_wait_ms));
	if (n < 0) {
		if (errno != EINTR)
			msg_fatal("%s: epoll_wait: %m", __func__);
		n = 0;
	}
	event_now_refresh();
	event_timers_run();
	event_state.batch = evs;
	event_state.batch_len = n;
	for (i = 0; i < n; i++) {
		event_state.batch_next = i + 1;
		event_dispatch(evs + i);
	}
	event_state.batch = NULL;
	event_state.running = 0;
}

int
event_ready(int fd)
{
	const struct epoll_event *ev;
	int i;

	if (event_state.batch == NULL || fd < 0 ||
	    (size_t)fd >= event_state.nfds || event_state.fds[fd].gen == 0)
		return 0;
	for (i = event_state.batch_next; i < event_state.batch_len; i++) {
		ev = event_state.batch + i;
		if ((int)(uint32_t)ev->data.u64 == fd &&
		    (uint32_t)(ev->data.u64 >> 32) == event_state.fds[fd].gen)
			return 1;
	}
	return 0;
}

void
event_fork(void)
{
	struct event_timer *t;

	if (event_state.epfd >= 0)
		(void)close(event_state.epfd);
	event_state.epfd = -1;
	free(event_state.fds);
	event_state.fds = NULL;
	event_state.nfds = 0;
	while (event_state.heap_len > 0) {
		t = event_state.heap[--event_state.heap_len];
		free(t);
	}
	free(event_state.hash);
	event_state.hash = NULL;
	event_state.nbuckets = 0;
	event_state.batch = NULL;
}
