#!/bin/bash
# 79-tlsproxy-openssl-config.sh - a transport's own OpenSSL configuration
#
# Two transports name their own OpenSSL configuration in master.cf:
# "-o tls_config_file=${config_directory}/openssl-tls.cnf" with
# "-o tls_config_name=tls12" (whose SSL settings turn TLS 1.3 off:
# "Protocol = ALL,-TLSv1.3") or "chacha" (one TLS 1.3 cipher:
# "Ciphersuites = TLS_CHACHA20_POLY1305_SHA256"). The default smtp
# transport keeps OpenSSL's defaults: TLS 1.3, TLS_AES_256_GCM_SHA384.
# A "max12" section sets "MaxProtocol = TLSv1.2", which smtp(8) replaces
# on each connection with the bounds of smtp_tls_protocols: TLS 1.3 all
# the same, through the proxy as without it.
#
# Without connection reuse, smtp(8) loads the file in its own process:
# the reference for what each transport should get. Stock 3.7.11
# tlsproxy, asked for another configuration than its own, warns
# ("request from tlsproxy client with unexpected settings") and uses its
# own: both transports get the defaults. Ours loads each transport's
# configuration before the jail, in a library context of its own, and
# serves it: the maillog shows the restricted protocol and cipher, the
# default transport keeps TLS 1.3, and nothing is logged as a warning.
#
# A third transport names a section the file lacks (tls_config_name =
# nosuch). Stock smtp(8) logs nothing and uses OpenSSL's defaults: with
# OpenSSL 3.0 a missing application section loads nothing, although
# Postfix documents it as an error. Ours fails closed, as documented:
# "error loading the 'nosuch' settings ..., disabling TLS support" at
# start-up, and the transport's requests are refused (the mail waits).
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

require_ours tlsproxy

N=3
CHACHA=TLS_CHACHA20_POLY1305_SHA256
CNF='${config_directory}/openssl-tls.cnf'

# openssl_cnf: the file both transports name, in the instance's conf/.
openssl_cnf() {
	cat >"$I/conf/openssl-tls.cnf" <<'CNF'
tls12 = tls12_app
chacha = chacha_app
max12 = max12_app
[tls12_app]
ssl_conf = tls12_ssl
[tls12_ssl]
system_default = tls12_sys
[tls12_sys]
Protocol = ALL,-TLSv1.3
[chacha_app]
ssl_conf = chacha_ssl
[chacha_ssl]
system_default = chacha_sys
[chacha_sys]
Ciphersuites = TLS_CHACHA20_POLY1305_SHA256
[max12_app]
ssl_conf = max12_ssl
[max12_ssl]
system_default = max12_sys
[max12_sys]
MaxProtocol = TLSv1.2
CNF
}

# config_instance REUSE TRANSPORT...: an instance with those transports
# (each named after its tls_config_name), mail for TRANSPORT.tlsreuse.test
# routed to each, N messages through each, then (unless one is expected
# to wait) N through the default transport.
config_instance() {
	local reuse=$1 t routes="" lines=() waits=0
	shift
	for t; do
		lines+=(--master-line "$t unix - - n - - smtp -o syslog_name=postfix/$t -o tls_config_file=$CNF -o tls_config_name=$t")
	done
	instance_up --reuse "$reuse" "${lines[@]}"
	openssl_cnf
	# The sink's port is known only now; trivial-rewrite rereads on reload.
	for t; do
		routes="$routes${routes:+, }$t.tlsreuse.test=$t:[127.0.0.1]:$PORT_SINK"
	done
	postconf_set "transport_maps = inline:{$routes}"
	instance_reload
	for t; do
		LIB_SINK_RCPT=sink@$t.tlsreuse.test send_messages "$N"
		if [ "$t" = nosuch ] && [ "$reuse" = yes ]; then
			wait_for_maillog "postfix/$t/smtp\\[[0-9]+\\]: .*status=deferred" "$N"
			waits=1
			continue
		fi
		wait_for_queue_empty
		wait_for_maillog "postfix/$t/smtp\\[[0-9]+\\]: .*status=sent" "$N"
	done
	if [ "$waits" = 0 ]; then
		send_messages "$N"
		wait_for_queue_empty
		wait_for_maillog "postfix/smtp\\[[0-9]+\\]: .*status=sent" "$N"
	fi
}

# established TAG REST: smtp(8)'s "TLS connection established" lines of
# the transport that logs as postfix/TAG/smtp ("" for the default one).
established() {
	echo "postfix/${1:+$1/}smtp\\[[0-9]+\\]: Verified TLS connection established to [^ ]+: $2"
}

# expect_every TAG REST WHAT: at least one handshake through the
# transport TAG, and each matches REST.
expect_every() {
	local n
	n=$(maillog_count "$(established "$1" '')")
	[ "$n" -ge 1 ] || fail "no handshake through ${1:-smtp}"
	expect_count "$(established "$1" "$2")" "$n" "$3"
}

# expect_restricted: every handshake of each transport as its file says.
expect_restricted() {
	expect_every tls12 'TLSv1\.2 with cipher ' "tls12 handshakes with TLS 1.2"
	expect_every chacha "TLSv1\\.3 with cipher $CHACHA " \
	    "chacha handshakes with $CHACHA"
	expect_every '' 'TLSv1\.3 with cipher TLS_AES_256_GCM_SHA384 ' \
	    "default handshakes with TLS 1.3 and OpenSSL's first cipher"
	expect_every max12 'TLSv1\.3 ' \
	    "max12 handshakes with TLS 1.3 (the connection's bounds win)"
}

note "smtp(8) without tlsproxy: each transport loads its own file"
config_instance no tls12 chacha max12 nosuch
expect_restricted
expect_count 'postfix/tlsproxy\[' 0 "tlsproxy lines without reuse"
expect_every nosuch 'TLSv1\.3 with cipher TLS_AES_256_GCM_SHA384 ' \
    "nosuch handshakes with OpenSSL's defaults (stock, silently)"
expect_no_warnings
instance_down

note "stock tlsproxy: the transports' configurations are not used"
TLSREUSE_TLSPROXY=stock config_instance yes tls12 chacha
expect_none "$(established tls12 'TLSv1\.2 ')" "tls12 handshakes with TLS 1.2 (stock)"
expect_none "$(established chacha "[^ ]+ with cipher $CHACHA ")" \
    "chacha handshakes with $CHACHA (stock)"
expect_at_least 'postfix/tlsproxy\[[0-9]+\]: warning: request from tlsproxy client with unexpected settings$' 1 \
    "stock's unexpected-settings warning"
expect_at_least "postfix/tlsproxy\\[[0-9]+\\]: warning: \\(server\\) 'config_file=default' != \\(client\\) 'config_file=[^']*/openssl-tls\\.cnf'" 1 \
    "stock's tls_config_file difference"
instance_down

note "our tlsproxy: each transport's configuration, without a warning"
config_instance yes tls12 chacha max12
expect_restricted
expect_at_least 'postfix/tlsproxy\[[0-9]+\]: Verified TLS connection established to [^ ]+: TLSv1\.2 ' 1 \
    "tlsproxy's own line of a TLS 1.2 handshake"
expect_at_least "postfix/tlsproxy\\[[0-9]+\\]: Verified TLS connection established to [^ ]+: TLSv1\\.3 with cipher $CHACHA " 1 \
    "tlsproxy's own line of a $CHACHA handshake"
expect_count 'postfix/discard\[[0-9]+\]: .*status=sent \(sink\)' $((4 * N)) \
    "messages received by the sink"
expect_no_warnings
instance_down

note "our tlsproxy: a missing section fails closed, with the reason"
config_instance yes nosuch
expect_at_least "postfix/tlsproxy\\[[0-9]+\\]: warning: error loading the 'nosuch' settings from the [^ ]+/openssl-tls\\.cnf OpenSSL configuration file, disabling TLS support$" 1 \
    "the load failure"
expect_at_least 'postfix/tlsproxy\[[0-9]+\]: warning: [^ ]+/openssl-tls\.cnf: no "nosuch = <section>" line$' 1 \
    "why it failed"
expect_at_least "postfix/tlsproxy\\[[0-9]+\\]: warning: client request refused: it asks for OpenSSL configuration tls_config_file=[^ ]+/openssl-tls\\.cnf tls_config_name=nosuch, which could not be loaded at start-up" 1 \
    "the refusal"
expect_none "$(established nosuch '')" "nosuch handshakes"
expect_count 'postfix/discard\[[0-9]+\]: .*status=sent' 0 \
    "messages received through nosuch"
