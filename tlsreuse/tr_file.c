/*
 * tr_file.c - read a whole configuration file, up to a bound
 *
 * The size is checked before reading and again while reading, so a file
 * that grows meanwhile cannot take more than max bytes of memory.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr_file.h"

#define TR_FILE_CHUNK 8192

int
tr_file_read(const char *path, size_t max, struct buf *out)
{
	struct stat st;
	ssize_t n = 0;
	int fd, saved;

	buf_reset(out);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (size_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	while (out->len <= max &&
	    (n = read(fd, buf_reserve(out, TR_FILE_CHUNK), TR_FILE_CHUNK)) > 0)
		out->len += (size_t)n;
	saved = errno;
	close(fd);
	if (out->len > max) {
		buf_reset(out);
		errno = EFBIG;
		return -1;
	}
	errno = saved;
	return n < 0 ? -1 : 0;
}
