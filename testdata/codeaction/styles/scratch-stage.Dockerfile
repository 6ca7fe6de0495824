# syntax=docker/dockerfile:1
# A stage named scratch: every RUN mount without from= reads it (BuildKit
# looks "scratch" up as a stage), and a later FROM scratch builds on it.
FROM alpine:3.20 AS scratch
RUN mkdir -p /seed && echo seed > /seed/a
RUN echo more > /seed/b

FROM golang:1.23-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM build AS test
RUN --mount=type=bind,target=/seed go test ./...

FROM alpine:3.20
COPY --from=build /out/app /usr/local/bin/app
USER 65532
ENTRYPOINT ["/usr/local/bin/app"]
