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

# build_dnsparity: builds ./cmd/dnsparity into $bin, inside $work, a
# scratch folder removed when the script exits.
build_dnsparity() {
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	bin=$work/dnsparity
	go build -o "$bin" ./cmd/dnsparity
}

# bench_go NAME ARGS...: builds the binary and runs the Go benchmark
# bench/NAME on it (-dnsparity "$bin") with ARGS.
bench_go() {
	name=$1
	shift
	build_dnsparity
	go run "./bench/$name" -dnsparity "$bin" "$@"
}
