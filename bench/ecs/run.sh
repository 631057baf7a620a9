#!/bin/sh
# What client-subnet (ECS) probing costs: a generated 100,000-RRset zone
# with 10% geo-routed A records and 8 client subnets, PowerDNS LUA (old)
# and Knot mod-geoip (new) serving the same policy; a plain parity run and
# one with --client-subnet ×8, in one run. Prints both and the ratios.
. "$(dirname "$0")/../lib.sh"
bench_go ecs "$@"
