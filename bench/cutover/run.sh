#!/bin/sh
# Benchmark of `dnsparity status` on a generated 100,000-RRset zone: the
# zone on PowerDNS (old, listed through its API) and Knot (new, AXFR), its
# delegation in a parent zone on BIND, two Unbound resolvers. Prints the
# wall time of the status run and its parts (goal: under 10 s).
set -eu
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/dnsparity
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/dnsparity
go run ./bench/cutover -dnsparity "$bin" "$@"
