/*
 * capture.c - collect what msg_*() logs, for tests to assert on
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <string.h>

#include "buf.h"
#include "msg.h"
#include "capture.h"

static struct buf capture_buf;

static void
capture_output(enum msg_level level, const char *text, void *context)
{
	buf_puts(&capture_buf, msg_level_prefix(level));
	buf_puts(&capture_buf, text);
	buf_putc(&capture_buf, '\n');
}

void
capture_start(void)
{
	buf_reset(&capture_buf);
	msg_output_clear();
	msg_output_add(capture_output, NULL);
}

const char *
capture_text(void)
{
	return buf_str(&capture_buf);
}

int
capture_count(const char *needle)
{
	const char *line = buf_str(&capture_buf), *end;
	int count = 0;

	for (; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (memmem(line, (size_t)(end - line), needle,
		    strlen(needle)) != NULL)
			count++;
		if (*end == 0)
			break;
	}
	return count;
}
