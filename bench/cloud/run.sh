#!/bin/sh
# Requests one push of a 10,000-RRset zone takes at Cloudflare and Route 53
# (against the documented-API fakes cftest and r53test: counts, not speed),
# and the ratio to one request per RRset.
. "$(dirname "$0")/../lib.sh"
go test -run XXX -bench Push10k -benchtime 1x ./internal/provider/cloudflare/ ./internal/provider/route53/ |
awk '/^BenchmarkPush10k/ {
	for (i = 1; i <= NF; i++) {
		if ($i == "batch-calls/push") { name = "cloudflare"; calls = $(i-1) }
		if ($i == "change-batches/push") { name = "route53"; calls = $(i-1) }
		if ($i == "http-requests/push") http = $(i-1)
	}
	printf "%-10s 10000 RRsets: %d write calls, %d HTTP requests in all (list + write + wait); %.0fx fewer writes than one per RRset\n", name, calls, http, 10000 / calls
}'
