#!/bin/sh
# Flip-to-last-resolver: the time from the registrar change to the last of
# four Unbound resolvers answering from the new provider, against the
# parent's NS TTL (goal: within NS TTL + 1 s). BIND parent, two Knot
# providers, real `dnsparity flip`. Needs root (the lab binds 127.53.x.y:53).
. "$(dirname "$0")/../lib.sh"
bench_go flip "$@"
