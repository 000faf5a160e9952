/*
 * tlsp_eval.h - after the handshake: trust, match and session details
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSPROXY_TLSP_EVAL_H
#define TLSREUSE_TLSPROXY_TLSP_EVAL_H

#include "tlsp_client.h"
#include "tlsp_policy.h"

/*
 * Fills *res (initialised here; release with tlsp_tls_result_free()) for
 * conn's completed handshake exactly as Postfix reports it to smtp(8):
 * CNs, fingerprints, effective level, peer_status bits, protocol, cipher
 * and TLS 1.3 details, lower-cased namaddr. Logs what Postfix logs at
 * this point for the session's log mask: verification errors at
 * must-match levels, the subject/fingerprint line, and the summary.
 * Panics only on our own bug (a verified chain despite must_fail).
 */
void tlsp_eval_result(struct tlsp_client_conn *conn,
                      struct tlsp_tls_result *res);

#endif
