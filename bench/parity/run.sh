#!/bin/sh
# Benchmark of the parity engine: a generated 100,000-RRset zone served by
# PowerDNS (old) and Knot (new) on loopback; dnsperf against each, a
# sequential dig loop and a parity run (rate from its JSON, peak RSS from
# /usr/bin/time -v). Prints the figures and the ratios.
set -eu
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/dnsparity
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/dnsparity
go run ./bench/parity -dnsparity "$bin" "$@"
