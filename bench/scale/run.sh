#!/bin/sh
# How parity's cost grows with the zone: 1,000 to 1,000,000 RRsets served by
# Knot (old) and BIND (new) on loopback; per size dnsperf against each server
# and a parity run (rate from its JSON, peak RSS and CPU from /usr/bin/time -v).
# Prints a table of figures and ratios; -json and -png write them out.
#   bench/scale/run.sh -sizes 1000,10000 -png /tmp/scale.png
. "$(dirname "$0")/../lib.sh"
bench_go scale "$@"
