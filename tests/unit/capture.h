/*
 * capture.h - collect what msg_*() logs, for tests to assert on
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TESTS_CAPTURE_H
#define TLSREUSE_TESTS_CAPTURE_H

/* Replaces every msg sink with the capture and empties it. */
void capture_start(void);

/* Everything logged since capture_start(), one "prefix: text\n" each. */
const char *capture_text(void);

/* Number of logged lines that contain needle. */
int capture_count(const char *needle);

#endif
