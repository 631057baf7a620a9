#!/usr/bin/env bash
# Cold build of the binary, a base commit against HEAD, in one run: each
# tree is built from nothing, an empty module cache (GOMODCACHE) and an
# empty build cache (GOCACHE), one after the other on the same machine, the
# way the Dockerfile builds it: `go mod download` (its own layer, from
# go.mod and go.sum alone), then `go build` (CGO_ENABLED=0, -trimpath,
# -ldflags "-s -w"). Then `go build` alone from an empty module cache (it
# fetches only the modules of the packages it builds). Prints, for both
# trees: the bytes and modules each fetched, the seconds of each step,
# their ratios HEAD/base, the binary sizes, the packages
# `go list -deps ./cmd/dnsparity` counts, the modules `go version -m` lists
# in each binary, and whether the plotting library (gonum, bench/ only) is
# in the download or the binary.
#
# The modules come from a proxy: by default a file:// proxy of this
# machine's module cache (`go env GOMODCACHE`/cache/download; both trees'
# modules are put there first, not timed), so the seconds hold no network
# time and the bytes are what the proxy served; BUILD_GOPROXY=URL (e.g.
# https://proxy.golang.org) fetches from there instead.
#
#   bench/build/run.sh            # base f8ba72e (before bench/ had its own go.mod)
#   bench/build/run.sh COMMIT     # another base
#
# Exit 0 when both built (the figures are printed, not enforced), 2 when a
# step failed.
. "$(dirname "$0")/../lib.sh"
set -o pipefail
base=${1:-f8ba72e}
scratch
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT # the module cache is read-only
warm=$(go env GOMODCACHE)/cache/download
proxy=${BUILD_GOPROXY:-file://$warm}

# tree NAME REV: the committed tree of REV in $work/NAME, its modules put in
# the warm cache the file proxy serves (not timed).
tree() {
	mkdir -p "$work/$1"
	git archive "$2" | tar -x -C "$work/$1"
	if [ -z "${BUILD_GOPROXY:-}" ]; then
		(cd "$work/$1" && go mod download) ||
			{ echo "bench/build: the modules of $1 ($2) are not in $warm and cannot be fetched" >&2; exit 2; }
	fi
}

# cold NAME STEP: runs STEP of tree NAME ("download": go mod download,
# then go build; "lazy": go build alone) with an empty GOMODCACHE and
# GOCACHE of its own; prints "download_s build_s bytes modules".
cold() {
	local mod="$work/mod-$1-$2" cache="$work/cache-$1-$2" t0 t1 t2
	mkdir -p "$mod" "$cache"
	export GOMODCACHE="$mod" GOCACHE="$cache" GOPROXY="$proxy" GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=readonly
	t0=$(date +%s.%N)
	if [ "$2" = download ]; then
		(cd "$work/$1" && go mod download) >&2 || { echo "bench/build: go mod download of $1 failed" >&2; exit 2; }
	fi
	t1=$(date +%s.%N)
	(cd "$work/$1" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/$1-$2.bin" ./cmd/dnsparity) >&2 ||
		{ echo "bench/build: go build of $1 failed" >&2; exit 2; }
	t2=$(date +%s.%N)
	# What was fetched: the files the proxy served (zip, mod, info).
	local bytes mods
	bytes=$(find "$mod/cache/download" -type f \( -name '*.zip' -o -name '*.mod' -o -name '*.info' \) -printf '%s\n' | awk '{s += $1} END {print s + 0}')
	mods=$(find "$mod/cache/download" -type f -name '*.zip' | wc -l)
	gonum=no
	if [ -d "$mod/cache/download/gonum.org" ] && find "$mod/cache/download/gonum.org" -name '*.zip' | grep -q .; then
		gonum=yes
	fi
	echo "$t0 $t1 $t2 $bytes $mods $gonum" | awk '{printf "%.1f %.1f %d %d %s", $2 - $1, $3 - $2, $4, $5, $6}'
}

echo "bench/build: base $(git rev-parse --short "$base"), HEAD $(git rev-parse --short HEAD); proxy $proxy; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
tree base "$base"
tree head HEAD
read -r bdl bbd bbytes bmods bgonum <<<"$(cold base download)"
read -r hdl hbd hbytes hmods hgonum <<<"$(cold head download)"
read -r _ blz blbytes blmods _ <<<"$(cold base lazy)"
read -r _ hlz hlbytes hlmods _ <<<"$(cold head lazy)"
[ -n "$hlmods" ] && [ -n "$blmods" ] && [ -n "$hmods" ] && [ -n "$bmods" ] || exit 2

mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b / 1e6}'; }
size() { stat -c %s "$work/$1-download.bin" | awk '{printf "%.1f MB", $1 / 1e6}'; }
pkgs() { (cd "$work/$1" && go list -deps ./cmd/dnsparity | wc -l); }
inbin() { go version -m "$work/$1-download.bin" | awk '$1 == "dep"' | wc -l; }
gonumbin() { if go version -m "$work/$1-download.bin" | grep -q gonum; then echo yes; else echo no; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a > 0) printf "%.2f", b / a; else print "-"}'; }

printf '%-40s %12s %12s %8s\n' "as the Dockerfile builds" "base" "HEAD" "HEAD/base"
printf '%-40s %12s %12s %8s\n' "go mod download: fetched" "$(mb "$bbytes")" "$(mb "$hbytes")" "$(ratio "$bbytes" "$hbytes")"
printf '%-40s %12s %12s %8s\n' "go mod download: modules (zips)" "$bmods" "$hmods" "$(ratio "$bmods" "$hmods")"
printf '%-40s %12s %12s %8s\n' "go mod download (s)" "$bdl" "$hdl" "$(ratio "$bdl" "$hdl")"
printf '%-40s %12s %12s %8s\n' "go build, empty GOCACHE (s)" "$bbd" "$hbd" "$(ratio "$bbd" "$hbd")"
printf '%-40s %12s %12s %8s\n' "download + build (s)" \
	"$(awk -v a="$bdl" -v b="$bbd" 'BEGIN {printf "%.1f", a + b}')" "$(awk -v a="$hdl" -v b="$hbd" 'BEGIN {printf "%.1f", a + b}')" \
	"$(ratio "$(awk -v a="$bdl" -v b="$bbd" 'BEGIN {print a + b}')" "$(awk -v a="$hdl" -v b="$hbd" 'BEGIN {print a + b}')")"
printf '%-40s %12s %12s\n' "gonum downloaded" "$bgonum" "$hgonum"
printf '%-40s %12s %12s %8s\n' "go build alone: fetched" "$(mb "$blbytes")" "$(mb "$hlbytes")" "$(ratio "$blbytes" "$hlbytes")"
printf '%-40s %12s %12s %8s\n' "go build alone: modules (zips)" "$blmods" "$hlmods" "$(ratio "$blmods" "$hlmods")"
printf '%-40s %12s %12s %8s\n' "go build alone (s)" "$blz" "$hlz" "$(ratio "$blz" "$hlz")"
printf '%-40s %12s %12s\n' "binary size" "$(size base)" "$(size head)"
printf '%-40s %12s %12s\n' "go list -deps ./cmd/dnsparity packages" "$(pkgs base)" "$(pkgs head)"
printf '%-40s %12s %12s\n' "modules in the binary" "$(inbin base)" "$(inbin head)"
printf '%-40s %12s %12s\n' "gonum in the binary" "$(gonumbin base)" "$(gonumbin head)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
