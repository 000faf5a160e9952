#!/usr/bin/perl
# ps-client.pl - SMTP clients of postscreen(8) that end up at tlsproxy(8)
#
#   ps-client.pl PORT SRC tls [S_CLIENT_ARG...]
#   ps-client.pl PORT SRC garbage
#   ps-client.pl PORT SRC partial
#   ps-client.pl PORT SRC refused
#   ps-client.pl PORT SRC around SRC2 SRC3 [S_CLIENT_ARG...]
#
# Every client connects from SRC (a 127/8 address) to 127.0.0.1:PORT,
# waits for postscreen's whole greeting, and obeys its after-220 tests
# (one command at a time, CRLF). "tls" runs openssl s_client -starttls
# smtp and, over TLS, EHLO, MAIL, RCPT (postscreen's 450 for a new
# client) and QUIT, one reply at a time; s_client's report goes to
# stdout. "garbage" answers "220 Ready to start TLS" with text instead of
# a ClientHello; "partial" sends the first part of a ClientHello and
# hangs up. "refused" expects STARTTLS to be refused with 454 and then
# goes on in plaintext to postscreen's 450. "around" holds a "tls" session open after its EHLO, runs
# "garbage" from SRC2 and "partial" from SRC3, then finishes the first:
# all three meet the same tlsproxy process. Exit 0 if each client saw
# what it should (see the die messages), 1 otherwise.
#
# SPDX-License-Identifier: EPL-2.0

use strict;
use warnings;
use IO::Socket::INET;
use IPC::Open2;

my $TIMEOUT = 20;
my ($port, $src, $mode, @rest) = @ARGV;
die "usage: $0 PORT SRC tls|garbage|partial|refused|around ...\n"
    unless defined $mode;

$SIG{ALRM} = sub { die "timeout after $TIMEOUT s\n" };
alarm($TIMEOUT);

# reply FH CODE: reads one (multi-line) SMTP reply; dies unless CODE.
sub reply {
	my ($fh, $code) = @_;
	while (defined(my $line = <$fh>)) {
		print STDOUT "<- $line";
		next unless $line =~ /^(\d{3})([ -])/;
		next if $2 eq '-';
		die "wanted $code, got: $line" unless $1 eq $code;
		return;
	}
	die "EOF while waiting for $code\n";
}

# command FH TEXT CODE: one command, then its reply.
sub command {
	my ($fh, $text, $code) = @_;
	print STDOUT "-> $text\n";
	print $fh "$text\r\n";
	reply($fh, $code);
}

# plain_ehlo SRC: a plaintext connection after its EHLO.
sub plain_ehlo {
	my ($from) = @_;
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $port, LocalAddr => $from, Proto => 'tcp')
	    or die "connect from $from: $!\n";
	$s->autoflush(1);
	reply($s, 220);
	command($s, 'EHLO pstest.tlsreuse.test', 250);
	return $s;
}

# plain_starttls SRC: a plaintext connection that got "220 Ready".
sub plain_starttls {
	my $s = plain_ehlo($_[0]);
	command($s, 'STARTTLS', 220);
	return $s;
}

# until_eof SOCKET: tlsproxy closes; postscreen hangs up on the client.
sub until_eof {
	my ($s) = @_;
	my $buf;
	1 while sysread($s, $buf, 4096);
	close($s);
}

sub refused {
	my $s = plain_ehlo($_[0]);
	command($s, 'STARTTLS', 454);
	command($s, 'MAIL FROM:<pstest@tlsreuse.test>', 250);
	command($s, 'RCPT TO:<sink@sink.tlsreuse.test>', 450);
	command($s, 'QUIT', 221);
	close($s);
}

sub garbage {
	my $s = plain_starttls($_[0]);
	print $s "this is no TLS ClientHello\r\n" x 4;
	until_eof($s);
}

sub partial {
	my $s = plain_starttls($_[0]);
	# A handshake record of 512 bytes: type 1 (ClientHello), TLS 1.2,
	# random, then nothing more.
	my $hello = pack('C n n', 22, 0x0301, 512) .
	    pack('C C n n', 1, 0, 508, 0x0303) . ('R' x 32);
	syswrite($s, $hello);
	close($s);
}

# tls_open SRC ARGS: s_client after STARTTLS and the TLS EHLO.
sub tls_open {
	my ($from, @args) = @_;
	my ($out, $in);
	my $pid = open2($out, $in, 'openssl', 's_client', '-starttls', 'smtp',
	    '-name', 'pstest.tlsreuse.test', '-connect', "127.0.0.1:$port",
	    '-bind', "$from:0", '-crlf', '-ign_eof', @args);
	$in->autoflush(1);
	# s_client's report ends with "---" after "Verify return code".
	while (defined(my $line = <$out>)) {
		print STDOUT $line;
		last if $line =~ /^\s*Verify return code:/;
	}
	my $tls = { pid => $pid, out => $out, in => $in };
	print STDOUT "-> EHLO pstest.tlsreuse.test\n";
	print $in "EHLO pstest.tlsreuse.test\n";
	reply($out, 250);
	return $tls;
}

sub tls_finish {
	my ($tls) = @_;
	my ($out, $in) = ($tls->{out}, $tls->{in});
	for my $step (['MAIL FROM:<pstest@tlsreuse.test>', 250],
	    ['RCPT TO:<sink@sink.tlsreuse.test>', 450], ['QUIT', 221]) {
		print STDOUT "-> $step->[0]\n";
		print $in "$step->[0]\n";
		reply($out, $step->[1]);
	}
	close($in);
	1 while <$out>;
	waitpid($tls->{pid}, 0);
}

if ($mode eq 'tls') {
	tls_finish(tls_open($src, @rest));
} elsif ($mode eq 'garbage') {
	garbage($src);
} elsif ($mode eq 'partial') {
	partial($src);
} elsif ($mode eq 'refused') {
	refused($src);
} elsif ($mode eq 'around') {
	my ($src2, $src3, @args) = @rest;
	my $tls = tls_open($src, @args);
	garbage($src2);
	partial($src3);
	tls_finish($tls);
} else {
	die "unknown mode $mode\n";
}
exit 0;
