#!/bin/sh
# The Action's merge of pr-many.yml's shard reports (bench/many
# -merge-reports: 16
# shards of ZONES zones each, every 50th with a finding and a change),
# this build against another commit's (default main), from one run: the
# peak RSS of each (GNU time's %M) and their ratio, at each zone count.
#   bench/many/merge-rss.sh                       # 1000 and 5000 zones a shard
#   BEFORE=abc123 ZONES="2000" SHARDS=64 bench/many/merge-rss.sh
. "$(dirname "$0")/../lib.sh"
build_dnsparity
build_before
shards=${SHARDS:-16}
for n in ${ZONES:-1000 5000}; do
	ws=$work/ws-$n
	mkdir -p "$ws"
	bench_run many -merge-reports "$ws" -shards "$shards" -shard-zones "$n"
	size=$(du -sk "$ws/shards" | cut -f1)
	peak() { # binary: its peak RSS in KiB merging the reports in $ws
		rm -rf "$ws/.dnsparity"
		env -i PATH="$PATH" HOME="$work" GITHUB_WORKSPACE="$ws" GITHUB_EVENT_NAME=workflow_dispatch \
			GITHUB_STEP_SUMMARY="$work/summary" GITHUB_OUTPUT="$work/output" \
			INPUT_COMMAND=merge INPUT_REPORTS='shards/*/pr.json' INPUT_ARGS="--expect $shards" INPUT_COMMENT=false \
			/usr/bin/time -f %M -o "$work/rss" "$1" action >/dev/null 2>&1 || true
		test -s "$ws/.dnsparity/pr.json" || { echo "merge-rss: $1 wrote no merged report" >&2; exit 1; }
		cat "$work/rss"
	}
	b=$(peak "$before/dnsparity")
	a=$(peak "$bin")
	awk -v n="$n" -v s="$shards" -v k="$size" -v b="$b" -v a="$a" 'BEGIN {
		printf "merge of %d shards x %d zones (reports %.1f MiB): peak RSS before %.1f MiB, after %.1f MiB: %.2fx\n", s, n, k/1024, b/1024, a/1024, a/b }'
done
