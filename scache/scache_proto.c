/*
 * scache_proto.c - scache(8)'s wire protocol, per client and per process
 *
 * One struct scache_client per connection, in one of four states:
 * waiting for a request; waiting for the descriptor of a save_endp;
 * waiting for the client's first dummy of a find hit (then the
 * descriptor goes out); waiting for its second dummy. A fifth, ours:
 * sending the cache listing (scache_list.c), a chunk each time the
 * previous one was flushed, then closing. Input is decoded
 * with the resumable attr_dec, so a request may arrive in pieces and
 * several may arrive at once (smtp pipelines a request right behind a
 * dummy); every complete list is handled before returning to the loop.
 * scache_client_event() is the only place that frees a client.
 *
 * Out of descriptors: a save_endp whose descriptor could not be received
 * counts as saved and dropped at once (status OK), and the oldest cached
 * connection is closed to make room, as it is for a client waiting to be
 * accepted (scache_proto_shed(), through the skeleton's on_fd_shortage).
 *
 * Backpressure: while more than SCACHE_PROTO_OUTPUT_MAX bytes of replies
 * wait to be written, no more requests are handled or read, so a client
 * that pipelines requests and never reads the replies costs a bounded
 * amount of memory and is dropped at its request deadline.
 *
 * Timers: a request or hand-over in flight (its reply written included)
 * must finish within request_timeout_ms of its start, a deadline that
 * progress does not move; an idle connection lives idle_timeout_ms. Cached
 * descriptors are watched for reading: a peer that closes, or that sends
 * anything, ends that connection's usefulness, so it is dropped at once.
 *
 * Limits: SCACHE_PROTO_VALUE_MAX, SCACHE_PROTO_PAIRS_MAX per list;
 * SCACHE_PROTO_OUTPUT_MAX of unwritten replies per client; session_max
 * and binding_max in the cache.
 * Errors: peer trouble is one msg_warn() and that client is closed.
 * See also: doc/scache-protocol.md; scache_cache.c.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "buf.h"
#include "event.h"
#include "fdpass.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"
#include "cache_list.h"
#include "scache_cache.h"
#include "scache_list.h"
#include "scache_reuse_log.h"
#include "scache_stats.h"
#include "scache_proto.h"

#define SCACHE_STREAM_NAME "scache socket"

#define SCACHE_STATUS_OK   0
#define SCACHE_STATUS_BAD  1
#define SCACHE_STATUS_FAIL 2

enum scache_client_state {
	SCACHE_CLIENT_REQUEST,   /* reading a request list */
	SCACHE_CLIENT_SAVE_FD,   /* save_endp: the descriptor is due */
	SCACHE_CLIENT_FIND_ACK,  /* find hit: the first dummy is due */
	SCACHE_CLIENT_FIND_DONE, /* find hit: the second dummy is due */
	SCACHE_CLIENT_LISTING,   /* tlsreuse_list: more of it is due */
	SCACHE_CLIENT_CLOSING,   /* last reply queued; close when flushed */
};

/* What one step did. */
enum scache_step {
	SCACHE_STEP_MORE,  /* needs more input */
	SCACHE_STEP_AGAIN, /* consumed a list; there may be another */
	SCACHE_STEP_CLOSE, /* close once the output is flushed */
	SCACHE_STEP_FAIL,  /* close now */
};

struct scache_client {
	struct scache_client *prev;
	struct scache_client *next;
	struct scache_proto *proto;
	struct stream *stream;
	struct attr_dec *dec;
	enum scache_client_state state;
	int busy;            /* a request in flight: its deadline runs */
	int answered;        /* all output written since the deadline was set */
	int replying;        /* a reply (not the greeting) is not all written */
	const char *service; /* request handler name, for warnings */
	/* save_endp in flight */
	int ttl;
	char *label;
	char *prop;
	/* find hit in flight: the descriptor until sent, and its props */
	int fd;
	char *endp_prop;
	struct scache_list *list; /* listing in progress */
};

struct scache_proto {
	struct scache_proto_config cfg;
	struct scache_cache *cache;
	struct scache_client *clients;
	size_t client_count;
	time_t stats_start;
	time_t start_time;  /* for the listing's counters */
	int fd_lost_warned; /* in this statistics interval */
};

static const struct attr_limits scache_limits = {
	.name_max = 100,
	.value_max = SCACHE_PROTO_VALUE_MAX,
	.count_max = SCACHE_PROTO_PAIRS_MAX,
	.total_max = SCACHE_PROTO_LIST_MAX,
};

static void scache_client_event(struct stream *s, enum stream_event ev,
    void *ctx);

/* --- process-wide: timers and the watch on cached descriptors */

static void
scache_proto_expire_event(void *ctx)
{
	struct scache_proto *proto = ctx;
	int64_t next = scache_cache_expire(proto->cache, event_now());

	if (next >= 0)
		event_timer_set(scache_proto_expire_event, proto,
		    (uint64_t)next);
}

static void
scache_proto_stats_event(void *ctx)
{
	struct scache_proto *proto = ctx;

	scache_stats_dump(proto->cache, &proto->stats_start, time(NULL));
	proto->fd_lost_warned = 0;
	event_timer_set(scache_proto_stats_event, proto,
	    (uint64_t)proto->cfg.status_update_time * 1000);
}

/* A cached descriptor became readable: its peer closed it or spoke out
 * of turn. Either way it cannot carry another session. */
static void
scache_proto_dead_event(int fd, unsigned events, void *ctx)
{
	struct scache_proto *proto = ctx;

	if (msg_verbose)
		msg_info("%s: dropping cached fd %d: peer closed or sent data",
		    __func__, fd);
	scache_cache_drop_fd(proto->cache, fd);
}

/*
 * Hand-out check, without a system call: an event for the cached
 * descriptor still waiting in the batch that brought the request means
 * it is closed or spoke out of turn, as above. Events of earlier batches
 * were handled already, so every close the kernel had reported when the
 * loop last woke up is seen.
 */
static int
scache_proto_alive(int fd, void *ctx)
{
	return !event_ready(fd);
}

static void
scache_proto_watch(int fd, int on, void *ctx)
{
	if (on)
		event_set(fd, EVENT_READ, scache_proto_dead_event, ctx);
	else
		event_clear(fd);
}

size_t
scache_proto_session_limit(long nofile)
{
	long headroom = nofile / 4;

	if (headroom < SCACHE_PROTO_FD_HEADROOM_MIN)
		headroom = SCACHE_PROTO_FD_HEADROOM_MIN;
	return nofile - headroom > 1 ? (size_t)(nofile - headroom) : 1;
}

void
scache_proto_take_args(int *argc, char **argv, int *reuse_log)
{
	const char *last, *prev, *value;
	size_t len = strlen(SCACHE_PROTO_ARG_REUSE_LOG);

	if (*argc < 2)
		return;
	last = argv[*argc - 1];
	prev = argv[*argc - 2];
	/* "-o reuse_log=no" is a parameter setting, not our word. */
	if (strncmp(last, SCACHE_PROTO_ARG_REUSE_LOG, len) != 0 ||
	    (prev[0] == '-' && prev[1] != 0 && prev[2] == 0 &&
	    strchr("imnorst", prev[1]) != NULL))
		return;
	value = last + len;
	if (strcmp(value, "yes") == 0)
		*reuse_log = 1;
	else if (strcmp(value, "no") == 0)
		*reuse_log = 0;
	else
		msg_fatal("bad command-line argument: %s (want %syes or %sno)",
		    last, SCACHE_PROTO_ARG_REUSE_LOG,
		    SCACHE_PROTO_ARG_REUSE_LOG);
	argv[--*argc] = NULL;
}

struct scache_proto *
scache_proto_create(const struct scache_proto_config *cfg)
{
	struct scache_proto *proto = xcalloc(1, sizeof(*proto));

	proto->cfg = *cfg;
	proto->cache = scache_cache_create(cfg->session_max, cfg->binding_max,
	    scache_proto_watch, proto);
	scache_cache_set_alive(proto->cache, scache_proto_alive, NULL);
	proto->stats_start = proto->start_time = time(NULL);
	event_timer_set(scache_proto_stats_event, proto,
	    (uint64_t)cfg->status_update_time * 1000);
	return proto;
}

void
scache_proto_exit(struct scache_proto *proto)
{
	scache_reuse_log_flush();
	scache_stats_dump(proto->cache, &proto->stats_start, time(NULL));
}

int
scache_proto_shed(struct scache_proto *proto)
{
	return scache_cache_shed(proto->cache);
}

size_t
scache_proto_client_count(const struct scache_proto *proto)
{
	return proto->client_count;
}

struct scache_cache *
scache_proto_cache(struct scache_proto *proto)
{
	return proto->cache;
}

/* --- per client: replies and bookkeeping */

/* Queues part of a reply: the request is in flight until it is out. */
static void
scache_client_send(struct scache_client *c, const void *data, size_t len)
{
	stream_write(c->stream, data, len);
	c->replying = 1;
}

static void
scache_client_reply(struct scache_client *c, int status, int props,
    const char *prop1, const char *prop2)
{
	struct buf out;

	buf_init(&out);
	attr_enc_int(&out, "status", status);
	if (props >= 1)
		attr_enc_str(&out, "property", prop1);
	if (props >= 2)
		attr_enc_str(&out, "property", prop2);
	attr_enc_end(&out);
	scache_client_send(c, out.data, out.len);
	buf_free(&out);
}

static void
scache_client_forget_request(struct scache_client *c)
{
	free(c->label);
	free(c->prop);
	free(c->endp_prop);
	c->label = c->prop = c->endp_prop = NULL;
	if (c->fd >= 0 && close(c->fd) < 0)
		msg_warn("%s: close(%d): %m", __func__, c->fd);
	c->fd = -1;
}

static void
scache_client_free(struct scache_client *c)
{
	struct scache_proto *proto = c->proto;
	int fd = stream_fd(c->stream);

	scache_client_forget_request(c);
	scache_list_free(c->list);
	stream_free(c->stream);
	attr_dec_free(c->dec);
	if (c->prev)
		c->prev->next = c->next;
	else
		proto->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	proto->client_count--;
	free(c);
	if (proto->cfg.disconnect)
		proto->cfg.disconnect(fd);
}

void
scache_proto_accept(struct scache_proto *proto, int fd)
{
	struct scache_client *c = xcalloc(1, sizeof(*c));
	struct buf out;

	c->proto = proto;
	c->fd = -1;
	c->dec = attr_dec_create(&scache_limits);
	c->stream = stream_create(fd, scache_client_event, c);
	c->next = proto->clients;
	if (c->next)
		c->next->prev = c;
	proto->clients = c;
	proto->client_count++;
	buf_init(&out);
	attr_enc_str(&out, "protocol", "connection_cache_protocol");
	attr_enc_end(&out);
	stream_write(c->stream, out.data, out.len);
	buf_free(&out);
	stream_set_output_limit(c->stream, SCACHE_PROTO_OUTPUT_MAX);
	stream_set_deadline(c->stream, proto->cfg.idle_timeout_ms);
}

void
scache_proto_free(struct scache_proto *proto)
{
	if (proto == NULL)
		return;
	while (proto->clients)
		scache_client_free(proto->clients);
	event_timer_cancel(scache_proto_expire_event, proto);
	event_timer_cancel(scache_proto_stats_event, proto);
	scache_cache_free(proto->cache);
	free(proto);
}

/* --- per client: the four requests */

static int
scache_client_ttl(const struct scache_client *c, int ttl)
{
	return ttl < c->proto->cfg.ttl_limit ? ttl : c->proto->cfg.ttl_limit;
}

static void
scache_client_rearm_expiry(struct scache_client *c)
{
	scache_proto_expire_event(c->proto);
}

static enum scache_step
scache_client_bad(struct scache_client *c, int props)
{
	msg_warn("%s: bad or missing request parameter", c->service);
	scache_client_reply(c, SCACHE_STATUS_BAD, props, "", "");
	return SCACHE_STEP_CLOSE;
}

static enum scache_step
scache_save_endp_service(struct scache_client *c, struct attr_cursor *cur)
{
	const char *label, *prop;
	int ttl;

	c->service = "scache_save_endp_service";
	if (attr_cursor_int(cur, "ttl", &ttl) < 0 ||
	    attr_cursor_str(cur, "label", &label) < 0 ||
	    attr_cursor_str(cur, "property", &prop) < 0 ||
	    attr_cursor_end(cur) < 0 || ttl <= 0)
		return scache_client_bad(c, 0);
	c->ttl = scache_client_ttl(c, ttl);
	c->label = xstrdup(label);
	c->prop = xstrdup(prop);
	/* Stock clients wait for this dummy before they send the fd. */
	scache_client_send(c, FDPASS_DUMMY, FDPASS_DUMMY_LEN);
	c->state = SCACHE_CLIENT_SAVE_FD;
	return SCACHE_STEP_AGAIN;
}

/*
 * The descriptor of a save_endp could not be received: the table is
 * full. The client did nothing wrong, and any status but OK makes
 * smtp(8) stop using the cache for the rest of its life, so it gets OK:
 * the connection counts as cached and evicted at once (fd-shortage), as
 * a cache may do at any time; smtp closes its copy as after any save.
 * The oldest cached connection makes room for the next save.
 */
static enum scache_step
scache_save_endp_lost(struct scache_client *c)
{
	struct scache_proto *proto = c->proto;

	if (!proto->fd_lost_warned)
		msg_warn("%s: unable to receive file descriptor: descriptor "
		    "table full; dropping it and the oldest cached "
		    "connection (logged once per statistics interval)",
		    c->service);
	proto->fd_lost_warned = 1;
	scache_cache_count_lost(proto->cache);
	(void)scache_cache_shed(proto->cache);
	scache_client_forget_request(c);
	scache_client_reply(c, SCACHE_STATUS_OK, 0, NULL, NULL);
	c->state = SCACHE_CLIENT_REQUEST;
	return SCACHE_STEP_AGAIN;
}

/* save_endp, second half: the descriptor came with one NUL byte. */
static enum scache_step
scache_save_endp_receive(struct scache_client *c)
{
	struct scache_proto *proto = c->proto;
	const unsigned char *data;
	struct stat st;
	size_t len;
	int fd, carrier;

	data = stream_data(c->stream, &len);
	if (len == 0)
		return SCACHE_STEP_MORE;
	carrier = data[0];
	fd = stream_take_fd(c->stream);
	stream_consume(c->stream, 1);
	if (fd == FDPASS_FD_LOST && carrier == 0)
		return scache_save_endp_lost(c);
	if (fd < 0 || carrier != 0) {
		msg_warn("%s: unable to receive file descriptor: %s",
		    c->service, fd < 0 ? "no descriptor with the data" :
		    "bad carrier byte");
	} else if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		msg_warn("%s: unable to receive file descriptor: "
		    "not a socket", c->service);
	} else {
		if (scache_cache_save_endp(proto->cache, event_now(), c->ttl,
		    c->label, c->prop, fd) &&
		    scache_cache_counts(proto->cache)->evict_limit == 1)
			msg_warn("connection cache full at %zu connections: "
			    "closing the oldest; counted in statistics",
			    proto->cfg.session_max);
		scache_client_forget_request(c);
		scache_client_rearm_expiry(c);
		scache_client_reply(c, SCACHE_STATUS_OK, 0, NULL, NULL);
		c->state = SCACHE_CLIENT_REQUEST;
		return SCACHE_STEP_AGAIN;
	}
	if (fd >= 0)
		close(fd);
	scache_client_reply(c, SCACHE_STATUS_FAIL, 0, NULL, NULL);
	return SCACHE_STEP_CLOSE;
}

static enum scache_step
scache_save_dest_service(struct scache_client *c, struct attr_cursor *cur)
{
	const char *dest_label, *dest_prop, *endp_label;
	int ttl;

	c->service = "scache_save_dest_service";
	if (attr_cursor_int(cur, "ttl", &ttl) < 0 ||
	    attr_cursor_str(cur, "label", &dest_label) < 0 ||
	    attr_cursor_str(cur, "property", &dest_prop) < 0 ||
	    attr_cursor_str(cur, "label", &endp_label) < 0 ||
	    attr_cursor_end(cur) < 0 || ttl <= 0)
		return scache_client_bad(c, 0);
	scache_cache_save_dest(c->proto->cache, event_now(),
	    scache_client_ttl(c, ttl), dest_label, dest_prop, endp_label);
	scache_client_rearm_expiry(c);
	scache_client_reply(c, SCACHE_STATUS_OK, 0, NULL, NULL);
	return SCACHE_STEP_AGAIN;
}

/* find_endp and find_dest: props is 1 or 2 "property" attributes. */
static enum scache_step
scache_find_service(struct scache_client *c, struct attr_cursor *cur,
    int props)
{
	struct scache_cache *cache = c->proto->cache;
	const char *label;
	char *dest_prop = NULL;

	c->service = props == 1 ? "scache_find_endp_service" :
	    "scache_find_dest_service";
	if (attr_cursor_str(cur, "label", &label) < 0 ||
	    attr_cursor_end(cur) < 0)
		return scache_client_bad(c, props);
	if (props == 1)
		c->fd = scache_cache_find_endp(cache, label, &c->endp_prop);
	else
		c->fd = scache_cache_find_dest(cache, label, &dest_prop,
		    &c->endp_prop);
	if (c->fd < 0) {
		scache_client_reply(c, SCACHE_STATUS_FAIL, props, "", "");
		return SCACHE_STEP_AGAIN;
	}
	if (props == 1)
		scache_client_reply(c, SCACHE_STATUS_OK, 1, c->endp_prop, NULL);
	else
		scache_client_reply(c, SCACHE_STATUS_OK, 2, dest_prop,
		    c->endp_prop);
	free(dest_prop);
	c->state = SCACHE_CLIENT_FIND_ACK;
	return SCACHE_STEP_AGAIN;
}

/* A find hit's dummies: the first releases the descriptor, the second
 * says the client has it. */
static enum scache_step
scache_find_dummy(struct scache_client *c, struct attr_cursor *cur)
{
	const char *value;

	if (attr_cursor_str(cur, "dummy", &value) < 0 ||
	    attr_cursor_end(cur) < 0) {
		msg_warn("%s: cannot send file descriptor: %s", c->service,
		    cur->reason);
		return SCACHE_STEP_FAIL;
	}
	if (c->state == SCACHE_CLIENT_FIND_ACK) {
		stream_send_fd(c->stream, c->fd);
		c->replying = 1;
		c->fd = -1;
		c->state = SCACHE_CLIENT_FIND_DONE;
		return SCACHE_STEP_AGAIN;
	}
	if (c->proto->cfg.reuse_log)
		scache_reuse_log(c->endp_prop, time(NULL),
		    c->proto->cfg.reuse_time_limit);
	scache_client_forget_request(c);
	c->state = SCACHE_CLIENT_REQUEST;
	return SCACHE_STEP_AGAIN;
}

/* The next chunk of the listing; closing once the end list is out. */
static void
scache_client_list_more(struct scache_client *c)
{
	struct buf out;

	buf_init(&out);
	if (!scache_list_next(c->list, &out, event_now(), time(NULL)))
		c->state = SCACHE_CLIENT_CLOSING;
	stream_write(c->stream, out.data, out.len);
	buf_free(&out);
}

static enum scache_step
scache_list_service(struct scache_client *c, struct attr_cursor *cur)
{
	struct scache_proto *proto = c->proto;
	struct scache_list_info info = {
	    .pid = (long)getpid(),
	    .start_time = proto->start_time,
	    .session_limit = proto->cfg.session_max,
	    .ttl_limit = proto->cfg.ttl_limit,
	    .reuse_time_limit = proto->cfg.reuse_time_limit,
	};

	c->service = "scache_list_service";
	if (attr_cursor_end(cur) < 0)
		return scache_client_bad(c, 0);
	c->list = scache_list_create(proto->cache, &info);
	c->state = SCACHE_CLIENT_LISTING;
	scache_client_list_more(c);
	return SCACHE_STEP_MORE;
}

static enum scache_step
scache_client_dispatch(struct scache_client *c, const struct attr_list *list)
{
	struct attr_cursor cur;
	const char *request;

	attr_cursor_init(&cur, list);
	if (c->state != SCACHE_CLIENT_REQUEST)
		return scache_find_dummy(c, &cur);
	if (attr_cursor_str(&cur, "request", &request) < 0) {
		msg_warn("%s from " SCACHE_STREAM_NAME, cur.reason);
		return SCACHE_STEP_FAIL;
	}
	if (strcmp(request, "save_endp") == 0)
		return scache_save_endp_service(c, &cur);
	if (strcmp(request, "find_endp") == 0)
		return scache_find_service(c, &cur, 1);
	if (strcmp(request, "save_dest") == 0)
		return scache_save_dest_service(c, &cur);
	if (strcmp(request, "find_dest") == 0)
		return scache_find_service(c, &cur, 2);
	if (strcmp(request, CACHE_LIST_REQUEST) == 0)
		return scache_list_service(c, &cur);
	msg_warn("unrecognized request: \"%.100s\", ignored", request);
	scache_client_reply(c, SCACHE_STATUS_BAD, 0, NULL, NULL);
	return SCACHE_STEP_CLOSE;
}

/* --- per client: the state machine */

/* Decodes and handles at most one list (or the save_endp descriptor). */
static enum scache_step
scache_client_step(struct scache_client *c)
{
	const void *data;
	size_t len, used;
	enum attr_dec_status st;
	enum scache_step step;
	int fd;

	if (c->state == SCACHE_CLIENT_SAVE_FD)
		return scache_save_endp_receive(c);
	data = stream_data(c->stream, &len);
	if (len == 0)
		return SCACHE_STEP_MORE;
	/* Only a save_endp may bring a descriptor. */
	if ((fd = stream_take_fd(c->stream)) != -1) {
		if (fd >= 0)
			close(fd);
		msg_warn("unexpected file descriptor from " SCACHE_STREAM_NAME);
		return SCACHE_STEP_FAIL;
	}
	st = attr_dec_feed(c->dec, data, len, &used);
	stream_consume(c->stream, used);
	if (st == ATTR_DEC_NEED_MORE)
		return SCACHE_STEP_MORE;
	if (st == ATTR_DEC_BAD) {
		msg_warn("malformed request from " SCACHE_STREAM_NAME ": %s",
		    attr_dec_reason(c->dec));
		return SCACHE_STEP_FAIL;
	}
	step = scache_client_dispatch(c, attr_dec_list(c->dec));
	attr_dec_reset(c->dec);
	return step;
}

/*
 * Handles every complete list already buffered, while the replies not
 * yet written stay within SCACHE_PROTO_OUTPUT_MAX; the rest waits until
 * the client reads (STREAM_FLUSHED).
 */
static enum scache_step
scache_client_run(struct scache_client *c)
{
	enum scache_step step;

	do {
		if (stream_pending(c->stream) > SCACHE_PROTO_OUTPUT_MAX)
			return SCACHE_STEP_MORE;
	} while ((step = scache_client_step(c)) == SCACHE_STEP_AGAIN);
	return step;
}

/* What an unexpected end interrupted, for the warning. */
static const char *
scache_client_doing(const struct scache_client *c)
{
	switch (c->state) {
	case SCACHE_CLIENT_REQUEST:
		return attr_dec_pending(c->dec) ? "reading a request" :
		    "writing a reply";
	case SCACHE_CLIENT_SAVE_FD:
		return "receiving a file descriptor";
	case SCACHE_CLIENT_FIND_ACK:
	case SCACHE_CLIENT_FIND_DONE:
		return "sending a file descriptor";
	case SCACHE_CLIENT_LISTING:
		return "sending the cache listing";
	case SCACHE_CLIENT_CLOSING:
		break;
	}
	return "closing";
}

/* A request is in flight until its reply is written. */
static int
scache_client_in_flight(const struct scache_client *c)
{
	return c->state != SCACHE_CLIENT_REQUEST || attr_dec_pending(c->dec) ||
	    c->replying;
}

/*
 * The timer: an idle client gets idle_timeout_ms from now; a busy one
 * request_timeout_ms from the moment it became busy, renewed only when
 * everything asked so far has been answered and written. Bytes that
 * trickle in, or requests piled up behind replies the client does not
 * read, never move it.
 */
static void
scache_client_arm(struct scache_client *c, int was_busy)
{
	if (!c->busy)
		stream_set_deadline(c->stream, c->proto->cfg.idle_timeout_ms);
	else if (!was_busy || c->answered)
		stream_set_deadline(c->stream,
		    c->proto->cfg.request_timeout_ms);
	c->answered = 0;
}

/* Stream trouble: whether it deserves a warning, and which. */
static void
scache_client_trouble(struct scache_client *c, enum stream_event ev)
{
	if (c->state == SCACHE_CLIENT_CLOSING || !scache_client_in_flight(c))
		return;
	if (ev == STREAM_EOF)
		msg_warn("premature end-of-input on " SCACHE_STREAM_NAME
		    " while %s", scache_client_doing(c));
	else if (ev == STREAM_TIMEOUT)
		msg_warn("timeout on " SCACHE_STREAM_NAME " while %s",
		    scache_client_doing(c));
	else
		msg_warn("error on " SCACHE_STREAM_NAME " while %s: %s",
		    scache_client_doing(c), strerror(stream_errno(c->stream)));
}

static void
scache_client_event(struct stream *s, enum stream_event ev, void *ctx)
{
	struct scache_client *c = ctx;
	enum scache_step step = SCACHE_STEP_MORE;
	int was_busy = c->busy;
	size_t len;

	if (c->state == SCACHE_CLIENT_CLOSING) {
		/* Only the last reply matters now; input is ignored. */
		stream_data(s, &len);
		stream_consume(s, len);
		if (ev == STREAM_DATA && stream_pending(s) > 0)
			return;
		step = SCACHE_STEP_FAIL;
	} else if (c->state == SCACHE_CLIENT_LISTING && ev == STREAM_DATA) {
		/* A listing client only reads; what it sends is ignored. */
		stream_data(s, &len);
		stream_consume(s, len);
	} else if (c->state == SCACHE_CLIENT_LISTING && ev == STREAM_FLUSHED) {
		/* A chunk written is progress: the deadline is renewed. */
		c->answered = 1;
		scache_client_list_more(c);
	} else if (ev == STREAM_DATA) {
		step = scache_client_run(c);
	} else if (ev == STREAM_FLUSHED) {
		/* Replies written: requests held back may go on. */
		c->answered = 1;
		c->replying = 0;
		step = scache_client_run(c);
	} else {
		scache_client_trouble(c, ev);
		step = SCACHE_STEP_FAIL;
	}
	if (step == SCACHE_STEP_CLOSE) {
		c->state = SCACHE_CLIENT_CLOSING;
		if (stream_pending(s) == 0)
			step = SCACHE_STEP_FAIL;
	}
	if (step == SCACHE_STEP_FAIL) {
		scache_client_free(c);
		return;
	}
	c->busy = scache_client_in_flight(c);
	scache_client_arm(c, was_busy);
}
