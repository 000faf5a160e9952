/*
 * tr_cache_out.c - print "tlsreuse cache" as text or JSON lines
 *
 * smtp(8) makes a label of fields, each ended by a newline (transport,
 * next hop, address, port, TLS level, ... as its settings select); the
 * text shows them separated by blanks, JSON as an array. A connection's
 * destinations are the bindings that name its endpoint label, found
 * through a sorted index.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "mem.h"
#include "tr_out.h"
#include "tr_cache_out.h"

/* Calls fn for each newline-ended field of a label. */
static void
tr_cache_out_fields(const char *label,
    void (*fn)(const char *field, size_t len, void *ctx), void *ctx)
{
	const char *nl;

	while (*label) {
		nl = strchr(label, '\n');
		fn(label, nl ? (size_t)(nl - label) : strlen(label), ctx);
		if (nl == NULL)
			break;
		label = nl + 1;
	}
}

static void
tr_cache_out_text_field(const char *field, size_t len, void *ctx)
{
	struct buf *b = ctx;

	if (b->len > 0)
		buf_putc(b, ' ');
	tr_out_safe(b, field, len);
}

static void
tr_cache_out_json_field(const char *field, size_t len, void *ctx)
{
	tr_json_strn(ctx, NULL, field, len);
}

/* Appends the label's fields, blank-separated (the field callback sees
 * an empty buffer only for the first). */
static void
tr_cache_out_label(struct buf *b, const char *label)
{
	struct buf fields;

	buf_init(&fields);
	tr_cache_out_fields(label, tr_cache_out_text_field, &fields);
	buf_puts(b, buf_str(&fields));
	buf_free(&fields);
}

static void
tr_cache_out_json_label(struct tr_json *j, const char *name,
    const char *label)
{
	tr_json_array(j, name);
	tr_cache_out_fields(label, tr_cache_out_json_field, j);
	tr_json_close(j);
}

/*
 * The bindings and the sessions' endpoints sorted by endpoint label, so
 * that pairing them costs O(n log n), not sessions x bindings. Bindings
 * of one endpoint keep their listing order.
 */
struct tr_cache_out_index {
	const struct tr_cache_binding **binding;
	const char **endpoint;
	size_t nbindings;
	size_t nendpoints;
};

static int
tr_cache_out_binding_cmp(const void *a, const void *b)
{
	const struct tr_cache_binding *const *x = a, *const *y = b;
	int cmp = strcmp((*x)->endpoint, (*y)->endpoint);

	/* Equal labels: listing order (the array is in it). */
	return cmp ? cmp : (*x < *y ? -1 : *x > *y);
}

static int
tr_cache_out_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
tr_cache_out_index(struct tr_cache_out_index *ix,
    const struct tr_cache_listing *l)
{
	size_t i;

	ix->nbindings = l->nbindings;
	ix->nendpoints = l->nsessions;
	ix->binding = xcalloc(l->nbindings + 1, sizeof(*ix->binding));
	ix->endpoint = xcalloc(l->nsessions + 1, sizeof(*ix->endpoint));
	for (i = 0; i < l->nbindings; i++)
		ix->binding[i] = &l->binding[i];
	for (i = 0; i < l->nsessions; i++)
		ix->endpoint[i] = l->session[i].endpoint;
	qsort(ix->binding, ix->nbindings, sizeof(*ix->binding),
	    tr_cache_out_binding_cmp);
	qsort(ix->endpoint, ix->nendpoints, sizeof(*ix->endpoint),
	    tr_cache_out_str_cmp);
}

static void
tr_cache_out_index_free(struct tr_cache_out_index *ix)
{
	free(ix->binding);
	free(ix->endpoint);
}

/* The bindings of endpoint: sets *first, returns how many. */
static size_t
tr_cache_out_bindings_of(const struct tr_cache_out_index *ix,
    const char *endpoint, const struct tr_cache_binding *const **first)
{
	size_t lo = 0, hi = ix->nbindings, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->binding[mid]->endpoint, endpoint) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = ix->binding + lo;
	while (lo + n < ix->nbindings &&
	    strcmp(ix->binding[lo + n]->endpoint, endpoint) == 0)
		n++;
	return n;
}

/* Whether some session of the listing has this endpoint label. */
static int
tr_cache_out_has_session(const struct tr_cache_out_index *ix,
    const char *endpoint)
{
	return bsearch(&endpoint, ix->endpoint, ix->nendpoints,
	    sizeof(*ix->endpoint), tr_cache_out_str_cmp) != NULL;
}

/* --- text */

static void
tr_cache_out_ms(struct buf *b, long long ms)
{
	buf_printf(b, "%lld.%llds", ms / 1000, ms % 1000 / 100);
}

static void
tr_cache_out_text_header(const struct tr_cache_listing *l, struct buf *b)
{
	char when[64];
	time_t t = (time_t)l->start_time;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
	buf_puts(b, "scache: tlsreuse ");
	tr_out_safe(b, l->version ? l->version : "?",
	    strlen(l->version ? l->version : "?"));
	buf_printf(b, ", pid %lld, serving since %s\n", l->pid, when);
	buf_printf(b, "  now: %lld connections (limit %lld), %lld bindings, "
	    "connection_cache_ttl_limit %llds\n", l->sessions_now,
	    l->session_limit, l->bindings_now, l->ttl_limit);
	buf_printf(b, "  since start: %lld connections cached; domain lookups "
	    "%lld hits, %lld misses; address lookups %lld hits, %lld "
	    "misses\n", l->saved, l->domain_hits, l->domain_misses,
	    l->address_hits, l->address_misses);
	buf_printf(b, "  dropped: %lld expired, %lld closed by the other end, "
	    "%lld over the limit\n", l->expired, l->closed_by_peer,
	    l->over_limit);
}

/* "  name  value\n" for a value that smtp(8) stored. */
static void
tr_cache_out_text_line(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(b, "  %-13s ", name);
	tr_out_safe(b, value, strlen(value));
	buf_putc(b, '\n');
}

static void
tr_cache_out_text_tls(const struct tr_cache_session *s, struct buf *b)
{
	struct buf tls;

	if (s->protocol == NULL && s->trust == NULL)
		return;
	buf_init(&tls);
	if (s->trust)
		buf_printf(&tls, "%s ", s->trust);
	if (s->protocol)
		buf_puts(&tls, s->protocol);
	if (s->cipher)
		buf_printf(&tls, " with cipher %s", s->cipher);
	if (s->cipher_bits)
		buf_printf(&tls, " (%s bits)", s->cipher_bits);
	tr_cache_out_text_line(b, "TLS", buf_str(&tls));
	buf_free(&tls);
}

static void
tr_cache_out_text_session(const struct tr_cache_out_index *ix,
    const struct tr_cache_session *s, struct buf *b)
{
	const struct tr_cache_binding *const *bd;
	size_t i, n;

	buf_puts(b, "\nconnection ");
	tr_cache_out_label(b, s->endpoint);
	buf_putc(b, '\n');
	n = tr_cache_out_bindings_of(ix, s->endpoint, &bd);
	for (i = 0; i < n; i++) {
		buf_printf(b, "  %-13s ", "destination");
		tr_cache_out_label(b, bd[i]->destination);
		buf_putc(b, '\n');
	}
	tr_cache_out_text_line(b, "server", s->server);
	if (s->trust == NULL && s->protocol == NULL)
		tr_cache_out_text_line(b, "TLS", "none (plaintext)");
	tr_cache_out_text_tls(s, b);
	tr_cache_out_text_line(b, "peer_CN", s->peer_CN);
	tr_cache_out_text_line(b, "issuer_CN", s->issuer_CN);
	if (s->conn_use >= 0)
		buf_printf(b, "  %-13s %lld\n", "conn_use", s->conn_use);
	if (s->conn_age >= 0)
		buf_printf(b, "  %-13s %llds\n", "age", s->conn_age);
	buf_printf(b, "  %-13s ", "in the cache");
	tr_cache_out_ms(b, s->cached_ms);
	buf_puts(b, ", ");
	tr_cache_out_ms(b, s->time_left_ms);
	buf_puts(b, " left\n");
}

void
tr_cache_out_text(const struct tr_cache_listing *l, FILE *out)
{
	const struct tr_cache_binding *bd;
	struct tr_cache_out_index ix;
	struct buf b;
	size_t i;

	buf_init(&b);
	tr_cache_out_index(&ix, l);
	tr_cache_out_text_header(l, &b);
	if (l->nsessions == 0)
		buf_puts(&b, "\nNo cached connections.\n");
	for (i = 0; i < l->nsessions; i++)
		tr_cache_out_text_session(&ix, &l->session[i], &b);
	for (i = 0; i < l->nbindings; i++) {
		bd = &l->binding[i];
		if (tr_cache_out_has_session(&ix, bd->endpoint))
			continue;
		buf_puts(&b, "\nbinding ");
		tr_cache_out_label(&b, bd->destination);
		buf_puts(&b, " -> ");
		tr_cache_out_label(&b, bd->endpoint);
		buf_puts(&b, " (no cached connection), ");
		tr_cache_out_ms(&b, bd->time_left_ms);
		buf_puts(&b, " left\n");
	}
	fputs(buf_str(&b), out);
	tr_cache_out_index_free(&ix);
	buf_free(&b);
}

/* --- JSON */

static void
tr_cache_out_json_header(const struct tr_cache_listing *l, struct tr_json *j,
    FILE *out)
{
	tr_json_begin(j, "scache");
	tr_json_str(j, "implementation", "tlsreuse");
	tr_json_str(j, "version", l->version ? l->version : "");
	tr_json_int(j, "pid", l->pid);
	tr_json_int(j, "start_time", l->start_time);
	tr_json_int(j, "time", l->time);
	tr_json_int(j, "connections", l->sessions_now);
	tr_json_int(j, "bindings", l->bindings_now);
	tr_json_int(j, "connection_limit", l->session_limit);
	tr_json_int(j, "ttl_limit", l->ttl_limit);
	tr_json_int(j, "cached", l->saved);
	tr_json_int(j, "domain_hits", l->domain_hits);
	tr_json_int(j, "domain_misses", l->domain_misses);
	tr_json_int(j, "address_hits", l->address_hits);
	tr_json_int(j, "address_misses", l->address_misses);
	tr_json_int(j, "expired", l->expired);
	tr_json_int(j, "closed_by_peer", l->closed_by_peer);
	tr_json_int(j, "over_limit", l->over_limit);
	tr_json_end(j, out);
}

static void
tr_cache_out_json_opt(struct tr_json *j, const char *name, const char *value)
{
	if (value != NULL)
		tr_json_str(j, name, value);
}

static void
tr_cache_out_json_session(const struct tr_cache_out_index *ix,
    const struct tr_cache_session *s, struct tr_json *j, FILE *out)
{
	const struct tr_cache_binding *const *bd;
	size_t i, n;

	tr_json_begin(j, "connection");
	tr_cache_out_json_label(j, "endpoint", s->endpoint);
	tr_json_array(j, "destinations");
	n = tr_cache_out_bindings_of(ix, s->endpoint, &bd);
	for (i = 0; i < n; i++)
		tr_cache_out_json_label(j, NULL, bd[i]->destination);
	tr_json_close(j);
	tr_json_ms(j, "cached", s->cached_ms);
	tr_json_ms(j, "time_left", s->time_left_ms);
	if (s->conn_use >= 0)
		tr_json_int(j, "conn_use", s->conn_use);
	if (s->conn_age >= 0)
		tr_json_int(j, "age", s->conn_age);
	tr_json_bool(j, "tls", s->protocol != NULL || s->trust != NULL);
	tr_cache_out_json_opt(j, "trust", s->trust);
	tr_cache_out_json_opt(j, "server", s->server);
	tr_cache_out_json_opt(j, "protocol", s->protocol);
	tr_cache_out_json_opt(j, "cipher", s->cipher);
	tr_cache_out_json_opt(j, "cipher_bits", s->cipher_bits);
	tr_cache_out_json_opt(j, "peer_CN", s->peer_CN);
	tr_cache_out_json_opt(j, "issuer_CN", s->issuer_CN);
	tr_json_end(j, out);
}

void
tr_cache_out_json(const struct tr_cache_listing *l, FILE *out)
{
	const struct tr_cache_binding *bd;
	struct tr_cache_out_index ix;
	struct tr_json j = {0};
	size_t i;

	tr_cache_out_index(&ix, l);
	tr_cache_out_json_header(l, &j, out);
	for (i = 0; i < l->nsessions; i++)
		tr_cache_out_json_session(&ix, &l->session[i], &j, out);
	for (i = 0; i < l->nbindings; i++) {
		bd = &l->binding[i];
		if (tr_cache_out_has_session(&ix, bd->endpoint))
			continue;
		tr_json_begin(&j, "binding");
		tr_cache_out_json_label(&j, "destination", bd->destination);
		tr_cache_out_json_label(&j, "endpoint", bd->endpoint);
		tr_json_ms(&j, "time_left", bd->time_left_ms);
		tr_json_end(&j, out);
	}
	tr_cache_out_index_free(&ix);
	tr_json_free(&j);
}
