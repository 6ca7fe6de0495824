# syntax=docker/dockerfile:1

# The stagehand command in a small image, to check the Dockerfiles of the
# folder mounted at /src:
#   docker build -t stagehand .
#   docker run --rm -v "$PWD:/src" stagehand check .
# CI checks this file with `stagehand check --strict`.

ARG GO_VERSION=1.26.8

# Modules first, so that a source change does not download them again.
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /go/src/stagehand
ENV CGO_ENABLED=0
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG VERSION=v0.0.0-dev
ARG COMMIT=unknown
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -buildvcs=false \
      -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/stagehand .

# A static binary needs no more than certificates and a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot AS final
COPY --from=build /out/stagehand /usr/local/bin/stagehand
WORKDIR /src
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/stagehand"]
CMD ["check", "."]
