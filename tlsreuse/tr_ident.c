/*
 * tr_ident.c - which program a master.cf command runs: ours or not
 *
 * The file is mapped read-only and searched for the ident prefix; the
 * release is the printable run after it.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "version.h"
#include "tr_ident.h"

enum tr_ident_kind
tr_ident_bytes(const void *data, size_t len,
    char release[TR_IDENT_RELEASE_MAX + 1])
{
	size_t plen = strlen(VERSION_IDENT_PREFIX), n = 0;
	const char *hit = memmem(data, len, VERSION_IDENT_PREFIX, plen);
	const char *end = (const char *)data + len;

	release[0] = 0;
	if (hit == NULL)
		return TR_IDENT_OTHER;
	for (hit += plen; hit < end && n < TR_IDENT_RELEASE_MAX &&
	     *hit > ' ' && *hit < 0x7f; hit++)
		release[n++] = *hit;
	release[n] = 0;
	return TR_IDENT_OURS;
}

enum tr_ident_kind
tr_ident_file(const char *path, char release[TR_IDENT_RELEASE_MAX + 1])
{
	enum tr_ident_kind kind = TR_IDENT_MISSING;
	struct stat st;
	void *map;
	int fd;

	release[0] = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return TR_IDENT_MISSING;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		kind = TR_IDENT_OTHER;
		if (st.st_size > 0 && st.st_size <= TR_IDENT_FILE_MAX &&
		    (map = mmap(NULL, (size_t)st.st_size, PROT_READ,
		    MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
			kind = tr_ident_bytes(map, (size_t)st.st_size,
			    release);
			munmap(map, (size_t)st.st_size);
		}
	}
	close(fd);
	return kind;
}
