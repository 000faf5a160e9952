/*
 * version.h - which tlsreuse release a program was built from
 *
 * Every program of the project carries one what(1)-style string,
 * VERSION_IDENT_PREFIX followed by the release and a NUL, so that a tool
 * can tell our daemons from stock ones, and their release, by reading
 * the installed file instead of running it.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_COMMON_VERSION_H
#define TLSREUSE_COMMON_VERSION_H

/* What precedes the release in the binary: "@(#)tlsreuse ". */
#define VERSION_IDENT_PREFIX "@(#)tlsreuse "

/* The release, e.g. "0.1.0". Static storage. */
const char *version_release(void);

/* "tlsreuse <release>", for output meant for people. Static storage. */
const char *version_string(void);

#endif
