# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended

arg GO_VERSION=1.22
arg ALPINE=3.20
arg UNUSED_FROM_ARG

# builder compiles the service.
from --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Builder
arg TARGETOS TARGETARCH
workdir src
copy <<EOF /src/main.go
package main
func main() { println("$GREETING") }
EOF
run <<-SCRIPT
	set -eu
	echo building for $TARGETOS/$TARGETARCH
	GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./...
SCRIPT
env GOFLAGS -mod=vendor
env API_TOKEN=unset
maintainer someone@example.com

from --platform=linux/amd64 alpine:${ALPINE} as runtime
copy --from=builder /out/app /usr/local/bin/app
expose 8080/TCP 9090:90
expose 80/udp
env PATH=$PATH:/opt/bin \

    HOME_DIR=$HOEM
cmd app --listen :8080
entrypoint app
healthcheck CMD wget -q localhost:8080
cmd ["app"]
