#!/usr/bin/perl
# Drive FixMyStreet's own Open311 client (perllib/Open311.pm, unmodified) against a running
# Doorstep: GET services, POST a request, GET requests, GET the new request.
#
#   git -C <fixmystreet checkout> show HEAD:perllib/Open311.pm > /tmp/fms/perllib/Open311.pm
#   apt-get install liburi-perl libmoo-perl libmoox-types-mooselike-perl libxml-simple-perl \
#       libwww-perl libdatetime-format-w3cdtf-perl libpath-tiny-perl libtry-tiny-perl
#   perl -I/tmp/fms/perllib bench/open311_pm.pl http://127.0.0.1:8300/open311/v2/ demo-open311-key \
#       39.3859 76.0417     # a point in the key's street (the demo's 五四大街76号院)
#
# Their code is not copied here. Open311.pm `use`s parts of the FixMyStreet application
# (Cobrand, DB, PhotoSet, ImageMagick, Utils) that a request never reaches with uploads off;
# below they are marked loaded, and the two functions a request does call
# (Utils::truncate_coordinate, FixMyStreet->config) are our own few lines. The report handed
# to send_service_request is a plain object with the accessors Open311.pm reads.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));

BEGIN {
    $INC{$_} = __FILE__ for qw(
        FixMyStreet/Cobrand.pm FixMyStreet/DB.pm FixMyStreet/App/Model/PhotoSet.pm
        FixMyStreet/ImageMagick.pm Utils.pm
    );
}

package Utils {
    sub truncate_coordinate { my $out = sprintf('%0.6f', shift); $out =~ s{\.?0+\z}{}; $out }
}

package FixMyStreet {
    sub config    { undef }
    sub test_mode { 1 }
}

package Report {
    # The accessors of a FixMyStreet problem that Open311.pm reads for a request.
    sub new { my ($class, %fields) = @_; bless {%fields}, $class }
    our $AUTOLOAD;
    sub AUTOLOAD {
        my $self = shift;
        (my $name = $AUTOLOAD) =~ s/.*:://;
        return if $name eq 'DESTROY';
        return $self->{$name};
    }
    sub user             { my $self = shift; Report->new(email => $self->{email}) }
    sub get_extra_fields { [] }
    sub bodies           { {} }
}

package main;

use Open311;

my ($endpoint, $api_key, $lat, $long) = @ARGV;
die "usage: $0 <endpoint ending in /open311/v2/> <api_key> <lat> <long>\n" unless $long;

my $client = Open311->new(endpoint => $endpoint, api_key => $api_key);
my $services = $client->get_service_list or die "services: " . $client->error;
my @services = @{ $services->{service} };
printf "Open311.pm services: %d (first %s %s)\n", scalar @services,
    $services[0]{service_code}, $services[0]{service_name};

my $report = Report->new(
    id        => 1,
    title     => '路灯不亮',
    detail    => '小区门口的路灯坏了三天，晚上很黑。',
    name      => 'Jane Doe',
    email     => 'jane@example.org',
    latitude  => $lat,
    longitude => $long,
    used_map  => 1,
    cobrand   => 'doorstep-bench',
);
my $id = $client->send_service_request($report, { url => 'https://example.org/report/1' },
    $services[0]{service_code});
printf "Open311.pm POST requests: service_request_id %s%s\n", $id || '(none)',
    $id ? '' : "\n" . $client->error;

# As FixMyStreet polls for updates: no api_key on GET (Open311.pm sends it on POST only).
my $requests = $client->get_service_requests({ start_date => '2020-01-01T00:00:00Z' }) || [];
printf "Open311.pm GET requests: %d\n", scalar @$requests;
if ($id) {
    my ($mine) = @{ $client->get_service_requests({ report_ids => [$id] }) || [] };
    printf "Open311.pm GET requests?service_request_id=%s: status %s, description %s\n",
        $id, $mine->{status}, substr($mine->{description} // '', 0, 20);
}
