/*
 * tr_status.h - "tlsreuse status": is TLS connection reuse working?
 *
 * The answer, gathered from the instance's files and processes: which
 * tlsproxy and scache programs master.cf runs (ours, with its release,
 * or stock, with Postfix's), which smtp(8)/lmtp(8) transports reuse TLS
 * connections and why (main.cf, their master.cf -o settings, policy
 * table entries), and what stands in the way (struct
 * tr_status_problem, one per finding, each with a stable code).
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#ifndef TLSREUSE_TLSREUSE_TR_STATUS_H
#define TLSREUSE_TLSREUSE_TR_STATUS_H

#include <stddef.h>

#include "tr_conf.h"
#include "tr_ident.h"
#include "tr_policy.h"
#include "tr_proc.h"

enum tr_daemon_state {
	TR_DAEMON_ACTIVE,
	TR_DAEMON_COMMENTED, /* only a commented-out entry */
	TR_DAEMON_MISSING,   /* no entry at all */
};

/* A master.cf entry that runs tlsproxy or scache, or should. */
struct tr_status_daemon {
	const char *role;   /* "tlsproxy" or "scache" */
	char *service;      /* its master.cf name (type unix) */
	enum tr_daemon_state state;
	int line;           /* 0 when missing */
	char *command;      /* the command word; NULL when missing */
	char *program;      /* daemon_directory/command */
	enum tr_ident_kind ident;
	char release[TR_IDENT_RELEASE_MAX + 1]; /* ours */
	int stock;          /* the command is the stock program's name */
	char *maxproc;
	char *chroot;
};

/* An smtp(8) or lmtp(8) entry of master.cf. */
struct tr_status_transport {
	char *service;
	int line;
	const char *client;     /* "smtp" or "lmtp": the parameter prefix */
	char *reuse_param;      /* <client>_tls_connection_reuse */
	char *reuse_value;      /* as this transport sees it */
	int reuse;              /* 1, 0, -1 (not a boolean) */
	int reuse_main;         /* what main.cf alone gives */
	const char *reuse_from; /* "master.cf", "main.cf" or "default" */
	char *policy_param;     /* <client>_tls_policy_maps */
	char *policy_maps;      /* its value */
	struct tr_policy policy;
	int policy_reuse;       /* some listed entry says yes */
	char *time_param;       /* <client>_connection_cache_time_limit */
	int time_limit;         /* seconds, -1 if bad */
	char *tlsproxy_service;
	char *scache_service;
};

struct tr_status_problem {
	const char *code;   /* e.g. "tlsproxy-commented" */
	char *service;      /* the master.cf service it is about, or NULL */
	char *text;
};

struct tr_status {
	const struct tr_conf *conf;
	struct tr_master master;
	int have_master_cf;
	double master_cf_mtime; /* UNIX time */
	double main_cf_mtime;
	int ttl_limit;          /* connection_cache_ttl_limit, -1 if bad */
	size_t ndaemons;
	struct tr_status_daemon *daemon;
	size_t ntransports;
	struct tr_status_transport *transport;
	size_t nproblems;
	struct tr_status_problem *problem;
};

/* Names whose Postfix defaults the status needs (for tr_conf_open). */
extern const char *const tr_status_param_names[];

/*
 * Gathers the status of the instance conf describes; proc is "/proc".
 * Never fails: what cannot be read becomes a problem.
 */
void tr_status_gather(struct tr_status *st, const struct tr_conf *conf,
    const char *proc);

void tr_status_free(struct tr_status *st);

#endif
