#!/bin/sh
# The cost of a change to the flip: `dnsparity flip` on a 10,000-RRset
# zone (two Knot providers listed by AXFR, a BIND parent), timed with the
# binary of BEFORE (a git revision; default 984a5b4^, the commit before
# the listing re-check) and of the working tree, each on a fresh lab;
# prints both wall times and the ratio. Needs root (the lab binds
# 127.53.x.y:53). ARGS go to the program (-rrsets N).
. "$(dirname "$0")/../lib.sh"
build_dnsparity
rev=${BEFORE:-984a5b4^}
mkdir -p "$work/before"
git archive "$rev" | tar -x -C "$work/before"
(cd "$work/before" && go build -o "$work/dnsparity-before" ./cmd/dnsparity)
bench_run flipcost -dnsparity "$bin" -before "$work/dnsparity-before" "$@"
