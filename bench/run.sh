#!/usr/bin/env bash
# Runs eleven benchmark scripts (not bench/build, bench/cloud, bench/cloud2:
# those run alone) and writes docs/BENCHMARKS.md: the machine,
# each script's output (its figures and the ratios it measured in that one
# run against its anchor), and the scaling plot docs/benchmarks-scale.png.
#
#   bench/run.sh                 # all eleven (as listed on the next line); root, the lab's servers, Docker for image
#   ONLY="scale" SCALE_SIZES=1000,10000 bench/run.sh   # some of: demo check parity ecs push scale flip delegation cutover many image
#
# Exit 0 when every script ran, 1 when one failed (its section says so).
set -uo pipefail
cd "$(dirname "$0")/.."
out=docs/BENCHMARKS.md
png=docs/benchmarks-scale.png
mkdir -p docs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ONLY=${ONLY:-demo check parity ecs push scale flip delegation cutover many image}
failed=0

# section NAME TITLE CMD...: runs CMD, keeps its output for the report.
section() {
	local name=$1 title=$2
	shift 2
	case " $ONLY " in *" $name "*) ;; *) return ;; esac
	echo "bench/run.sh: $title ..." >&2
	local t0=$SECONDS
	"$@" >"$work/$name.out" 2>"$work/$name.err"
	local rc=$?
	{
		echo "## $title"
		echo
		echo "\`$*\` — exit $rc, $((SECONDS - t0)) s, load average before: $(cat "$work/$name.load")"
		echo
		if [ $rc -ne 0 ]; then
			echo "**FAILED** (exit $rc); the last lines of its error output:"
			echo
			echo '```'
			tail -20 "$work/$name.err"
			echo '```'
			echo
		fi
		if [ "$name" = scale ]; then
			cat "$work/$name.out" # a Markdown table already
		else
			echo '```'
			cat "$work/$name.out"
			echo '```'
		fi
		echo
	} >"$work/$name.md"
	[ $rc -eq 0 ] || failed=1
}

load() { cut -d' ' -f1-3 /proc/loadavg >"$work/$1.load"; }

load demo; section demo "demo: the whole story on the embedded lab, against its 30 s goal" bench/demo/run.sh
load check; section check "check: dnsparity check vs named-checkzone, 1,000,000 records" bench/check/run.sh
load parity; section parity "parity: 100,000 RRsets, vs dnsperf and a dig loop" bench/parity/run.sh
load ecs; section ecs "ECS: parity from 8 client subnets, 100,000 RRsets with 10% geo-routed, vs plain parity" bench/ecs/run.sh
load push; section push "push: 10,000 RRsets to PowerDNS (API) and Knot (RFC 2136)" bench/push/run.sh
load scale; section scale "scaling: parity from 1,000 to 1,000,000 RRsets (Knot old, BIND new)" bench/scale/run.sh -sizes "${SCALE_SIZES:-1000,10000,100000,1000000}" -json "$work/scale.json" -png "$png"
load flip; section flip "flip: registrar change to the last resolver on the new provider, vs the NS TTL" bench/flip/run.sh
load delegation; section delegation "delegation: the delegation gate on 8 servers, within flip --dry-run" bench/delegation/run.sh
load many; section many "many zones: parity and check over 1,000 and 10,000 zones against one zone of the same RRsets, a 16-shard sweep" bench/many/run.sh
if [ -x bench/cutover/run.sh ]; then
	load cutover; section cutover "status: dnsparity status on a 100,000-RRset zone" bench/cutover/run.sh
fi
load image; section image "image: the Action's image size, against its 40 MB goal" bench/image/run.sh

# The commit measured, and whether the tree differed from it.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
# (The files this script writes itself do not count: the plot is already
# written by now.)
if [ "$commit" != '?' ] && [ -n "$(git status --porcelain --untracked-files=no -- . ":(exclude)$out" ":(exclude)$png" 2>/dev/null)" ]; then
	commit="$commit (with uncommitted changes)"
fi
ver() { "$@" 2>&1 | head -1 | sed 's/^[A-Z][a-z][a-z] [0-9]* [0-9:]* //'; }
{
	echo "# Benchmarks"
	echo
	echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') from commit $commit."
	echo "Later commits are not measured here: \`git log ${commit%% *}..\` lists what these figures do not cover."
	echo "Every figure below is printed by its script and every ratio is measured in the same run"
	echo "as its anchor (named-checkzone, dnsperf, a dig loop, the NS TTL); nothing is carried over"
	echo "from another run. The machine is shared: other jobs ran at the same time (load averages"
	echo "are given per section), so absolute rates move between runs; the ratios move less."
	echo
	echo "## The machine"
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores |"
	echo "| memory | $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
	echo "| kernel | $(uname -sr) |"
	echo "| Go | $(go version | cut -d' ' -f3-) |"
	echo "| BIND | $(ver named -v) |"
	echo "| Knot | $(ver knotd --version) |"
	echo "| PowerDNS | $(ver pdns_server --version) |"
	echo "| dnsperf | $(dpkg-query -W -f '${Version}' dnsperf 2>/dev/null || echo '?') |"
	echo
	echo "## Goals at a glance"
	echo
	echo "Every line of the scripts' output below that names a goal, as printed:"
	echo
	grep -h -i "goal" "$work"/*.out 2>/dev/null | grep -v '^|' | sed 's/^ *//; s/^/- /'
	echo
	if [ -f "$work/scale.md" ]; then
		echo "## How the cost grows"
		echo
		echo "![parity query rate, peak memory and cost per RRset against zone size]($(basename "$png"))"
		echo
		echo "Left: parity's query rate (queries to both servers together) next to each server's own"
		echo "dnsperf rate. Middle: parity's peak RSS with the 1 GiB goal. Right: CPU time and peak RSS"
		echo "per RRset: flat lines mean cost linear in the zone size."
		echo
	fi
	for s in scale demo check parity ecs push flip delegation cutover many image; do
		[ -f "$work/$s.md" ] && cat "$work/$s.md"
	done
} >"$out"
echo "bench/run.sh: wrote $out" >&2
exit $failed
