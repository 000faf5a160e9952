/*
 * tlsp_session.c - one proxied connection of tlsproxy(8), either role
 *
 * Every event (plaintext stream, remote socket, timer, pump end) goes to
 * tlsp_session_event(), which runs the step for the current state. A
 * step returns TLSP_STEP_CONTINUE, or TLSP_STEP_DONE / TLSP_STEP_FAIL
 * after logging its own warning; the entry point then logs the stock
 * teardown lines and frees the session. Nothing else frees it.
 *
 * Ordering rule: TLS_SESS_STATE is written to
 * the client, and the stream flushed, before the pump may relay a single
 * decrypted byte.
 *
 * Limits: tlsp_request_attr_limits for each request list; the stream's
 * STREAM_INPUT_LIMIT; TLSP_SESSION_INIT_TIMEOUT_MS before the handshake;
 * the requested handshake timeout per TLS wait; session timeout +
 * TLSP_SESSION_PUMP_SLACK of inactivity in the pump.
 * See also: doc/tlsproxy-protocol.md section 2.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "attr_dec.h"
#include "buf.h"
#include "event.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"
#include "client_role/tlsp_eval.h"
#include "client_role/tlsp_policy.h"
#include "client_role/tlsp_resume.h"
#include "client_role/tlsp_settings.h"
#include "server_role/tlsp_server_conn.h"
#include "tls/tlsp_tlserr.h"
#include "tlsp_client_tlsmgr.h"
#include "tlsp_heap.h"
#include "tlsp_libconf.h"
#include "tlsp_pump.h"
#include "tlsp_reply.h"
#include "tlsp_request.h"
#include "tlsp_server_daemon.h"
#include "tlsp_session.h"

enum tlsp_session_state {
	TLSP_SESSION_REQUEST,   /* reading the header, then the client body */
	TLSP_SESSION_REFUSED,   /* status 0 sent; waiting for the close */
	TLSP_SESSION_FD,        /* status 1 sent; waiting for the socket */
	TLSP_SESSION_RESUME,    /* asking tlsmgr for a cached TLS session */
	TLSP_SESSION_HANDSHAKE, /* SSL_connect (server: SSL_accept) */
	TLSP_SESSION_CONTEXT,   /* writing TLS_SESS_STATE */
	TLSP_SESSION_PUMP,      /* relaying data */
};

enum tlsp_step {
	TLSP_STEP_CONTINUE,
	TLSP_STEP_DONE,
	TLSP_STEP_FAIL,
};

/* What woke the session up. */
enum tlsp_input_kind {
	TLSP_INPUT_STREAM, /* with stream_event */
	TLSP_INPUT_REMOTE, /* the remote socket is ready (handshake) */
	TLSP_INPUT_TIMER,  /* the state's deadline passed */
	TLSP_INPUT_PUMP,   /* the pump ended, with reason */
	TLSP_INPUT_TLSMGR, /* tlsmgr answered the session lookup */
};

struct tlsp_input {
	enum tlsp_input_kind kind;
	enum stream_event stream_event;
	const char *reason;
	const struct tlsp_tlsmgr_reply *reply;
};

struct tlsp_session {
	enum tlsp_session_state state;
	const struct tlsp_session_config *cfg;
	int client_fd;                 /* as accepted, for cfg->disconnect */
	struct stream *plain;          /* the client until the pump starts */
	struct attr_dec *dec;          /* request lists */
	struct tlsp_request *req;      /* parsed request, until the pump */
	char *endpoint;                /* remote_endpoint, for DISCONNECT */
	int header_done;               /* CONNECT was logged */
	int handshake_done;            /* TLS is up */
	struct tlsp_tls_params params; /* the request's global settings */
	const struct tlsp_libctx *lib; /* its OpenSSL configuration */
	struct buf ctx_key;            /* SSL_CTX cache key (tlsp_ctx_key) */
	int remote_fd;                 /* until the pump owns it */
	struct tlsp_client_conn *client_conn; /* client role: TLS connection */
	struct tlsp_server_conn *server_conn; /* server role: TLS connection */
	struct tlsp_tlsmgr_call *lookup;      /* pending TLS session lookup */
	struct tlsp_pump *pump;               /* data phase */
};

static unsigned tlsp_session_live;
static int tlsp_session_tlsrpt_told; /* the TLSRPT warning was logged */

static void tlsp_session_event(struct tlsp_session *sess,
                               const struct tlsp_input *in);

/* "request", "refused", "fd", "resume", "handshake", "context", "pump". */
static const char *
tlsp_session_state_str(enum tlsp_session_state state)
{
	switch (state) {
	case TLSP_SESSION_REQUEST:
		return "request";
	case TLSP_SESSION_REFUSED:
		return "refused";
	case TLSP_SESSION_FD:
		return "fd";
	case TLSP_SESSION_RESUME:
		return "resume";
	case TLSP_SESSION_HANDSHAKE:
		return "handshake";
	case TLSP_SESSION_CONTEXT:
		return "context";
	case TLSP_SESSION_PUMP:
		return "pump";
	}
	return "unknown";
}

unsigned
tlsp_session_count(void)
{
	return tlsp_session_live;
}

/* --- event adapters: each only forwards to tlsp_session_event() ------- */

static void
tlsp_session_stream_event(struct stream *s, enum stream_event ev, void *ctx)
{
	struct tlsp_input in = {TLSP_INPUT_STREAM, ev, NULL, NULL};

	(void)s;
	tlsp_session_event(ctx, &in);
}

static void
tlsp_session_remote_event(int fd, unsigned events, void *ctx)
{
	struct tlsp_input in = {TLSP_INPUT_REMOTE, STREAM_DATA, NULL, NULL};

	(void)fd;
	(void)events;
	tlsp_session_event(ctx, &in);
}

static void
tlsp_session_timer_event(void *ctx)
{
	struct tlsp_input in = {TLSP_INPUT_TIMER, STREAM_DATA, NULL, NULL};

	tlsp_session_event(ctx, &in);
}

static void
tlsp_session_pump_done(struct tlsp_pump *pump, const char *reason, void *ctx)
{
	struct tlsp_input in = {TLSP_INPUT_PUMP, STREAM_DATA, reason, NULL};

	(void)pump;
	tlsp_session_event(ctx, &in);
}

static void
tlsp_session_tlsmgr_event(const struct tlsp_tlsmgr_reply *reply, void *ctx)
{
	struct tlsp_input in = {TLSP_INPUT_TLSMGR, STREAM_DATA, NULL, reply};

	tlsp_session_event(ctx, &in);
}

/* --- helpers ---------------------------------------------------------- */

static void
tlsp_session_deadline(struct tlsp_session *sess, unsigned ms)
{
	event_timer_set(tlsp_session_timer_event, sess, ms);
}

static unsigned
tlsp_session_init_ms(const struct tlsp_session *sess)
{
	return sess->cfg->init_timeout_ms ? sess->cfg->init_timeout_ms
	                                  : TLSP_SESSION_INIT_TIMEOUT_MS;
}

/* The errno text a stream event stands for. */
static const char *
tlsp_session_stream_why(const struct tlsp_session *sess, enum stream_event ev)
{
	switch (ev) {
	case STREAM_EOF:
		return "unexpected end of input";
	case STREAM_TIMEOUT:
		return strerror(ETIMEDOUT);
	case STREAM_ERROR:
		return strerror(stream_errno(sess->plain));
	default:
		return "unexpected input";
	}
}

/*
 * The SSL_CTX for the request's init props: cached, else built now and,
 * being new, given tlsmgr's session cache policy. NULL after warnings.
 */
static struct tlsp_ctx *
tlsp_session_ctx(struct tlsp_session *sess)
{
	const struct tlsp_session_config *cfg = sess->cfg;
	struct tlsp_ctx *ctx;

	ctx = tlsp_ctx_cache_find(cfg->ctx_cache, buf_str(&sess->ctx_key));
	if (ctx != NULL)
		return ctx;
	ctx = tlsp_ctx_cache_get(cfg->ctx_cache, buf_str(&sess->ctx_key),
	                         sess->lib, &sess->params,
	                         &sess->req->client_init, 0);
	if (ctx != NULL)
		tlsp_client_tlsmgr_enable(cfg->tlsmgr, ctx);
	return ctx;
}

/* The TLS connection's SSL, whichever the role. */
static SSL *
tlsp_session_ssl(const struct tlsp_session *sess)
{
	return sess->server_conn ? tlsp_server_ssl(sess->server_conn)
	                         : tlsp_policy_ssl(sess->client_conn);
}

/* Queues the status list for the client. */
static void
tlsp_session_status(struct tlsp_session *sess, int status)
{
	struct buf out;

	buf_init(&out);
	tlsp_reply_status(&out, status);
	stream_write(sess->plain, out.data, out.len);
	buf_free(&out);
}

/* Sends status 1 and waits for the remote socket. */
static enum tlsp_step
tlsp_session_ready(struct tlsp_session *sess)
{
	tlsp_session_status(sess, 1);
	sess->state = TLSP_SESSION_FD;
	return TLSP_STEP_CONTINUE;
}

/* Sends status 0 and waits for the client to close. */
static enum tlsp_step
tlsp_session_refuse(struct tlsp_session *sess)
{
	tlsp_session_status(sess, 0);
	sess->state = TLSP_SESSION_REFUSED;
	tlsp_session_deadline(sess, tlsp_session_init_ms(sess));
	return TLSP_STEP_CONTINUE;
}

/* --- request ---------------------------------------------------------- */

/* The header is in: log CONNECT, then wait for the body or refuse. */
static enum tlsp_step
tlsp_session_header(struct tlsp_session *sess, const struct attr_list *list)
{
	struct tlsp_request *req = sess->req;
	static const char *const dir[] = {"(bogus_direction)", "from", "to"};

	if (tlsp_request_parse_header(req, list) < 0) {
		msg_warn("tlsp_get_request_event: receive request attributes: "
		         "%s",
		         tlsp_request_reason(req));
		return TLSP_STEP_FAIL;
	}
	sess->header_done = 1;
	sess->endpoint = xstrdup(req->hdr.remote_endpoint);
	msg_info("CONNECT %s %s", dir[req->role], req->hdr.remote_endpoint);
	switch (req->role) {
	case TLSP_ROLE_CLIENT:
		return TLSP_STEP_CONTINUE;
	case TLSP_ROLE_SERVER:
		/* No body; off by configuration: status 0, no warning. */
		return sess->cfg->server ? tlsp_session_ready(sess)
		                         : tlsp_session_refuse(sess);
	default:
		msg_warn("tlsp_get_request_event: bad request flags: 0x%x",
		         req->hdr.flags);
		return tlsp_session_refuse(sess);
	}
}

/* The body is in: find or build the SSL_CTX and answer the status. */
static enum tlsp_step
tlsp_session_body(struct tlsp_session *sess, const struct attr_list *list)
{
	struct tlsp_request *req = sess->req;
	struct buf init_key;

	if (tlsp_request_parse_body(req, list) < 0) {
		msg_warn("tlsp_get_request_event: receive client TLS settings: "
		         "%s",
		         tlsp_request_reason(req));
		return TLSP_STEP_FAIL;
	}
	if (req->client_start.tlsrpt && !tlsp_session_tlsrpt_told) {
		tlsp_session_tlsrpt_told = 1;
		msg_warn("TLSRPT: a client asks for TLSRPT reporting "
		         "(smtp_tlsrpt_enable); this tlsproxy has no TLSRPT "
		         "library and produces no failure reports of its own "
		         "(handshake failures, unusable TLSA records, "
		         "certificate details); smtp(8) still reports success "
		         "and certificate failures, and delivery goes on");
	}
	tlsp_request_tls_params(req, sess->cfg->tls_params, &sess->params);
	if (sess->cfg->libconf != NULL &&
	    (sess->lib = tlsp_libconf_find(
	         sess->cfg->libconf, sess->params.tls_config_file,
	         sess->params.tls_config_name)) == NULL)
		return tlsp_session_refuse(sess);
	buf_init(&init_key);
	tlsp_reply_init_key(&init_key, &req->client_init);
	tlsp_ctx_key(&sess->ctx_key, buf_str(&init_key), &sess->params);
	buf_free(&init_key);
	if (tlsp_session_ctx(sess) == NULL)
		return tlsp_session_refuse(sess);
	return tlsp_session_ready(sess);
}

/* Feeds buffered input to the decoder, list by list. */
static enum tlsp_step
tlsp_session_request(struct tlsp_session *sess)
{
	enum attr_dec_status st;
	enum tlsp_step step = TLSP_STEP_CONTINUE;
	const void *data;
	size_t len, used;

	while (step == TLSP_STEP_CONTINUE &&
	       sess->state == TLSP_SESSION_REQUEST) {
		data = stream_data(sess->plain, &len);
		if (len == 0)
			break;
		st = attr_dec_feed(sess->dec, data, len, &used);
		stream_consume(sess->plain, used);
		if (st == ATTR_DEC_NEED_MORE)
			break;
		if (st == ATTR_DEC_BAD) {
			msg_warn("tlsp_get_request_event: %s: %s",
			         sess->header_done
			             ? "receive client TLS settings"
			             : "receive request attributes",
			         attr_dec_reason(sess->dec));
			return TLSP_STEP_FAIL;
		}
		step =
		    sess->header_done
		        ? tlsp_session_body(sess, attr_dec_list(sess->dec))
		        : tlsp_session_header(sess, attr_dec_list(sess->dec));
		attr_dec_reset(sess->dec);
	}
	/* The request is in: its decoder (and what it grew) is spent. */
	if (sess->state != TLSP_SESSION_REQUEST) {
		attr_dec_free(sess->dec);
		sess->dec = NULL;
	}
	return step;
}

/* --- remote socket and handshake --------------------------------------- */

/*
 * No Nagle delay on the remote TCP socket. Our writes are whole flights
 * and, in the pump, a turn's records in one send; Nagle would only hold
 * a small one behind an unacknowledged small one: the first records
 * after our Finished (smtp(8)'s EHLO after STARTTLS) would wait a round
 * trip for the peer's ACK. Not a TCP socket (tests): nothing to do.
 */
static void
tlsp_session_nodelay(int fd)
{
	int on = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

/* Drives SSL_connect (SSL_accept) and maps OpenSSL's wants to events. */
static enum tlsp_step
tlsp_session_handshake(struct tlsp_session *sess)
{
	SSL *ssl = tlsp_session_ssl(sess);
	int ret, err;

	/* One read() for all a flight's records, not two per record; what
	 * it brings in beyond the handshake is the pump's (it reads first). */
	SSL_set_read_ahead(ssl, 1);
	ERR_clear_error();
	ret = sess->server_conn ? SSL_accept(ssl) : SSL_connect(ssl);
	if (ret == 1) {
		event_clear(sess->remote_fd);
		return TLSP_STEP_DONE;
	}
	err = SSL_get_error(ssl, ret);
	switch (err) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		event_set(sess->remote_fd,
		          err == SSL_ERROR_WANT_READ ? EVENT_READ : EVENT_WRITE,
		          tlsp_session_remote_event, sess);
		tlsp_session_deadline(
		    sess, (unsigned)sess->req->hdr.handshake_timeout * 1000u);
		return TLSP_STEP_CONTINUE;
	case SSL_ERROR_SSL:
		tlsp_tlserr_log();
		return TLSP_STEP_FAIL;
	default:
		ERR_clear_error();
		return TLSP_STEP_FAIL;
	}
}

static enum tlsp_step tlsp_session_established(struct tlsp_session *sess);

/* One handshake step; on success, on to the context. */
static enum tlsp_step
tlsp_session_handshake_step(struct tlsp_session *sess)
{
	enum tlsp_step step = tlsp_session_handshake(sess);

	return step == TLSP_STEP_DONE ? tlsp_session_established(sess) : step;
}

static enum tlsp_step tlsp_session_resume(struct tlsp_session *sess);

/* The remote socket arrived: set up the TLS session and start. */
static enum tlsp_step
tlsp_session_fd(struct tlsp_session *sess)
{
	struct tlsp_ctx *ctx;
	size_t len;
	int fd, flags;

	if ((fd = stream_take_fd(sess->plain)) < 0) {
		msg_warn("tlsp_get_fd_event: receive remote SMTP peer file "
		         "descriptor: %s",
		         "no descriptor with the data");
		return TLSP_STEP_FAIL;
	}
	sess->remote_fd = fd;
	(void)stream_data(sess->plain, &len);
	stream_consume(sess->plain, len);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		msg_warn("tlsp_get_fd_event: fcntl remote socket: %m");
		return TLSP_STEP_FAIL;
	}
	tlsp_session_nodelay(fd);
	if (sess->req->role == TLSP_ROLE_SERVER) {
		/* No session to resume up front: OpenSSL asks when needed. */
		sess->server_conn = tlsp_server_daemon_start(
		    sess->cfg->server, &sess->req->hdr, fd);
		if (sess->server_conn == NULL)
			return TLSP_STEP_FAIL;
		sess->state = TLSP_SESSION_HANDSHAKE;
		return tlsp_session_handshake_step(sess);
	}
	/* The context may have been evicted since the status: look again. */
	if ((ctx = tlsp_session_ctx(sess)) == NULL)
		return TLSP_STEP_FAIL;
	/* The request's global settings, borrowed by the engine. */
	sess->req->client_start.params = &sess->params;
	sess->req->client_start.settings =
	    tlsp_settings_get(sess->cfg->settings, &sess->params);
	if ((sess->client_conn =
	         tlsp_policy_start(ctx, &sess->req->client_start, fd)) == NULL)
		return TLSP_STEP_FAIL;
	return tlsp_session_resume(sess);
}

/* A session to resume came (or not): on to the handshake. */
static enum tlsp_step
tlsp_session_resumed(struct tlsp_session *sess,
                     const struct tlsp_tlsmgr_reply *reply)
{
	sess->lookup = NULL;
	if (reply->status == TLSP_TLSMGR_OK && reply->len > 0)
		(void)tlsp_resume_load(sess->client_conn, reply->data,
		                       reply->len);
	sess->state = TLSP_SESSION_HANDSHAKE;
	return tlsp_session_handshake_step(sess);
}

/* Asks tlsmgr for a cached session when the context caches them. */
static enum tlsp_step
tlsp_session_resume(struct tlsp_session *sess)
{
	const char *type = tlsp_resume_lookup(sess->client_conn);

	sess->state = TLSP_SESSION_HANDSHAKE;
	if (type == NULL || sess->cfg->tlsmgr == NULL)
		return tlsp_session_handshake_step(sess);
	sess->lookup = tlsp_tlsmgr_lookup(
	    sess->cfg->tlsmgr, type, tlsp_policy_cache_id(sess->client_conn),
	    tlsp_session_tlsmgr_event, sess);
	if (sess->lookup == NULL)
		return tlsp_session_handshake_step(sess);
	sess->state = TLSP_SESSION_RESUME;
	tlsp_session_deadline(sess, (unsigned)sess->req->hdr.handshake_timeout *
	                                1000u);
	return TLSP_STEP_CONTINUE;
}

/* --- after the handshake ------------------------------------------------ */

/*
 * rpt_reported (Postfix 3.10+): 1 tells smtp(8) that the TLS engine made
 * this session's TLSRPT event, so that smtp(8) makes none. tlsproxy has
 * no TLSRPT library and reports nothing itself, so it says 1 only where
 * smtp(8)'s own event would be wrong or unwanted: the client had reported
 * already, a resumed session it asked not to report (skip_reused_hs), an
 * external policy failure (smtp(8) would report a certificate failure
 * instead of the policy's), a DANE downgrade to "encrypt" (smtp(8) would
 * report success).
 */
static int
tlsp_session_rpt_reported(const struct tlsp_session *sess,
                          const struct tlsp_tls_result *res)
{
	const struct tlsp_client_start *start = &sess->req->client_start;

	if (!start->tlsrpt)
		return 0;
	return (start->tlsrpt_flags & TLSP_TLSRPT_FLAG_REPORTED) ||
	       (res->session_reused && start->tlsrpt_skip_reused_hs) ||
	       (start->forced_failure_type && *start->forced_failure_type) ||
	       res->level != start->tls_level;
}

static enum tlsp_step tlsp_session_start_pump(struct tlsp_session *sess);

/* Handshake done: evaluate, then queue the context or start pumping. */
static enum tlsp_step
tlsp_session_established(struct tlsp_session *sess)
{
	struct tlsp_tls_result res;
	struct buf out;

	sess->handshake_done = 1;
	if (sess->server_conn) {
		tlsp_server_post_accept(sess->server_conn, &res);
	} else {
		tlsp_eval_result(sess->client_conn, &res);
		res.rpt_reported = tlsp_session_rpt_reported(sess, &res);
	}
	if ((sess->req->hdr.flags & TLSP_FLAG_SEND_CONTEXT) == 0) {
		tlsp_tls_result_free(&res);
		return tlsp_session_start_pump(sess);
	}
	buf_init(&out);
	tlsp_reply_sess_state(&out, &res, sess->req->peer);
	stream_write(sess->plain, out.data, out.len);
	buf_free(&out);
	tlsp_tls_result_free(&res);
	/* Written at once (the usual case): no need to wait for the loop. */
	if (stream_pending(sess->plain) == 0)
		return tlsp_session_start_pump(sess);
	sess->state = TLSP_SESSION_CONTEXT;
	tlsp_session_deadline(sess, (unsigned)sess->req->hdr.handshake_timeout *
	                                1000u);
	return TLSP_STEP_CONTINUE;
}

/* The context is out: hand both sockets and the SSL to the pump. */
static enum tlsp_step
tlsp_session_start_pump(struct tlsp_session *sess)
{
	SSL *ssl = tlsp_session_ssl(sess);
	unsigned timeout_ms;
	size_t pending;
	int plain_fd;

	(void)stream_data(sess->plain, &pending);
	if (pending > 0) {
		msg_warn("%s: plaintext data from the client before the TLS "
		         "context was sent",
		         sess->endpoint);
		return TLSP_STEP_FAIL;
	}
	plain_fd = stream_release(sess->plain);
	sess->plain = NULL;
	(void)event_timer_cancel(tlsp_session_timer_event, sess);
	/* The pump holds its own reference; the TLS connection keeps its. */
	SSL_up_ref(ssl);
	timeout_ms = ((unsigned)sess->req->hdr.session_timeout +
	              TLSP_SESSION_PUMP_SLACK) *
	             1000u;
	/* An idle session keeps only what the pump needs: not the request
	 * (with the engines' props) or the context key; the global settings
	 * borrowed the request's strings. */
	tlsp_request_free(sess->req);
	sess->req = NULL;
	memset(&sess->params, 0, sizeof(sess->params));
	buf_free(&sess->ctx_key);
	sess->state = TLSP_SESSION_PUMP;
	sess->pump = tlsp_pump_create(plain_fd, ssl, sess->remote_fd,
	                              timeout_ms, tlsp_session_pump_done, sess);
	sess->remote_fd = -1;
	return TLSP_STEP_CONTINUE;
}

/* --- the entry point ----------------------------------------------------- */

/* A stream event in a state before the pump. */
static enum tlsp_step
tlsp_session_stream_step(struct tlsp_session *sess, enum stream_event ev)
{
	size_t len;

	switch (sess->state) {
	case TLSP_SESSION_REQUEST:
		if (ev == STREAM_DATA)
			return tlsp_session_request(sess);
		if (ev == STREAM_FLUSHED)
			return TLSP_STEP_CONTINUE;
		msg_warn("tlsp_get_request_event: %s: %s",
		         sess->header_done ? "receive client TLS settings"
		                           : "receive request attributes",
		         tlsp_session_stream_why(sess, ev));
		return TLSP_STEP_FAIL;
	case TLSP_SESSION_REFUSED:
		if (ev == STREAM_DATA) {
			(void)stream_data(sess->plain, &len);
			stream_consume(sess->plain, len);
		}
		return ev == STREAM_DATA || ev == STREAM_FLUSHED
		           ? TLSP_STEP_CONTINUE
		           : TLSP_STEP_DONE;
	case TLSP_SESSION_FD:
		if (ev == STREAM_DATA)
			return tlsp_session_fd(sess);
		if (ev == STREAM_FLUSHED)
			return TLSP_STEP_CONTINUE;
		msg_warn("tlsp_get_fd_event: receive remote SMTP peer file "
		         "descriptor: %s",
		         tlsp_session_stream_why(sess, ev));
		return TLSP_STEP_FAIL;
	case TLSP_SESSION_RESUME:
	case TLSP_SESSION_HANDSHAKE:
		/* Input waits for the pump; a gone client ends the session. */
		return ev == STREAM_EOF || ev == STREAM_ERROR
		           ? TLSP_STEP_FAIL
		           : TLSP_STEP_CONTINUE;
	case TLSP_SESSION_CONTEXT:
		if (ev == STREAM_FLUSHED)
			return tlsp_session_start_pump(sess);
		if (ev == STREAM_DATA)
			return TLSP_STEP_CONTINUE;
		msg_warn("cannot send TLS context: %s",
		         tlsp_session_stream_why(sess, ev));
		return TLSP_STEP_FAIL;
	case TLSP_SESSION_PUMP:
		break;
	}
	msg_panic("%s: stream event %d in state %s", __func__, (int)ev,
	          tlsp_session_state_str(sess->state));
}

/* The state's deadline passed. */
static enum tlsp_step
tlsp_session_timeout(struct tlsp_session *sess)
{
	switch (sess->state) {
	case TLSP_SESSION_REQUEST:
	case TLSP_SESSION_FD:
	case TLSP_SESSION_CONTEXT:
		return tlsp_session_stream_step(sess, STREAM_TIMEOUT);
	default:
		/* refused: the client had its time; handshake: stalled */
		return TLSP_STEP_FAIL;
	}
}

/* Releases everything; the only way a session ends. */
static void
tlsp_session_free(struct tlsp_session *sess)
{
	(void)event_timer_cancel(tlsp_session_timer_event, sess);
	if (sess->lookup != NULL)
		tlsp_tlsmgr_cancel(sess->lookup);
	tlsp_pump_free(sess->pump);
	if (sess->remote_fd >= 0) {
		event_clear(sess->remote_fd);
		(void)close(sess->remote_fd);
	}
	tlsp_policy_free(sess->client_conn);
	tlsp_server_free(sess->server_conn);
	stream_free(sess->plain);
	attr_dec_free(sess->dec);
	tlsp_request_free(sess->req);
	buf_free(&sess->ctx_key);
	free(sess->endpoint);
	if (sess->cfg->disconnect != NULL)
		sess->cfg->disconnect(sess->client_fd);
	free(sess);
	tlsp_session_live--;
	tlsp_heap_trim_soon();
}

/* Logs the stock teardown lines for a session that read its header. */
static void
tlsp_session_log_end(const struct tlsp_session *sess)
{
	if (!sess->header_done)
		return;
	/* Before the handshake is done, the request is still there. */
	if (!sess->handshake_done)
		msg_info("TLS handshake failed for service=%s peer=%s",
		         sess->req->hdr.serverid, sess->endpoint);
	msg_info("DISCONNECT %s", sess->endpoint);
}

static void
tlsp_session_event(struct tlsp_session *sess, const struct tlsp_input *in)
{
	enum tlsp_step step;

	switch (in->kind) {
	case TLSP_INPUT_STREAM:
		step = tlsp_session_stream_step(sess, in->stream_event);
		break;
	case TLSP_INPUT_REMOTE:
		step = tlsp_session_handshake_step(sess);
		break;
	case TLSP_INPUT_TIMER:
		step = tlsp_session_timeout(sess);
		break;
	case TLSP_INPUT_TLSMGR:
		step = tlsp_session_resumed(sess, in->reply);
		break;
	case TLSP_INPUT_PUMP:
		/* The pump closed both sockets and freed its SSL reference. */
		tlsp_pump_free(sess->pump);
		sess->pump = NULL;
		step = TLSP_STEP_DONE;
		break;
	default:
		msg_panic("%s: bad input %d", __func__, (int)in->kind);
	}
	if (step == TLSP_STEP_CONTINUE)
		return;
	tlsp_session_log_end(sess);
	tlsp_session_free(sess);
}

struct tlsp_session *
tlsp_session_create(int fd, const struct tlsp_session_config *cfg)
{
	struct tlsp_session *sess = xcalloc(1, sizeof(*sess));
	struct buf out;

	sess->cfg = cfg;
	sess->state = TLSP_SESSION_REQUEST;
	sess->client_fd = fd;
	sess->remote_fd = -1;
	sess->req = tlsp_request_create();
	sess->dec = attr_dec_create(&tlsp_request_attr_limits);
	buf_init(&sess->ctx_key);
	sess->plain = stream_create(fd, tlsp_session_stream_event, sess);
	buf_init(&out);
	tlsp_reply_announce(&out);
	stream_write(sess->plain, out.data, out.len);
	buf_free(&out);
	tlsp_session_deadline(sess, tlsp_session_init_ms(sess));
	tlsp_session_live++;
	return sess;
}
