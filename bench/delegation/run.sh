#!/bin/sh
# The delegation gate's cost on a flip: a new side of 8 servers (Knot, in
# two /24s), the real `dnsparity flip --dry-run` run several times; prints
# the gate's own time (from its progress line) against the whole dry run
# (goal: the gate adds under 2 s). Needs root (the lab binds 127.53.x.y:53).
. "$(dirname "$0")/../lib.sh"
bench_go delegation "$@"
