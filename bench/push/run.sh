#!/usr/bin/env bash
# Push a generated 10,000-RRset zone to PowerDNS (API) and Knot (RFC 2136):
# first push, no-op push, a push changing 100 RRsets (and a verifying no-op).
# Prints wall time and change requests for each. Needs pdns_server, knotd,
# sqlite3 and root (the lab binds 127.53.x.y).
. "$(dirname "$0")/../lib.sh"
bench_run push "$@"
