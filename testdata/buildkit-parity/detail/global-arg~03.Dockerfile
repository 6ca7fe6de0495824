# A global ARG not declared again in the stage: BuildKit's message, the
# reason said at the declaration.
ARG TARGET_GOOS
# check=skip=UndefinedVar
ARG TARGET_GOARCH=amd64
ARG VERSION=1.0
FROM scratch AS builder
ENV GO111MODULE=on \
  TARGET_GOOS=${TARGET_GOOS} \
  TARGET_GOARCH=${TARGET_GOARCH} \
  # a comment inside the continuation
  BUILD=1
ARG VERSION
LABEL version=$VERSION platform=$TARGETPLATFORM arch=$TARGETARCH
COPY app-$VERSON /app
WORKDIR /src/$BUILD
