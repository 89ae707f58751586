#!/usr/bin/tclsh
puts "starting"
