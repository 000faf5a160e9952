/*
 * tlsp_logmask.c - a TLS log level (smtp_tls_loglevel) to a log mask
 *
 * The numeric levels are cumulative feature sets; the keywords name
 * single features. The client role uses the level each request names,
 * the server role tlsproxy_tls_loglevel.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "msg.h"
#include "token.h"
#include "tlsp_tls.h"
#include "tlsp_logmask.h"

#define TLSP_LOGMASK_1 TLSP_LOG_SUMMARY
#define TLSP_LOGMASK_2                                                         \
	(TLSP_LOGMASK_1 | TLSP_LOG_VERBOSE | TLSP_LOG_CACHE | TLSP_LOG_DEBUG)
#define TLSP_LOGMASK_3 (TLSP_LOGMASK_2 | TLSP_LOG_TLSPKTS)
#define TLSP_LOGMASK_4 (TLSP_LOGMASK_3 | TLSP_LOG_ALLPKTS)

struct tlsp_logmask_word {
	const char *name;
	int mask;
};

static const struct tlsp_logmask_word tlsp_logmask_words[] = {
    {"0", TLSP_LOG_NONE},
    {"none", TLSP_LOG_NONE},
    {"1", TLSP_LOGMASK_1},
    {"routine", TLSP_LOGMASK_1},
    {"2", TLSP_LOGMASK_2},
    {"debug", TLSP_LOGMASK_2},
    {"3", TLSP_LOGMASK_3},
    {"ssl-expert", TLSP_LOGMASK_3},
    {"4", TLSP_LOGMASK_4},
    {"ssl-developer", TLSP_LOGMASK_4},
    {"5", TLSP_LOGMASK_4},
    {"6", TLSP_LOGMASK_4},
    {"7", TLSP_LOGMASK_4},
    {"8", TLSP_LOGMASK_4},
    {"9", TLSP_LOGMASK_4},
    {"summary", TLSP_LOG_SUMMARY},
    {"untrusted", TLSP_LOG_UNTRUSTED},
    {"peercert", TLSP_LOG_PEERCERT},
    {"certmatch", TLSP_LOG_CERTMATCH},
    {"verbose", TLSP_LOG_VERBOSE},
    {"cache", TLSP_LOG_CACHE},
    {"dane", TLSP_LOG_DANE},
    {"ssl-debug", TLSP_LOG_DEBUG},
    {"ssl-handshake-packet-dump", TLSP_LOG_TLSPKTS},
    {"ssl-session-packet-dump", TLSP_LOG_TLSPKTS | TLSP_LOG_ALLPKTS},
    {0, -1},
};

/* The mask of one word, -1 when unknown. */
static int
tlsp_logmask_word(const char *word)
{
	const struct tlsp_logmask_word *w;

	for (w = tlsp_logmask_words; w->name; w++)
		if (strcasecmp(word, w->name) == 0)
			break;
	return w->mask;
}

int
tlsp_logmask_parse(const char *param, const char *value)
{
	char *copy = xstrdup(value ? value : "");
	char *cursor = copy;
	char *tok;
	int mask = 0;
	int bits;

	while ((tok = token_next(&cursor, TOKEN_SEP_LIST)) != 0) {
		if ((bits = tlsp_logmask_word(tok)) < 0) {
			msg_warn("unknown %s value \"%s\" in \"%s\"", param,
			         tok, value);
			mask = 0;
			break;
		}
		mask |= bits;
	}
	free(copy);
	return mask;
}
