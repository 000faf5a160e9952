/*
 * version.c - which tlsreuse release a program was built from
 *
 * The ident string lives here, once; a program that calls either
 * function links this object and so carries the string.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include "version.h"

static const char version_ident[] = VERSION_IDENT_PREFIX PACKAGE_VERSION;

const char *
version_release(void)
{
	return version_ident + sizeof(VERSION_IDENT_PREFIX) - 1;
}

const char *
version_string(void)
{
	/* "@(#)" is four bytes. */
	return version_ident + 4;
}
