#!/usr/bin/env bash
# The Action's container, proven as GitHub's runner runs it: build the
# project's real Dockerfile, then `docker run` the image the way the runner
# runs a Docker action (workspace at /github/workspace, INPUT_*/GITHUB_*
# variables, a pull_request event payload, file-command files) against real
# DNS servers from internal/lab and a fake GitHub API, and assert the
# comment, the check run, the outputs and the summary
# (cmd/dnsparity/action_container_test.go).
#
# No registry is reachable from the test machines, so the Dockerfile's base
# images (build arguments GO_IMAGE and BASE_IMAGE; their defaults stay the
# public golang and debian images) are made from local content: a minimal
# Debian root filesystem from debootstrap (cached as a tarball under
# /var/cache/dnsparity-container) imported with `docker import`, and for
# the build stage that filesystem plus this machine's Go and the module
# cache of go.mod (served to `go mod download` as a file:// GOPROXY).
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
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
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

pkgs=(docker.io debootstrap debian-archive-keyring)
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

# The Debian base: debootstrap once, cached.
mkdir -p "$CACHE"
ROOTFS="$CACHE/$SUITE-minbase.tar"
if [ ! -s "$ROOTFS" ]; then
	log "debootstrap $SUITE (minbase + ca-certificates) from $MIRROR"
	debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$RUN/rootfs" "$MIRROR" >"$RUN/debootstrap.log" 2>&1 ||
		{ tail -20 "$RUN/debootstrap.log"; exit 2; }
	rm -rf "$RUN/rootfs/var/cache/apt/archives/"*.deb "$RUN/rootfs/var/lib/apt/lists/"*
	tar -C "$RUN/rootfs" -cf "$ROOTFS.tmp" .
	mv "$ROOTFS.tmp" "$ROOTFS"
	rm -rf "$RUN/rootfs"
fi
BASE=dnsparity-local/debian:$SUITE
log "docker import $ROOTFS → $BASE"
"$DOCKER" import "$ROOTFS" "$BASE" >/dev/null

# The Go base: Debian + this machine's Go + the modules of go.mod.
GOROOT_HOST=$(go env GOROOT)
GOVER=$(go env GOVERSION)
GOBASE=dnsparity-local/golang:${GOVER#go}
mkdir -p "$RUN/goctx"
log "module cache for go.mod"
GOFLAGS=-mod=mod GOMODCACHE="$RUN/goctx/gomod" GOPROXY="file://$(go env GOMODCACHE)/cache/download,${GOPROXY:-https://proxy.golang.org}" \
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

# The project's own Dockerfile, base images from the build arguments.
COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
log "docker build . (GO_IMAGE=$GOBASE BASE_IMAGE=$BASE)"
DOCKER_BUILDKIT=1 "$DOCKER" build --network host --progress plain \
	--build-arg GO_IMAGE="$GOBASE" --build-arg BASE_IMAGE="$BASE" \
	--build-arg VERSION=container-test --build-arg COMMIT="$COMMIT" \
	-t "$IMAGE" . >"$RUN/build.log" 2>&1 || { tail -30 "$RUN/build.log"; exit 1; }
log "image $IMAGE: $("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE") bytes"

log "go test -run TestContainer ./cmd/dnsparity"
DNSPARITY_CONTAINER_IMAGE="$IMAGE" DNSPARITY_DOCKER="$DOCKER" DNSPARITY_REQUIRE_LAB=1 \
	go test -count=1 -v -run 'TestContainer' ./cmd/dnsparity 2>&1 | grep -v '^        [0-9]' | tail -40
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || exit 1
log "container test passed"
