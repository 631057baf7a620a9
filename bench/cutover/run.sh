#!/bin/sh
# Benchmark of `dnsparity status` on a generated 100,000-RRset zone: the
# zone on PowerDNS (old, listed through its API) and Knot (new, AXFR), its
# delegation in a parent zone on BIND, two Unbound resolvers. Prints the
# wall time of the status run and its parts (goal: under 10 s).
. "$(dirname "$0")/../lib.sh"
bench_go cutover "$@"
