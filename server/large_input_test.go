package server

import (
	"strings"
	"testing"
)

// TestLargeDocuments opens a 100,000-line file and a 10 MB file with a line
// past BuildKit's limit, edits both, and checks that the server keeps their
// text, answers, and reports the long line instead of failing.
func TestLargeDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()

	var b strings.Builder
	b.WriteString("FROM alpine AS base\n")
	for i := 0; i < 50000; i++ { // 100,000 lines
		b.WriteString("RUN echo line \\\n  continued\n")
	}
	many := b.String()
	const manyURI = "file:///large/many.Dockerfile"
	c.open(manyURI, many, 1)
	c.change(manyURI, 2, partial(1, 4, 1, 4, "x"))
	many = many[:len("FROM alpine AS base\nRUN ")] + "x" + many[len("FROM alpine AS base\nRUN "):]
	if got, err := c.text(manyURI); err != nil || got.Text != many || got.Version != 2 {
		t.Fatalf("100,000-line file: version %d, same text %v, %v", got.Version, got.Text == many, err)
	}
	if d := c.diagnostics(manyURI, 2); len(d) != 0 {
		t.Errorf("100,000-line file: unexpected diagnostics %v", d)
	}

	long := "FROM alpine AS base\nRUN echo " + strings.Repeat("y", 10<<20) + "\n"
	const longURI = "file:///large/long.Dockerfile"
	c.open(longURI, long, 1)
	d := c.diagnostics(longURI, 1)
	if len(d) != 1 || d[0].Range.Start.Line != 1 {
		t.Fatalf("10 MB line: diagnostics %v, want one on line 1", d)
	}
	c.change(longURI, 2, partial(0, 0, 0, 0, "# note\n"))
	if got, err := c.text(longURI); err != nil || got.Text != "# note\n"+long {
		t.Fatalf("10 MB file after an edit: %v", err)
	}
}
