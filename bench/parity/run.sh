#!/bin/sh
# Benchmark of the parity engine: a generated 100,000-RRset zone served by
# PowerDNS (old) and Knot (new) on loopback; dnsperf against each, a
# sequential dig loop and a parity run (rate from its JSON, peak RSS from
# /usr/bin/time -v). Prints the figures and the ratios.
. "$(dirname "$0")/../lib.sh"
bench_go parity "$@"
