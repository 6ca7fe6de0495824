package analysis

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestPositionCursor holds the cursor to Document.Position for every
// offset of the corpus files (with each line ending, in both encodings),
// in ascending order, descending and at random, on documents built whole
// and by edits; and its lines (Line) to LineOf, LineStart and LineEnd,
// asked between the positions.
func TestPositionCursor(t *testing.T) {
	files := testgen.Corpus(t)
	r := rand.New(rand.NewPCG(18, 3))
	checked := 0
	for i, name := range slices.Sorted(maps.Keys(files)) {
		if i%4 != 0 {
			continue
		}
		text := files[name] + "\u00e9\U0001F600 tail"
		for _, v := range []string{text, strings.ReplaceAll(text, "\n", "\r\n"), strings.ReplaceAll(text, "\n", "\r")} {
			doc := NewDocument(v)
			if edited, err := doc.Apply(Edit{Span: Span{len(v) / 2, len(v) / 2}, Text: "x\ny\r\n"}); err == nil && i%8 == 0 {
				doc = edited
			}
			n := doc.Len()
			offs := make([]int, 0, 3*(n+3))
			for off := -1; off <= n+1; off++ {
				offs = append(offs, off)
			}
			for off := n + 1; off >= -1; off-- {
				offs = append(offs, off)
			}
			for range n + 3 {
				offs = append(offs, r.IntN(n+3)-1)
			}
			for _, enc := range []Encoding{UTF8, UTF16, UTF32} {
				c := doc.Cursor(enc)
				for k, off := range offs {
					if got, want := c.Position(off), doc.Position(off, enc); got != want {
						t.Fatalf("%s: offset %d in %v: cursor %+v, Position %+v", name, off, enc, got, want)
					}
					checked++
					if k%3 != 0 {
						continue
					}
					line, start, end, next := c.Line(off)
					wl := doc.LineOf(off)
					if want := [4]int{wl, doc.LineStart(wl), doc.LineEnd(wl), doc.LineStart(wl + 1)}; [4]int{line, start, end, next} != want {
						t.Fatalf("%s: offset %d: cursor's line, start, end, next %v, want %v", name, off, [4]int{line, start, end, next}, want)
					}
				}
			}
		}
	}
	if checked < 1_000_000 {
		t.Errorf("only %d offsets checked", checked)
	}
}

// TestASCIIOnly compares asciiOnly with a byte-by-byte check, with one
// byte of 0x80 or more at every place of strings of every length up to
// 40 (across the sixteen-byte steps and the tail).
func TestASCIIOnly(t *testing.T) {
	for n := 0; n <= 40; n++ {
		plain := strings.Repeat("a", n)
		if !asciiOnly(plain) {
			t.Fatalf("asciiOnly(%q) = false", plain)
		}
		for i := range n {
			for _, c := range []byte{0x80, 0xc3, 0xff} {
				b := []byte(plain)
				b[i] = c
				if asciiOnly(string(b)) {
					t.Fatalf("asciiOnly(%q) = true, byte %d is %#x", b, i, c)
				}
			}
		}
	}
}
