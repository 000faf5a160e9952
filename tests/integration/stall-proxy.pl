#!/usr/bin/perl
# stall-proxy.pl - a TCP relay in front of the sink that can stall mid-DATA
#
#   stall-proxy.pl LISTEN_PORT TARGET_PORT CONTROL_DIR
#
# Relays each connection to 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT
# byte for byte (the TLS inside stays end to end). Once the file
# CONTROL_DIR/stall exists, the first connection on which the client then
# sends more than STALL_AFTER bytes (16 KiB) without the server sending
# anything in between - in SMTP that happens only inside a message's
# DATA - is frozen: from then on nothing is read from or relayed to
# either side, so the client sees a server that stopped reading in the
# middle of a message. The proxy writes CONTROL_DIR/stalled then and
# freezes no other connection. Small socket buffers keep the bytes that
# the kernel still absorbs after the freeze few.
#
# Writes CONTROL_DIR/ready once it listens; runs until killed.
#
# SPDX-License-Identifier: EPL-2.0

use strict;
use warnings;
use Errno qw(EAGAIN EINTR EINPROGRESS);
use IO::Select;
use IO::Socket::INET;
use Socket qw(SOL_SOCKET SO_RCVBUF SO_SNDBUF);

my ($listen_port, $target_port, $dir) = @ARGV;
die "usage: $0 LISTEN_PORT TARGET_PORT CONTROL_DIR\n" unless defined $dir;
my $STALL_AFTER = 16384;
my $BUFSIZE = 16384;
$SIG{PIPE} = 'IGNORE';

my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
    LocalPort => $listen_port, Proto => 'tcp', Listen => 64, ReuseAddr => 1)
    or die "listen on $listen_port: $!\n";
setsockopt($listener, SOL_SOCKET, SO_RCVBUF, $BUFSIZE);
open(my $fh, '>', "$dir/ready") or die "$dir/ready: $!\n";
close($fh);

my $sel = IO::Select->new($listener);
my %sock;   # "socket" -> socket, for the keys below
my %peer;   # "socket" -> the other socket of its pair
my %out;    # "socket" -> bytes waiting to be written to it
my %conn;   # "socket" -> the pair's state (one hash for both)
my $stalled = 0;

sub close_pair {
	my ($s) = @_;
	my @pair = grep { defined } ($s, $peer{$s});
	for my $x (@pair) {
		$sel->remove($x);
		delete $_->{$x} for (\%sock, \%peer, \%out, \%conn);
		close($x);
	}
}

sub accept_one {
	my $c = $listener->accept or return;
	my $t = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $target_port, Proto => 'tcp');
	unless ($t) {
		close($c);
		return;
	}
	setsockopt($_, SOL_SOCKET, SO_SNDBUF, $BUFSIZE) for ($c, $t);
	$_->blocking(0) for ($c, $t);
	my $state = { client => $c, quiet => 0 };
	@sock{$c, $t} = ($c, $t);
	@peer{$c, $t} = ($t, $c);
	@out{$c, $t} = ('', '');
	@conn{$c, $t} = ($state, $state);
	$sel->add($c, $t);
}

# freeze S: from now on nothing moves on S's pair; the sockets stay open.
sub freeze {
	my ($s) = @_;
	$sel->remove($s, $peer{$s});
	delete $out{$_} for ($s, $peer{$s});
	$stalled = 1;
	open(my $f, '>', "$dir/stalled") or die "$dir/stalled: $!\n";
	print $f time(), "\n";
	close($f);
}

# relay S: one read from S, queued for its peer; false at EOF or error.
sub relay {
	my ($s) = @_;
	my $n = sysread($s, my $buf, 65536);
	return 1 if !defined $n && ($! == EAGAIN || $! == EINTR);
	return 0 unless $n;
	my $state = $conn{$s};
	$state->{quiet} = $s == $state->{client} ? $state->{quiet} + $n : 0;
	$out{$peer{$s}} .= $buf;
	return 1;
}

# flush S: writes what waits for S; false on error.
sub flush {
	my ($s) = @_;
	return 1 if !exists $out{$s} || $out{$s} eq '';
	my $n = syswrite($s, $out{$s});
	return 1 if !defined $n && ($! == EAGAIN || $! == EINTR);
	return 0 unless defined $n;
	substr($out{$s}, 0, $n) = '';
	return 1;
}

while (1) {
	my $wsel = IO::Select->new(map { $sock{$_} }
	    grep { $out{$_} ne '' } keys %out);
	my ($r, $w) = IO::Select->select($sel, $wsel, undef, 1);
	for my $s (@{ $r // [] }) {
		if ($s == $listener) {
			accept_one();
			next;
		}
		next unless exists $out{$s};
		if (!relay($s) || !flush($peer{$s})) {
			close_pair($s);
			next;
		}
		freeze($s) if !$stalled && $conn{$s}{quiet} > $STALL_AFTER &&
		    -e "$dir/stall";
	}
	for my $s (@{ $w // [] }) {
		next unless exists $out{$s};
		close_pair($s) unless flush($s);
	}
}
