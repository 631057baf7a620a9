# The GitHub Action's container: the same binary as the CLI.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/dnsparity ./cmd/dnsparity

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/dnsparity /usr/local/bin/dnsparity
ENTRYPOINT ["/usr/local/bin/dnsparity"]
CMD ["action"]
