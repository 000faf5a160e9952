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
 * Limits: SCACHE_REUSE_VALUE_MAX bytes of any one value are logged.
 * Errors: none; a malformed line ends that block's parse.
 * See also: doc/scache-protocol.md section 4; common/attr_plain.h.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr_plain.h"
#include "msg.h"
#include "scache_reuse_log.h"

#define SCACHE_REUSE_VALUE_MAX 256 /* bytes of one value in the line */
#define SCACHE_REUSE_INT_MAX   20  /* digits of one number */

/* Certificate status bits in peer_status. */
#define SCACHE_CERT_PRESENT 1
#define SCACHE_CERT_TRUSTED 4
#define SCACHE_CERT_SECURED 16

static const char *const scache_reuse_names[SCACHE_REUSE_F_COUNT] = {
	"reuse_count", "expire_time",
	"peer_CN", "issuer_CN", "peer_status", "cipher_protocol",
	"cipher_name", "cipher_usebits", "cipher_algbits", "key_exchange",
	"key_exchange_curve", "key_exchange_bits", "srvr_signature",
	"srvr_signature_curve", "srvr_signature_bits",
	"srvr_signature_digest", "namaddr",
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
			if (strlen(scache_reuse_names[f]) == name_len &&
			    memcmp(scache_reuse_names[f], name, name_len) == 0) {
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

/* A field as a decimal number; 0 on success, -1 if absent or not one. */
static int
scache_reuse_value_number(const struct scache_reuse_value *v, long long *out)
{
	char digits[SCACHE_REUSE_INT_MAX + 1];
	char *end;

	if (v->text == NULL || v->len == 0 || v->len > SCACHE_REUSE_INT_MAX)
		return -1;
	memcpy(digits, v->text, v->len);
	digits[v->len] = 0;
	*out = strtoll(digits, &end, 10);
	return *end == 0 ? 0 : -1;
}

static int
scache_reuse_present(const struct scache_reuse_value *v)
{
	return v->text != NULL && v->len > 0;
}

/* Appends prefix and the value, if the value is present and not empty. */
static void
scache_reuse_put(struct buf *out, const char *prefix,
    const struct scache_reuse_value *v, const char *suffix)
{
	if (!scache_reuse_present(v))
		return;
	buf_printf(out, "%s%.*s%s", prefix,
	    (int)(v->len < SCACHE_REUSE_VALUE_MAX ? v->len :
	    SCACHE_REUSE_VALUE_MAX), v->text, suffix);
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

/* name, then " (curve)" or " (N bits)" as smtp(8) writes them. */
static void
scache_reuse_put_algorithm(struct buf *out, const char *label,
    const struct scache_reuse_value *name,
    const struct scache_reuse_value *curve,
    const struct scache_reuse_value *bits)
{
	long long n;

	if (!scache_reuse_present(name))
		return;
	buf_printf(out, " %s", label);
	scache_reuse_put(out, " ", name, "");
	if (scache_reuse_present(curve))
		scache_reuse_put(out, " (", curve, ")");
	else if (scache_reuse_value_number(bits, &n) == 0 && n > 0)
		buf_printf(out, " (%lld bits)", n);
}

static void
scache_reuse_put_use(struct buf *out, const struct scache_reuse_value *v,
    time_t now, int reuse_time_limit)
{
	long long count, expire;

	if (scache_reuse_value_number(&v[SCACHE_REUSE_F_REUSE_COUNT], &count) == 0)
		buf_printf(out, " conn_use=%lld", count + 2);
	if (scache_reuse_value_number(&v[SCACHE_REUSE_F_EXPIRE_TIME], &expire) == 0)
		buf_printf(out, " age=%llds",
		    (long long)now - (expire - reuse_time_limit));
}

static void
scache_reuse_put_cipher(struct buf *out, const struct scache_reuse_value *v)
{
	long long use, alg;

	scache_reuse_put(out, " ", &v[SCACHE_REUSE_F_PROTOCOL], "");
	scache_reuse_put(out, " with cipher ", &v[SCACHE_REUSE_F_CIPHER], "");
	if (scache_reuse_value_number(&v[SCACHE_REUSE_F_USEBITS], &use) == 0 &&
	    scache_reuse_value_number(&v[SCACHE_REUSE_F_ALGBITS], &alg) == 0)
		buf_printf(out, " (%lld/%lld bits)", use, alg);
	scache_reuse_put_algorithm(out, "key-exchange", &v[SCACHE_REUSE_F_KEX],
	    &v[SCACHE_REUSE_F_KEX_CURVE], &v[SCACHE_REUSE_F_KEX_BITS]);
	scache_reuse_put_algorithm(out, "server-signature", &v[SCACHE_REUSE_F_SIG],
	    &v[SCACHE_REUSE_F_SIG_CURVE], &v[SCACHE_REUSE_F_SIG_BITS]);
	scache_reuse_put(out, " server-digest ", &v[SCACHE_REUSE_F_SIG_DIGEST], "");
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
	if ((trust = scache_reuse_props_trust(&props)) != NULL)
		buf_printf(out, "%s ", trust);
	buf_puts(out, "TLS connection handed out");
	scache_reuse_put(out, " to ", &v[SCACHE_REUSE_F_NAMADDR], "");
	scache_reuse_put_use(out, v, now, reuse_time_limit);
	buf_puts(out, ":");
	scache_reuse_put_cipher(out, v);
	scache_reuse_put(out, " peer_CN=\"", &v[SCACHE_REUSE_F_PEER_CN], "\"");
	scache_reuse_put(out, " issuer_CN=\"", &v[SCACHE_REUSE_F_ISSUER_CN], "\"");
	return 1;
}

void
scache_reuse_log(const char *endp_prop, time_t now, int reuse_time_limit)
{
	struct buf line;

	buf_init(&line);
	if (scache_reuse_log_format(&line, endp_prop, now, reuse_time_limit))
		msg_info("%s", buf_str(&line));
	buf_free(&line);
}
