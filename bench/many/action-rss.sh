#!/bin/sh
# The Action's status over many zones, this build against another commit's
# (default main), from one run: peak RSS, CPU and wall of each and their
# ratios, at each zone count (servers on loopback with no delay; the
# cutover phase of bench/many, its action step).
#   bench/many/action-rss.sh            # 100 and 1000 zones, against main
#   BEFORE=abc123 ZONES="100 1000 5000" bench/many/action-rss.sh
. "$(dirname "$0")/../lib.sh"
build_dnsparity
build_before
for n in ${ZONES:-100 1000}; do
	bench_run many -dnsparity "$bin" -before "$before/dnsparity" -only cutover -cutover-steps action \
		-cutover-zones "$n" -cutover-delay 0 -repeat "${REPEAT:-1}"
done
