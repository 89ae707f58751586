#!/usr/bin/perl
$ENV{MODE} = "prod";
exec @ARGV;
