#!/bin/sh
# What code spans cost redact.Replace on a crafted text (BenchmarkCodeSpans
# in internal/redact): runs of backticks no run closes, of lengths 1, 2,
# 3 ..., against as many bytes of closed code spans, and a plan's
# Markdown table (its cells read apart), for n = 64 KiB and
# 4n, with a secret that holds a backtick (so code spans are read as a
# renderer reads them). Ratios from one run: unclosed/closed at each
# size, and how each grows from n to 4n (4 is linear).
#   bench/codespan/run.sh          (BENCHTIME=5x by default)
. "$(dirname "$0")/../lib.sh"
go test -count=1 -run '^$' -bench 'CodeSpans' -benchtime "${BENCHTIME:-5x}" ./internal/redact/ |
	awk '/^BenchmarkCodeSpans\// {
		split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); ns[p[2] "/" p[3]] = $3; sizes[p[3]] = 1
	}
	END {
		n = 0
		for (s in sizes) if (n == 0 || s + 0 < n) n = s + 0
		m = 4 * n
		for (i = 0; i < 2; i++) {
			s = (i == 0) ? n : m
			printf "n=%-7d unclosed %9.2f ms  closed %9.2f ms  ratio unclosed/closed %.2f\n", s, ns["unclosed/" s] / 1e6, ns["closed/" s] / 1e6, ns["unclosed/" s] / ns["closed/" s]
		}
		printf "table (a plan'"'"'s Markdown rows): n %.2f ms, 4n %.2f ms, ratio table/closed at 4n %.2f\n", ns["table/" n] / 1e6, ns["table/" m] / 1e6, ns["table/" m] / ns["closed/" m]
		printf "growth n -> 4n: unclosed %.2f, closed %.2f, table %.2f (4.00 is linear)\n", ns["unclosed/" m] / ns["unclosed/" n], ns["closed/" m] / ns["closed/" n], ns["table/" m] / ns["table/" n]
	}'
