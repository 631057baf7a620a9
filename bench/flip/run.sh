#!/bin/sh
# Flip-to-last-resolver: the time from the registrar change to the last of
# four Unbound resolvers answering from the new provider, against the
# parent's NS TTL (goal: within NS TTL + 1 s). BIND parent, two Knot
# providers, real `dnsparity flip`. Needs root (the lab binds 127.53.x.y:53).
set -eu
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/dnsparity
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/dnsparity
go run ./bench/flip -dnsparity "$bin" "$@"
