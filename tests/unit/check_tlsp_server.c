/*
 * check_tlsp_server.c - the server-role TLS engine, by real handshakes
 *
 * Each test builds the engine from server init props, runs tlsproxy's
 * side of a handshake against an OpenSSL test client over a socketpair,
 * and checks what the peer saw and what was logged. tlsmgr(8) is a fake
 * behind struct tlsp_server_cache_ops. Keys are made at fixture time.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "buf.h"
#include "capture.h"
#include "runner.h"
#include "server_role/tlsp_server_conn.h"
#include "server_role/tlsp_server_ctx.h"
#include "tlsp_hs.h"
#include "tlsp_pki.h"

Suite *tlsp_server_suite(void);

/* What the fake tlsmgr holds and counts. */
struct fake_tlsmgr {
	int cachable;
	int timeout;
	int have_key;
	struct tlsp_tktkey key;
	int tktkey_new;   /* requests for the current key */
	int tktkey_named; /* requests for a named key */
	char cache_id[512];
	struct buf session;
	int lookups;
	int updates;
};

static struct fake_tlsmgr fake;
static struct tlsp_server_init init;
static struct tlsp_server_start props;
static char chains[1024];
static char sni_maps[1024];

static int
fake_policy(void *context, const char *type, int *cachable, int *timeout)
{
	ck_assert_ptr_eq(context, &fake);
	ck_assert_str_eq(type, "smtpd");
	*cachable = fake.cachable;
	*timeout = fake.timeout;
	return 0;
}

static int
fake_seed(void *context, unsigned char *buf, size_t len)
{
	(void)context;
	memset(buf, 0x5a, len);
	return 0;
}

static int
fake_lookup(void *context, const char *type, const char *id,
            struct buf *session)
{
	(void)context;
	ck_assert_str_eq(type, "smtpd");
	fake.lookups++;
	if (strcmp(id, fake.cache_id) != 0)
		return -1;
	buf_reset(session);
	buf_append(session, fake.session.data, fake.session.len);
	return 0;
}

static void
fake_update(void *context, const char *type, const char *id,
            const unsigned char *der, size_t len)
{
	(void)context;
	ck_assert_str_eq(type, "smtpd");
	fake.updates++;
	snprintf(fake.cache_id, sizeof(fake.cache_id), "%s", id);
	buf_reset(&fake.session);
	buf_append(&fake.session, der, len);
}

static int
fake_tktkey(void *context, const unsigned char *name, struct tlsp_tktkey *key)
{
	(void)context;
	if (name == 0)
		fake.tktkey_new++;
	else
		fake.tktkey_named++;
	if (!fake.have_key ||
	    (name && memcmp(name, fake.key.name, TLSP_TKTKEY_NAMELEN) != 0))
		return -1;
	*key = fake.key;
	return 0;
}

static int
fake_no_seed(void *context, unsigned char *buf, size_t len)
{
	(void)context;
	(void)buf;
	(void)len;
	return -1;
}

static const struct tlsp_server_cache_ops fake_ops = {
    .context = &fake,
    .seed = fake_seed,
    .policy = fake_policy,
    .lookup = fake_lookup,
    .update = fake_update,
    .tktkey = fake_tktkey,
};

static void
setup(void)
{
	tlsp_hs_params = tlsp_hs_defaults;
	buf_free(&fake.session);
	memset(&fake, 0, sizeof(fake));
	buf_init(&fake.session);
	fake.timeout = 3600;
	fake.have_key = 1;
	memset(fake.key.name, 'N', sizeof(fake.key.name));
	memset(fake.key.bits, 'K', sizeof(fake.key.bits));
	memset(fake.key.hmac, 'H', sizeof(fake.key.hmac));
	fake.key.tout = time(0) + 1800;
	snprintf(chains, sizeof(chains), "%s %s",
	         tlsp_pki_get(TLSP_PKI_EC_GOOD)->file,
	         tlsp_pki_get(TLSP_PKI_RSA_GOOD)->file);
	memset(&init, 0, sizeof(init));
	init.base.log_param = "tlsproxy_tls_loglevel";
	init.base.log_level = "1";
	init.base.verifydepth = 9;
	init.base.cache_type = "smtpd";
	init.base.chain_files = chains;
	init.base.mdalg = "sha256";
	init.set_sessid = 1;
	init.protocols = ">=TLSv1";
	init.ticket_cipher = "aes-256-cbc";
	memset(&props, 0, sizeof(props));
	props.serverid = "smtpd";
	props.namaddr = "[127.0.0.1]:25";
	props.cipher_grade = "medium";
	props.cipher_exclusions = "";
	props.mdalg = "sha256";
	capture_start();
}

static void
teardown(void)
{
	buf_free(&fake.session);
}

/* The test client's choices. */
struct client {
	int max_version;     /* 0 = library maximum */
	const char *sigalgs; /* NULL = OpenSSL's order */
	const char *sni;
	int cert;            /* a TLSP_PKI_* identity, or -1 */
	SSL_SESSION *resume; /* offered session, or NULL */
	int no_ticket;
	const char *ciphers; /* TLS 1.2 list in preference order, or NULL */
	/* results */
	int peer_key; /* EVP_PKEY_* of the server certificate */
	char peer_cn[256];
	SSL_SESSION *session; /* after the handshake (owned) */
	int reused;
	char sni_seen[256]; /* what tlsp_server_sni() said */
};

static void
client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->cert = -1;
}

/* Client SSL on fd. */
static SSL *
client_ssl(struct client *c, int fd)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	const struct tlsp_pki_id *id;
	SSL *ssl;

	SSL_CTX_set_security_level(ctx, 0);
	if (c->max_version)
		SSL_CTX_set_max_proto_version(ctx, c->max_version);
	if (c->sigalgs)
		ck_assert_int_eq(SSL_CTX_set1_sigalgs_list(ctx, c->sigalgs), 1);
	if (c->no_ticket)
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	if (c->ciphers)
		ck_assert_int_eq(SSL_CTX_set_cipher_list(ctx, c->ciphers), 1);
	if (c->cert >= 0) {
		id = tlsp_pki_get(c->cert);
		ck_assert_int_eq(SSL_CTX_use_certificate(ctx, id->cert), 1);
		ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, id->key), 1);
		if (id->issuer)
			SSL_CTX_add1_chain_cert(ctx, id->issuer);
	}
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);
	if (c->sni)
		SSL_set_tlsext_host_name(ssl, c->sni);
	if (c->resume)
		SSL_set_session(ssl, c->resume);
	SSL_set_fd(ssl, fd);
	return ssl;
}

/* Lets the client read the server's post-handshake messages (tickets). */
static void
client_drain(SSL *client, SSL *server)
{
	char byte;

	ck_assert_int_eq(SSL_write(server, "x", 1), 1);
	ck_assert_int_eq(SSL_read(client, &byte, 1), 1);
}

/* What the client learned about the server. */
static void
client_record(struct client *c, SSL *client)
{
	X509 *peer = SSL_get0_peer_certificate(client);

	c->peer_key = EVP_PKEY_get_base_id(X509_get0_pubkey(peer));
	X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName,
	                          c->peer_cn, sizeof(c->peer_cn));
	c->reused = SSL_session_reused(client);
	c->session = SSL_get1_session(client);
	/* A clean close, or OpenSSL marks the session not resumable. */
	SSL_set_shutdown(client, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
}

/*
 * One handshake of ctx against client c; on success fills res (release
 * with tlsp_tls_result_free) and returns 1, else 0. -1 if the session
 * did not start.
 */
static int
run(struct tlsp_server_ctx *ctx, struct client *c, struct tlsp_tls_result *res)
{
	struct tlsp_server_conn *sess;
	SSL *client;
	int fd[2];
	int ok;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0);
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	fcntl(fd[1], F_SETFL, O_NONBLOCK);
	if ((sess = tlsp_server_start(ctx, &props, fd[1])) == 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	client = client_ssl(c, fd[0]);
	if ((ok = tlsp_pki_handshake(client, tlsp_server_ssl(sess))) != 0) {
		tlsp_server_post_accept(sess, res);
		client_drain(client, tlsp_server_ssl(sess));
		client_record(c, client);
		snprintf(c->sni_seen, sizeof(c->sni_seen), "%s",
		         tlsp_server_sni(sess) ? tlsp_server_sni(sess) : "");
	}
	SSL_free(client);
	tlsp_server_free(sess);
	close(fd[0]);
	close(fd[1]);
	return ok;
}

static struct tlsp_server_ctx *
build(void)
{
	struct tlsp_server_ctx *ctx =
	    tlsp_server_ctx_create(&tlsp_hs_params, &init, &fake_ops);

	ck_assert_msg(ctx != 0, "engine failed: %s", capture_text());
	return ctx;
}

/* One handshake with a fresh engine; asserts it completed. */
static void
run_ok(struct client *c, struct tlsp_tls_result *res)
{
	struct tlsp_server_ctx *ctx = build();

	ck_assert_msg(run(ctx, c, res) == 1, "handshake failed: %s",
	              capture_text());
	tlsp_server_ctx_free(ctx);
}

START_TEST(tls13_anonymous_summary_as_stock)
{
	struct tlsp_tls_result res;
	struct client c;

	client_init(&c);
	run_ok(&c, &res);
	ck_assert_str_eq(
	    capture_text(),
	    "Anonymous TLS connection established "
	    "from [127.0.0.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	    "(256/256 bits) key-exchange X25519 server-signature ECDSA "
	    "(prime256v1) server-digest SHA256\n");
	ck_assert_int_eq(c.peer_key, EVP_PKEY_EC);
	ck_assert_int_eq(res.peer_status, 0);
	ck_assert_str_eq(res.namaddr, "[127.0.0.1]:25");
	ck_assert_str_eq(res.srvr_signature, "ECDSA");
	ck_assert_str_eq(res.clnt_signature, "");
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(rsa_chain_chosen_by_client_sigalgs)
{
	struct tlsp_tls_result res;
	struct client c;

	client_init(&c);
	c.sigalgs = "rsa_pss_rsae_sha256";
	run_ok(&c, &res);
	ck_assert_int_eq(c.peer_key, EVP_PKEY_RSA);
	ck_assert_str_eq(c.peer_cn, "mx.example.com");
	ck_assert_int_eq(capture_count("server-signature RSA-PSS (2048 bits) "
	                               "server-digest SHA256"),
	                 1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(tls12_summary_has_no_tls13_details)
{
	struct tlsp_tls_result res;
	struct client c;

	client_init(&c);
	c.max_version = TLS1_2_VERSION;
	run_ok(&c, &res);
	ck_assert_str_eq(capture_text(),
	                 "Anonymous TLS connection established "
	                 "from [127.0.0.1]:25: TLSv1.2 with cipher "
	                 "ECDHE-ECDSA-AES256-GCM-SHA384 (256/256 bits)\n");
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(protocol_ceiling_is_honoured)
{
	struct tlsp_tls_result res;
	struct client c;

	client_init(&c);
	init.protocols = "<=TLSv1.2";
	run_ok(&c, &res);
	ck_assert_str_eq(res.cipher_protocol, "TLSv1.2");
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(excluded_protocol_fails_the_handshake)
{
	struct tlsp_server_ctx *ctx;
	struct tlsp_tls_result res;
	struct client c;

	client_init(&c);
	c.max_version = TLS1_2_VERSION;
	init.protocols = "!TLSv1.2, !TLSv1.1, !TLSv1";
	ctx = build();
	ck_assert_int_eq(run(ctx, &c, &res), 0);
	ck_assert_int_eq(capture_count("TLS connection established"), 0);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(garbage_instead_of_client_hello_fails_cleanly)
{
	struct tlsp_server_ctx *ctx = build();
	struct tlsp_server_conn *sess;
	int fd[2];
	int ret;
	int i;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0);
	fcntl(fd[1], F_SETFL, O_NONBLOCK);
	ck_assert_int_eq(write(fd[0], "EHLO client.example\r\n", 21), 21);
	ck_assert_ptr_nonnull(sess = tlsp_server_start(ctx, &props, fd[1]));
	for (i = 0; i < 10; i++)
		if ((ret = SSL_accept(tlsp_server_ssl(sess))) <= 0 &&
		    SSL_get_error(tlsp_server_ssl(sess), ret) !=
		        SSL_ERROR_WANT_READ)
			break;
	ck_assert_int_eq(ret, -1);
	ck_assert_int_eq(SSL_get_error(tlsp_server_ssl(sess), ret),
	                 SSL_ERROR_SSL);
	tlsp_server_free(sess);
	close(fd[0]);
	close(fd[1]);
	ck_assert_str_eq(capture_text(), "");
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(sni_map_entry_selects_its_chain)
{
	struct tlsp_tls_result res;
	struct client c;

	snprintf(sni_maps, sizeof(sni_maps), "inline:{other.example.net=%s}",
	         tlsp_pki_get(TLSP_PKI_EC_WRONG)->file);
	init.sni_maps = sni_maps;
	client_init(&c);
	c.sni = "Other.Example.NET";
	run_ok(&c, &res);
	ck_assert_str_eq(c.peer_cn, "other.example.net");
	ck_assert_str_eq(c.sni_seen, "Other.Example.NET");
	ck_assert_int_eq(
	    capture_count("Anonymous TLS connection established "
	                  "from [127.0.0.1]:25 to Other.Example.NET: TLSv1.3"),
	    1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(sni_survives_hello_retry_request)
{
	struct tlsp_tls_result res;
	struct client c;

	/* The client's X25519 share is refused: HelloRetryRequest. */
	tlsp_hs_params.tls_eecdh_auto_curves = "prime256v1";
	init.base.log_level = "summary, ssl-debug";
	snprintf(sni_maps, sizeof(sni_maps), "inline:{other.example.net=%s}",
	         tlsp_pki_get(TLSP_PKI_EC_WRONG)->file);
	init.sni_maps = sni_maps;
	client_init(&c);
	c.sni = "other.example.net";
	run_ok(&c, &res);
	ck_assert_str_eq(c.peer_cn, "other.example.net");
	ck_assert_int_eq(capture_count("from [127.0.0.1]:25 to "
	                               "other.example.net: TLSv1.3 with cipher "
	                               "TLS_AES_256_GCM_SHA384 (256/256 bits) "
	                               "key-exchange ECDHE (prime256v1) "),
	                 1);
	ck_assert_int_eq(capture_count("TLS SNI changed"), 0);
	/* Two ClientHellos: the retry happened. */
	ck_assert_int_eq(capture_count("SSL_accept:SSLv3/TLS read client "
	                               "hello"),
	                 2);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(unknown_sni_uses_default_chain)
{
	struct tlsp_tls_result res;
	struct client c;

	snprintf(sni_maps, sizeof(sni_maps), "inline:{other.example.net=%s}",
	         tlsp_pki_get(TLSP_PKI_EC_WRONG)->file);
	init.sni_maps = sni_maps;
	client_init(&c);
	c.sni = "unknown.example.com";
	run_ok(&c, &res);
	ck_assert_str_eq(c.peer_cn, "mx.example.com");
	ck_assert_str_eq(c.sni_seen, "");
	ck_assert_int_eq(
	    capture_count("TLS SNI unknown.example.com from "
	                  "[127.0.0.1]:25 not matched, using default chain"),
	    1);
	ck_assert_int_eq(capture_count("established from [127.0.0.1]:25: "), 1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(invalid_sni_is_ignored_with_warning)
{
	struct tlsp_tls_result res;
	struct client c;

	snprintf(sni_maps, sizeof(sni_maps), "static:%s",
	         tlsp_pki_get(TLSP_PKI_EC_WRONG)->file);
	init.sni_maps = sni_maps;
	client_init(&c);
	c.sni = "-bad.example";
	run_ok(&c, &res);
	ck_assert_str_eq(c.peer_cn, "mx.example.com");
	ck_assert_int_eq(capture_count("warning: TLS SNI from [127.0.0.1]:25 "
	                               "is invalid: -bad.example"),
	                 1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(broken_sni_chain_aborts_the_handshake)
{
	struct tlsp_server_ctx *ctx;
	struct tlsp_tls_result res;
	struct client c;

	/* A certificate without its key. */
	snprintf(sni_maps, sizeof(sni_maps), "static:%s",
	         tlsp_pki_get(TLSP_PKI_EC_WRONG)->certfile);
	init.sni_maps = sni_maps;
	client_init(&c);
	c.sni = "other.example.net";
	ctx = build();
	ck_assert_int_eq(run(ctx, &c, &res), 0);
	ck_assert_int_eq(
	    capture_count("warning: error loading chain from SNI "
	                  "data for other.example.net: key not first"),
	    1);
	ck_assert_int_eq(capture_count("warning: error loading private keys "
	                               "and certificates from: SNI data for "
	                               "other.example.net: aborting "
	                               "TLS handshake"),
	                 1);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(unsupported_sni_map_type_keeps_default_chain)
{
	struct tlsp_tls_result res;
	struct client c;

	init.sni_maps = "hash:/etc/postfix/sni";
	client_init(&c);
	c.sni = "other.example.net";
	run_ok(&c, &res);
	ck_assert_str_eq(c.peer_cn, "mx.example.com");
	ck_assert_int_eq(capture_count("map type \"hash\" is not supported"),
	                 1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(trusted_client_certificate_is_reported)
{
	struct tlsp_tls_result res;
	struct client c;

	init.ask_ccert = 1;
	init.base.CAfile = tlsp_pki_get(TLSP_PKI_CA)->certfile;
	client_init(&c);
	c.cert = TLSP_PKI_EC_CLIENT;
	run_ok(&c, &res);
	ck_assert_int_eq(res.peer_status,
	                 TLSP_PEER_PRESENT | TLSP_PEER_TRUSTED);
	ck_assert_str_eq(res.peer_CN, "client.example.com");
	ck_assert_str_eq(res.issuer_CN, "Test Root CA");
	ck_assert_str_eq(
	    res.peer_fingerprint,
	    tlsp_pki_openssl_fprint(TLSP_PKI_EC_CLIENT, "sha256", 0));
	ck_assert_str_eq(
	    res.peer_pubkey_fingerprint,
	    tlsp_pki_openssl_fprint(TLSP_PKI_EC_CLIENT, "sha256", 1));
	ck_assert_int_eq(
	    capture_count(
	        "Trusted TLS connection established "
	        "from [127.0.0.1]:25: TLSv1.3 with cipher "
	        "TLS_AES_256_GCM_SHA384 "
	        "(256/256 bits) key-exchange X25519 server-signature ECDSA "
	        "(prime256v1) server-digest SHA256 client-signature ECDSA "
	        "(prime256v1) client-digest SHA256"),
	    1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(untrusted_client_certificate_logged_with_requirecert)
{
	struct tlsp_tls_result res;
	struct client c;

	init.ask_ccert = 1;
	init.base.CAfile = tlsp_pki_get(TLSP_PKI_CA)->certfile;
	props.requirecert = 1;
	client_init(&c);
	c.cert = TLSP_PKI_EC_OTHERCA;
	run_ok(&c, &res);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(capture_count("certificate verification failed for "
	                               "[127.0.0.1]:25: "),
	                 1);
	ck_assert_int_eq(capture_count("Untrusted TLS connection established "
	                               "from [127.0.0.1]:25: "),
	                 1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(untrusted_client_certificate_quiet_without_requirecert)
{
	struct tlsp_tls_result res;
	struct client c;

	init.ask_ccert = 1;
	client_init(&c);
	c.cert = TLSP_PKI_EC_CLIENT;
	run_ok(&c, &res);
	ck_assert_int_eq(res.peer_status, TLSP_PEER_PRESENT);
	ck_assert_int_eq(capture_count("certificate verification failed"), 0);
	ck_assert_int_eq(capture_count("Untrusted TLS connection"), 1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(ticket_resumption_with_tlsmgr_key)
{
	struct tlsp_server_ctx *ctx;
	struct tlsp_tls_result res;
	struct client first;
	struct client again;
	char line[128];

	init.base.log_level = "summary, cache";
	ctx = build();
	client_init(&first);
	ck_assert_int_eq(run(ctx, &first, &res), 1);
	tlsp_tls_result_free(&res);
	ck_assert_int_eq(fake.tktkey_new, 1);
	snprintf(line, sizeof(line),
	         "[127.0.0.1]:25: Issuing session ticket, "
	         "key expiration: %ld",
	         (long)fake.key.tout);
	ck_assert_int_eq(capture_count(line), 1);
	client_init(&again);
	again.resume = first.session;
	ck_assert_int_eq(run(ctx, &again, &res), 1);
	ck_assert_int_eq(again.reused, 1);
	ck_assert_int_eq(res.session_reused, 1);
	/* The key came from the local slots: tlsmgr was not asked again. */
	ck_assert_int_eq(fake.tktkey_new + fake.tktkey_named, 1);
	snprintf(line, sizeof(line),
	         "[127.0.0.1]:25: Decrypting session "
	         "ticket, key expiration: %ld",
	         (long)fake.key.tout);
	ck_assert_int_eq(capture_count(line), 1);
	ck_assert_int_eq(capture_count("[127.0.0.1]:25: Reusing old session "
	                               "(RFC 5077 session ticket)"),
	                 1);
	ck_assert_int_eq(capture_count("key-exchange X25519 server-signature "
	                               "ECDSA (prime256v1)"),
	                 1);
	tlsp_tls_result_free(&res);
	SSL_SESSION_free(first.session);
	SSL_SESSION_free(again.session);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(unknown_ticket_key_means_full_handshake)
{
	struct tlsp_server_ctx *ctx = build();
	struct tlsp_tls_result res;
	struct client first;
	struct client again;

	client_init(&first);
	ck_assert_int_eq(run(ctx, &first, &res), 1);
	tlsp_tls_result_free(&res);
	tlsp_server_ctx_free(ctx);
	/* A new process: empty key slots, and tlsmgr has rolled the key. */
	memset(fake.key.name, 'M', sizeof(fake.key.name));
	ctx = build();
	client_init(&again);
	again.resume = first.session;
	ck_assert_int_eq(run(ctx, &again, &res), 1);
	ck_assert_int_eq(again.reused, 0);
	ck_assert_int_eq(fake.tktkey_named, 1);
	tlsp_tls_result_free(&res);
	SSL_SESSION_free(first.session);
	SSL_SESSION_free(again.session);
	tlsp_server_ctx_free(ctx);
}
END_TEST

/* Stock fails the handshake here; a ticket is not worth a failed STARTTLS. */
START_TEST(no_ticket_key_means_no_ticket_not_a_failed_handshake)
{
	static const int versions[] = {0, TLS1_2_VERSION};
	struct tlsp_server_ctx *ctx;
	struct tlsp_tls_result res;
	struct client c;
	size_t i;

	fake.have_key = 0;
	ctx = build();
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		client_init(&c);
		c.max_version = versions[i];
		ck_assert_int_eq(run(ctx, &c, &res), 1);
		ck_assert_int_eq(fake.tktkey_new, (int)i + 1);
		ck_assert(c.session == NULL ||
		          !SSL_SESSION_has_ticket(c.session));
		tlsp_tls_result_free(&res);
		SSL_SESSION_free(c.session);
	}
	ck_assert_int_eq(capture_count("Issuing session ticket"), 0);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(session_id_cache_goes_through_lookup_and_update)
{
	struct tlsp_server_ctx *ctx;
	struct tlsp_tls_result res;
	struct client first;
	struct client again;
	char suffix[64];
	const char *amp;

	fake.cachable = 1;
	init.ticket_cipher = "";
	init.base.log_level = "cache";
	ctx = build();
	ck_assert(SSL_CTX_get_options(tlsp_server_ctx_ssl_ctx(ctx)) &
	          SSL_OP_NO_TICKET);
	client_init(&first);
	first.max_version = TLS1_2_VERSION;
	ck_assert_int_eq(run(ctx, &first, &res), 1);
	tlsp_tls_result_free(&res);
	ck_assert_int_eq(fake.updates, 1);
	snprintf(suffix, sizeof(suffix), "&s=smtpd&l=%lu",
	         (unsigned long)OpenSSL_version_num());
	ck_assert_ptr_nonnull(amp = strchr(fake.cache_id, '&'));
	ck_assert_str_eq(amp, suffix);
	ck_assert_int_eq((int)(amp - fake.cache_id), 64);
	ck_assert_uint_eq(strspn(fake.cache_id, "0123456789ABCDEF"), 64);
	client_init(&again);
	again.max_version = TLS1_2_VERSION;
	again.resume = first.session;
	ck_assert_int_eq(run(ctx, &again, &res), 1);
	ck_assert_int_eq(again.reused, 1);
	ck_assert_int_eq(fake.lookups, 1);
	ck_assert_int_eq(capture_count("reloaded session"), 1);
	ck_assert_int_eq(capture_count("[127.0.0.1]:25: Reusing old "
	                               "session"),
	                 1);
	tlsp_tls_result_free(&res);
	SSL_SESSION_free(first.session);
	SSL_SESSION_free(again.session);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(tlsmgr_timeout_zero_disables_tickets_and_cache)
{
	struct tlsp_server_ctx *ctx;

	fake.cachable = 1;
	fake.timeout = 0;
	init.set_sessid = 0;
	ctx = build();
	ck_assert(SSL_CTX_get_options(tlsp_server_ctx_ssl_ctx(ctx)) &
	          SSL_OP_NO_TICKET);
	ck_assert_int_eq(
	    SSL_CTX_get_session_cache_mode(tlsp_server_ctx_ssl_ctx(ctx)),
	    SSL_SESS_CACHE_OFF);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(invalid_ticket_cipher_disables_tickets)
{
	struct tlsp_server_ctx *ctx;

	init.ticket_cipher = "aes-256-gcm";
	ctx = build();
	ck_assert_str_eq(
	    capture_text(),
	    "warning: tls_session_ticket_cipher: "
	    "invalid value: aes-256-gcm; session tickets disabled\n");
	ck_assert(SSL_CTX_get_options(tlsp_server_ctx_ssl_ctx(ctx)) &
	          SSL_OP_NO_TICKET);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(engine_errors_disable_tls)
{
	init.protocols = ">=TLSv9";
	ck_assert_ptr_null(
	    tlsp_server_ctx_create(&tlsp_hs_params, &init, &fake_ops));
	ck_assert_int_eq(capture_count("warning: Invalid TLS protocol list "
	                               "\">=TLSv9\": disabling TLS support"),
	                 1);
	init.protocols = ">=TLSv1";
	init.base.chain_files = "";
	init.base.cert_file = "/nonexistent/cert.pem";
	init.base.key_file = "/nonexistent/key.pem";
	ck_assert_ptr_null(
	    tlsp_server_ctx_create(&tlsp_hs_params, &init, &fake_ops));
	ck_assert_int_eq(
	    capture_count(
	        "warning: cannot get RSA certificate "
	        "from file \"/nonexistent/cert.pem\": disabling TLS support"),
	    1);
	init.base.chain_files = chains;
	init.base.mdalg = "nosuch";
	ck_assert_ptr_null(
	    tlsp_server_ctx_create(&tlsp_hs_params, &init, &fake_ops));
	ck_assert_int_eq(capture_count("Digest algorithm \"nosuch\" not "
	                               "found"),
	                 1);
}
END_TEST

START_TEST(legacy_cert_key_pairs_load)
{
	struct tlsp_tls_result res;
	struct client c;

	init.base.chain_files = "";
	init.base.cert_file = tlsp_pki_get(TLSP_PKI_RSA_GOOD)->file;
	init.base.key_file = tlsp_pki_get(TLSP_PKI_RSA_GOOD)->file;
	init.base.eccert_file = tlsp_pki_get(TLSP_PKI_EC_GOOD)->certfile;
	init.base.eckey_file = tlsp_pki_get(TLSP_PKI_EC_GOOD)->file;
	client_init(&c);
	c.sigalgs = "rsa_pss_rsae_sha256";
	run_ok(&c, &res);
	ck_assert_int_eq(c.peer_key, EVP_PKEY_RSA);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
	client_init(&c);
	c.sigalgs = "ecdsa_secp256r1_sha256";
	run_ok(&c, &res);
	ck_assert_int_eq(c.peer_key, EVP_PKEY_EC);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(dh_parameter_file_problems_only_warn)
{
	struct tlsp_server_ctx *ctx;

	init.dh1024_param_file = "/nonexistent/dh.pem";
	ctx = build();
	ck_assert_str_eq(
	    capture_text(),
	    "warning: error opening DH parameter "
	    "file \"/nonexistent/dh.pem\": No such file or directory -- using "
	    "compiled-in defaults\n");
	tlsp_server_ctx_free(ctx);
	capture_start();
	init.dh1024_param_file = "auto";
	ctx = build();
	ck_assert_str_eq(capture_text(), "");
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(verbose_level_logs_setup)
{
	struct tlsp_tls_result res;
	struct client c;

	init.base.log_level = "2";
	client_init(&c);
	run_ok(&c, &res);
	ck_assert_int_eq(capture_count("initializing the server-side TLS "
	                               "engine"),
	                 1);
	ck_assert_int_eq(capture_count("setting up TLS connection from "
	                               "[127.0.0.1]:25"),
	                 1);
	ck_assert_int_eq(
	    capture_count("[127.0.0.1]:25: TLS cipher list "
	                  "\"aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH\""),
	    1);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(no_tlsmgr_still_serves)
{
	struct tlsp_server_ctx *ctx =
	    tlsp_server_ctx_create(&tlsp_hs_params, &init, 0);
	struct tlsp_tls_result res;
	struct client c;

	ck_assert_ptr_nonnull(ctx);
	client_init(&c);
	ck_assert_int_eq(run(ctx, &c, &res), 1);
	ck_assert(SSL_CTX_get_options(tlsp_server_ctx_ssl_ctx(ctx)) &
	          SSL_OP_NO_TICKET);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(ssl_options_no_ticket_wins_over_tlsmgr)
{
	struct tlsp_server_ctx *ctx;
	struct tlsp_tls_result res;
	struct client c;

	tlsp_hs_params.tls_ssl_options = "no_ticket";
	ctx = build();
	ck_assert(SSL_CTX_get_options(tlsp_server_ctx_ssl_ctx(ctx)) &
	          SSL_OP_NO_TICKET);
	client_init(&c);
	ck_assert_int_eq(run(ctx, &c, &res), 1);
	ck_assert_int_eq(fake.tktkey_new + fake.tktkey_named, 0);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
	tlsp_server_ctx_free(ctx);
}
END_TEST

START_TEST(no_entropy_disables_tls)
{
	struct tlsp_server_cache_ops ops = fake_ops;

	ops.seed = fake_no_seed;
	ck_assert_ptr_null(
	    tlsp_server_ctx_create(&tlsp_hs_params, &init, &ops));
	ck_assert_str_eq(capture_text(), "warning: no entropy for TLS key "
	                                 "generation: disabling TLS support\n");
}
END_TEST

START_TEST(debug_level_logs_accept_states)
{
	struct tlsp_tls_result res;
	struct client c;

	init.base.log_level = "ssl-debug";
	client_init(&c);
	run_ok(&c, &res);
	ck_assert_int_ge(capture_count("SSL_accept:"), 5);
	ck_assert_int_eq(capture_count("SSL_connect:"), 0);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

/* Number of packet-dump header lines for one run at log level. */
static int
dump_lines(const char *level)
{
	struct tlsp_tls_result res;
	struct client c;

	capture_start();
	init.base.log_level = level;
	client_init(&c);
	run_ok(&c, &res);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
	return capture_count(" bytes => ");
}

START_TEST(packet_dumps_stop_after_handshake_below_level_4)
{
	int handshake = dump_lines("3");
	int session = dump_lines("4");

	ck_assert_int_gt(handshake, 2);
	/* Level 4 also dumps the byte tlsproxy writes after the handshake. */
	ck_assert_int_gt(session, handshake);
	ck_assert_int_eq(dump_lines("2"), 0);
}
END_TEST

/* The TLS 1.2 cipher chosen for a client preferring AES128. */
static void
preempt_run(int preempt, const char *expect)
{
	struct tlsp_tls_result res;
	struct client c;

	init.preempt_cipherlist = preempt;
	client_init(&c);
	c.max_version = TLS1_2_VERSION;
	c.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:"
	            "ECDHE-ECDSA-AES256-GCM-SHA384";
	run_ok(&c, &res);
	ck_assert_str_eq(res.cipher_name, expect);
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}

START_TEST(preempt_cipherlist_prefers_server_order)
{
	preempt_run(0, "ECDHE-ECDSA-AES128-GCM-SHA256");
	preempt_run(1, "ECDHE-ECDSA-AES256-GCM-SHA384");
}
END_TEST

START_TEST(cipher_exclusions_apply_to_the_session)
{
	struct tlsp_tls_result res;
	struct client c;

	props.cipher_exclusions = "AES256";
	client_init(&c);
	c.max_version = TLS1_2_VERSION;
	run_ok(&c, &res);
	ck_assert_str_eq(res.cipher_name, "ECDHE-ECDSA-CHACHA20-POLY1305");
	SSL_SESSION_free(c.session);
	tlsp_tls_result_free(&res);
}
END_TEST

START_TEST(bad_cipher_grade_refuses_the_session)
{
	struct tlsp_server_ctx *ctx = build();
	struct tlsp_tls_result res;
	struct client c;

	props.cipher_grade = "super";
	client_init(&c);
	ck_assert_int_eq(run(ctx, &c, &res), -1);
	ck_assert_str_eq(capture_text(), "warning: [127.0.0.1]:25: invalid "
	                                 "cipher grade: \"super\"\n");
	tlsp_server_ctx_free(ctx);
}
END_TEST

Suite *
tlsp_server_suite(void)
{
	Suite *s = suite_create("tlsp_server");
	TCase *tc = tcase_create("server");

	tlsp_pki_create();
	atexit(tlsp_pki_destroy);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, tls13_anonymous_summary_as_stock);
	tcase_add_test(tc, rsa_chain_chosen_by_client_sigalgs);
	tcase_add_test(tc, tls12_summary_has_no_tls13_details);
	tcase_add_test(tc, protocol_ceiling_is_honoured);
	tcase_add_test(tc, excluded_protocol_fails_the_handshake);
	tcase_add_test(tc, garbage_instead_of_client_hello_fails_cleanly);
	tcase_add_test(tc, sni_map_entry_selects_its_chain);
	tcase_add_test(tc, sni_survives_hello_retry_request);
	tcase_add_test(tc, unknown_sni_uses_default_chain);
	tcase_add_test(tc, invalid_sni_is_ignored_with_warning);
	tcase_add_test(tc, broken_sni_chain_aborts_the_handshake);
	tcase_add_test(tc, unsupported_sni_map_type_keeps_default_chain);
	tcase_add_test(tc, trusted_client_certificate_is_reported);
	tcase_add_test(tc,
	               untrusted_client_certificate_logged_with_requirecert);
	tcase_add_test(tc,
	               untrusted_client_certificate_quiet_without_requirecert);
	tcase_add_test(tc, ticket_resumption_with_tlsmgr_key);
	tcase_add_test(tc, unknown_ticket_key_means_full_handshake);
	tcase_add_test(tc, no_ticket_key_means_no_ticket_not_a_failed_handshake);
	tcase_add_test(tc, session_id_cache_goes_through_lookup_and_update);
	tcase_add_test(tc, tlsmgr_timeout_zero_disables_tickets_and_cache);
	tcase_add_test(tc, invalid_ticket_cipher_disables_tickets);
	tcase_add_test(tc, engine_errors_disable_tls);
	tcase_add_test(tc, legacy_cert_key_pairs_load);
	tcase_add_test(tc, dh_parameter_file_problems_only_warn);
	tcase_add_test(tc, verbose_level_logs_setup);
	tcase_add_test(tc, no_tlsmgr_still_serves);
	tcase_add_test(tc, ssl_options_no_ticket_wins_over_tlsmgr);
	tcase_add_test(tc, no_entropy_disables_tls);
	tcase_add_test(tc, debug_level_logs_accept_states);
	tcase_add_test(tc, packet_dumps_stop_after_handshake_below_level_4);
	tcase_add_test(tc, preempt_cipherlist_prefers_server_order);
	tcase_add_test(tc, cipher_exclusions_apply_to_the_session);
	tcase_add_test(tc, bad_cipher_grade_refuses_the_session);
	suite_add_tcase(s, tc);
	return s;
}

RUNNER_SUITE(tlsp_server_suite)
