#!/bin/sh
# What redact.Plain costs plan --format markdown on a 10,000-RRset plan
# (BenchmarkWritePlansMarkdown in cmd/dnsparity): ns/op with no secret,
# with a set of two secrets (Plain before rendering), and with the set and
# the step log's redacting writer; ratios against no secret, from one run.
#   bench/plain/run.sh            (BENCHTIME=5x by default)
. "$(dirname "$0")/../lib.sh"
go test -count=1 -run '^$' -bench 'WritePlansMarkdown' -benchtime "${BENCHTIME:-5x}" -benchmem ./cmd/dnsparity/ |
	awk '/^BenchmarkWritePlansMarkdown/ {
		split($1, n, "/"); sub(/-[0-9]+$/, "", n[2]); ns[n[2]] = $3; mb[n[2]] = $5; order[++k] = n[2]
	}
	END {
		for (i = 1; i <= k; i++) {
			c = order[i]
			printf "%-14s %8.1f ms/op %8.1f MB/op  ratio %.2f (time) %.2f (bytes)\n", c, ns[c] / 1e6, mb[c] / 1e6, ns[c] / ns["no-secret"], mb[c] / mb["no-secret"]
		}
	}'
