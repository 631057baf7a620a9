# bench/lib.sh: the start every bench/NAME/run.sh shares, sourced as its
# first command:
#
#   . "$(dirname "$0")/../lib.sh"
#
# It stops the script at the first failing command or unset variable and
# makes the repository root the working folder. build_dnsparity and
# bench_go are for the scripts that measure the binary.

set -eu
cd "$(dirname "$0")/../.."

# scratch: makes $work, a scratch folder removed when the script exits
# (once per script).
scratch() {
	if [ -z "${work:-}" ]; then
		work=$(mktemp -d)
		trap 'rm -rf "$work"' EXIT
	fi
}

# build_dnsparity: builds ./cmd/dnsparity into $bin, inside $work.
build_dnsparity() {
	scratch
	bin=$work/dnsparity
	go build -o "$bin" ./cmd/dnsparity
}

# build_before: builds ./cmd/dnsparity of the commit $BEFORE (default
# main) into $before/dnsparity, for the scripts that give ratios against
# it.
build_before() {
	scratch
	before=$work/before
	mkdir -p "$before/src"
	git archive "${BEFORE:-main}" | tar -x -C "$before/src"
	(cd "$before/src" && go build -o "$before/dnsparity" ./cmd/dnsparity)
}

# bench_run NAME ARGS...: builds the program bench/NAME and runs it with
# ARGS from the repository root. bench/ is its own module (bench/go.mod,
# which takes this one from ../): the plotting library and the rest of
# what only the benchmarks import stay out of the binary's go.mod, so the
# image's `go mod download` does not fetch them. Built, not `go run`: the
# program's own exit code comes back (go run turns 2 into 1).
bench_run() {
	local name=$1 prog
	shift
	scratch
	prog=$work/bench-$(printf %s "$name" | tr / -)
	go build -C bench -o "$prog" "./$name"
	"$prog" "$@"
}

# bench_go NAME ARGS...: builds the binary and runs the Go benchmark
# bench/NAME on it (-dnsparity "$bin") with ARGS.
bench_go() {
	local name=$1
	shift
	build_dnsparity
	bench_run "$name" -dnsparity "$bin" "$@"
}
