#!/usr/bin/perl
# dkim_verify_mail_dkim.pl - a second independent DKIM verifier for Tern's
# tests: Mail::DKIM (Debian libmail-dkim-perl) with DNS answered by
# Net::DNS::Resolver::Mock (libnet-dns-resolver-mock-perl) from the records
# given, each published as a TXT record split into 255-byte strings.
#
# usage: dkim_verify_mail_dkim.pl MESSAGE_FILE NAME=TXT [NAME=TXT ...]
# Debian 12's Mail::DKIM (1.20230212) has no Ed25519: ed25519-sha256
# signatures are reported as skipped. Exit 0 only if at least one signature
# was checked and every checked one passed; 1 otherwise; 2 for bad usage.
use strict;
use warnings;

use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;
use Net::DNS::Resolver::Mock;

if (@ARGV < 2) {
    print "usage: $0 MESSAGE_FILE NAME=TXT...\n";
    exit 2;
}
my ($path, @records) = @ARGV;

my $zone = '';
for my $record (@records) {
    my ($name, $value) = split /=/, $record, 2;
    if (!defined $value || $name eq '') {
        print "record '$record' is not NAME=TXT\n";
        exit 2;
    }
    $name =~ s/\.?$/./;
    my @strings = map { '"' . $_ . '"' } unpack('(a255)*', $value);
    $zone .= "$name 300 IN TXT ( @strings )\n";
}
my $resolver = Net::DNS::Resolver::Mock->new();
$resolver->zonefile_parse($zone);
Mail::DKIM::DNS::resolver($resolver);

open(my $fh, '<:raw', $path) or die "cannot read $path: $!";
my $verifier = Mail::DKIM::Verifier->new();
$verifier->load($fh);
close $fh;

my ($checked, $failed, $index) = (0, 0, 0);
for my $signature ($verifier->signatures) {
    my $algorithm = $signature->algorithm // '';
    my $what = "a=$algorithm d=" . ($signature->domain // '') . " s=" . ($signature->selector // '');
    if ($algorithm eq 'ed25519-sha256') {
        print "signature $index: skipped ($what: Ed25519 unsupported by this Mail::DKIM)\n";
    } else {
        $checked++;
        my $result = $signature->result // 'none';
        if ($result eq 'pass') {
            print "signature $index: pass ($what)\n";
        } else {
            $failed++;
            print "signature $index: FAIL: $result (" . ($signature->result_detail // '') . ") ($what)\n";
        }
    }
    $index++;
}
if ($checked == 0) {
    print "FAIL: no signature this verifier can check\n";
    exit 1;
}
exit($failed ? 1 : 0);
