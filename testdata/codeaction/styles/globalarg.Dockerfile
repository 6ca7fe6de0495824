ARG BASE=alpine:3.20
ARG BUILDER=golang:1.22
ARG UNUSED=1
FROM --platform=$BUILDPLATFORM ${BUILDER} AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .

FROM --platform=$TARGETPLATFORM ${BASE} AS Runtime
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]

FROM runtime as debug
RUN apk add gdb
