/*
 * fuzz_tlsp_request.c - libFuzzer target for tlsproxy/tlsp_request.c
 *
 * Treats the input as what a tlsproxy client writes before the status:
 * the header list, then (for a valid role) the body list. Decodes each
 * under the daemon's limits (tlsp_request_attr_limits) and parses it; a
 * parsed client body is also turned into its SSL_CTX cache key and a
 * reply of the detected layout, so peer strings reach the plain and attr0
 * encoders too. Must never crash, panic or leak. Seeds, from the golden
 * requests of 3.6.4 ... 3.12 (tests/data/tlsp_golden_extract.py), the
 * captured ones of 3.6.20, 3.8.20, 3.9.14 and 3.11.6 and a 3.10.13 one
 * with a TLSRPT group: tests/fuzz/corpus/tlsp_request.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>

#include "attr_dec.h"
#include "buf.h"
#include "tlsp_reply.h"
#include "tlsp_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Encodes what a parsed client body would make tlsproxy send. */
static void
fuzz_tlsp_encode(const struct tlsp_request *req)
{
	struct tlsp_tls_result st = {0};
	struct buf out;

	st.namaddr = req->client_start.namaddr;
	st.level = req->client_start.tls_level;
	buf_init(&out);
	tlsp_reply_init_key(&out, &req->client_init);
	tlsp_reply_sess_state(&out, &st, req->peer);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attr_dec *dec = attr_dec_create(&tlsp_request_attr_limits);
	struct tlsp_request *req = tlsp_request_create();
	size_t used;

	if (attr_dec_feed(dec, data, size, &used) == ATTR_DEC_OK &&
	    tlsp_request_parse_header(req, attr_dec_list(dec)) == 0 &&
	    req->role != TLSP_ROLE_BOGUS) {
		attr_dec_reset(dec);
		if (attr_dec_feed(dec, data + used, size - used, &used) ==
		        ATTR_DEC_OK &&
		    tlsp_request_parse_body(req, attr_dec_list(dec)) == 0 &&
		    req->role == TLSP_ROLE_CLIENT)
			fuzz_tlsp_encode(req);
	}
	tlsp_request_free(req);
	attr_dec_free(dec);
	return 0;
}
