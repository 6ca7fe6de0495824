# A global ARG not declared again in the stage: BuildKit's message, the
# reason said at the declaration.
arg TARGET_GOOS
arg TARGET_GOARCH=amd64
arg VERSION=1.0
from scratch AS builder
env GO111MODULE=on \
  TARGET_GOOS=${TARGET_GOOS} \
  TARGET_GOARCH=${TARGET_GOARCH} \
  # a comment inside the continuation
  BUILD=1
arg VERSION
label version=$VERSION platform=$TARGETPLATFORM arch=$TARGETARCH
copy app-$VERSON /app
workdir /src/$BUILD
