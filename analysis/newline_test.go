package analysis

import (
	"strings"
	"testing"
)

// TestNewlineAsWindow checks Newline against its definition, a "\r\n" in
// the text's first 4 KiB, on documents of many chunks with the first CRLF
// at every distance from that limit and from the chunks' edges.
func TestNewlineAsWindow(t *testing.T) {
	crlf := 0
	for lines := 1; lines < 200; lines += 7 {
		for at := -1; at < lines; at += 3 {
			var b strings.Builder
			for i := range lines {
				b.WriteString("RUN echo " + strings.Repeat("x", 20+i%40))
				if i == at {
					b.WriteString("\r\n")
				} else {
					b.WriteString("\n")
				}
			}
			text := b.String()
			want := "\n"
			if strings.Contains(text[:min(len(text), 4096)], "\r\n") {
				want = "\r\n"
				crlf++
			}
			if got := Newline(NewDocument(text)); got != want {
				t.Fatalf("%d lines, CRLF after line %d: Newline = %q, want %q", lines, at, got, want)
			}
		}
	}
	if crlf < 100 {
		t.Fatalf("only %d documents with a CRLF in the window", crlf)
	}
}
