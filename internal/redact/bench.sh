#!/bin/sh
# bench.sh [COMMIT]: ns/op of the *LargeReport benchmarks (BenchmarkReplaceLargeReport,
# BenchmarkReplaceBytesLargeReport, BenchmarkReplaceMarkdownLargeReport) for this tree, and, given COMMIT, for
# internal/redact at COMMIT (its own code, this tree's bench_test.go, in a
# throwaway worktree removed afterwards) and the ratio this/COMMIT.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
run() { (cd "$1" && go test -count=1 -run '^$' -bench 'LargeReport' -benchtime "${BENCHTIME:-5x}" ./internal/redact/ | awk '/^Benchmark/ {print $1, $3}'); }
now=$(run "$root")
echo "$now" | sed 's/^/this: /'
[ $# -eq 0 ] && exit 0
wt=$(mktemp -d)/old
git -C "$root" worktree add -q --detach "$wt" "$1"
trap 'git -C "$root" worktree remove --force "$wt"' EXIT
cp "$dir/bench_test.go" "$wt/internal/redact/"
old=$(run "$wt")
echo "$old" | sed "s/^/$1: /"
echo "$now" | while read -r name ns; do
	o=$(echo "$old" | awk -v n="$name" '$1 == n {print $2}')
	awk -v n="$name" -v a="$ns" -v b="$o" 'BEGIN {printf "ratio %s: %.2f\n", n, a / b}'
done
