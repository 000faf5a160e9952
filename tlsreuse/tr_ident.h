/*
 * tr_ident.h - which program a master.cf command runs: ours or not
 *
 * Our programs carry "@(#)tlsreuse <release>" (common/version.h). The
 * installed file is read, never run: the tool does not execute daemon
 * binaries, least of all as root.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_IDENT_H
#define TLSREUSE_TLSREUSE_TR_IDENT_H

#include <stddef.h>

/* Files longer than this are not ours (ours are a few MB at most). */
#define TR_IDENT_FILE_MAX (256L * 1024 * 1024)

/* Bytes of a release string kept. */
#define TR_IDENT_RELEASE_MAX 32

enum tr_ident_kind {
	TR_IDENT_MISSING, /* no such file (or not a regular file) */
	TR_IDENT_OTHER,   /* a program, not ours */
	TR_IDENT_OURS,    /* ours; the release is known */
};

/* Identifies the file at path; for ours, copies the release (printable
 * bytes only, NUL-terminated) into release. */
enum tr_ident_kind tr_ident_file(const char *path,
    char release[TR_IDENT_RELEASE_MAX + 1]);

/* The same, on bytes already in memory. */
enum tr_ident_kind tr_ident_bytes(const void *data, size_t len,
    char release[TR_IDENT_RELEASE_MAX + 1]);

#endif
