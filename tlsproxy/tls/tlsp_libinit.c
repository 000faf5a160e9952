/*
 * tlsp_libinit.c - OpenSSL library initialisation (tls_config_file,
 * tls_config_name)
 *
 * Only a non-default configuration needs explicit initialisation; the
 * defaults keep OpenSSL's own behaviour (system openssl.cnf, silently).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "msg.h"
#include "tlsp_tlserr.h"
#include "tlsp_libinit.h"

/* Chooses the file settings; -1 (warned) for a relative path. */
static int
tlsp_libinit_file(OPENSSL_INIT_SETTINGS *settings, const char *file,
                  uint64_t *opts)
{
	unsigned long flags = 0;

	if (strcmp(file, "none") == 0) {
		*opts |= OPENSSL_INIT_NO_LOAD_CONFIG;
	} else if (strcmp(file, "default") == 0) {
		flags = CONF_MFLAGS_IGNORE_MISSING_FILE |
		        CONF_MFLAGS_DEFAULT_SECTION |
		        CONF_MFLAGS_IGNORE_RETURN_CODES | CONF_MFLAGS_SILENT;
	} else if (*file == '/') {
		OPENSSL_INIT_set_config_filename(settings, file);
	} else {
		msg_warn("non-default tls_config_file = %s is not an absolute "
		         "pathname, disabling TLS support",
		         file);
		return -1;
	}
	OPENSSL_INIT_set_config_file_flags(settings, flags);
	return 0;
}

int
tlsp_libinit(const char *file, const char *name)
{
	OPENSSL_INIT_SETTINGS *settings;
	uint64_t opts = 0;
	int ret = 0;

	file = file ? file : "default";
	name = name && *name ? name : 0;
	if (strcmp(file, "default") == 0 && name == 0)
		return 0;
	if ((settings = OPENSSL_INIT_new()) == 0) {
		msg_warn(
		    "error allocating OpenSSL init settings, disabling TLS "
		    "support");
		return -1;
	}
	if (tlsp_libinit_file(settings, file, &opts) < 0) {
		ret = -1;
	} else {
		if (name)
			OPENSSL_INIT_set_config_appname(settings, name);
		if (OPENSSL_init_ssl(opts, settings) <= 0) {
			if (opts & OPENSSL_INIT_NO_LOAD_CONFIG)
				msg_warn("error initializing the OpenSSL "
				         "library, disabling TLS support");
			else
				msg_warn("error loading the '%s' settings from "
				         "the %s OpenSSL configuration file, "
				         "disabling TLS support",
				         name ? name : "global",
				         *file == '/' ? file : "default");
			tlsp_tlserr_log();
			ret = -1;
		}
	}
	OPENSSL_INIT_free(settings);
	return ret;
}
