#!/usr/bin/perl
# hostile-client.pl - local clients that break the attribute protocol
#
#   hostile-client.pl SOCKET random BYTES
#   hostile-client.pl SOCKET endless-name BYTES
#   hostile-client.pl SOCKET attrs COUNT
#   hostile-client.pl SOCKET value BYTES
#   hostile-client.pl SOCKET prefix scache|tlsproxy
#   hostile-client.pl SOCKET idle COUNT
#
# Each connects to the UNIX stream SOCKET (private/scache or
# private/tlsproxy of an instance) and plays one attacker: BYTES of
# pseudo-random bytes; an attribute name of BYTES bytes that never ends;
# COUNT well-formed attributes in one list; one value of BYTES bytes; a
# well-formed start of a request (scache or tlsproxy), then silence;
# COUNT connections that send nothing. Whatever the daemon sends is read
# and dropped. An attacker stops sending when the daemon closes the
# connection. After sending, or holding its silent connections, it waits
# up to HOSTILE_WAIT seconds (default 10) for the daemon to close them.
#
# Prints one line: "MODE sent=BYTES closed=yes|no after=SECONDS" (after:
# from the first byte to the close, or to giving up); for prefix and
# idle "MODE connections=N closed=K after=SECONDS". Exit 0, or 2 if
# SOCKET cannot be reached.
#
# SPDX-License-Identifier: EPL-2.0

use strict;
use warnings;
use Errno qw(EAGAIN EINTR EPIPE ECONNRESET);
use IO::Select;
use IO::Socket::UNIX;
use Time::HiRes qw(time);

my ($path, $mode, $arg) = @ARGV;
die "usage: $0 SOCKET MODE ARG\n" unless defined $arg;
my $WAIT = $ENV{HOSTILE_WAIT} // 10;
my $CHUNK = 65536;
$SIG{PIPE} = 'IGNORE';

sub connect_one {
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path);
	unless ($s) {
		print "$mode connect failed: $!\n";
		exit 2;
	}
	$s->blocking(0);
	return $s;
}

# drain S: reads what is there; false once the daemon closed S.
sub drain {
	my ($s) = @_;
	while (1) {
		my $n = sysread($s, my $buf, 65536);
		return 0 if defined $n && $n == 0;
		return 1 if !defined $n && ($! == EAGAIN || $! == EINTR);
		return 0 unless defined $n;
	}
}

# attack S NEXT: sends the chunks NEXT returns (undef: done) until the
# daemon closes S; then waits for the close. Returns (sent, closed).
sub attack {
	my ($s, $next) = @_;
	my ($sent, $pending) = (0, '');
	my $sel = IO::Select->new($s);
	while (1) {
		$pending = $next->() if $pending eq '';
		last unless defined $pending;
		my ($r, $w) = IO::Select->select($sel, $sel, undef, $WAIT);
		return ($sent, 0) unless $r || $w;
		return ($sent, 1) if $r && @$r && !drain($s);
		next unless $w && @$w;
		my $n = syswrite($s, $pending);
		if (!defined $n) {
			next if $! == EAGAIN || $! == EINTR;
			return ($sent, 1) if $! == EPIPE || $! == ECONNRESET;
			die "$mode: write: $!\n";
		}
		$sent += $n;
		$pending = substr($pending, $n);
	}
	my $deadline = time() + $WAIT;
	while ((my $left = $deadline - time()) > 0) {
		next unless $sel->can_read($left);
		return ($sent, 1) unless drain($s);
	}
	return ($sent, 0);
}

# chunks TOTAL FN: a NEXT function giving TOTAL bytes, FN(len) each piece.
sub chunks {
	my ($total, $fn) = @_;
	return sub {
		return undef if $total <= 0;
		my $len = $total < $CHUNK ? $total : $CHUNK;
		$total -= $len;
		return $fn->($len);
	};
}

my %prefix = (
	scache => "req\0find_dest\0label\0",
	tlsproxy => "remote_endpoint\0[192.0.2.9]:25\0flags\0",
);

my $t0 = time();

# hold SOCKETS: waits until the daemon closed them all or HOSTILE_WAIT
# passed; prints how many it closed.
sub hold {
	my @open = @_;
	my $sel = IO::Select->new(@open);
	my ($closed, $deadline) = (0, time() + $WAIT);
	while ($closed < @open && (my $left = $deadline - time()) > 0) {
		for my $fh ($sel->can_read($left)) {
			next if drain($fh);
			$sel->remove($fh);
			$closed++;
		}
	}
	printf "%s connections=%d closed=%d after=%.1f\n", $mode, scalar(@open),
	    $closed, time() - $t0;
	exit 0;
}

if ($mode eq 'idle') {
	hold(map { connect_one() } 1 .. $arg);
} elsif ($mode eq 'prefix') {
	die "$mode: unknown protocol $arg\n" unless exists $prefix{$arg};
	my $s = connect_one();
	$s->blocking(1);
	syswrite($s, $prefix{$arg}) == length($prefix{$arg})
	    or die "$mode: write: $!\n";
	$s->blocking(0);
	hold($s);
}

my $next;
if ($mode eq 'random') {
	srand(15);
	$next = chunks($arg, sub { pack('C*', map { int(rand(256)) } 1 .. $_[0]) });
} elsif ($mode eq 'endless-name') {
	$next = chunks($arg, sub { 'n' x $_[0] });
} elsif ($mode eq 'attrs') {
	my $i = 0;
	$next = sub {
		return undef if $i > $arg;
		return "\0" if $i++ == $arg;
		return "name$i\0value$i\0";
	};
} elsif ($mode eq 'value') {
	my $body = chunks($arg, sub { 'v' x $_[0] });
	my @head = ("name\0");
	my @tail = ("\0\0");
	$next = sub {
		return shift @head if @head;
		return $body->() // shift @tail;
	};
} else {
	die "unknown mode $mode\n";
}
my $s = connect_one();
my ($sent, $closed) = attack($s, $next);
printf "%s sent=%d closed=%s after=%.1f\n", $mode, $sent,
    $closed ? 'yes' : 'no', time() - $t0;
exit 0;
