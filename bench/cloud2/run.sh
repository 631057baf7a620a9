#!/bin/sh
# Write calls one push of a 10,000-RRset zone takes at NS1, DNS Made Easy
# and ClouDNS (against the documented-API fakes ns1test, dmetest and
# cloudnstest: counts, not speed), and the ratio to one call per RRset.
. "$(dirname "$0")/../lib.sh"
for p in ns1 dnsmadeeasy cloudns; do
	go test -run XXX -bench Push10k -benchtime 1x "./internal/provider/$p/" |
	awk -v name="$p" '/^BenchmarkPush10k/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "write-calls/push") calls = $(i-1)
			if ($i == "http-requests/push") http = $(i-1)
		}
		printf "%-12s 10000 RRsets: %d write calls, %d HTTP requests in all (list + write); %.0fx fewer writes than one per RRset\n", name, calls, http, 10000 / calls
	}'
done
