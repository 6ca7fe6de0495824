# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended

ARG GO_VERSION=1.22
ARG ALPINE=3.20
ARG UNUSED_FROM_ARG

# builder compiles the service.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Builder
ARG TARGETOS TARGETARCH
WORKDIR src
COPY <<EOF /src/main.go
package main
func main() { println("$GREETING") }
EOF
RUN <<-SCRIPT
	set -eu
	echo building for $TARGETOS/$TARGETARCH
	GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./...
SCRIPT
ENV GOFLAGS -mod=vendor
ENV API_TOKEN=unset
maintainer someone@example.com

FROM --platform=linux/amd64 alpine:${ALPINE} as runtime
COPY --from=builder /out/app /usr/local/bin/app
# check=skip=ExposeProtoCasing
EXPOSE 8080/TCP 9090:90
EXPOSE 80/udp
ENV PATH=$PATH:/opt/bin \

    HOME_DIR=$HOEM
CMD app --listen :8080
ENTRYPOINT app
HEALTHCHECK CMD wget -q localhost:8080
CMD ["app"]
