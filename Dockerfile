# The GitHub Action's container: the same binary as the CLI.
#
# The base images are build arguments so that the image can be built where
# no registry is reachable (.ci/container-test.sh passes images made from
# local content); the defaults are the public images.
ARG GO_IMAGE=golang:1.26-bookworm
ARG BASE_IMAGE=debian:bookworm-slim

FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
ARG TARGETOS=linux
ARG TARGETARCH
ARG VERSION=""
ARG COMMIT=""
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
COPY zones ./zones
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath \
      -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/dnsparity ./cmd/dnsparity

FROM ${BASE_IMAGE}
# CA certificates for the providers' HTTPS APIs and GitHub's.
RUN if [ ! -e /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=build /out/dnsparity /usr/local/bin/dnsparity
ENTRYPOINT ["/usr/local/bin/dnsparity"]
CMD ["action"]
