ARG TARGETPLATFORM
ARG BUILDPLATFORM
ARG GO=1.23
ARG DISTRO

FROM --platform=$BUILDPLATFORM golang:${GO} AS build
ARG TARGETOS
ARG TARGETARCH
ARG STAGE_ONLY=x
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/app .

FROM --platform=${TARGETPLATFORM} gcr.io/distroless/static${DISTRO} AS runtime
COPY --from=build /bin/app /app

FROM --platform=linux/arm64 alpine:3${MINOR} AS arm
FROM alpine${STAGE_ONLY} AS odd
# check=skip=all
FROM --platform=${BUILDPLATFORM:-linux/amd64} alpine${SUFFIX:-} AS tools
RUN echo $TARGETPLATFORM $BUILDPLATFORM $GO

FROM runtime
