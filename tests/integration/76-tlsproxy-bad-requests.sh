#!/bin/bash
# 76-tlsproxy-bad-requests.sh - our tlsproxy survives malformed requests
#
# A local client that is not smtp(8) connects to private/tlsproxy of a
# running instance and sends, one connection each: a header with a wrong
# attribute, a value far over the decoder's limit, bad role flags, a
# header then nothing, and a body with an impossible TLS level. Each gets
# exactly one warning and a close (bad flags: status 0); no tlsproxy
# process dies; mail is still delivered through the same tlsproxy
# afterwards. Ours only: stock's warning texts carry its own errno text.
#
# SPDX-License-Identifier: EPL-2.0

. "$(dirname "$0")/lib.sh"

# make check-oracle puts stock daemons in place of ours: nothing to show.
[ -z "${TLSREUSE_OURS_DIR:-}" ] || skip "checks our tlsproxy only"

# bad_client CASE: one connection to private/tlsproxy; prints what came back.
bad_client() {
	perl -MIO::Socket::UNIX -e '
	    my ($path, $case) = @ARGV;
	    my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path)
	        or die "connect $path: $!";
	    my $hdr = sub { join("", map { "$_\0" } @_) . "\0" };
	    my %req = (
	        badattr => $hdr->("remote_endpoint", "[192.0.2.1]:25",
	            "flags", "6", "timeout", "300", "tmeout", "600",
	            "serverid", "smtp"),
	        oversize => "remote_endpoint\0" . ("x" x 200000) . "\0",
	        badflags => $hdr->("remote_endpoint", "[192.0.2.2]:25",
	            "flags", "0", "timeout", "300", "timeout", "600",
	            "serverid", "smtp"),
	        nobody => $hdr->("remote_endpoint", "[192.0.2.3]:25",
	            "flags", "6", "timeout", "300", "timeout", "600",
	            "serverid", "smtp"),
	    );
	    my $body = $hdr->("log_param", "smtp_tls_loglevel", "log_level", "0",
	        "verifydepth", "9", "cache_type", "smtp", "chain_files", "",
	        "cert_file", "", "key_file", "", "dcert_file", "", "dkey_file", "",
	        "eccert_file", "", "eckey_file", "", "CAfile", "", "CApath", "",
	        "mdalg", "sha256", "timeout", "300", "tls_level", "99",
	        "nexthop", "x", "host", "x", "namaddr", "x[192.0.2.4]:25",
	        "sni", "", "serverid", "smtp&x", "helo", "", "protocols", "",
	        "cipher_grade", "medium", "cipher_exclusions", "",
	        "argv_size", "0", "mdalg", "sha256", "dane", "0");
	    $req{badlevel} = $req{nobody} . $body;
	    $req{badlevel} =~ s/192\.0\.2\.3/192.0.2.4/;
	    $s->send($req{$case});
	    shutdown($s, 1) if $case eq "nobody" || $case eq "badflags";
	    my $got = "";
	    while (sysread($s, my $buf, 4096)) { $got .= $buf; }
	    $got =~ s/\0/|/g;
	    print "$got\n";
	' "$I/queue/private/tlsproxy" "$1"
}

TLSREUSE_TLSPROXY=ours instance_up
for c in badattr oversize badflags nobody badlevel; do
	got=$(bad_client "$c") || fail "client $c could not talk to tlsproxy"
	note "$c: tlsproxy sent '$got'"
	case $c in
	badflags)
		[ "$got" = "protocol|tlsproxy_protocol||status|0||" ] ||
		    fail "$c: want the announcement and status 0, got '$got'" ;;
	*)
		[ "$got" = "protocol|tlsproxy_protocol||" ] ||
		    fail "$c: want the announcement only, got '$got'" ;;
	esac
done
wait_for_maillog 'postfix/tlsproxy\[[0-9]+\]: DISCONNECT \[192\.0\.2\.4\]:25' 1
expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: tlsp_get_request_event: receive request attributes: ' 2 \
    "warnings for the bad header and the oversized value"
expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: tlsp_get_request_event: bad request flags: 0x0$' 1 \
    "warning for the bad flags"
expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: tlsp_get_request_event: receive client TLS settings: ' 2 \
    "warnings for the missing and the bad body"
expect_count 'postfix/tlsproxy\[[0-9]+\]: warning: ' 5 "tlsproxy warnings in all"
expect_count 'postfix/tlsproxy\[[0-9]+\]: TLS handshake failed for service=smtp peer=\[192\.0\.2\.[234]\]:25$' 3 \
    "teardown lines after a header was read"
expect_none 'killed by signal|panic:|fatal:' "crashes"
send_messages 3
wait_for_queue_empty
wait_for_maillog 'postfix/smtp\[[0-9]+\]: .*status=sent' 3
expect_count 'postfix/tlsproxy\[[0-9]+\]: CONNECT to \[127\.0\.0\.1\]' 1 \
    "the good client's connection"
[ "$(pgrep -c -f "$I/libexec/tlsreuse/tlsproxy" || true)" -le 1 ] ||
    fail "more than one tlsproxy process: one has restarted"
