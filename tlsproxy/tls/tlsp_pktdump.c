/*
 * tlsp_pktdump.c - hex dumps of TLS records (ssl-handshake-packet-dump)
 *
 * For smtp_tls_loglevel 3 (handshake) and 4 (whole session): a BIO
 * callback logs every network read and write of the session's socket
 * BIO in Postfix's format, so dumps compare line for line with stock.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "msg.h"
#include "tlsp_pktdump.h"

#define TLSP_PKTDUMP_WIDTH 16
#define TLSP_PKTDUMP_SPLIT 7 /* column followed by '|' */

/* One row: offset, hex columns, text columns. */
static void
tlsp_pktdump_row(struct buf *line, const unsigned char *start,
                 const unsigned char *row, const unsigned char *last)
{
	const unsigned char *col;

	buf_reset(line);
	buf_printf(line, "%04lx ", (unsigned long)(row - start));
	for (col = row; col < row + TLSP_PKTDUMP_WIDTH; col++) {
		if (col > last)
			buf_puts(line, "   ");
		else
			buf_printf(line, "%02x%c", *col,
			           col - row == TLSP_PKTDUMP_SPLIT ? '|' : ' ');
	}
	buf_putc(line, ' ');
	for (col = row; col < row + TLSP_PKTDUMP_WIDTH && col <= last; col++) {
		buf_putc(line, *col >= 0x20 && *col < 0x7f ? *col : '.');
		if (col - row == TLSP_PKTDUMP_SPLIT)
			buf_putc(line, ' ');
	}
	msg_info("%s", buf_str(line));
}

void
tlsp_pktdump_buffer(const unsigned char *data, size_t len)
{
	size_t keep = len;
	struct buf line;
	size_t off;

	while (keep > 0 && (data[keep - 1] == ' ' || data[keep - 1] == 0))
		keep--;
	buf_init(&line);
	for (off = 0; off < keep; off += TLSP_PKTDUMP_WIDTH)
		tlsp_pktdump_row(&line, data, data + off, data + keep - 1);
	buf_free(&line);
	if (keep < len)
		msg_info("%04lx - <SPACES/NULLS>", (unsigned long)keep);
}

/* The BIO callback: one line per read/write, then the dump. */
static long
tlsp_pktdump_cb(BIO *bio, int cmd, const char *argp, size_t len, int argi,
                long argl, int ret, size_t *processed)
{
	size_t bytes = ret > 0 && processed ? *processed : len;
	const char *what;

	(void)argi;
	(void)argl;
	if (cmd == (BIO_CB_READ | BIO_CB_RETURN))
		what = "read from";
	else if (cmd == (BIO_CB_WRITE | BIO_CB_RETURN))
		what = "write to";
	else
		return ret;
	if (ret > 0) {
		msg_info("%s %08lX [%08lX] (%ld bytes => %ld (0x%lX))", what,
		         (unsigned long)bio, (unsigned long)argp, (long)len,
		         (long)bytes, (unsigned long)bytes);
		tlsp_pktdump_buffer((const unsigned char *)argp, bytes);
	} else {
		msg_info("%s %08lX [%08lX] (%ld bytes => %d)", what,
		         (unsigned long)bio, (unsigned long)argp, (long)len,
		         ret);
	}
	return ret;
}

void
tlsp_pktdump_enable(SSL *ssl, int on)
{
	BIO *bio = SSL_get_rbio(ssl);

	if (bio)
		BIO_set_callback_ex(bio, on ? tlsp_pktdump_cb : 0);
}
