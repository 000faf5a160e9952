/*
 * scache_reuse_log.c - the TLS properties of a cached connection, and the
 * log line per hand-out
 *
 * smtp(8) keeps the TLS summary that tlsproxy(8) returned with each
 * cached connection. Logging it at each hand-out records, in the cache's
 * own log, which connection went where, how often it had been used and
 * how old it was, with the TLS properties smtp(8) will report:
 *
 *   Verified TLS connection handed out to mx[192.0.2.1]:25 conn_use=2
 *   age=3s: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)
 *   key-exchange X25519 server-signature ECDSA (prime256v1)
 *   server-digest SHA256 peer_CN="mx" issuer_CN="CA"
 *
 * conn_use is smtp's own counter for the same use, so the line pairs
 * with smtp's delivery line: the stored reuse_count counts earlier reuses
 * (0 after the first delivery), smtp adds one as it takes the connection
 * and logs reuse_count + 1, i.e. the first reuse is conn_use=2.
 *
 * scache_reuse_props_parse() is the one reader of those properties: the
 * line and the cache listing (scache_list.c) both take their fields.
 *
 * Every value comes from the remote server (certificate names) or from
 * a local client (everything else) and is escaped, so that no value can
 * end its field or fake another: a byte that is neither printable ASCII
 * nor part of a printable UTF-8 character (utf8.h) becomes \xHH; in the
 * quoted names '"' and '\' get a backslash; in bare values they and the
 * space become \xHH too. msg.c keeps the UTF-8 only with smtputf8_enable.
 *
 * Limits: SCACHE_REUSE_VALUE_MAX bytes of any one value are logged;
 * numbers are unsigned decimals of at most SCACHE_REUSE_DIGITS_MAX
 * digits (anything else is left out), so no arithmetic on them overflows.
 * Errors: none; a malformed line ends that block's parse.
 * See also: doc/scache-protocol.md section 4; common/attr_plain.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>
#include <time.h>

#include "attr_plain.h"
#include "buf.h"
#include "event.h"
#include "msg.h"
#include "utf8.h"
#include "scache_reuse_log.h"

#define SCACHE_REUSE_VALUE_MAX  256 /* bytes of one value in the line */
#define SCACHE_REUSE_DIGITS_MAX 18  /* digits of one number: < 10^18 */

/* Certificate status bits in peer_status. */
#define SCACHE_CERT_PRESENT 1
#define SCACHE_CERT_TRUSTED 4
#define SCACHE_CERT_SECURED 16

struct scache_reuse_name {
	const char *text;
	size_t len;
};

#define SCACHE_REUSE_NAME(s) {s, sizeof(s) - 1}

static const struct scache_reuse_name
    scache_reuse_names[SCACHE_REUSE_F_COUNT] = {
	SCACHE_REUSE_NAME("reuse_count"),
	SCACHE_REUSE_NAME("expire_time"),
	SCACHE_REUSE_NAME("peer_CN"),
	SCACHE_REUSE_NAME("issuer_CN"),
	SCACHE_REUSE_NAME("peer_status"),
	SCACHE_REUSE_NAME("cipher_protocol"),
	SCACHE_REUSE_NAME("cipher_name"),
	SCACHE_REUSE_NAME("cipher_usebits"),
	SCACHE_REUSE_NAME("cipher_algbits"),
	SCACHE_REUSE_NAME("key_exchange"),
	SCACHE_REUSE_NAME("key_exchange_curve"),
	SCACHE_REUSE_NAME("key_exchange_bits"),
	SCACHE_REUSE_NAME("srvr_signature"),
	SCACHE_REUSE_NAME("srvr_signature_curve"),
	SCACHE_REUSE_NAME("srvr_signature_bits"),
	SCACHE_REUSE_NAME("srvr_signature_digest"),
	SCACHE_REUSE_NAME("namaddr"),
};

/* Records the block's wanted fields in [first, last); sets *rest to
 * where the next block starts (NULL if none) and returns how many wanted
 * fields it found. */
static int
scache_reuse_parse_block(struct scache_reuse_value *v, const char *text,
    size_t len, int first, int last, const char **rest)
{
	struct attr_plain_iter it;
	const char *name, *value;
	size_t name_len, value_len;
	int f, found = 0;

	attr_plain_iter_init(&it, text, len);
	while (attr_plain_next(&it, &name, &name_len, &value, &value_len) > 0) {
		for (f = first; f < last; f++) {
			if (scache_reuse_names[f].len == name_len &&
			    memcmp(scache_reuse_names[f].text, name,
			    name_len) == 0) {
				v[f].text = value;
				v[f].len = value_len;
				found++;
				break;
			}
		}
	}
	*rest = it.rest;
	return found;
}

/*
 * A field as an unsigned decimal number of at most SCACHE_REUSE_DIGITS_MAX
 * digits (no sign, no space); 0 on success, -1 if absent or not one.
 */
static int
scache_reuse_value_number(const struct scache_reuse_value *v, long long *out)
{
	size_t i;

	if (v->text == NULL || v->len == 0 || v->len > SCACHE_REUSE_DIGITS_MAX)
		return -1;
	*out = 0;
	for (i = 0; i < v->len; i++) {
		if (v->text[i] < '0' || v->text[i] > '9')
			return -1;
		*out = *out * 10 + (v->text[i] - '0');
	}
	return 0;
}

static int
scache_reuse_present(const struct scache_reuse_value *v)
{
	return v->text != NULL && v->len > 0;
}

enum scache_reuse_quoting {
	SCACHE_REUSE_BARE,   /* a space would start another field */
	SCACHE_REUSE_QUOTED, /* between '"': a '"' would end it */
};

/* Appends one byte as \xHH. */
static void
scache_reuse_put_hex(struct buf *out, unsigned char byte)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = {'\\', 'x', hex[byte >> 4], hex[byte & 15]};

	buf_append(out, esc, sizeof(esc));
}

/* Bytes that go into the line as they are (the rest: see the header). */
static int
scache_reuse_plain(unsigned char c, enum scache_reuse_quoting quoting)
{
	if (c == '"' || c == '\\')
		return 0;
	return (c > ' ' && c < 0x7f) ||
	    (c == ' ' && quoting == SCACHE_REUSE_QUOTED);
}

/* Appends text (at most SCACHE_REUSE_VALUE_MAX bytes of it), escaped. */
static void
scache_reuse_put_escaped(struct buf *out, const char *text, size_t len,
    enum scache_reuse_quoting quoting)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run, n;

	if (len > SCACHE_REUSE_VALUE_MAX)
		len = SCACHE_REUSE_VALUE_MAX;
	while (i < len) {
		/* Plain runs go in one piece: most values are one run. */
		for (run = i; run < len && scache_reuse_plain(s[run], quoting);
		    run++)
			continue;
		if (run > i) {
			buf_append(out, s + i, run - i);
			i = run;
		} else if ((s[i] == '"' || s[i] == '\\') &&
		    quoting == SCACHE_REUSE_QUOTED) {
			buf_putc(out, '\\');
			buf_putc(out, s[i++]);
		} else if (s[i] >= 0x80 &&
		    (n = utf8_printable_len(s + i, len - i)) > 0) {
			buf_append(out, s + i, n);
			i += n;
		} else {
			scache_reuse_put_hex(out, s[i++]);
		}
	}
}

/* Appends prefix and the value, if the value is present and not empty. */
static void
scache_reuse_put(struct buf *out, const char *prefix,
    const struct scache_reuse_value *v, const char *suffix)
{
	if (!scache_reuse_present(v))
		return;
	buf_puts(out, prefix);
	scache_reuse_put_escaped(out, v->text, v->len, SCACHE_REUSE_BARE);
	buf_puts(out, suffix);
}

/* Appends prefix and the value in double quotes, if it is not empty. */
static void
scache_reuse_put_quoted(struct buf *out, const char *prefix,
    const struct scache_reuse_value *v)
{
	if (!scache_reuse_present(v))
		return;
	buf_puts(out, prefix);
	buf_putc(out, '"');
	scache_reuse_put_escaped(out, v->text, v->len, SCACHE_REUSE_QUOTED);
	buf_putc(out, '"');
}

int
scache_reuse_props_parse(struct scache_reuse_props *props,
    const char *endp_prop)
{
	const char *end = endp_prop + strlen(endp_prop);
	const char *tls, *rest;

	memset(props, 0, sizeof(*props));
	scache_reuse_parse_block(props->field, endp_prop,
	    (size_t)(end - endp_prop), SCACHE_REUSE_F_REUSE_COUNT,
	    SCACHE_REUSE_F_TLS_FIRST, &tls);
	props->tls = tls != NULL && tls < end &&
	    scache_reuse_parse_block(props->field, tls, (size_t)(end - tls),
	    SCACHE_REUSE_F_TLS_FIRST, SCACHE_REUSE_F_COUNT, &rest) > 0;
	return props->tls;
}

int
scache_reuse_props_number(const struct scache_reuse_props *props,
    enum scache_reuse_field f, long long *out)
{
	return scache_reuse_value_number(&props->field[f], out);
}

const char *
scache_reuse_props_trust(const struct scache_reuse_props *props)
{
	long long status;

	if (scache_reuse_props_number(props, SCACHE_REUSE_F_PEER_STATUS,
	    &status) < 0)
		return NULL;
	if (!(status & SCACHE_CERT_PRESENT))
		return "Anonymous";
	if (status & SCACHE_CERT_SECURED)
		return "Verified";
	if (status & SCACHE_CERT_TRUSTED)
		return "Trusted";
	return "Untrusted";
}

/* label, name, then " (curve)" or " (N bits)" as smtp(8) writes them. */
static void
scache_reuse_put_algorithm(struct buf *out, const char *label,
    const struct scache_reuse_value *name,
    const struct scache_reuse_value *curve,
    const struct scache_reuse_value *bits)
{
	long long n;

	if (!scache_reuse_present(name))
		return;
	buf_puts(out, label);
	scache_reuse_put(out, " ", name, "");
	if (scache_reuse_present(curve)) {
		scache_reuse_put(out, " (", curve, ")");
	} else if (scache_reuse_value_number(bits, &n) == 0 && n > 0) {
		buf_puts(out, " (");
		buf_put_dec(out, n);
		buf_puts(out, " bits)");
	}
}

static void
scache_reuse_put_use(struct buf *out, const struct scache_reuse_value *v,
    time_t now, int reuse_time_limit)
{
	long long count, expire;

	if (scache_reuse_value_number(&v[SCACHE_REUSE_F_REUSE_COUNT],
	    &count) == 0) {
		buf_puts(out, " conn_use=");
		buf_put_dec(out, count + 2);
	}
	if (scache_reuse_value_number(&v[SCACHE_REUSE_F_EXPIRE_TIME],
	    &expire) == 0) {
		buf_puts(out, " age=");
		buf_put_dec(out, (long long)now - (expire - reuse_time_limit));
		buf_putc(out, 's');
	}
}

static void
scache_reuse_put_cipher(struct buf *out, const struct scache_reuse_value *v)
{
	long long use, alg;

	scache_reuse_put(out, " ", &v[SCACHE_REUSE_F_PROTOCOL], "");
	scache_reuse_put(out, " with cipher ", &v[SCACHE_REUSE_F_CIPHER], "");
	if (scache_reuse_value_number(&v[SCACHE_REUSE_F_USEBITS], &use) == 0 &&
	    scache_reuse_value_number(&v[SCACHE_REUSE_F_ALGBITS], &alg) == 0) {
		buf_puts(out, " (");
		buf_put_dec(out, use);
		buf_putc(out, '/');
		buf_put_dec(out, alg);
		buf_puts(out, " bits)");
	}
	scache_reuse_put_algorithm(out, " key-exchange",
	    &v[SCACHE_REUSE_F_KEX], &v[SCACHE_REUSE_F_KEX_CURVE],
	    &v[SCACHE_REUSE_F_KEX_BITS]);
	scache_reuse_put_algorithm(out, " server-signature",
	    &v[SCACHE_REUSE_F_SIG], &v[SCACHE_REUSE_F_SIG_CURVE],
	    &v[SCACHE_REUSE_F_SIG_BITS]);
	scache_reuse_put(out, " server-digest ",
	    &v[SCACHE_REUSE_F_SIG_DIGEST], "");
}

int
scache_reuse_log_format(struct buf *out, const char *endp_prop, time_t now,
    int reuse_time_limit)
{
	struct scache_reuse_props props;
	const struct scache_reuse_value *v = props.field;
	const char *trust;

	buf_reset(out);
	if (!scache_reuse_props_parse(&props, endp_prop))
		return 0;
	if ((trust = scache_reuse_props_trust(&props)) != NULL) {
		buf_puts(out, trust);
		buf_putc(out, ' ');
	}
	buf_puts(out, "TLS connection handed out");
	scache_reuse_put(out, " to ", &v[SCACHE_REUSE_F_NAMADDR], "");
	scache_reuse_put_use(out, v, now, reuse_time_limit);
	buf_puts(out, ":");
	scache_reuse_put_cipher(out, v);
	scache_reuse_put_quoted(out, " peer_CN=", &v[SCACHE_REUSE_F_PEER_CN]);
	scache_reuse_put_quoted(out, " issuer_CN=",
	    &v[SCACHE_REUSE_F_ISSUER_CN]);
	return 1;
}

/*
 * Formatted lines wait here, each with its NUL, for the next turn of the
 * event loop (see scache_reuse_log() in the header).
 */
static struct buf scache_reuse_pending;

static void scache_reuse_log_event(void *ctx);

void
scache_reuse_log_flush(void)
{
	const char *line, *end;

	(void)event_timer_cancel(scache_reuse_log_event, NULL);
	if (scache_reuse_pending.len == 0)
		return;
	line = scache_reuse_pending.data;
	end = line + scache_reuse_pending.len;
	for (; line < end; line += strlen(line) + 1)
		msg_info("%s", line);
	buf_free(&scache_reuse_pending);
}

static void
scache_reuse_log_event(void *ctx)
{
	(void)ctx;
	scache_reuse_log_flush();
}

void
scache_reuse_log(const char *endp_prop, time_t now, int reuse_time_limit)
{
	struct buf line;

	buf_init(&line);
	if (scache_reuse_log_format(&line, endp_prop, now, reuse_time_limit)) {
		buf_append(&scache_reuse_pending, line.data, line.len + 1);
		if (scache_reuse_pending.len > SCACHE_REUSE_PENDING_MAX)
			scache_reuse_log_flush();
		else
			event_timer_set(scache_reuse_log_event, NULL, 0);
	}
	buf_free(&line);
}
