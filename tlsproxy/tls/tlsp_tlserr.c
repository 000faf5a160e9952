/*
 * tlsp_tlserr.c - log and drain OpenSSL's error queue
 *
 * The wording is Postfix's, so that log watchers keep matching; the
 * error strings themselves depend on the OpenSSL build.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <openssl/err.h>

#include "msg.h"
#include "tlsp_tlserr.h"

void
tlsp_tlserr_log(void)
{
	unsigned long err;
	const char *file;
	const char *data;
	char text[1024];
	int line;
	int flags;

	while ((err = ERR_get_error_all(&file, &line, 0, &data, &flags))) {
		ERR_error_string_n(err, text, sizeof(text));
		if (flags & ERR_TXT_STRING)
			msg_warn("TLS library problem: %s:%s:%d:%s:", text,
			         file, line, data);
		else
			msg_warn("TLS library problem: %s:%s:%d:", text, file,
			         line);
	}
}
