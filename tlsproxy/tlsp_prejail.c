/*
 * tlsp_prejail.c - client contexts loaded before the privilege drop
 *
 * Evaluates the TLS client settings of smtp(8)/lmtp(8) the way those
 * transports do (main.cf plus master.cf -o overrides), turns them into
 * the init props they will send, and pins one context per distinct set
 * in the SSL_CTX cache while the files are still readable, each in the
 * library context of the OpenSSL configuration (tls_config_file,
 * tls_config_name) that transport names, loaded now too.
 *
 * Limits: TLSP_PREJAIL_MAX contexts, TLSP_PREJAIL_OPTS_MAX -o options
 * per service. Errors: warnings only; startup goes on without the
 * context, which is then built lazily per request.
 * See also: tlsproxy(8), CONFIGURATION PARAMETERS.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr_dec.h"
#include "conf.h"
#include "conf_expand.h"
#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_client_tlsmgr.h"
#include "tlsp_reply.h"
#include "tlsp_prejail.h"

/* Most bytes of master.cf read. */
#define TLSP_PREJAIL_MASTER_CF_MAX (1024 * 1024)

/*
 * Parameter suffixes after "<prefix>_" and their defaults ("%s": prefix);
 * the global ones (no prefix) that a client context is keyed by come last.
 */
static const struct tlsp_prejail_param {
	const char *suffix;
	const char *def;
} tlsp_prejail_params[] = {
    {"tls_loglevel", "0"},
    {"tls_scert_verifydepth", "9"},
    {"tls_chain_files", ""},
    {"tls_cert_file", ""},
    {"tls_key_file", "$%s_tls_cert_file"},
    {"tls_dcert_file", ""},
    {"tls_dkey_file", "$%s_tls_dcert_file"},
    {"tls_eccert_file", ""},
    {"tls_eckey_file", "$%s_tls_eccert_file"},
    {"tls_CAfile", ""},
    {"tls_CApath", ""},
    {"tls_fingerprint_digest",
     "${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}"},
    {"tls_security_level", ""},
    {"use_tls", "no"},
    {"enforce_tls", "no"},
    {"tls_policy_maps", ""},
    {"tls_per_site", ""},
    {"tls_dane_digests", TLSP_TLS_DEF_DANE_DIGESTS},
    {"tls_append_default_CA", "no"},
    {"tls_config_file", TLSP_TLS_DEF_CONFIG_FILE},
    {"tls_config_name", TLSP_TLS_DEF_CONFIG_NAME},
};

#define TLSP_PREJAIL_NPARAMS                                                   \
	(sizeof(tlsp_prejail_params) / sizeof(tlsp_prejail_params[0]))
#define TLSP_PREJAIL_NGLOBALS 4

/* The lookup scope of one transport: its options, main.cf, defaults. */
struct tlsp_prejail_scope {
	const struct tlsp_prejail_conf *conf;
	char *name[TLSP_PREJAIL_NPARAMS]; /* "<prefix>_<suffix>" */
	char *def[TLSP_PREJAIL_NPARAMS];
};

static void
tlsp_prejail_scope_init(struct tlsp_prejail_scope *scope,
                        const struct tlsp_prejail_conf *conf)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	scope->conf = conf;
	for (i = 0; i < TLSP_PREJAIL_NPARAMS; i++) {
		buf_reset(&b);
		if (i < TLSP_PREJAIL_NPARAMS - TLSP_PREJAIL_NGLOBALS)
			buf_printf(&b, "%s_", conf->prefix);
		buf_puts(&b, tlsp_prejail_params[i].suffix);
		scope->name[i] = xstrdup(buf_str(&b));
		buf_reset(&b);
		if (strstr(tlsp_prejail_params[i].def, "%s") != NULL)
			buf_printf(&b, tlsp_prejail_params[i].def,
			           conf->prefix);
		else
			buf_puts(&b, tlsp_prejail_params[i].def);
		scope->def[i] = xstrdup(buf_str(&b));
	}
	buf_free(&b);
}

static void
tlsp_prejail_scope_free(struct tlsp_prejail_scope *scope)
{
	size_t i;

	for (i = 0; i < TLSP_PREJAIL_NPARAMS; i++) {
		free(scope->name[i]);
		free(scope->def[i]);
	}
}

/* conf_lookup_fn: the last -o option, main.cf, then our default. */
static const char *
tlsp_prejail_lookup(const char *name, void *ctx)
{
	const struct tlsp_prejail_scope *scope = ctx;
	const struct tlsp_prejail_conf *conf = scope->conf;
	size_t len = strlen(name), i;
	const char *value;

	for (i = conf->opt_count; i-- > 0;)
		if (strncmp(conf->opts[i], name, len) == 0 &&
		    conf->opts[i][len] == '=')
			return conf->opts[i] + len + 1;
	if ((value = conf_lookup(name)) != NULL)
		return value;
	for (i = 0; i < TLSP_PREJAIL_NPARAMS; i++)
		if (strcmp(scope->name[i], name) == 0)
			return scope->def[i];
	if (strcmp(name, "compatibility_level") == 0)
		return "0";
	return NULL;
}

/* The expanded value of "<prefix>_<suffix>" (owned), or NULL with why. */
static char *
tlsp_prejail_value(struct tlsp_prejail_scope *scope, const char *suffix,
                   struct buf *why)
{
	struct buf out;
	char *value;
	size_t i;

	for (i = 0; strcmp(tlsp_prejail_params[i].suffix, suffix) != 0; i++)
		if (i + 1 == TLSP_PREJAIL_NPARAMS)
			msg_panic("%s: unknown parameter %s", __func__, suffix);
	buf_init(&out);
	buf_puts(&out, "");
	if (conf_expand(&out, tlsp_prejail_lookup(scope->name[i], scope),
	                tlsp_prejail_lookup, scope, why) != 0) {
		buf_free(&out);
		return NULL;
	}
	value = xstrdup(buf_str(&out));
	buf_free(&out);
	return value;
}

/* Postfix's boolean words. */
static int
tlsp_prejail_bool(const char *value)
{
	return strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0;
}

/* 1 when the transport's settings can turn TLS on. */
static int
tlsp_prejail_tls_on(struct tlsp_prejail_scope *scope, struct buf *why)
{
	static const char *const which[] = {
	    "tls_security_level", "use_tls",      "enforce_tls",
	    "tls_policy_maps",    "tls_per_site",
	};
	size_t i;
	char *v;
	int on = 0;

	for (i = 0; i < sizeof(which) / sizeof(which[0]) && !on; i++) {
		if ((v = tlsp_prejail_value(scope, which[i], why)) == NULL)
			return -1;
		if (i == 0)
			on = *v != 0 && strcasecmp(v, "none") != 0;
		else if (i < 3)
			on = tlsp_prejail_bool(v);
		else
			on = *v != 0;
		free(v);
	}
	return on;
}

void
tlsp_prejail_props_free(struct tlsp_tls_init *p)
{
	const char **str[] = {&p->log_param,   &p->log_level, &p->cache_type,
	                      &p->chain_files, &p->cert_file, &p->key_file,
	                      &p->dcert_file,  &p->dkey_file, &p->eccert_file,
	                      &p->eckey_file,  &p->CAfile,    &p->CApath,
	                      &p->mdalg};
	size_t i;

	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		xfree_const(*str[i]);
		*str[i] = NULL;
	}
}

/* Fills the string props from the scope; 0, or -1 with why. */
static int
tlsp_prejail_fill(struct tlsp_prejail_scope *scope, struct tlsp_tls_init *out,
                  struct buf *why)
{
	struct {
		const char **field;
		const char *suffix;
	} map[] = {
	    {&out->log_level, "tls_loglevel"},
	    {&out->chain_files, "tls_chain_files"},
	    {&out->cert_file, "tls_cert_file"},
	    {&out->key_file, "tls_key_file"},
	    {&out->dcert_file, "tls_dcert_file"},
	    {&out->dkey_file, "tls_dkey_file"},
	    {&out->eccert_file, "tls_eccert_file"},
	    {&out->eckey_file, "tls_eckey_file"},
	    {&out->CAfile, "tls_CAfile"},
	    {&out->CApath, "tls_CApath"},
	    {&out->mdalg, "tls_fingerprint_digest"},
	};
	char *depth;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if ((*map[i].field =
		         tlsp_prejail_value(scope, map[i].suffix, why)) == NULL)
			return -1;
	if ((depth = tlsp_prejail_value(scope, "tls_scert_verifydepth", why)) ==
	    NULL)
		return -1;
	if (attr_parse_int(depth, &out->verifydepth) < 0 ||
	    out->verifydepth < 0 ||
	    out->verifydepth > TLSP_REQUEST_VERIFYDEPTH_MAX) {
		buf_reset(why);
		buf_printf(why, "bad %s value: %s", scope->name[1], depth);
		free(depth);
		return -1;
	}
	free(depth);
	return 0;
}

int
tlsp_prejail_props(const struct tlsp_prejail_conf *conf,
                   struct tlsp_tls_init *out, struct buf *why)
{
	struct tlsp_prejail_scope scope;
	struct buf name;
	int on;

	memset(out, 0, sizeof(*out));
	tlsp_prejail_scope_init(&scope, conf);
	buf_init(&name);
	buf_printf(&name, "%s_tls_loglevel", conf->prefix);
	out->log_param = xstrdup(buf_str(&name));
	out->cache_type = xstrdup(conf->prefix);
	buf_free(&name);
	if ((on = tlsp_prejail_tls_on(&scope, why)) >= 0 &&
	    tlsp_prejail_fill(&scope, out, why) < 0)
		on = -1;
	tlsp_prejail_scope_free(&scope);
	if (on < 0)
		tlsp_prejail_props_free(out);
	return on;
}

void
tlsp_prejail_globals_free(struct tlsp_prejail_globals *g)
{
	free(g->tls_dane_digests);
	free(g->tls_config_file);
	free(g->tls_config_name);
	memset(g, 0, sizeof(*g));
}

int
tlsp_prejail_globals(const struct tlsp_prejail_conf *conf,
                     struct tlsp_prejail_globals *out, struct buf *why)
{
	struct tlsp_prejail_scope scope;
	char *append;

	tlsp_prejail_scope_init(&scope, conf);
	out->tls_dane_digests =
	    tlsp_prejail_value(&scope, "tls_dane_digests", why);
	append = tlsp_prejail_value(&scope, "tls_append_default_CA", why);
	out->tls_config_file =
	    tlsp_prejail_value(&scope, "tls_config_file", why);
	out->tls_config_name =
	    tlsp_prejail_value(&scope, "tls_config_name", why);
	tlsp_prejail_scope_free(&scope);
	out->tls_append_default_CA = append && tlsp_prejail_bool(append);
	free(append);
	if (append == NULL || out->tls_dane_digests == NULL ||
	    out->tls_config_file == NULL || out->tls_config_name == NULL) {
		tlsp_prejail_globals_free(out);
		return -1;
	}
	return 0;
}

/* --- master.cf ------------------------------------------------------- */

/* Splits one logical line into at most max words (in place). */
static size_t
tlsp_prejail_words(char *line, char **word, size_t max)
{
	size_t n = 0;
	char *w;

	while (n < max && (w = token_next(&line, TOKEN_SEP_SPACE)) != NULL)
		word[n++] = w;
	return n;
}

/* One master.cf entry: calls fn if its command is smtp or lmtp. */
static size_t
tlsp_prejail_entry(const char *text, tlsp_prejail_conf_fn fn, void *ctx)
{
	char *line = xstrdup(text);
	size_t found;

	char *word[8 + 2 * TLSP_PREJAIL_OPTS_MAX];
	const char *opts[TLSP_PREJAIL_OPTS_MAX];
	struct tlsp_prejail_conf conf;
	const char *cmd;
	size_t n, i;

	n = tlsp_prejail_words(line, word, sizeof(word) / sizeof(word[0]));
	cmd = n < 8                   ? ""
	      : strrchr(word[7], '/') ? strrchr(word[7], '/') + 1
	                              : word[7];
	found = strcmp(cmd, "smtp") == 0 || strcmp(cmd, "lmtp") == 0;
	if (!found) {
		free(line);
		return 0;
	}
	conf.prefix = cmd;
	conf.opts = opts;
	conf.opt_count = 0;
	for (i = 8; i < n && conf.opt_count < TLSP_PREJAIL_OPTS_MAX; i++) {
		if (strcmp(word[i], "-o") == 0 && i + 1 < n)
			opts[conf.opt_count++] = word[++i];
		else if (strncmp(word[i], "-o", 2) == 0 && word[i][2] != 0)
			opts[conf.opt_count++] = word[i] + 2;
	}
	fn(&conf, ctx);
	free(line);
	return 1;
}

size_t
tlsp_prejail_master_cf(const char *text, size_t len, tlsp_prejail_conf_fn fn,
                       void *ctx)
{
	struct buf entry;
	const char *p = text, *end = text + len, *nl;
	size_t count = 0;
	int have = 0;

	buf_init(&entry);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (*p == '#')
			continue;
		/* A line that starts with white space continues the entry. */
		if (p < nl && (*p == ' ' || *p == '\t')) {
			if (have)
				buf_append(&entry, p, (size_t)(nl - p));
			continue;
		}
		if (have)
			count += tlsp_prejail_entry(buf_str(&entry), fn, ctx);
		buf_reset(&entry);
		buf_append(&entry, p, (size_t)(nl - p));
		have = memchr(p, 0, (size_t)(nl - p)) == NULL;
	}
	if (have)
		count += tlsp_prejail_entry(buf_str(&entry), fn, ctx);
	buf_free(&entry);
	return count;
}

/* --- loading ---------------------------------------------------------- */

struct tlsp_prejail_load {
	struct tlsp_ctx_cache *cache;
	struct tlsp_libconf *libconf;
	const struct tlsp_tls_params *params;
	struct tlsp_tlsmgr *mgr;
	size_t pinned;
};

/*
 * Builds and pins the context of one transport in its OpenSSL
 * configuration lib, keyed as its requests.
 */
static void
tlsp_prejail_pin(struct tlsp_prejail_load *load,
                 const struct tlsp_prejail_conf *conf,
                 const struct tlsp_libctx *lib,
                 const struct tlsp_tls_init *props,
                 const struct tlsp_tls_params *params)
{
	struct tlsp_ctx *built;
	struct buf init_key, key;

	buf_init(&init_key);
	buf_init(&key);
	tlsp_reply_init_key(&init_key, props);
	tlsp_ctx_key(&key, buf_str(&init_key), params);
	if (tlsp_ctx_cache_find(load->cache, buf_str(&key)) != NULL) {
		/* Another transport with the same settings. */
	} else if (load->pinned >= TLSP_PREJAIL_MAX) {
		msg_warn("more than %d distinct %s TLS client configurations; "
		         "building the rest on demand",
		         TLSP_PREJAIL_MAX, conf->prefix);
	} else {
		built = tlsp_ctx_cache_get(load->cache, buf_str(&key), lib,
		                           params, props, 1);
		if (built != NULL) {
			tlsp_client_tlsmgr_enable(load->mgr, built);
			load->pinned++;
		} else {
			msg_warn("TLS client initialization failed");
		}
	}
	buf_free(&key);
	buf_free(&init_key);
}

/*
 * The context of one transport configuration, if it can use TLS, and
 * the OpenSSL configuration it names (whose failure tls/ has logged).
 */
static void
tlsp_prejail_load_conf(const struct tlsp_prejail_conf *conf, void *ctx)
{
	struct tlsp_prejail_load *load = ctx;
	struct tlsp_prejail_globals globals = {0};
	struct tlsp_tls_params params = *load->params;
	const struct tlsp_libctx *lib;
	struct tlsp_tls_init props;
	struct buf why;
	int on;

	buf_init(&why);
	if ((on = tlsp_prejail_props(conf, &props, &why)) > 0 &&
	    tlsp_prejail_globals(conf, &globals, &why) < 0) {
		tlsp_prejail_props_free(&props);
		on = -1;
	}
	if (on < 0)
		msg_warn("%s client TLS settings: %s", conf->prefix,
		         buf_str(&why));
	buf_free(&why);
	if (on == 0)
		tlsp_prejail_props_free(&props);
	if (on <= 0)
		return;
	params.tls_dane_digests = globals.tls_dane_digests;
	params.tls_append_default_CA = globals.tls_append_default_CA;
	params.tls_config_file = globals.tls_config_file;
	params.tls_config_name = globals.tls_config_name;
	lib = tlsp_libconf_load(load->libconf, globals.tls_config_file,
	                        globals.tls_config_name);
	if (lib != NULL)
		tlsp_prejail_pin(load, conf, lib, &props, &params);
	tlsp_prejail_globals_free(&globals);
	tlsp_prejail_props_free(&props);
}

/* Reads master.cf (bounded); NULL with a warning when it cannot. */
static char *
tlsp_prejail_read_master_cf(size_t *len)
{
	struct buf path;
	char *data;
	ssize_t n;
	int fd;

	buf_init(&path);
	buf_printf(&path, "%s/master.cf", conf_directory());
	fd = open(buf_str(&path), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg_warn("open %s: %m", buf_str(&path));
		buf_free(&path);
		return NULL;
	}
	data = xmalloc(TLSP_PREJAIL_MASTER_CF_MAX);
	*len = 0;
	while (*len < TLSP_PREJAIL_MASTER_CF_MAX &&
	       (n = read(fd, data + *len, TLSP_PREJAIL_MASTER_CF_MAX - *len)) >
	           0)
		*len += (size_t)n;
	(void)close(fd);
	if (*len == TLSP_PREJAIL_MASTER_CF_MAX)
		msg_warn("%s: only the first %d bytes are read", buf_str(&path),
		         TLSP_PREJAIL_MASTER_CF_MAX);
	buf_free(&path);
	return data;
}

size_t
tlsp_prejail_load(struct tlsp_ctx_cache *cache, struct tlsp_libconf *libconf,
                  const struct tlsp_tls_params *params, struct tlsp_tlsmgr *mgr)
{
	struct tlsp_prejail_load load = {cache, libconf, params, mgr, 0};
	struct tlsp_prejail_conf main_cf = {"smtp", NULL, 0};
	char *text;
	size_t len;

	tlsp_prejail_load_conf(&main_cf, &load);
	main_cf.prefix = "lmtp";
	tlsp_prejail_load_conf(&main_cf, &load);
	if ((text = tlsp_prejail_read_master_cf(&len)) != NULL) {
		(void)tlsp_prejail_master_cf(text, len, tlsp_prejail_load_conf,
		                             &load);
		free(text);
	}
	return load.pinned;
}
