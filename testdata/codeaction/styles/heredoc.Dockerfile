# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} as Build
WORKDIR /src
COPY <<EOF go.mod
module example.com/app
go 1.22
EOF
COPY <<'EOF' main.go
package main
func main() { println("$HOME") }
EOF
RUN <<EOF
set -e
go mod download
EOF
COPY . .
RUN <<-SCRIPT bash
	set -eux
	CGO_ENABLED=0 go build -o /out/app .
	SCRIPT
CMD ["/out/app"]

FROM alpine:3.20
MAINTAINER dev <dev@example.com>
RUN apk add curl
COPY --from=0 /out/app /usr/local/bin/app
COPY <<EOF /etc/app.conf
port=8080
EOF
ENV MODE prod
EXPOSE 8080/TCP
CMD /usr/local/bin/app
