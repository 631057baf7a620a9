#!/bin/sh
# dnsparity on many zones, from one run: parity and check over N zones of
# 30 RRsets (1,000 and 10,000; Knot old, BIND new on loopback) against one
# zone holding the same RRsets (and ttl --cap --dry-run and plan, the same way), peak RSS, what --shard pays for the split
# (check of one shard against check unsharded; --zone with --shard 1/1
# against without), and a 16-shard sweep (matrix, 16
# processes, merge) against one process, and (the cloud phase) 10,000
# zones planned against the five cloud fakes with their rate windows
# enforced and the account limiters on (windows and limiters sped up alike),
# and (the cutover phase) status and flip --dry-run of 200 zones in one run,
# parent, both sides and the resolver behind relays that delay each message
# (-cutover-delay, 10ms each way), default waves and --wave 8.
# The growth phase runs every command (check, plan, push --dry-run,
# parity, merge, the Action's pr, its pr shards and merge, status and the
# Action's status) at N and 4N zones, every zone with errors, and prints
# a table of the 4N/N ratios of wall, CPU, peak RSS and output (over
# 4.5x: grows faster than the zones).
#   bench/many/run.sh -only growth -growth-zones 500
#   bench/many/run.sh -zones 1000 -only parity,check
#   bench/many/run.sh -only cloud -cloud-zones 10000
#   bench/many/run.sh -only cutover -cutover-zones 64 -repeat 1
. "$(dirname "$0")/../lib.sh"
bench_go many "$@"
