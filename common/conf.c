/*
 * conf.c - the process-wide parameter store (main.cf, -o, typed reads)
 *
 * The store is a small array of name/value pairs (a daemon holds a few
 * hundred at most). main.cf text goes through the pure conf_parse_text()
 * and conf_split_nameval(); only the conf_* entry points that read a file
 * or a typed value log and exit, with Postfix's wording.
 *
 * Limits: none beyond memory, as in Postfix (main.cf is trusted input).
 * Errors: fatal, as get_mail_conf_*() and dict_load_fp() are.
 * See also: conf_expand.c; postconf(5) for the syntax.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conf_expand.h"
#include "mem.h"
#include "msg.h"
#include "conf.h"

#define CONF_DEFAULT_DIR "/etc/postfix"

/* Postfix's name for the store, used in its fatal message. */
#define CONF_DICT_NAME "mail_dict"

struct conf_pair {
	char *name;
	char *value;
};

struct conf_list {
	struct conf_pair *pairs;
	size_t count;
	size_t size;
};

/* The process-wide configuration (style 4.3 allows this one global). */
static struct {
	char *dir;
	struct conf_list params; /* the store, unexpanded */
	struct conf_list used;   /* parameters read, effective value */
	struct conf_list old;    /* earlier values of re-read parameters */
} conf;

static int
conf_is_space(int ch)
{
	return isascii(ch) && isspace(ch);
}

static struct conf_pair *
conf_list_find(struct conf_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->pairs[i].name, name) == 0)
			return &list->pairs[i];
	return NULL;
}

/* Adds a pair; takes ownership of value. Returns the new pair. */
static struct conf_pair *
conf_list_add(struct conf_list *list, const char *name, char *value)
{
	struct conf_pair *pair;

	if (list->count == list->size) {
		list->size = list->size ? 2 * list->size : 64;
		list->pairs = xreallocarray(list->pairs, list->size,
		    sizeof(*list->pairs));
	}
	pair = &list->pairs[list->count++];
	pair->name = xstrdup(name);
	pair->value = value;
	return pair;
}

static void
conf_list_free(struct conf_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		free(list->pairs[i].name);
		free(list->pairs[i].value);
	}
	free(list->pairs);
	memset(list, 0, sizeof(*list));
}

/* Splits "name = value" in place as Postfix does. Returns NULL, or the
 * static text "missing attribute name" / "missing '=' after attribute
 * name". */
static const char *
conf_split_nameval(char *line, char **name, char **value)
{
	char *np, *ep, *cp, *vp, *end;

	for (np = line; conf_is_space((unsigned char)*np); np++)
		;
	if (*np == 0 || *np == '=')
		return "missing attribute name";
	for (ep = np; *ep && *ep != '=' && !conf_is_space((unsigned char)*ep);
	     ep++)
		;
	for (cp = ep; conf_is_space((unsigned char)*cp); cp++)
		;
	if (*cp != '=')
		return "missing '=' after attribute name";
	*ep = 0;
	for (vp = cp + 1; conf_is_space((unsigned char)*vp); vp++)
		;
	for (end = vp + strlen(vp);
	     end > vp && conf_is_space((unsigned char)end[-1]); end--)
		;
	*end = 0;
	*name = np;
	*value = vp;
	return NULL;
}

/* Cursor over main.cf text, counting physical lines as Postfix does. */
struct conf_reader {
	const char *pos;
	const char *end;
	int lineno;
};

/*
 * Appends the next physical line (without '\n') to line, dropping it again
 * if blank or a comment. Returns 0 at the end of the text.
 */
static int
conf_reader_physical(struct conf_reader *rd, struct buf *line,
    int *first_line)
{
	size_t start = line->len;
	const char *nl, *p;
	size_t n;

	if (rd->pos == rd->end)
		return 0;
	nl = memchr(rd->pos, '\n', (size_t)(rd->end - rd->pos));
	n = nl ? (size_t)(nl - rd->pos) : (size_t)(rd->end - rd->pos);
	buf_append(line, rd->pos, n);
	rd->pos += n + (nl != NULL);
	rd->lineno++;
	for (p = line->data + start;
	     p < line->data + line->len && conf_is_space((unsigned char)*p); p++)
		;
	if (p == line->data + line->len || *p == '#') {
		line->len = start;
		line->data[start] = 0;
	} else if (start == 0) {
		*first_line = rd->lineno;
	}
	return 1;
}

/* Reads one logical line, which may be empty at the end of the text. */
static void
conf_reader_logical(struct conf_reader *rd, struct buf *line, int *first_line)
{
	buf_reset(line);
	while (conf_reader_physical(rd, line, first_line)) {
		if (line->len > 0 && (rd->pos == rd->end ||
		    (*rd->pos != '#' && !conf_is_space((unsigned char)*rd->pos))))
			break;
	}
}

int
conf_parse_text(const char *data, size_t len, conf_entry_fn entry,
    conf_notice_fn notice, void *ctx, struct buf *why)
{
	struct conf_reader rd = {.pos = data, .end = data + len};
	struct buf line, text;
	const char *err;
	char *name, *value;
	int first_line = 0, status = 0;

	buf_init(&line);
	buf_init(&text);
	buf_reserve(&line, 0);
	for (;;) {
		conf_reader_logical(&rd, &line, &first_line);
		if (line.len == 0)
			break;
		if (conf_is_space((unsigned char)line.data[0])) {
			buf_reset(&text);
			buf_printf(&text, "logical line must not start with "
			    "whitespace: \"%.30s%s\"", line.data,
			    line.len > 30 ? "..." : "");
			notice(buf_str(&text), ctx);
			continue;
		}
		buf_reset(&text);
		buf_puts(&text, line.data);
		if ((err = conf_split_nameval(line.data, &name, &value))) {
			buf_reset(why);
			buf_printf(why, "line %d: %s: \"%s\"", first_line, err,
			    buf_str(&text));
			status = -1;
			break;
		}
		entry(name, value, first_line, ctx);
	}
	buf_free(&line);
	buf_free(&text);
	return status;
}

void
conf_init(const char *config_dir)
{
	if (config_dir == NULL)
		config_dir = getenv("MAIL_CONFIG");
	if (config_dir == NULL)
		config_dir = CONF_DEFAULT_DIR;
	conf_list_free(&conf.params);
	conf_list_free(&conf.used);
	conf_list_free(&conf.old);
	free(conf.dir);
	conf.dir = xstrdup(config_dir);
	conf_set("config_directory", conf.dir);
}

const char *
conf_directory(void)
{
	return conf.dir ? conf.dir : CONF_DEFAULT_DIR;
}

void
conf_set(const char *name, const char *value)
{
	struct conf_pair *pair = conf_list_find(&conf.params, name);

	if (pair == NULL) {
		conf_list_add(&conf.params, name, xstrdup(value));
		return;
	}
	if (pair->value != value) {
		free(pair->value);
		pair->value = xstrdup(value);
	}
}

const char *
conf_lookup(const char *name)
{
	struct conf_pair *pair = conf_list_find(&conf.params, name);

	return pair ? pair->value : NULL;
}

static void
conf_main_cf_entry(const char *name, const char *value, int lineno,
    void *ctx)
{
	const char *path = ctx;
	const char *old = conf_lookup(name);

	if (old != NULL && strcmp(old, value) != 0)
		msg_warn("%s, line %d: overriding earlier entry: %s=%s", path,
		    lineno, name, old);
	conf_set(name, value);
}

static void
conf_main_cf_notice(const char *text, void *ctx)
{
	msg_warn("%s: %s", (const char *)ctx, text);
}

/* Reads the whole file; main.cf is small and trusted. */
static int
conf_slurp(const char *path, struct buf *data)
{
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	do {
		n = fread(buf_reserve(data, BUFSIZ), 1, BUFSIZ, fp);
		data->len += n;
		data->data[data->len] = 0;
	} while (n > 0);
	if (ferror(fp))
		msg_fatal("read %s: %m", path);
	fclose(fp);
	return 0;
}

void
conf_read_main_cf(void)
{
	struct buf path, data, why;

	buf_init(&path);
	buf_init(&data);
	buf_init(&why);
	buf_printf(&path, "%s/main.cf", conf_directory());
	if (conf_slurp(buf_str(&path), &data) < 0)
		msg_fatal("open %s: %m", buf_str(&path));
	if (conf_parse_text(buf_str(&data), data.len, conf_main_cf_entry,
		conf_main_cf_notice, path.data, &why) < 0)
		msg_fatal("%s, %s", buf_str(&path), buf_str(&why));
	buf_free(&path);
	buf_free(&data);
	buf_free(&why);
}

void
conf_set_option(const char *name_equals_value)
{
	char *copy = xstrdup(name_equals_value);
	char *name, *value;
	const char *err;

	if ((err = conf_split_nameval(copy, &name, &value)) != NULL)
		msg_fatal("invalid \"-o %s\" option value: %s",
		    name_equals_value, err);
	conf_set(name, value);
	free(copy);
}

static const char *
conf_expand_lookup(const char *name, void *ctx)
{
	(void)ctx;
	return conf_lookup(name);
}

char *
conf_expand_value(const char *text)
{
	struct buf out, why;

	buf_init(&out);
	buf_init(&why);
	switch (conf_expand(&out, text, conf_expand_lookup, NULL, &why)) {
	case 0:
		break;
	case CONF_EXPAND_FATAL:
		msg_fatal("%s", buf_str(&why));
	default:
		msg_warn("%s", buf_str(&why));
		msg_fatal("dictionary %s: macro processing error",
		    CONF_DICT_NAME);
	}
	buf_free(&why);
	if (out.data == NULL)
		return xstrdup("");
	return out.data;
}

/*
 * Remembers an effective value (owned) and returns it. A value handed out
 * by an earlier read of the same parameter stays valid until conf_init().
 */
static const char *
conf_remember(const char *name, char *value)
{
	struct conf_pair *pair = conf_list_find(&conf.used, name);

	if (pair == NULL)
		return conf_list_add(&conf.used, name, value)->value;
	conf_list_add(&conf.old, name, pair->value);
	pair->value = value;
	return value;
}

/* The stored text, storing def first when absent; then expanded. */
static char *
conf_value(const struct conf_param *p)
{
	const char *raw = conf_lookup(p->name);

	if (raw == NULL) {
		conf_set(p->name, p->def);
		raw = conf_lookup(p->name);
	}
	return conf_expand_value(raw);
}

/* Range check; time parameters use their own wording in Postfix. */
static void
conf_check_range(const struct conf_param *p, long value, int is_time)
{
	if (value < p->min && is_time)
		msg_fatal("invalid %s: %ld (min %ld)", p->name, value, p->min);
	if (value < p->min)
		msg_fatal("invalid %s parameter value %ld < %ld", p->name,
		    value, p->min);
	if (p->max && value > p->max && is_time)
		msg_fatal("invalid %s: %ld (max %ld)", p->name, value, p->max);
	if (p->max && value > p->max)
		msg_fatal("invalid %s parameter value %ld > %ld", p->name,
		    value, p->max);
}

static void
conf_read_str(const struct conf_param *p)
{
	const char *raw = conf_lookup(p->name);
	char *value;
	size_t len;

	if (raw != NULL) {
		value = conf_expand_value(raw);
	} else {
		value = conf_expand_value(p->def);
		conf_set(p->name, value);
	}
	len = strlen(value);
	if ((long)len < p->min)
		msg_fatal("bad string length %ld < %ld: %s = %s", (long)len,
		    p->min, p->name, value);
	if (p->max && (long)len > p->max)
		msg_fatal("bad string length %ld > %ld: %s = %s", (long)len,
		    p->max, p->name, value);
	*(const char **)p->target = conf_remember(p->name, value);
}

static void
conf_read_raw(const struct conf_param *p)
{
	const char *raw = conf_lookup(p->name);

	if (raw == NULL) {
		conf_set(p->name, p->def);
		raw = p->def;
	}
	*(const char **)p->target = conf_remember(p->name, xstrdup(raw));
}

/* Reads an int or long; Postfix: strtol of the whole value, in range. */
static void
conf_read_number(const struct conf_param *p, int is_long)
{
	char *value = conf_value(p);
	char *end;
	long num;

	errno = 0;
	num = strtol(value, &end, 10);
	if (*value == 0 || *end != 0 || errno == ERANGE ||
	    (!is_long && (num < INT_MIN || num > INT_MAX)))
		msg_fatal("bad numerical configuration: %s = %s", p->name,
		    value);
	conf_check_range(p, num, 0);
	if (is_long)
		*(long *)p->target = num;
	else
		*(int *)p->target = (int)num;
	conf_remember(p->name, value);
}

static void
conf_read_bool(const struct conf_param *p)
{
	char *value = conf_value(p);

	if (strcasecmp(value, "yes") == 0)
		*(int *)p->target = 1;
	else if (strcasecmp(value, "no") == 0)
		*(int *)p->target = 0;
	else
		msg_fatal("bad boolean configuration: %s = %s", p->name, value);
	conf_remember(p->name, value);
}

int
conf_parse_time(const char *value, int def_unit, int *seconds)
{
	static const struct {
		char unit;
		int scale;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400},
	    {'w', 604800}};
	char *end;
	long num;
	size_t i;

	errno = 0;
	num = strtol(value, &end, 10);
	if (*value == 0 || errno == ERANGE || num < 0 || num > INT_MAX)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (units[i].unit != (*end ? *end : def_unit))
			continue;
		/* Postfix rejects num == INT_MAX / scale for scaled units. */
		if (units[i].scale > 1 && num >= INT_MAX / units[i].scale)
			return -1;
		*seconds = (int)num * units[i].scale;
		return 0;
	}
	return -1;
}

static void
conf_read_time(const struct conf_param *p)
{
	char *def = conf_expand_value(p->def);
	const char *cp;
	char *value;
	int seconds;

	for (cp = def; *cp && !(isascii((unsigned char)*cp) &&
	     isalpha((unsigned char)*cp)); cp++)
		;
	if (*cp == 0)
		msg_panic("parameter %s: missing time unit in default value: "
		    "%s", p->name, p->def);
	value = conf_value(p);
	if (conf_parse_time(value, *cp, &seconds) < 0)
		msg_fatal("parameter %s: bad time value or unit: %s", p->name,
		    value);
	free(def);
	conf_check_range(p, seconds, 1);
	*(int *)p->target = seconds;
	conf_remember(p->name, value);
}

void
conf_read_params(const struct conf_param *table)
{
	const struct conf_param *p;

	for (p = table; p->name != NULL; p++) {
		switch (p->type) {
		case CONF_STR:
			conf_read_str(p);
			break;
		case CONF_RAW:
			conf_read_raw(p);
			break;
		case CONF_INT:
		case CONF_NINT:
			conf_read_number(p, 0);
			break;
		case CONF_LONG:
			conf_read_number(p, 1);
			break;
		case CONF_BOOL:
		case CONF_NBOOL:
			conf_read_bool(p);
			break;
		case CONF_TIME:
			conf_read_time(p);
			break;
		}
	}
}

void
conf_print_used(FILE *out)
{
	size_t i;

	for (i = 0; i < conf.used.count; i++)
		fprintf(out, "%s = %s\n", conf.used.pairs[i].name,
		    conf.used.pairs[i].value);
}
