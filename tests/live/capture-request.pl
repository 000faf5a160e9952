#!/usr/bin/perl
# capture-request.pl - a stand-in tlsproxy that records one request
#
# Run by spawn(8) with the client's socket on stdin/stdout: sends the
# announcement, reads the header list and the client-role body list
# (NUL-terminated names and values, an empty name ends a list), writes
# their exact bytes to DIR/request-TIME-PID.bin and answers status 0, so
# that smtp(8) logs "service role client is not available" and defers.
#
# SPDX-License-Identifier: EPL-2.0
use strict;
use warnings;

my ($dir) = @ARGV;
die "usage: capture-request.pl DIR\n" unless defined $dir && -d $dir;
binmode STDIN;
binmode STDOUT;
$| = 1;
print "protocol\0tlsproxy_protocol\0\0";

my $bytes = '';
my $limit = 1024 * 1024;

# One NUL-terminated string; undef at end of input or past the limit.
sub next_string {
	my $s = '';
	while (length($bytes) < $limit) {
		my $c;
		return undef unless sysread(STDIN, $c, 1);
		$bytes .= $c;
		return $s if $c eq "\0";
		$s .= $c;
	}
	return undef;
}

LIST: for my $list (1, 2) {
	while (1) {
		my $name = next_string();
		last LIST unless defined $name;
		last if $name eq '';
		last LIST unless defined next_string();
	}
}
my $file = sprintf "%s/request-%d-%d.bin", $dir, time, $$;
open my $fh, '>', "$file.tmp" or die "$file.tmp: $!";
binmode $fh;
print $fh $bytes;
close $fh or die "$file.tmp: $!";
rename "$file.tmp", $file or die "$file: $!";
print "status\0" . "0\0\0";
