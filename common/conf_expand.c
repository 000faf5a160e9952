/*
 * conf_expand.c - Postfix's $name expansion, as a pure function
 *
 * Two levels, as in Postfix: conf_expand_text() splits text into literal
 * runs and macro references ($name, ${...}, $(...)); conf_expand_macro()
 * evaluates one reference (plain name, ?/: conditionals, relational
 * expressions). Looked-up values and selected branches are expanded again;
 * branches not taken are not looked at.
 *
 * Limits: CONF_EXPAND_NESTING_MAX counted as Postfix counts (every literal
 * run and reference one level below its parent, restarting inside
 * relational operands), plus CONF_EXPAND_DEPTH_MAX over everything.
 * Errors: -1 and the text of Postfix's warning in why (CONF_EXPAND_FATAL
 * where Postfix exits at once); the first problem stops the expansion
 * (Postfix sometimes warns twice, then fails too).
 * See also: tests/unit/check_conf_expand.c, which holds the behaviour
 * observed with postconf 3.7.11.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "conf_expand.h"

/* Separators Postfix skips around names and {operands}. */
#define CONF_EXPAND_SPACE " \t\r\n"

/* Characters scanned as an operator, so "===" is reported whole. */
#define CONF_EXPAND_OPCHARS "<>!=?+-*/~&|%"

/* Logical results of a relational expression, as Postfix renders them. */
#define CONF_EXPAND_TRUE "true"
#define CONF_EXPAND_FALSE ""

/* Compatibility level fields (major.minor.patch). */
#define CONF_EXPAND_MINOR_MAX 1023
#define CONF_EXPAND_MAJOR_MAX (LONG_MAX >> 20)

struct conf_expand {
	struct buf *out;
	conf_lookup_fn lookup;
	void *ctx;
	struct buf *why;
	int depth; /* total recursion, never restarted */
	int fatal; /* the error is CONF_EXPAND_FATAL */
};

enum conf_expand_op {
	CONF_EXPAND_EQ,
	CONF_EXPAND_NE,
	CONF_EXPAND_LT,
	CONF_EXPAND_LE,
	CONF_EXPAND_GE,
	CONF_EXPAND_GT,
};

static const struct {
	const char *text;
	enum conf_expand_op op;
} conf_expand_ops[] = {
	{"==", CONF_EXPAND_EQ}, {"!=", CONF_EXPAND_NE}, {"<", CONF_EXPAND_LT},
	{"<=", CONF_EXPAND_LE}, {">=", CONF_EXPAND_GE}, {">", CONF_EXPAND_GT},
};

static int conf_expand_text(struct conf_expand *ex, const char *text,
    int level);

static int
conf_expand_fail(struct conf_expand *ex, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
conf_expand_fail(struct conf_expand *ex, const char *fmt, ...)
{
	va_list ap;

	buf_reset(ex->why);
	va_start(ap, fmt);
	buf_vprintf(ex->why, fmt, ap);
	va_end(ap);
	return -1;
}

static int
conf_expand_is_name_char(int ch)
{
	return isascii(ch) && (isalnum(ch) || ch == '_');
}

static int
conf_expand_all_digits(const char *s)
{
	if (*s == 0)
		return 0;
	for (; *s; s++)
		if (!isascii((unsigned char)*s) || !isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Parses one strtol field of a level; returns the end or NULL. */
static const char *
conf_expand_level_field(const char *s, long max, long *value)
{
	char *end;

	errno = 0;
	*value = strtol(s, &end, 10);
	if (end == s || errno == ERANGE || *value < 0 || *value > max)
		return NULL;
	return end;
}

/* Encodes major[.minor[.patch]] as Postfix does; -1 if malformed. */
static long
conf_expand_level_value(const char *s)
{
	long field;
	long result;

	if ((s = conf_expand_level_field(s, CONF_EXPAND_MAJOR_MAX, &field))
	    == NULL || (*s != 0 && *s != '.'))
		return -1;
	result = field << 20;
	if (*s == 0)
		return result;
	if ((s = conf_expand_level_field(s + 1, CONF_EXPAND_MINOR_MAX, &field))
	    == NULL || (*s != 0 && *s != '.'))
		return -1;
	result |= field << 10;
	if (*s == 0)
		return result;
	if ((s = conf_expand_level_field(s + 1, CONF_EXPAND_MINOR_MAX, &field))
	    == NULL || *s != 0)
		return -1;
	return result | field;
}

int
conf_compat_level_cmp(const char *a, const char *b)
{
	long left = conf_expand_level_value(a);
	long rite = conf_expand_level_value(b);

	if (left < 0 || rite < 0)
		return -2;
	return (left > rite) - (left < rite);
}

static int
conf_expand_holds(enum conf_expand_op op, int cmp)
{
	switch (op) {
	case CONF_EXPAND_EQ:
		return cmp == 0;
	case CONF_EXPAND_NE:
		return cmp != 0;
	case CONF_EXPAND_LT:
		return cmp < 0;
	case CONF_EXPAND_LE:
		return cmp <= 0;
	case CONF_EXPAND_GE:
		return cmp >= 0;
	case CONF_EXPAND_GT:
		return cmp > 0;
	}
	return 0;
}

/* Compares as Postfix's default operator: numbers if both all digits. */
static int
conf_expand_compare(struct conf_expand *ex, const char *left,
    const char *rite, int *cmp)
{
	const char *sides[2] = {left, rite};
	long num[2];
	char *end;
	int i;

	if (!conf_expand_all_digits(left) || !conf_expand_all_digits(rite)) {
		*cmp = strcmp(left, rite);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		errno = 0;
		num[i] = strtol(sides[i], &end, 10);
		if (errno == ERANGE) {
			ex->fatal = 1;
			return conf_expand_fail(ex,
			    "mac_exp_eval: bad conversion: %s", sides[i]);
		}
	}
	*cmp = (num[0] > num[1]) - (num[0] < num[1]);
	return 0;
}

static int
conf_expand_compare_level(struct conf_expand *ex, const char *left,
    const char *rite, int *cmp)
{
	if (conf_expand_level_value(left) < 0)
		return conf_expand_fail(ex,
		    "malformed compatibility level syntax: \"%s\"", left);
	if (conf_expand_level_value(rite) < 0)
		return conf_expand_fail(ex,
		    "malformed compatibility level syntax: \"%s\"", rite);
	*cmp = conf_compat_level_cmp(left, rite);
	return 0;
}

/*
 * At *cp (a '{'), cuts out the balanced {payload} in place, then skips the
 * whitespace after it. Returns the payload or NULL (unbalanced).
 */
static char *
conf_expand_payload(struct conf_expand *ex, char **cp)
{
	char *start = *cp;
	char *p;
	int level = 1;

	for (p = start + 1; *p; p++) {
		if (*p == '{')
			level++;
		else if (*p == '}' && --level == 0)
			break;
	}
	if (*p == 0) {
		conf_expand_fail(ex,
		    "unbalanced {} in attribute expression: \"%s\"", start);
		return NULL;
	}
	*p++ = 0;
	*cp = p + strspn(p, CONF_EXPAND_SPACE);
	return start + 1;
}

/* Skips whitespace if a '{' follows it; true when it does. */
static int
conf_expand_find_curly(char **cp)
{
	size_t n = strspn(*cp, CONF_EXPAND_SPACE);

	if ((*cp)[n] != '{')
		return 0;
	*cp += n;
	return 1;
}

/* Expands an operand into a fresh buffer, restarting Postfix's count. */
static int
conf_expand_operand(struct conf_expand *ex, const char *text,
    struct buf *result)
{
	struct buf *saved = ex->out;
	int status;

	ex->out = result;
	status = conf_expand_text(ex, text, 0);
	ex->out = saved;
	return status;
}

/* Reads the operator and optional suffix at *cp; -1 on error. */
static int
conf_expand_operator(struct conf_expand *ex, const char *left, char **cp,
    enum conf_expand_op *op, int *level_op)
{
	size_t len = strspn(*cp, CONF_EXPAND_OPCHARS);
	size_t suffix;
	size_t i;

	for (i = 0; i < sizeof(conf_expand_ops) / sizeof(conf_expand_ops[0]);
	     i++)
		if (strlen(conf_expand_ops[i].text) == len &&
		    strncmp(conf_expand_ops[i].text, *cp, len) == 0)
			break;
	if (i == sizeof(conf_expand_ops) / sizeof(conf_expand_ops[0]))
		return conf_expand_fail(ex,
		    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" "
		    "or \">\" expected at: \"...%s}>>>%.20s\"",
		    left, *cp);
	*op = conf_expand_ops[i].op;
	for (suffix = 0; isascii((unsigned char)(*cp)[len + suffix]) &&
	     isalnum((unsigned char)(*cp)[len + suffix]);
	     suffix++)
		;
	*level_op = suffix > 0;
	if (suffix > 0 &&
	    (suffix != 5 || strncmp(*cp + len, "level", 5) != 0))
		return conf_expand_fail(ex,
		    "bad operator suffix at: \"...%.*s>>>%.*s\"", (int)len,
		    *cp, (int)suffix, *cp + len);
	*cp += len + suffix;
	return (int)len;
}

/*
 * Parses and evaluates "{left} OP {right}" at *cp; on success *value is
 * CONF_EXPAND_TRUE or CONF_EXPAND_FALSE and *cp follows the expression.
 */
static int
conf_expand_relational(struct conf_expand *ex, char **cp, const char **value)
{
	struct buf left_val, rite_val;
	enum conf_expand_op op = CONF_EXPAND_EQ;
	const char *op_text;
	char *left, *rite;
	int level_op = 0, op_len, cmp = 0, status;

	if ((left = conf_expand_payload(ex, cp)) == NULL)
		return -1;
	op_text = *cp;
	if ((op_len = conf_expand_operator(ex, left, cp, &op, &level_op)) < 0)
		return -1;
	if (!conf_expand_find_curly(cp))
		return conf_expand_fail(ex,
		    "\"{expression}\" expected at: \"...{%s} %.*s>>>%.20s\"",
		    left, op_len, op_text, *cp);
	if ((rite = conf_expand_payload(ex, cp)) == NULL)
		return -1;
	buf_init(&left_val);
	buf_init(&rite_val);
	status = conf_expand_operand(ex, left, &left_val);
	if (status == 0)
		status = conf_expand_operand(ex, rite, &rite_val);
	if (status == 0)
		status = (level_op ? conf_expand_compare_level
				   : conf_expand_compare)(ex,
		    buf_str(&left_val), buf_str(&rite_val), &cmp);
	buf_free(&left_val);
	buf_free(&rite_val);
	if (status == 0)
		*value = conf_expand_holds(op, cmp) ? CONF_EXPAND_TRUE
						    : CONF_EXPAND_FALSE;
	return status;
}

/*
 * Splits "name", "name?...", "name:..." at *cp (leading whitespace
 * allowed, whitespace allowed before ? or :). Terminates the name in place
 * and returns the operator ('?', ':' or 0), *cp following it; -1 on error.
 */
static int
conf_expand_name(struct conf_expand *ex, char *expr, char **cp, char **name)
{
	char *p = *cp + strspn(*cp, CONF_EXPAND_SPACE);
	size_t gap;
	int op;

	*name = p;
	for (;; p++) {
		gap = strspn(p, CONF_EXPAND_SPACE);
		op = (unsigned char)p[gap];
		if (op == 0 || op == '?' || op == ':') {
			*p = 0;
			*cp = op ? p + gap + 1 : p;
			return op;
		}
		if (!conf_expand_is_name_char((unsigned char)*p))
			return conf_expand_fail(ex,
			    "attribute name syntax error at: "
			    "\"...%.*s>>>%.20s\"",
			    (int)(p - expr), expr, p);
	}
}

/* Takes the operand after ? or : at *cp: {text} or the rest as text. */
static int
conf_expand_branch(struct conf_expand *ex, char **cp, char **text)
{
	if (conf_expand_find_curly(cp)) {
		if ((*text = conf_expand_payload(ex, cp)) == NULL)
			return -1;
	} else {
		*text = *cp;
		*cp += strlen(*cp);
	}
	return 0;
}

/* Applies ?/: to value (NULL: undefined) at *cp, after operator op. */
static int
conf_expand_conditional(struct conf_expand *ex, int op, char *cp,
    const char *value, int level)
{
	int set = value != NULL && *value != 0;
	char *text;

	if (op == '?') {
		if (conf_expand_branch(ex, &cp, &text) < 0 ||
		    (set && conf_expand_text(ex, text, level) < 0))
			return -1;
		if (*cp == 0)
			return 0;
		if (*cp != ':')
			return conf_expand_fail(ex,
			    "\":\" expected at: \"...%s}>>>%.20s\"", text, cp);
		cp++;
	}
	if (conf_expand_branch(ex, &cp, &text) < 0 ||
	    (!set && conf_expand_text(ex, text, level) < 0))
		return -1;
	if (*cp != 0)
		return conf_expand_fail(ex,
		    "unexpected input at: \"...%s}>>>%.20s\"", text, cp);
	return 0;
}

/* Evaluates the reference expr (modified in place) at nesting level. */
static int
conf_expand_reference(struct conf_expand *ex, char *expr, int level)
{
	const char *value = NULL;
	char *cp = expr;
	char *name;
	int op;

	if (conf_expand_find_curly(&cp)) {
		if (conf_expand_relational(ex, &cp, &value) < 0)
			return -1;
		op = (unsigned char)*cp;
		if (op != 0 && op != '?' && op != ':')
			return conf_expand_fail(ex,
			    "\"?\" or \":\" expected at: \"...}>>>%.20s\"", cp);
		if (op != 0)
			cp++;
	} else {
		if ((op = conf_expand_name(ex, expr, &cp, &name)) < 0)
			return -1;
		value = ex->lookup(name, ex->ctx);
	}
	if (op != 0)
		return conf_expand_conditional(ex, op, cp, value, level);
	if (value == NULL || *value == 0)
		return 0;
	return conf_expand_text(ex, value, level);
}

/* One unit found by the splitter: literal text or a reference. */
static int
conf_expand_unit(struct conf_expand *ex, struct buf *unit, int is_ref,
    int level)
{
	if (level > CONF_EXPAND_NESTING_MAX ||
	    ex->depth > CONF_EXPAND_DEPTH_MAX)
		return conf_expand_fail(ex,
		    "unreasonable macro call nesting: \"%s\"", buf_str(unit));
	if (!is_ref) {
		buf_append(ex->out, unit->data, unit->len);
		return 0;
	}
	return conf_expand_reference(ex, unit->data, level + 1);
}

/*
 * At text (just after a '$'), cuts the reference into ref. Returns the
 * length consumed, or -1 (truncated or empty) with why set.
 */
static int
conf_expand_cut(struct conf_expand *ex, const char *whole, const char *text,
    struct buf *ref)
{
	const char *p = text;
	char open = *text, close;
	int level = 1;

	if (open == '{' || open == '(') {
		close = open == '{' ? '}' : ')';
		for (p = text + 1; *p && level > 0; p++) {
			if (*p == open)
				level++;
			else if (*p == close)
				level--;
		}
		if (level > 0)
			return conf_expand_fail(ex,
			    "truncated macro reference: \"%s\"", whole);
		buf_append(ref, text + 1, (size_t)(p - text - 2));
	} else {
		while (conf_expand_is_name_char((unsigned char)*p))
			p++;
		buf_append(ref, text, (size_t)(p - text));
	}
	if (ref->len == 0)
		return conf_expand_fail(ex, "empty macro name: \"%s\"", whole);
	return (int)(p - text);
}

static int
conf_expand_text(struct conf_expand *ex, const char *text, int level)
{
	struct buf unit;
	const char *p = text;
	int used, status = 0;

	ex->depth++;
	buf_init(&unit);
	buf_reserve(&unit, 0);
	while (*p && status == 0) {
		if (*p != '$' || p[1] == '$') {
			buf_putc(&unit, *p);
			p += *p == '$' ? 2 : 1;
			continue;
		}
		if (unit.len > 0 &&
		    (status = conf_expand_unit(ex, &unit, 0, level)) < 0)
			break;
		buf_reset(&unit);
		if ((used = conf_expand_cut(ex, text, p + 1, &unit)) < 0) {
			status = -1;
			break;
		}
		p += 1 + used;
		status = conf_expand_unit(ex, &unit, 1, level);
		buf_reset(&unit);
	}
	if (status == 0 && unit.len > 0)
		status = conf_expand_unit(ex, &unit, 0, level);
	buf_free(&unit);
	ex->depth--;
	return status;
}

int
conf_expand(struct buf *out, const char *text, conf_lookup_fn lookup,
    void *ctx, struct buf *why)
{
	struct conf_expand ex = {
		.out = out, .lookup = lookup, .ctx = ctx, .why = why,
	};

	buf_reserve(out, 0);
	if (conf_expand_text(&ex, text, 0) == 0)
		return 0;
	return ex.fatal ? CONF_EXPAND_FATAL : -1;
}
