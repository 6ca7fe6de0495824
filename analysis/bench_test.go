package analysis

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// GenerateLarge writes a Dockerfile of n stages, each of about 20 lines,
// with the references, continuations and heredocs real files have.
func GenerateLarge(n int) string {
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

func benchFiles(b *testing.B) map[string]string {
	files := map[string]string{"large": GenerateLarge(1000)}
	if data, err := os.ReadFile("../../shared/corpus/files/moby__buildkit__Dockerfile"); err == nil {
		files["buildkit"] = string(data)
	}
	return files
}

func BenchmarkParse(b *testing.B) {
	for name, text := range benchFiles(b) {
		b.Run(name, func(b *testing.B) {
			doc := NewDocument(text)
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Parse(doc)
			}
		})
	}
}

// BenchmarkKeystroke types a word into a RUN line in the middle of the file,
// one character an iteration, through Document.Apply and Index.Update.
func BenchmarkKeystroke(b *testing.B) {
	for name, text := range benchFiles(b) {
		b.Run(name, func(b *testing.B) {
			ix := Parse(NewDocument(text))
			mid := ix.Node(ix.Len() / 2)
			for k := ix.Len() / 2; k < ix.Len() && ix.Node(k).Cmd != "run"; k++ {
				mid = ix.Node(k)
			}
			off := mid.Start + mid.Len
			start := ix
			word := " verbose"
			i := 0
			for b.Loop() {
				if i == len(word) {
					b.StopTimer()
					ix, i = start, 0
					b.StartTimer()
				}
				e := Edit{Span: Span{off + i, off + i}, Text: word[i : i+1]}
				doc, _ := ix.Doc.Apply(e)
				ix = ix.Update(doc, e)
				i++
			}
		})
	}
}
