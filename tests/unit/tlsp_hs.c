/*
 * tlsp_hs.c - run one client TLS session of the engine against a test
 * server (in-process, non-blocking, over a socketpair)
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "client_role/tlsp_ctx.h"
#include "client_role/tlsp_eval.h"
#include "client_role/tlsp_policy.h"
#include "client_role/tlsp_resume.h"
#include "client_role/tlsp_settings.h"
#include "tlsp_hs.h"

struct tlsp_tls_params tlsp_hs_params;

/* Resolved settings of the runs of this process (one test at a time). */
static struct tlsp_settings_cache *tlsp_hs_settings;

const struct tlsp_tls_params tlsp_hs_defaults = TLSP_TLS_PARAMS_DEFAULTS;

void
tlsp_hs_init_props(struct tlsp_tls_init *init)
{
	memset(init, 0, sizeof(*init));
	init->log_param = "smtp_tls_loglevel";
	init->log_level = "0";
	init->verifydepth = 9;
	init->cache_type = "smtp";
	init->CAfile = tlsp_pki_get(TLSP_PKI_CA)->certfile;
	init->mdalg = "sha256";
}

void
tlsp_hs_start_props(struct tlsp_client_start *start, int level)
{
	memset(start, 0, sizeof(*start));
	start->tls_level = level;
	start->nexthop = "example.com";
	start->host = "mx.example.com";
	start->namaddr = "MX.Example.com[127.0.0.1]:25";
	start->sni = "";
	start->protocols = ">=TLSv1";
	start->cipher_grade = "medium";
	start->cipher_exclusions = "";
	start->mdalg = "sha256";
	start->params = &tlsp_hs_params;
}

const struct tlsp_client_start *
tlsp_hs_settle(const struct tlsp_client_start *start,
               struct tlsp_client_start *copy)
{
	*copy = *start;
	if (copy->params == 0)
		copy->params = &tlsp_hs_params;
	if (tlsp_hs_settings == 0)
		tlsp_hs_settings = tlsp_settings_cache_create();
	copy->settings = tlsp_settings_get(tlsp_hs_settings, copy->params);
	return copy;
}

static int
tlsp_hs_sni_cb(SSL *ssl, int *alert, void *arg)
{
	struct tlsp_hs_server *srv = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	(void)alert;
	snprintf(srv->sni, sizeof(srv->sni), "%s", name ? name : "");
	return SSL_TLSEXT_ERR_OK;
}

/* The test server asks for, but does not judge, client certificates. */
static int
tlsp_hs_accept_any(int ok, X509_STORE_CTX *store)
{
	(void)ok;
	(void)store;
	return 1;
}

/* Server SSL on fd for srv. */
static SSL *
tlsp_hs_server_ssl(struct tlsp_hs_server *srv, int fd)
{
	SSL_CTX *ctx = srv->ctx ? srv->ctx : tlsp_pki_server_ctx(srv->cert);
	SSL *ssl;

	if (srv->ctx)
		SSL_CTX_up_ref(ctx);
	SSL_CTX_set_tlsext_servername_callback(ctx, tlsp_hs_sni_cb);
	SSL_CTX_set_tlsext_servername_arg(ctx, srv);
	if (srv->max_version)
		SSL_CTX_set_max_proto_version(ctx, srv->max_version);
	if (srv->ask_client_cert)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, tlsp_hs_accept_any);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	SSL_CTX_free(ctx);
	return ssl;
}

/* Lets the client see what the server sent after the handshake. */
static void
tlsp_hs_drain(SSL *client)
{
	char byte;

	(void)SSL_read(client, &byte, 1);
}

/* What the client offered (server's view) and what it was set to. */
static void
tlsp_hs_record(struct tlsp_hs_server *srv, SSL *client, SSL *server)
{
	const char *name;
	size_t len = 0;
	int n, i;

	n = (int)SSL_get1_groups(server, NULL);
	if (n > (int)(sizeof(srv->peer_groups) / sizeof(srv->peer_groups[0])))
		n = 0;
	srv->peer_group_count = n > 0 ? n : 0;
	if (n > 0)
		(void)SSL_get1_groups(server, srv->peer_groups);
	srv->client_ciphers[0] = 0;
	for (i = 0; (name = SSL_get_cipher_list(client, i)) != 0; i++)
		len += (size_t)snprintf(srv->client_ciphers + len,
		                        sizeof(srv->client_ciphers) - len,
		                        "%s%s", i ? ":" : "", name);
	srv->client_options = SSL_get_options(client);
}

int
tlsp_hs_run_ctx(struct tlsp_ctx *ctx, const struct tlsp_client_start *start,
                struct tlsp_hs_server *srv, struct tlsp_tls_result *res,
                const unsigned char *resume, size_t resume_len)
{
	struct tlsp_client_conn *conn = 0;
	struct tlsp_client_start settled;
	SSL *server = 0;
	int fd[2];
	int ret = 0;

	start = tlsp_hs_settle(start, &settled);
	srv->sni[0] = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fd) < 0)
		return 0;
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	fcntl(fd[1], F_SETFL, O_NONBLOCK);
	if ((conn = tlsp_policy_start(ctx, start, fd[0])) != 0) {
		if (resume)
			(void)tlsp_resume_load(conn, resume, resume_len);
		server = tlsp_hs_server_ssl(srv, fd[1]);
		ret =
		    tlsp_pki_handshake(tlsp_policy_ssl(conn), server) ? 1 : -1;
		if (ret == 1) {
			tlsp_hs_record(srv, tlsp_policy_ssl(conn), server);
			tlsp_eval_result(conn, res);
			tlsp_hs_drain(tlsp_policy_ssl(conn));
		}
	}
	SSL_free(server);
	tlsp_policy_free(conn);
	close(fd[0]);
	close(fd[1]);
	return ret;
}

int
tlsp_hs_run(const struct tlsp_tls_init *init,
            const struct tlsp_client_start *start, struct tlsp_hs_server *srv,
            struct tlsp_tls_result *res)
{
	struct tlsp_ctx *ctx = tlsp_ctx_create(NULL, &tlsp_hs_params, init);
	int ret;

	if (ctx == 0)
		return 0;
	ret = tlsp_hs_run_ctx(ctx, start, srv, res, 0, 0);
	tlsp_ctx_free(ctx);
	return ret;
}
