/*
 * testsvc.c - a tiny daemon on the common/server.c skeleton, for the
 * real-master scenario (tests/integration/30-runtime-master.sh)
 *
 * Protocol: the client sends one line; testsvc answers
 * "<testsvc_greeting> <pid> <line>\n", logs "request: <line>" and closes.
 * Mode: MULTI when master passes -l (maxproc 1; exits on reload), else
 * EVENT (maxproc 0; drains on reload and retirement).
 *
 * Limits: TESTSVC_LINE_MAX bytes per request line.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "event.h"
#include "mem.h"
#include "msg.h"
#include "server.h"

#define TESTSVC_LINE_MAX 256

struct testsvc_client {
	int fd;
	size_t len;
	char line[TESTSVC_LINE_MAX + 1];
};

static const char *testsvc_greeting;

static const struct conf_param testsvc_params[] = {
    {CONF_STR, "testsvc_greeting", "hello", &testsvc_greeting, 1, 0},
    {CONF_STR, NULL, NULL, NULL, 0, 0},
};

static void
testsvc_close(struct testsvc_client *client)
{
	event_clear(client->fd);
	close(client->fd);
	server_disconnect(client->fd);
	free(client);
}

static void
testsvc_answer(struct testsvc_client *client)
{
	char reply[TESTSVC_LINE_MAX + 64];
	int len;

	msg_info("request: %s", client->line);
	len = snprintf(reply, sizeof(reply), "%s %ld %s\n", testsvc_greeting,
	               (long)getpid(), client->line);
	if (write(client->fd, reply, (size_t)len) != len)
		msg_warn("short reply write: %m");
}

static void
testsvc_event(int fd, unsigned events, void *ctx)
{
	struct testsvc_client *client = ctx;
	char *nl;
	ssize_t n;

	n = read(fd, client->line + client->len,
	         TESTSVC_LINE_MAX - client->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		testsvc_close(client);
		return;
	}
	client->len += (size_t)n;
	client->line[client->len] = 0;
	if ((nl = strchr(client->line, '\n')) != NULL) {
		*nl = 0;
		testsvc_answer(client);
		testsvc_close(client);
	} else if (client->len == TESTSVC_LINE_MAX) {
		msg_warn("request longer than %d bytes", TESTSVC_LINE_MAX);
		testsvc_close(client);
	}
}

static void
testsvc_accept(int fd, void *ctx)
{
	struct testsvc_client *client = xcalloc(1, sizeof(*client));

	client->fd = fd;
	event_set(fd, EVENT_READ, testsvc_event, client);
}

static void
testsvc_drain(void *ctx)
{
	msg_info("draining");
}

int
main(int argc, char **argv)
{
	static const struct server_ops ops = {
	    .params = testsvc_params,
	    .on_accept = testsvc_accept,
	    .on_drain = testsvc_drain,
	};
	enum server_mode mode = SERVER_MODE_EVENT;
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-l") == 0)
			mode = SERVER_MODE_MULTI;
	server_main(argc, argv, mode, &ops);
}
