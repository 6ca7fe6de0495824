ARG DISTRO=debian
ARG FLAVOR
ARG BASE=${REGISTRY:-docker.io}/library/${DISTRO}:12
FROM --platform=$BUILDPLATFORM ${BASE} AS builder-debian
ARG TARGETOS TARGETARCH
RUN echo "${TARGETOS}/${TARGETARCH}" > /target
RUN echo ${FLAVOR:-${DISTRO:-none}} > /flavor

FROM builder-${FLAVOR:-${DISTRO}} AS builder
RUN cat /target /flavor

FROM alpine AS alpine
RUN apk add --no-cache curl

FROM alpine
COPY --from=builder /target /target
COPY --from=builder-debian /flavor /flavor
CMD ["cat", "/target"]
