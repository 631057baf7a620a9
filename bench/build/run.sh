#!/usr/bin/env bash
# Cold build of the binary, a base commit against HEAD, in one run (issue
# 18 item 1): each tree is built with an empty GOCACHE (the module cache is
# warm: both trees' modules are downloaded first, not timed), one after the
# other on the same machine, the way the Dockerfile builds it
# (CGO_ENABLED=0, -trimpath, -ldflags "-s -w"). Prints both cold build
# times and their ratio (goal: HEAD at most 0.40 of the base), both binary
# sizes (goal: under 20 MB), the packages `go list -deps ./cmd/dnsparity`
# counts and the modules `go version -m` lists in each binary, and whether
# the plotting library (gonum, for bench/ only) is in either.
#
#   bench/build/run.sh            # base 2300ec0 (the commit before the lean build)
#   bench/build/run.sh COMMIT     # another base
#
# Exit 0 when both built (the goals are printed, not enforced), 2 when a
# build failed.
. "$(dirname "$0")/../lib.sh"
set -o pipefail
base=${1:-2300ec0}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# tree NAME REV: the committed tree of REV in $work/NAME, its modules
# downloaded into the (shared, warm) module cache.
tree() {
	mkdir -p "$work/$1"
	git archive "$2" | tar -x -C "$work/$1"
	(cd "$work/$1" && go mod download)
}

# cold NAME: builds $work/NAME with an empty GOCACHE; prints the seconds.
cold() {
	local cache="$work/cache-$1" t0 t1
	mkdir -p "$cache"
	t0=$(date +%s.%N)
	(cd "$work/$1" && GOCACHE="$cache" CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/$1.bin" ./cmd/dnsparity) >&2 ||
		{ echo "bench/build: building $1 failed" >&2; exit 2; }
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}'
}

echo "bench/build: base $(git rev-parse --short "$base"), HEAD $(git rev-parse --short HEAD); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
tree base "$base"
tree head HEAD
tb=$(cold base)
th=$(cold head)
size() { stat -c %s "$work/$1.bin" | awk '{printf "%.1f MB", $1 / 1e6}'; }
pkgs() { (cd "$work/$1" && go list -deps ./cmd/dnsparity | wc -l); }
mods() { go version -m "$work/$1.bin" | awk '$1 == "dep"' | wc -l; }
gonum() { if go version -m "$work/$1.bin" | grep -q gonum; then echo yes; else echo no; fi; }

printf '%-28s %12s %12s\n' "" "base" "HEAD"
printf '%-28s %12s %12s\n' "cold build (s)" "$tb" "$th"
printf '%-28s %12s %12s\n' "binary size" "$(size base)" "$(size head)"
printf '%-28s %12s %12s\n' "go list -deps packages" "$(pkgs base)" "$(pkgs head)"
printf '%-28s %12s %12s\n' "modules in the binary" "$(mods base)" "$(mods head)"
printf '%-28s %12s %12s\n' "gonum in the binary" "$(gonum base)" "$(gonum head)"
echo "$tb $th" | awk '{printf "cold build ratio HEAD/base: %.2f (goal ≤ 0.40)\n", $2 / $1}'
stat -c %s "$work/head.bin" | awk '{printf "HEAD binary: %.1f MB (goal < 20 MB)\n", $1 / 1e6}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
