/*
 * tlsp_infocb.c - handshake state logging (TLS log level "ssl-debug")
 *
 * The same lines Postfix logs at smtp_tls_loglevel 2 and up, so that an
 * administrator debugging a handshake sees what stock would show.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <openssl/ssl.h>

#include "msg.h"
#include "tlsp_infocb.h"

/* The handshake role the state belongs to. */
static const char *
tlsp_infocb_role(int where)
{
	int w = where & ~SSL_ST_MASK;

	if (w & SSL_ST_CONNECT)
		return "SSL_connect";
	if (w & SSL_ST_ACCEPT)
		return "SSL_accept";
	return "unknown";
}

/* An exit from the state machine: failures only. */
static void
tlsp_infocb_exit(const SSL *ssl, const char *role, int ret)
{
	if (ret == 0) {
		msg_info("%s:failed in %s", role, SSL_state_string_long(ssl));
		return;
	}
	if (ret > 0)
		return;
	switch (SSL_get_error(ssl, ret)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return;
	default:
		msg_info("%s:error in %s", role, SSL_state_string_long(ssl));
		return;
	}
}

void
tlsp_infocb_callback(const SSL *ssl, int where, int ret)
{
	const char *role = tlsp_infocb_role(where);

	if (where & SSL_CB_LOOP) {
		msg_info("%s:%s", role, SSL_state_string_long(ssl));
	} else if (where & SSL_CB_ALERT) {
		if ((ret & 0xff) != SSL3_AD_CLOSE_NOTIFY)
			msg_info("SSL3 alert %s:%s:%s",
			         (where & SSL_CB_READ) ? "read" : "write",
			         SSL_alert_type_string_long(ret),
			         SSL_alert_desc_string_long(ret));
	} else if (where & SSL_CB_EXIT) {
		tlsp_infocb_exit(ssl, role, ret);
	}
}
