ARG TARGETPLATFORM
ARG BUILDPLATFORM
ARG GO=1.23
ARG DISTRO

FROM --platform=$BUILDPLATFORM golang:${GO} as build
ARG TARGETOS
ARG TARGETARCH
ARG STAGE_ONLY=x
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/app .

FROM --platform=${TARGETPLATFORM} gcr.io/distroless/static${DISTRO} as runtime
COPY --from=build /bin/app /app

FROM --platform=linux/arm64 alpine:3${MINOR} as arm
FROM alpine${STAGE_ONLY} as odd
FROM --platform=${BUILDPLATFORM:-linux/amd64} alpine${SUFFIX:-} as tools
RUN echo $TARGETPLATFORM $BUILDPLATFORM $GO

FROM runtime
