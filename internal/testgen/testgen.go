// Package testgen makes inputs for tests and benchmarks.
package testgen

import (
	"fmt"
	"strings"
)

// Large writes a Dockerfile of n stages, each of about 20 lines,
// with the references, continuations and heredocs real files have.
func Large(n int) string {
	var b strings.Builder
	b.WriteString("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\nARG VERSION=1.0\n")
	for i := 0; i < n; i++ {
		base := "${BASE}"
		if i > 0 && i%3 != 0 {
			base = fmt.Sprintf("stage-%d", i-1)
		}
		fmt.Fprintf(&b, "\n# stage %d builds part %d\nFROM %s AS stage-%d\n", i, i, base, i)
		b.WriteString("ARG VERSION\nENV APP_VERSION=${VERSION} PATH=/opt/bin:$PATH\nWORKDIR /src\n")
		b.WriteString("COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n    go mod download\n")
		if i > 0 {
			fmt.Fprintf(&b, "COPY --from=stage-%d /out/bin /opt/bin\n", i-1)
			fmt.Fprintf(&b, "RUN --mount=type=bind,from=stage-%d,source=/src,target=/prev \\\n    cp -r /prev /src/prev\n", i-1)
		} else {
			b.WriteString("COPY . .\nRUN apk add --no-cache git \\\n    make\n")
		}
		b.WriteString("RUN <<EOF\nset -e\nmake build\nEOF\n")
		b.WriteString("LABEL org.opencontainers.image.title=\"part\" \\\n      org.opencontainers.image.version=\"${VERSION}\"\n")
		b.WriteString("EXPOSE 8080/tcp\nUSER 1000:1000\nENTRYPOINT [\"/opt/bin/app\"]\n")
	}
	return b.String()
}
