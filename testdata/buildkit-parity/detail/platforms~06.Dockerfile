arg TARGETPLATFORM
arg BUILDPLATFORM
arg GO=1.23
arg DISTRO

from --platform=$BUILDPLATFORM golang:${GO} AS build
arg TARGETOS
arg TARGETARCH
arg STAGE_ONLY=x
run GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/app .

from --platform=${TARGETPLATFORM} gcr.io/distroless/static${DISTRO} AS runtime
copy --from=build /bin/app /app

from --platform=linux/arm64 alpine:3${MINOR} AS arm
from alpine${STAGE_ONLY} AS odd
from --platform=${BUILDPLATFORM:-linux/amd64} alpine${SUFFIX:-} AS tools
run echo $TARGETPLATFORM $BUILDPLATFORM $GO

from runtime
