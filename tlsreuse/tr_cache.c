/*
 * tr_cache.c - ask our scache(8) what it holds (request tlsreuse_list)
 *
 * The reader decodes one attribute list at a time with attr_dec under
 * the CACHE_LIST_* bounds and reads every list by name, so fields a
 * later scache adds are skipped, and a field it leaves out stays
 * "absent". The first list tells ours (status 0 with a format) from
 * stock (any other status). The fetch is plain blocking I/O with a
 * poll() deadline per step: the tool is a command, not a daemon.
 *
 * Limits: CACHE_LIST_* per list, TR_CACHE_RECORDS_MAX records.
 * Errors: returned with a reason; nothing here logs or exits.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "attr_dec.h"
#include "attr_enc.h"
#include "cache_list.h"
#include "mem.h"
#include "tr_cache.h"

enum tr_cache_step {
	TR_CACHE_HEADER,
	TR_CACHE_RECORDS,
	TR_CACHE_FINISHED,
};

struct tr_cache_reader {
	struct tr_cache_listing *out;
	struct attr_dec *dec;
	enum tr_cache_step step;
	struct buf reason;
};

static const struct attr_limits tr_cache_limits = {
	.name_max = 100,
	.value_max = CACHE_LIST_LABEL_MAX,
	.count_max = CACHE_LIST_PAIRS_MAX,
	.total_max = CACHE_LIST_LIST_MAX,
};

struct tr_cache_reader *
tr_cache_reader_create(struct tr_cache_listing *out)
{
	struct tr_cache_reader *r = xcalloc(1, sizeof(*r));

	memset(out, 0, sizeof(*out));
	r->out = out;
	r->dec = attr_dec_create(&tr_cache_limits);
	buf_init(&r->reason);
	return r;
}

void
tr_cache_reader_free(struct tr_cache_reader *r)
{
	if (r == NULL)
		return;
	attr_dec_free(r->dec);
	buf_free(&r->reason);
	free(r);
}

const char *
tr_cache_reader_reason(const struct tr_cache_reader *r)
{
	return buf_str(&r->reason);
}

/* A copy of the attribute's value, or NULL if the list lacks it. */
static char *
tr_cache_str(const struct attr_list *list, const char *name)
{
	const struct attr_pair *p = attr_list_get(list, name);

	return p ? xstrdup(p->value) : NULL;
}

/* The attribute as a number: 0 (and *out), or -1 if absent or bad. */
static int
tr_cache_num(const struct attr_list *list, const char *name, long long *out)
{
	const struct attr_pair *p = attr_list_get(list, name);
	long value;

	if (p == NULL || attr_parse_long(p->value, &value) < 0)
		return -1;
	*out = value;
	return 0;
}

/* A number the list must have; -1 with a reason if it does not. */
static int
tr_cache_need(struct tr_cache_reader *r, const struct attr_list *list,
    const char *name, long long *out)
{
	if (tr_cache_num(list, name, out) == 0)
		return 0;
	buf_printf(&r->reason, "listing: missing or bad \"%s\"", name);
	return -1;
}

static enum tr_cache_status
tr_cache_header(struct tr_cache_reader *r, const struct attr_list *list)
{
	struct tr_cache_listing *l = r->out;
	long long status, format;
	const struct {
		const char *name;
		long long *value;
	} counters[] = {
		{CACHE_LIST_A_PID, &l->pid},
		{CACHE_LIST_A_START_TIME, &l->start_time},
		{CACHE_LIST_A_TIME, &l->time},
		{CACHE_LIST_A_SESSIONS, &l->sessions_now},
		{CACHE_LIST_A_BINDINGS, &l->bindings_now},
		{CACHE_LIST_A_SESSION_LIMIT, &l->session_limit},
		{CACHE_LIST_A_TTL_LIMIT, &l->ttl_limit},
		{CACHE_LIST_A_SAVED, &l->saved},
		{CACHE_LIST_A_DOMAIN_HITS, &l->domain_hits},
		{CACHE_LIST_A_DOMAIN_MISSES, &l->domain_misses},
		{CACHE_LIST_A_ADDRESS_HITS, &l->address_hits},
		{CACHE_LIST_A_ADDRESS_MISSES, &l->address_misses},
		{CACHE_LIST_A_EXPIRED, &l->expired},
		{CACHE_LIST_A_CLOSED_BY_PEER, &l->closed_by_peer},
		{CACHE_LIST_A_OVER_LIMIT, &l->over_limit},
	};
	size_t i;

	/* Stock: "status" not 0, and no format. */
	if (tr_cache_num(list, CACHE_LIST_A_STATUS, &status) < 0 ||
	    status != 0 || attr_list_get(list, CACHE_LIST_A_FORMAT) == NULL) {
		l->stock = 1;
		return TR_CACHE_DONE;
	}
	if (tr_cache_need(r, list, CACHE_LIST_A_FORMAT, &format) < 0)
		return TR_CACHE_BAD;
	if (format != CACHE_LIST_FORMAT) {
		buf_printf(&r->reason, "listing format %lld, this tool reads "
		    "format %d", format, CACHE_LIST_FORMAT);
		return TR_CACHE_BAD;
	}
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		if (tr_cache_need(r, list, counters[i].name,
		    counters[i].value) < 0)
			return TR_CACHE_BAD;
	l->version = tr_cache_str(list, CACHE_LIST_A_VERSION);
	r->step = TR_CACHE_RECORDS;
	return TR_CACHE_MORE;
}

static enum tr_cache_status
tr_cache_session(struct tr_cache_reader *r, const struct attr_list *list)
{
	struct tr_cache_listing *l = r->out;
	struct tr_cache_session s = {0};

	s.endpoint = tr_cache_str(list, CACHE_LIST_A_ENDPOINT);
	if (s.endpoint == NULL || tr_cache_need(r, list, CACHE_LIST_A_CACHED,
	    &s.cached_ms) < 0 || tr_cache_need(r, list,
	    CACHE_LIST_A_TIME_LEFT, &s.time_left_ms) < 0) {
		if (s.endpoint == NULL)
			buf_puts(&r->reason, "listing: session without "
			    "endpoint");
		free(s.endpoint);
		return TR_CACHE_BAD;
	}
	if (tr_cache_num(list, CACHE_LIST_A_CONN_USE, &s.conn_use) < 0)
		s.conn_use = -1;
	if (tr_cache_num(list, CACHE_LIST_A_CONN_AGE, &s.conn_age) < 0)
		s.conn_age = -1;
	s.trust = tr_cache_str(list, CACHE_LIST_A_TRUST);
	s.server = tr_cache_str(list, CACHE_LIST_A_SERVER);
	s.protocol = tr_cache_str(list, CACHE_LIST_A_PROTOCOL);
	s.cipher = tr_cache_str(list, CACHE_LIST_A_CIPHER);
	s.cipher_bits = tr_cache_str(list, CACHE_LIST_A_CIPHER_BITS);
	s.peer_CN = tr_cache_str(list, CACHE_LIST_A_PEER_CN);
	s.issuer_CN = tr_cache_str(list, CACHE_LIST_A_ISSUER_CN);
	if (l->nsessions == l->session_cap) {
		l->session_cap = l->session_cap ? 2 * l->session_cap : 16;
		l->session = xreallocarray(l->session, l->session_cap,
		    sizeof(*l->session));
	}
	l->session[l->nsessions++] = s;
	return TR_CACHE_MORE;
}

static enum tr_cache_status
tr_cache_binding(struct tr_cache_reader *r, const struct attr_list *list)
{
	struct tr_cache_listing *l = r->out;
	struct tr_cache_binding b = {0};

	b.destination = tr_cache_str(list, CACHE_LIST_A_DESTINATION);
	b.endpoint = tr_cache_str(list, CACHE_LIST_A_ENDPOINT);
	if (b.destination == NULL || b.endpoint == NULL ||
	    tr_cache_need(r, list, CACHE_LIST_A_TIME_LEFT,
	    &b.time_left_ms) < 0) {
		if (b.destination == NULL || b.endpoint == NULL)
			buf_puts(&r->reason, "listing: binding without "
			    "destination or endpoint");
		free(b.destination);
		free(b.endpoint);
		return TR_CACHE_BAD;
	}
	if (l->nbindings == l->binding_cap) {
		l->binding_cap = l->binding_cap ? 2 * l->binding_cap : 16;
		l->binding = xreallocarray(l->binding, l->binding_cap,
		    sizeof(*l->binding));
	}
	l->binding[l->nbindings++] = b;
	return TR_CACHE_MORE;
}

static enum tr_cache_status
tr_cache_record(struct tr_cache_reader *r, const struct attr_list *list)
{
	const struct attr_pair *rec = attr_list_get(list, CACHE_LIST_A_RECORD);

	if (rec == NULL) {
		buf_puts(&r->reason, "listing: list without \"record\"");
		return TR_CACHE_BAD;
	}
	if (strcmp(rec->value, CACHE_LIST_END) == 0) {
		r->out->complete = 1;
		return TR_CACHE_DONE;
	}
	if (r->out->nsessions + r->out->nbindings >= TR_CACHE_RECORDS_MAX) {
		buf_printf(&r->reason, "listing: more than %d records",
		    TR_CACHE_RECORDS_MAX);
		return TR_CACHE_BAD;
	}
	if (strcmp(rec->value, CACHE_LIST_SESSION) == 0)
		return tr_cache_session(r, list);
	if (strcmp(rec->value, CACHE_LIST_BINDING) == 0)
		return tr_cache_binding(r, list);
	/* A kind of record from a later scache: not ours to show. */
	return TR_CACHE_MORE;
}

enum tr_cache_status
tr_cache_reader_feed(struct tr_cache_reader *r, const void *data, size_t len,
    size_t *used)
{
	enum tr_cache_status st = TR_CACHE_MORE;
	size_t n;

	*used = 0;
	while (st == TR_CACHE_MORE && r->step != TR_CACHE_FINISHED &&
	    *used < len) {
		switch (attr_dec_feed(r->dec, (const char *)data + *used,
		    len - *used, &n)) {
		case ATTR_DEC_NEED_MORE:
			*used += n;
			return TR_CACHE_MORE;
		case ATTR_DEC_BAD:
			buf_printf(&r->reason, "listing: %s",
			    attr_dec_reason(r->dec));
			return TR_CACHE_BAD;
		case ATTR_DEC_OK:
			*used += n;
			break;
		}
		st = r->step == TR_CACHE_HEADER ?
		    tr_cache_header(r, attr_dec_list(r->dec)) :
		    tr_cache_record(r, attr_dec_list(r->dec));
		attr_dec_reset(r->dec);
	}
	if (st == TR_CACHE_DONE)
		r->step = TR_CACHE_FINISHED;
	return r->step == TR_CACHE_FINISHED ? TR_CACHE_DONE : st;
}

void
tr_cache_listing_free(struct tr_cache_listing *l)
{
	size_t i;

	for (i = 0; i < l->nsessions; i++) {
		free(l->session[i].endpoint);
		free(l->session[i].trust);
		free(l->session[i].server);
		free(l->session[i].protocol);
		free(l->session[i].cipher);
		free(l->session[i].cipher_bits);
		free(l->session[i].peer_CN);
		free(l->session[i].issuer_CN);
	}
	for (i = 0; i < l->nbindings; i++) {
		free(l->binding[i].destination);
		free(l->binding[i].endpoint);
	}
	free(l->session);
	free(l->binding);
	free(l->version);
	memset(l, 0, sizeof(*l));
}

/* --- talking to the socket */

/* Reads some bytes within timeout_ms: >0, 0 at EOF, -1 (why set). */
static ssize_t
tr_cache_read(int fd, char *chunk, size_t size, int timeout_ms,
    struct buf *why)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;
	int ready;

	while ((ready = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (ready == 0) {
		buf_printf(why, "no answer within %d ms", timeout_ms);
		return -1;
	}
	while ((n = read(fd, chunk, size)) < 0 && errno == EINTR)
		;
	if (n < 0)
		buf_printf(why, "read: %s", strerror(errno));
	return n;
}

/* The announcement: exactly protocol=connection_cache_protocol. */
static int
tr_cache_announcement(int fd, int timeout_ms, struct buf *why)
{
	static const char want[] = "protocol\0connection_cache_protocol\0";
	char got[sizeof(want)];
	size_t have = 0;
	ssize_t n;

	/* Byte by byte: what follows it belongs to the reply. */
	while (have < sizeof(want)) {
		n = tr_cache_read(fd, got + have, 1, timeout_ms, why);
		if (n <= 0) {
			if (n == 0)
				buf_puts(why, "closed before announcing its "
				    "protocol");
			return -1;
		}
		have++;
	}
	if (memcmp(got, want, sizeof(want)) != 0) {
		buf_puts(why, "not a connection cache protocol announcement");
		return -1;
	}
	return 0;
}

static int
tr_cache_connect(const char *path, struct buf *why)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		buf_printf(why, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		buf_printf(why, "connect to %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
tr_cache_request(int fd, struct buf *why)
{
	struct buf req;
	ssize_t n;
	int ok;

	buf_init(&req);
	attr_enc_str(&req, "request", CACHE_LIST_REQUEST);
	attr_enc_end(&req);
	n = send(fd, req.data, req.len, MSG_NOSIGNAL);
	ok = n == (ssize_t)req.len;
	if (!ok)
		buf_printf(why, "send: %s", n < 0 ? strerror(errno) : "short");
	buf_free(&req);
	return ok ? 0 : -1;
}

int
tr_cache_fetch(struct tr_cache_listing *out, const char *path, int timeout_ms,
    struct buf *why)
{
	struct tr_cache_reader *r;
	enum tr_cache_status st = TR_CACHE_MORE;
	char chunk[16384];
	size_t used, off;
	ssize_t n;
	int fd;

	buf_reset(why);
	r = tr_cache_reader_create(out);
	if ((fd = tr_cache_connect(path, why)) < 0) {
		tr_cache_reader_free(r);
		return -1;
	}
	if (tr_cache_announcement(fd, timeout_ms, why) < 0 ||
	    tr_cache_request(fd, why) < 0)
		st = TR_CACHE_BAD;
	while (st == TR_CACHE_MORE) {
		if ((n = tr_cache_read(fd, chunk, sizeof(chunk), timeout_ms,
		    why)) <= 0) {
			if (n == 0)
				buf_puts(why, "the listing ended early");
			st = TR_CACHE_BAD;
			break;
		}
		for (off = 0; st == TR_CACHE_MORE && off < (size_t)n;
		     off += used)
			st = tr_cache_reader_feed(r, chunk + off,
			    (size_t)n - off, &used);
		if (st == TR_CACHE_BAD)
			buf_puts(why, tr_cache_reader_reason(r));
	}
	close(fd);
	tr_cache_reader_free(r);
	return st == TR_CACHE_DONE ? 0 : -1;
}
