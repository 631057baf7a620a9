#!/bin/sh
# What the elements GitHub may take out with their content cost
# redact.Replace and redact.ServerText (BenchmarkHiddenContent in
# internal/redact): a key, then n open tags that no closing tag ends
# ("<svg>", "<noscript>", "<rp>"), or n comment openers none ends
# ("<!--x"), for n = 8,000 and 2n. Ratios from one
# run: how each grows from n to 2n (2.00 is linear, 4.00 quadratic).
#   bench/hidden/run.sh            (BENCHTIME=5x by default)
. "$(dirname "$0")/../lib.sh"
go test -count=1 -run '^$' -bench 'HiddenContent' -benchtime "${BENCHTIME:-5x}" ./internal/redact/ |
	awk '/^BenchmarkHiddenContent\// {
		split($1, p, "/"); sub(/-[0-9]+$/, "", p[4]); k = p[2] "/" p[3]; ns[k "/" p[4]] = $3
		if (!(k in seen)) { seen[k] = 1; order[++m] = k }
		if (n == 0 || p[4] + 0 < n) n = p[4] + 0
	}
	END {
		for (i = 1; i <= m; i++) {
			k = order[i]
			printf "%-20s n=%d %9.3f ms  2n %9.3f ms  growth %.2f (2.00 is linear)\n", k, n, ns[k "/" n] / 1e6, ns[k "/" 2 * n] / 1e6, ns[k "/" 2 * n] / ns[k "/" n]
		}
	}'
