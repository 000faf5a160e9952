/*
 * tlsp_libctx.c - one OpenSSL configuration (tls_config_file,
 * tls_config_name) in a library context of its own
 *
 * Postfix loads its OpenSSL configuration once per process, into
 * OpenSSL's default library context; tlsproxy serves transports that
 * name different ones, so each gets an OSSL_LIB_CTX. But OpenSSL keeps
 * the SSL settings of a configuration (the ssl_conf module, applied to
 * every new SSL_CTX) in one process-wide table, whatever the library
 * context: the file loaded last would win for every context. So the
 * ssl_conf lines are lifted out of the application section while
 * CONF_modules_load() runs its other modules (providers, alg_section,
 * ...) in the library context, and their "system_default" commands are
 * kept here and applied to each SSL_CTX with SSL_CONF_cmd(), the way
 * OpenSSL applies them.
 *
 * Errors: Postfix's warnings, then no configuration (TLS off for it).
 * See also: tlsproxy(8), "TLS library controls".
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "mem.h"
#include "msg.h"
#include "tlsp_tlserr.h"
#include "tlsp_libctx.h"

/* The module name OpenSSL runs SSL settings under. */
#define TLSP_LIBCTX_SSL_MODULE "ssl_conf"

struct tlsp_libctx_cmd {
	char *cmd;
	char *arg;
};

struct tlsp_libctx {
	OSSL_LIB_CTX *libctx;         /* NULL: OpenSSL's default one */
	struct tlsp_libctx_cmd *cmds; /* ssl_conf "system_default" */
	size_t count;
	int strict; /* an explicit file: every command must apply */
};

/* One file being loaded: its parse and why it failed. */
struct tlsp_libctx_load {
	struct tlsp_libctx *lc;
	CONF *conf;
	const char *name; /* tls_config_name, or NULL */
	int strict;       /* errors count (explicit file, or diagnostics) */
	struct buf *why;  /* our reason, where OpenSSL's errors say none */
};

int
tlsp_libctx_init(void)
{
	if (OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) > 0)
		return 0;
	msg_warn("error initializing the OpenSSL library, disabling TLS "
	         "support");
	tlsp_tlserr_log();
	return -1;
}

static void
tlsp_libctx_cmds_free(struct tlsp_libctx *lc)
{
	size_t i;

	for (i = 0; i < lc->count; i++) {
		free(lc->cmds[i].cmd);
		free(lc->cmds[i].arg);
	}
	free(lc->cmds);
	lc->cmds = NULL;
	lc->count = 0;
}

void
tlsp_libctx_free(struct tlsp_libctx *lc)
{
	if (lc == NULL)
		return;
	tlsp_libctx_cmds_free(lc);
	OSSL_LIB_CTX_free(lc->libctx);
	free(lc);
}

/* A string of conf, or NULL without leaving an error queued. */
static const char *
tlsp_libctx_string(const CONF *conf, const char *section, const char *name)
{
	const char *value;

	ERR_set_mark();
	value = NCONF_get_string(conf, section, name);
	ERR_pop_to_mark();
	return value;
}

/* 1 when the file asks OpenSSL to report errors it would ignore. */
static int
tlsp_libctx_diagnostics(const CONF *conf)
{
	long on = 0;

	ERR_set_mark();
	if (NCONF_get_number_e(conf, NULL, "config_diagnostics", &on) <= 0)
		on = 0;
	ERR_pop_to_mark();
	return on != 0;
}

/*
 * 1 if OpenSSL would run this application-section line as its ssl_conf
 * module: it matches a module by the name up to the last '.', as a
 * prefix. *exact: the name is ssl_conf itself.
 */
static int
tlsp_libctx_ssl_line(const CONF_VALUE *line, int *exact)
{
	const char *dot = strrchr(line->name, '.');
	size_t len = dot ? (size_t)(dot - line->name) : strlen(line->name);
	size_t full = strlen(TLSP_LIBCTX_SSL_MODULE);

	*exact = len == full &&
	         strncmp(line->name, TLSP_LIBCTX_SSL_MODULE, len) == 0;
	return len <= full &&
	       strncmp(line->name, TLSP_LIBCTX_SSL_MODULE, len) == 0;
}

/*
 * The section called name in *lines: 0, or -1 with why when it is
 * missing, or empty and not empty_ok (OpenSSL's rules for the
 * application section, and for the SSL sections).
 */
static int
tlsp_libctx_section(struct tlsp_libctx_load *load, const char *name,
                    const char *referrer, int empty_ok,
                    STACK_OF(CONF_VALUE) * *lines)
{
	ERR_set_mark();
	*lines = NCONF_get_section(load->conf, name);
	ERR_pop_to_mark();
	if (*lines != NULL && (empty_ok || sk_CONF_VALUE_num(*lines) > 0))
		return 0;
	buf_reset(load->why);
	buf_printf(load->why, "%s refers to %s section [%s]", referrer,
	           *lines == NULL ? "a missing" : "an empty", name);
	return -1;
}

/* Keeps the commands of one command section (names after a '.'). */
static void
tlsp_libctx_keep(struct tlsp_libctx *lc, STACK_OF(CONF_VALUE) * cmds)
{
	const CONF_VALUE *v;
	const char *dot;
	size_t i;

	tlsp_libctx_cmds_free(lc);
	lc->count = (size_t)sk_CONF_VALUE_num(cmds);
	lc->cmds = xcalloc(lc->count, sizeof(*lc->cmds));
	for (i = 0; i < lc->count; i++) {
		v = sk_CONF_VALUE_value(cmds, (int)i);
		dot = strchr(v->name, '.');
		lc->cmds[i].cmd = xstrdup(dot ? dot + 1 : v->name);
		lc->cmds[i].arg = xstrdup(v->value);
	}
}

/*
 * One ssl_conf line, checked as OpenSSL's module checks it (its section
 * and every command section it names exist and are not empty); keeps
 * the "system_default" commands. 0, or -1 with why.
 */
static int
tlsp_libctx_ssl_conf(struct tlsp_libctx_load *load, const CONF_VALUE *line)
{
	STACK_OF(CONF_VALUE) * names, *cmds, *system = NULL;
	const CONF_VALUE *v;
	struct buf referrer;
	int i, ret = 0;

	buf_init(&referrer);
	buf_printf(&referrer, "%s = %s", line->name, line->value);
	ret = tlsp_libctx_section(load, line->value, buf_str(&referrer), 0,
	                          &names);
	for (i = 0; ret == 0 && i < sk_CONF_VALUE_num(names); i++) {
		v = sk_CONF_VALUE_value(names, i);
		buf_reset(&referrer);
		buf_printf(&referrer, "%s = %s", v->name, v->value);
		if (tlsp_libctx_section(load, v->value, buf_str(&referrer), 0,
		                        &cmds) < 0)
			ret = -1;
		else if (system == NULL &&
		         strcmp(v->name, "system_default") == 0)
			system = cmds;
	}
	buf_free(&referrer);
	if (ret == 0 && system != NULL)
		tlsp_libctx_keep(load->lc, system);
	else if (ret == 0)
		tlsp_libctx_cmds_free(load->lc);
	return ret;
}

/*
 * The SSL settings of the application section: those of its last
 * ssl_conf line, as in OpenSSL, where each replaces the one before.
 * 0, or -1 with why (an abbreviated module name that OpenSSL might run
 * as ssl_conf is refused: it could not be kept out of the shared table).
 */
static int
tlsp_libctx_ssl(struct tlsp_libctx_load *load, STACK_OF(CONF_VALUE) * app)
{
	const CONF_VALUE *line;
	int i, exact;

	for (i = 0; i < sk_CONF_VALUE_num(app); i++) {
		line = sk_CONF_VALUE_value(app, i);
		if (!tlsp_libctx_ssl_line(line, &exact))
			continue;
		if (!exact) {
			buf_reset(load->why);
			buf_printf(load->why,
			           "module name \"%s\" is not supported, "
			           "write " TLSP_LIBCTX_SSL_MODULE,
			           line->name);
			return -1;
		}
		if (tlsp_libctx_ssl_conf(load, line) < 0)
			return -1;
	}
	return 0;
}

/*
 * Runs every other module of the application section in the library
 * context: the ssl_conf lines are out of the section meanwhile, so
 * that OpenSSL's process-wide SSL settings stay empty. 0 or -1.
 */
static int
tlsp_libctx_modules(struct tlsp_libctx_load *load, const char *appname,
                    STACK_OF(CONF_VALUE) * app)
{
	int n = sk_CONF_VALUE_num(app), i, out = 0, exact, ret;
	CONF_VALUE **lifted = xcalloc((size_t)n, sizeof(*lifted));
	int *at = xcalloc((size_t)n, sizeof(*at));

	for (i = n - 1; i >= 0; i--) {
		if (!tlsp_libctx_ssl_line(sk_CONF_VALUE_value(app, i), &exact))
			continue;
		at[out] = i;
		lifted[out++] = sk_CONF_VALUE_delete(app, i);
	}
	ret = CONF_modules_load(load->conf, appname, 0);
	while (out-- > 0)
		(void)sk_CONF_VALUE_insert(app, lifted[out], at[out]);
	free(lifted);
	free(at);
	return ret > 0 ? 0 : -1;
}

/*
 * Applies lc's commands to ctx as OpenSSL applies "system_default":
 * file syntax, the role's commands only. status[i] (if not NULL) is set
 * to 1 when command i applied, -1 when refused, 0 when the role does not
 * know it. 0, or -1 when any was refused or the settings did not finish.
 */
static int
tlsp_libctx_apply(const struct tlsp_libctx *lc, SSL_CTX *ctx, int server,
                  signed char *status)
{
	SSL_CONF_CTX *cctx;
	OSSL_LIB_CTX *prev;
	size_t i;
	int rc, ret = 0;

	if (lc->count == 0)
		return 0;
	if ((cctx = SSL_CONF_CTX_new()) == NULL)
		return -1;
	SSL_CONF_CTX_set_flags(
	    cctx, SSL_CONF_FLAG_FILE |
	              (server ? SSL_CONF_FLAG_SERVER : SSL_CONF_FLAG_CLIENT));
	SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
	/* Names (groups, algorithms) resolve in the context's library. */
	prev = OSSL_LIB_CTX_set0_default(lc->libctx);
	for (i = 0; i < lc->count; i++) {
		rc = SSL_CONF_cmd(cctx, lc->cmds[i].cmd, lc->cmds[i].arg);
		if (rc <= 0 && rc != -2)
			ret = -1;
		if (status != NULL && rc != -2)
			status[i] = rc > 0 ? 1 : -1;
	}
	if (!SSL_CONF_CTX_finish(cctx))
		ret = -1;
	(void)OSSL_LIB_CTX_set0_default(prev);
	SSL_CONF_CTX_free(cctx);
	return ret;
}

/*
 * -1 with why naming the first command a role refused or no role knows,
 * else 0.
 */
static int
tlsp_libctx_blame(struct tlsp_libctx_load *load, const signed char *client,
                  const signed char *server)
{
	const struct tlsp_libctx *lc = load->lc;
	size_t i;

	for (i = 0; i < lc->count; i++) {
		if (client[i] >= 0 && server[i] >= 0 &&
		    client[i] + server[i] > 0)
			continue;
		buf_reset(load->why);
		buf_printf(load->why, "OpenSSL %s the SSL setting \"%s = %s\"",
		           client[i] == 0 && server[i] == 0 ? "does not know"
		                                            : "refuses",
		           lc->cmds[i].cmd, lc->cmds[i].arg);
		return -1;
	}
	return 0;
}

/*
 * An explicit file: each command must be known to one role at least and
 * accepted by every role that knows it, so that no context is made
 * without a setting the file asks for. 0, or -1 with why.
 */
static int
tlsp_libctx_check(struct tlsp_libctx_load *load)
{
	struct tlsp_libctx *lc = load->lc;
	signed char *client = xcalloc(lc->count, 1);
	signed char *server = xcalloc(lc->count, 1);
	SSL_CTX *probe[2];
	int ret = 0;

	probe[0] = SSL_CTX_new_ex(lc->libctx, NULL, TLS_client_method());
	probe[1] = SSL_CTX_new_ex(lc->libctx, NULL, TLS_server_method());
	if (probe[0] == NULL || probe[1] == NULL) {
		ret = -1;
	} else {
		ret |= tlsp_libctx_apply(lc, probe[0], 0, client);
		ret |= tlsp_libctx_apply(lc, probe[1], 1, server);
		ret |= tlsp_libctx_blame(load, client, server);
	}
	SSL_CTX_free(probe[0]);
	SSL_CTX_free(probe[1]);
	free(client);
	free(server);
	return ret;
}

/*
 * The application section: tls_config_name's, else (no name, or the
 * default file) "openssl_conf"'s. *appname gets the name used. NULL
 * when there is none (why set; an error only for an explicit file).
 */
static const char *
tlsp_libctx_app(struct tlsp_libctx_load *load, const char **appname)
{
	const char *section = NULL;

	*appname = load->name;
	if (load->name != NULL)
		section = tlsp_libctx_string(load->conf, NULL, load->name);
	if (section == NULL && (load->name == NULL || !load->lc->strict)) {
		*appname = NULL;
		section = tlsp_libctx_string(load->conf, NULL, "openssl_conf");
	}
	if (section == NULL) {
		buf_reset(load->why);
		buf_printf(load->why, "no \"%s = <section>\" line",
		           load->name ? load->name : "openssl_conf");
	}
	return section;
}

/* A parsed file: modules, SSL settings, the check. 0, or -1 with why. */
static int
tlsp_libctx_load_conf(struct tlsp_libctx_load *load)
{
	STACK_OF(CONF_VALUE) * app;
	const char *appname, *section;
	struct buf referrer;
	int ret;

	if ((section = tlsp_libctx_app(load, &appname)) == NULL)
		return load->lc->strict ? -1 : 0;
	buf_init(&referrer);
	buf_printf(&referrer, "%s = %s", appname ? appname : "openssl_conf",
	           section);
	ret = tlsp_libctx_section(load, section, buf_str(&referrer), 1, &app);
	buf_free(&referrer);
	if (ret < 0)
		return load->strict ? -1 : 0;
	if (tlsp_libctx_ssl(load, app) < 0) {
		tlsp_libctx_cmds_free(load->lc);
		if (load->strict)
			return -1;
	}
	if (tlsp_libctx_modules(load, appname, app) < 0 && load->strict)
		return -1;
	return load->lc->strict ? tlsp_libctx_check(load) : 0;
}

/* Reads and applies the file; 0, or -1 with why (or OpenSSL's errors). */
static int
tlsp_libctx_load(struct tlsp_libctx *lc, const char *file, const char *name,
                 struct buf *why)
{
	struct tlsp_libctx_load load = {lc, NULL, name, lc->strict, why};
	char *deffile = lc->strict ? NULL : CONF_get1_default_config_file();
	int ret = -1;

	if ((load.conf = NCONF_new_ex(lc->libctx, NULL)) == NULL)
		return -1;
	/* The default file may be missing or broken: OpenSSL ignores it. */
	if (NCONF_load(load.conf, lc->strict ? file : deffile, NULL) <= 0) {
		ret = lc->strict ? -1 : 0;
	} else {
		load.strict = lc->strict || tlsp_libctx_diagnostics(load.conf);
		ret = tlsp_libctx_load_conf(&load);
	}
	NCONF_free(load.conf);
	OPENSSL_free(deffile);
	return ret;
}

struct tlsp_libctx *
tlsp_libctx_create(const char *file, const char *name, int process)
{
	struct tlsp_libctx *lc;
	struct buf why;

	file = file ? file : "default";
	name = name && *name ? name : NULL;
	if (strcmp(file, "none") != 0 && strcmp(file, "default") != 0 &&
	    *file != '/') {
		msg_warn("non-default tls_config_file = %s is not an absolute "
		         "pathname, disabling TLS support",
		         file);
		return NULL;
	}
	lc = xcalloc(1, sizeof(*lc));
	lc->strict = *file == '/';
	if (!process && (lc->libctx = OSSL_LIB_CTX_new()) == NULL) {
		msg_warn("error allocating an OpenSSL library context, "
		         "disabling TLS support");
		tlsp_tlserr_log();
		free(lc);
		return NULL;
	}
	if (strcmp(file, "none") == 0)
		return lc;
	buf_init(&why);
	if (tlsp_libctx_load(lc, file, name, &why) < 0) {
		msg_warn("error loading the '%s' settings from the %s OpenSSL "
		         "configuration file, disabling TLS support",
		         name ? name : "global", lc->strict ? file : "default");
		if (why.len > 0)
			msg_warn("%s: %s", file, buf_str(&why));
		tlsp_tlserr_log();
		tlsp_libctx_free(lc);
		lc = NULL;
	}
	buf_free(&why);
	/* What a lenient load ignored. */
	ERR_clear_error();
	return lc;
}

SSL_CTX *
tlsp_libctx_ssl_ctx(const struct tlsp_libctx *lc, int server)
{
	const SSL_METHOD *method =
	    server ? TLS_server_method() : TLS_client_method();
	SSL_CTX *ctx;

	if (lc == NULL)
		return SSL_CTX_new(method);
	if ((ctx = SSL_CTX_new_ex(lc->libctx, NULL, method)) == NULL)
		return NULL;
	ERR_set_mark();
	if (tlsp_libctx_apply(lc, ctx, server, NULL) < 0 && lc->strict) {
		ERR_clear_last_mark();
		SSL_CTX_free(ctx);
		return NULL;
	}
	ERR_pop_to_mark();
	return ctx;
}
