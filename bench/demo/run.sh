#!/bin/sh
# The demo's wall time against its goal (30 s), and the time of each step,
# from one run of `dnsparity demo --format json` on the embedded lab.
. "$(dirname "$0")/../lib.sh"
build_dnsparity
"$bin" demo --format json 2>/dev/null >"$work/demo.json" || true
awk '
	/"name":/    { gsub(/[",]/, "", $2); name = $2 }
	/"ok":/      { gsub(/,/, "", $2); ok = $2 }
	/"seconds":/ { gsub(/,/, "", $2); if (name != "") { printf "%-14s %-5s %6.2f s\n", name, ok, $2; name = "" } else total = $2 }
	/"failed":/  { gsub(/[",]/, "", $2); failed = $2 }
	END {
		printf "demo: %.1f s in all; ratio to the 30 s goal: %.2f%s\n", total, total / 30, (failed != "" ? "; FAILED at " failed : "")
		if (failed != "") exit 1
	}' "$work/demo.json"
