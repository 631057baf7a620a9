#!/usr/bin/env bash
# The Action's container, proven as GitHub's runner runs it: build the
# project's real Dockerfile, then `docker run` the image the way the runner
# runs a Docker action (workspace at /github/workspace, INPUT_*/GITHUB_*
# variables, a pull_request event payload, file-command files) against real
# DNS servers from internal/lab and a fake GitHub API, and assert the
# comment, the check run, the outputs and the summary
# (cmd/dnsparity/action_container_test.go).
#
# No registry is reachable from the test machines, so the Dockerfile's build
# image (build argument GO_IMAGE; its default stays the public golang image;
# the image itself is FROM scratch) is made from local content: a minimal
# root filesystem of this machine's own distribution and release, made by
# debootstrap from the mirror apt is configured with here (cached as a
# tarball under /var/cache/dnsparity-container) and imported with `docker
# import`, plus this machine's Go and the module cache of go.mod (served to
# `go mod download` as a file:// GOPROXY in front of `go env GOPROXY`). No
# mirror or registry is named here: the script works behind any mirror.
# DEBIAN_MIRROR and DNSPARITY_CONTAINER_SUITE override what apt says.
#
# It prints the image's size against its goal (under 40 MB) and its largest
# files. DNSPARITY_CONTAINER_BUILD_ONLY=1 stops there (bench/image/run.sh).
#
# Needs root. Uses a running Docker daemon when there is one; otherwise
# starts `dockerd --iptables=false --bridge=none` on its own socket and
# stops it (by PID) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
log() { echo "[container-test +$(($(date +%s) - t0))s] $*"; }

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	export PATH="/usr/local/go/bin:$PATH"
fi
# The distribution and release to debootstrap, and its mirror: this
# machine's, as apt is configured (a Debian or Ubuntu runner alike).
. /etc/os-release
SUITE=${DNSPARITY_CONTAINER_SUITE:-${VERSION_CODENAME:-}}
MIRROR=${DEBIAN_MIRROR:-}
if [ -z "$MIRROR" ] && [ -n "$SUITE" ]; then
	MIRROR=$(apt-get indextargets --format '$(REPO_URI)' "Release: $SUITE" 'Component: main' 'Identifier: Packages' 2>/dev/null | head -1)
fi
if [ -z "$SUITE" ] || [ -z "$MIRROR" ]; then
	echo "container-test: apt's sources name no mirror for release '${SUITE:-?}' (main); set DEBIAN_MIRROR (and DNSPARITY_CONTAINER_SUITE)" >&2
	exit 2
fi
# debootstrap does not read apt's configuration: pass on its proxy, if any.
APT_PROXY=""
eval "$(apt-config shell APT_PROXY Acquire::http::Proxy)"
if [ -n "$APT_PROXY" ] && [ -z "${http_proxy:-}" ]; then
	export http_proxy=$APT_PROXY
fi
CACHE=${DNSPARITY_CONTAINER_CACHE:-/var/cache/dnsparity-container}
IMAGE=dnsparity:container-test
RUN=$(mktemp -d /tmp/dnsparity-ct.XXXXXX)
DOCKER=/usr/bin/docker
DPID=""

cleanup() {
	local rc=$?
	if [ -n "$DPID" ]; then
		kill "$DPID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$DPID" 2>/dev/null || true
		if [ $rc -ne 0 ]; then echo "--- dockerd log (tail)"; tail -20 "$RUN/dockerd.log" || true; fi
	fi
	# dockerd leaves its network namespace mounted under its exec root.
	if mountpoint -q "$RUN/exec/netns/default" 2>/dev/null; then umount "$RUN/exec/netns/default" || true; fi
	rm -rf "$RUN" 2>/dev/null || echo "note: could not remove $RUN"
	log "done, exit $rc"
	exit $rc
}
trap cleanup EXIT

# A Docker daemon (GitHub's runners have one; Debian's docker.io otherwise),
# debootstrap and the archive keyring of this distribution.
pkgs=(debootstrap)
command -v dockerd >/dev/null 2>&1 || pkgs+=(docker.io)
case "${ID:-}" in
debian) pkgs+=(debian-archive-keyring) ;;
ubuntu) pkgs+=(ubuntu-keyring) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

# A daemon: the machine's own, else one of ours.
if [ -z "${DOCKER_HOST:-}" ] && ! "$DOCKER" info >/dev/null 2>&1; then
	export DOCKER_HOST="unix://$RUN/docker.sock"
	log "starting dockerd (--iptables=false --bridge=none) on $DOCKER_HOST"
	dockerd --iptables=false --bridge=none --host "$DOCKER_HOST" --pidfile "$RUN/dockerd.pid" \
		--data-root "${DNSPARITY_DOCKER_ROOT:-/var/lib/dnsparity-docker}" --exec-root "$RUN/exec" \
		>"$RUN/dockerd.log" 2>&1 &
	DPID=$!
	for _ in $(seq 150); do
		"$DOCKER" info >/dev/null 2>&1 && break
		kill -0 "$DPID" 2>/dev/null || { echo "dockerd exited:"; tail -20 "$RUN/dockerd.log"; exit 2; }
		sleep 0.2
	done
	"$DOCKER" info >/dev/null 2>&1 || { echo "dockerd did not come up:"; tail -20 "$RUN/dockerd.log"; exit 2; }
fi
log "docker $("$DOCKER" version --format '{{.Server.Version}}')"

# The base of the build image: debootstrap once, cached.
mkdir -p "$CACHE"
ROOTFS="$CACHE/${ID:-debian}-$SUITE-minbase.tar"
if [ ! -s "$ROOTFS" ]; then
	log "debootstrap ${ID:-} $SUITE (minbase + ca-certificates) from apt's mirror"
	debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$RUN/rootfs" "$MIRROR" >"$RUN/debootstrap.log" 2>&1 ||
		{ tail -20 "$RUN/debootstrap.log"; exit 2; }
	rm -rf "$RUN/rootfs/var/cache/apt/archives/"*.deb "$RUN/rootfs/var/lib/apt/lists/"*
	tar -C "$RUN/rootfs" -cf "$ROOTFS.tmp" .
	mv "$ROOTFS.tmp" "$ROOTFS"
	rm -rf "$RUN/rootfs"
fi
BASE=dnsparity-local/${ID:-debian}:$SUITE
log "docker import $ROOTFS → $BASE"
"$DOCKER" import "$ROOTFS" "$BASE" >/dev/null

# The Go base: Debian + this machine's Go + the modules of go.mod.
GOROOT_HOST=$(go env GOROOT)
GOVER=$(go env GOVERSION)
GOBASE=dnsparity-local/golang:${GOVER#go}
mkdir -p "$RUN/goctx"
log "module cache for go.mod"
GOFLAGS=-mod=mod GOMODCACHE="$RUN/goctx/gomod" GOPROXY="file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
	go mod download >/dev/null
cp -a "$GOROOT_HOST" "$RUN/goctx/go"
cat >"$RUN/goctx/Dockerfile" <<DOCKERFILE
FROM $BASE
COPY go /usr/local/go
COPY gomod/cache/download /opt/gomodproxy
ENV PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    GOPROXY=file:///opt/gomodproxy GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
DOCKERFILE
log "building $GOBASE"
"$DOCKER" build -q -t "$GOBASE" "$RUN/goctx" >/dev/null

# The project's own Dockerfile, the build image from the build argument.
COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
log "docker build . (GO_IMAGE=$GOBASE)"
DOCKER_BUILDKIT=1 "$DOCKER" build --network host --progress plain \
	--build-arg GO_IMAGE="$GOBASE" \
	--build-arg VERSION=container-test --build-arg COMMIT="$COMMIT" \
	-t "$IMAGE" . >"$RUN/build.log" 2>&1 || { tail -30 "$RUN/build.log"; exit 1; }

# Its size, against the goal, and what takes the room.
size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
goal=40000000
awk -v s="$size" -v g="$goal" 'BEGIN { printf "image size: %d bytes = %.1f MB (goal < %.0f MB): %s\n", s, s / 1e6, g / 1e6, (s < g ? "met" : "MISSED") }'
cid=$("$DOCKER" create "$IMAGE")
echo "its largest files:"
"$DOCKER" export "$cid" | tar -tvf - | sort -k3 -n -r | head -5 | awk '{ printf "  %10d  %s\n", $3, $6 }'
"$DOCKER" rm "$cid" >/dev/null
if [ "${DNSPARITY_CONTAINER_BUILD_ONLY:-0}" = 1 ]; then
	[ "$size" -lt "$goal" ] || exit 1
	exit 0
fi

log "go test -run TestContainer ./cmd/dnsparity"
DNSPARITY_CONTAINER_IMAGE="$IMAGE" DNSPARITY_DOCKER="$DOCKER" DNSPARITY_REQUIRE_LAB=1 \
	go test -count=1 -v -run 'TestContainer' ./cmd/dnsparity 2>&1 | grep -v '^        [0-9]' | tail -40
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || exit 1
log "container test passed"
