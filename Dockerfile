# The GitHub Action's container: the same binary as the CLI, in an image that
# holds nothing else (FROM scratch): the static binary, the CA certificates
# for the providers' HTTPS APIs and GitHub's, and an empty /tmp. No shell, no
# package manager: dnsparity runs no other program.
#
# The build image is a build argument so that the image can be built where no
# registry is reachable (.ci/container-test.sh passes one made from local
# content); the default is the public golang image.
ARG GO_IMAGE=golang:1.26-bookworm

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
      -o /out/root/usr/local/bin/dnsparity ./cmd/dnsparity
# The rest of the image's files: the CA bundle of the build image's
# ca-certificates package, and /tmp (the demo's and the Action's scratch
# files) writable by anyone, sticky.
RUN mkdir -p /out/root/etc/ssl/certs /out/root/tmp \
    && chmod 1777 /out/root/tmp \
    && cp /etc/ssl/certs/ca-certificates.crt /out/root/etc/ssl/certs/

FROM scratch
COPY --from=build /out/root/ /
ENTRYPOINT ["/usr/local/bin/dnsparity"]
CMD ["action"]
