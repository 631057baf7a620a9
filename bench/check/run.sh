#!/usr/bin/env bash
# Benchmark: "dnsparity check" against "named-checkzone" on generated
# zones of 1,000,000 records (A, AAAA, MX, TXT, CNAME; about 38 MB), two
# mixes: "clean" (a valid zone, no message) and "warnings" (one record in
# five draws a warning from both tools: 200,000 warnings).
#
# Measures wall time, CPU time and peak RSS (/usr/bin/time -v) of both
# tools on the same file, RUNS times each, alternating, and prints the
# best wall time, the CPU time of that run, the largest peak RSS, and the
# ratios dnsparity / named-checkzone.
#
# Goal: dnsparity in at most half of named-checkzone's wall time, with no
# more memory, on either mix.
#
#   bench/check/run.sh            # N=1000000 RUNS=3
#   N=200000 RUNS=1 bench/check/run.sh
. "$(dirname "$0")/../lib.sh"
set -o pipefail

N=${N:-1000000}
RUNS=${RUNS:-3}
command -v named-checkzone >/dev/null || { echo "named-checkzone not installed (apt-get install bind9-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not installed (apt-get install time)" >&2; exit 2; }

build_dnsparity
for mix in clean warnings; do
	bench_run check/gen -n "$N" -mix "$mix" -o "$work/$mix.zone"
done
size=$(stat -c %s "$work/clean.zone")
echo "zone: $N records + SOA/NS/glue, $((size / 1000000)) MB; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD...: one measured run; appends "wall cpu rss_kib" to $work/NAME.
# dnsparity check exits 0 on warnings, like named-checkzone.
run() {
	local name=$1
	shift
	if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1; then
		echo "$name failed:" >&2
		head -20 "$work/out.txt" >&2
		exit 1
	fi
	awk -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
		/User time/ { u = $2 } /System time/ { s = $2 }
		/Maximum resident set size/ { m = $2 }
		END { printf "%.2f %.2f %d\n", w, u + s, m }' "$work/time.txt" >>"$work/res-$name"
}

for _ in $(seq "$RUNS"); do
	for mix in clean warnings; do
		run "named-$mix" named-checkzone -q example. "$work/$mix.zone"
		run "dnsparity-$mix" "$bin" check --origin example. "$work/$mix.zone"
	done
done

# best NAME: "wall cpu" of the fastest run and the largest RSS in MiB.
best() { sort -n "$work/res-$1" | head -1 | cut -d' ' -f1-2; }
rss() { sort -n -k3 "$work/res-$1" | tail -1 | awk '{ printf "%.0f", $3 / 1024 }'; }
for mix in clean warnings; do
	read -r nw nc <<<"$(best "named-$mix")"
	read -r dw dc <<<"$(best "dnsparity-$mix")"
	nm=$(rss "named-$mix")
	dm=$(rss "dnsparity-$mix")
	echo
	echo "mix: $mix"
	printf "%-16s %8s %8s %9s\n" "" "wall s" "cpu s" "RSS MiB"
	printf "%-16s %8s %8s %9s\n" named-checkzone "$nw" "$nc" "$nm"
	printf "%-16s %8s %8s %9s\n" "dnsparity check" "$dw" "$dc" "$dm"
	awk -v nw="$nw" -v dw="$dw" -v nc="$nc" -v dc="$dc" -v nm="$nm" -v dm="$dm" 'BEGIN {
		printf "ratio dnsparity/named: wall %.2f (goal <= 0.50), cpu %.2f, RSS %.2f (goal <= 1.00)\n", dw / nw, dc / nc, dm / nm
	}'
done
