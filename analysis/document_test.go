package analysis

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// naiveLines is the protocol's line splitting, written the obvious way.
func naiveLines(text string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' || text[i] == '\r' {
			lines = append(lines, text[start:i])
			if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(lines, text[start:])
}

func checkDocument(t *testing.T, d *Document, text string) {
	t.Helper()
	if d.Text() != text || d.Len() != len(text) {
		t.Fatalf("text %q, want %q", d.Text(), text)
	}
	want := naiveLines(text)
	if d.LineCount() != len(want) {
		t.Fatalf("%q: %d lines, want %d", text, d.LineCount(), len(want))
	}
	// Every offset's position, against the naive lines: inside a line
	// terminator, the line's end.
	start := 0
	for i, l := range want {
		next := len(text)
		if i+1 < len(want) {
			next = start + len(l) + 1
			if text[start+len(l)] == '\r' && next < len(text) && text[next] == '\n' {
				next++
			}
		}
		for off := start; off < next || (i+1 == len(want) && off == next); off++ {
			for _, enc := range []Encoding{UTF8, UTF16, UTF32} {
				want := Position{i, columnWidth(l[:min(off-start, len(l))], enc)}
				if got := d.Position(off, enc); got != want {
					t.Fatalf("%q: Position(%d, %v) = %v, want %v", text, off, enc, got, want)
				}
			}
		}
		start = next
	}
	for i, l := range want {
		got := d.Slice(Span{d.LineStart(i), d.LineEnd(i)})
		if got != l {
			t.Fatalf("%q: line %d is %q, want %q", text, i, got, l)
		}
		for off := d.LineStart(i); off <= d.LineEnd(i); off++ {
			if d.LineOf(off) != i {
				t.Fatalf("%q: LineOf(%d) = %d, want %d", text, off, d.LineOf(off), i)
			}
		}
	}
}

func TestDocumentPositions(t *testing.T) {
	text := "\uFEFFFROM a\r\nRUN é😀x\rCOPY \xff b\n\tEND"
	d := NewDocument(text)
	checkDocument(t, d, text)
	for _, tc := range []struct {
		off  int
		enc  Encoding
		want Position
	}{
		{0, UTF16, Position{0, 0}},
		{3, UTF16, Position{0, 1}}, // after the BOM, one UTF-16 unit
		{len("\uFEFFFROM a"), UTF16, Position{0, 7}},
		{len("\uFEFFFROM a\r"), UTF16, Position{0, 7}}, // inside "\r\n": the line's end
		{strings.Index(text, "x"), UTF16, Position{1, 7}},
		{strings.Index(text, "x"), UTF8, Position{1, 10}},
		{strings.Index(text, "x"), UTF32, Position{1, 6}},
		{strings.Index(text, "b"), UTF16, Position{2, 7}}, // one unit for the invalid byte
		{len(text), UTF16, Position{3, 4}},
	} {
		if got := d.Position(tc.off, tc.enc); got != tc.want {
			t.Errorf("Position(%d, %v) = %v, want %v", tc.off, tc.enc, got, tc.want)
		}
		if off, clamped := d.Offset(tc.want, tc.enc); clamped || (off != tc.off && d.Position(off, tc.enc) != tc.want) {
			t.Errorf("Offset(%v, %v) = %d (clamped %v), want %d", tc.want, tc.enc, off, clamped, tc.off)
		}
	}
	// Past the end of a line or of the document: clamped.
	if off, clamped := d.Offset(Position{0, 99}, UTF16); !clamped || off != len("\uFEFFFROM a") {
		t.Errorf("past end of line: %d %v", off, clamped)
	}
	if off, clamped := d.Offset(Position{99, 0}, UTF16); !clamped || off != len(text) {
		t.Errorf("past end of document: %d %v", off, clamped)
	}
	// Inside a surrogate pair: the character's start.
	pair := strings.Index(text, "😀")
	if off, _ := d.Offset(Position{1, 6}, UTF16); off != pair+len("😀") && off != pair {
		t.Errorf("inside a surrogate pair: %d", off)
	}
}

func TestDocumentApplyRandom(t *testing.T) {
	pieces := []string{"", "a", "\n", "\r", "\r\n", "é", "😀", "\xff", "line\n", strings.Repeat("x\n", 70)}
	r := rand.New(rand.NewPCG(3, 4))
	for run := 0; run < 80; run++ {
		text := ""
		for k := r.IntN(200); k > 0; k-- {
			text += pieces[r.IntN(len(pieces))]
		}
		d := NewDocument(text)
		for step := 0; step < 30; step++ {
			start := r.IntN(len(text) + 1)
			end := min(len(text), start+r.IntN(5))
			ins := pieces[r.IntN(len(pieces))]
			var err error
			d, err = d.Apply(Edit{Span{start, end}, ins})
			if err != nil {
				t.Fatal(err)
			}
			text = text[:start] + ins + text[end:]
			// Compare against a fresh document and the naive splitter.
			fresh := NewDocument(text)
			if diff := cmp.Diff(naiveLines(text), linesOf(d)); diff != "" {
				t.Fatalf("after edit, lines differ (-want +got):\n%s", diff)
			}
			if fresh.LineCount() != d.LineCount() {
				t.Fatalf("line count %d, fresh %d", d.LineCount(), fresh.LineCount())
			}
			checkLineOffsets(t, d, text)
			checkLineOffsets(t, fresh, text)
			// A new document knows whether its text holds a "\r", which a
			// first parse reads instead of looking for a lone one.
			if fresh.noCR != !strings.Contains(text, "\r") {
				t.Fatalf("text %q: noCR %v", text, fresh.noCR)
			}
		}
		checkDocument(t, d, text)
	}
}

// checkLineOffsets holds the table the full parse reads to the line
// starts: the protocol's, and without a lone "\r" those BuildKit counts.
func checkLineOffsets(t *testing.T, d *Document, text string) {
	t.Helper()
	got := d.lineOffsets()
	var starts []int
	for i := 0; i < d.LineCount(); i++ {
		starts = append(starts, d.LineStart(i))
	}
	if diff := cmp.Diff(starts, got); diff != "" {
		t.Fatalf("text of %d bytes: line offsets differ from LineStart (-want +got):\n%s", len(text), diff)
	}
	if d.noCR && strings.Contains(text, "\r") {
		t.Fatalf("text %q holds a \"\\r\" but its document says none", text)
	}
	if !hasLoneCR(text) {
		if diff := cmp.Diff(newSourceLines(text).start, got); diff != "" {
			t.Fatalf("text of %d bytes: line offsets differ from BuildKit's lines (-want +got):\n%s", len(text), diff)
		}
	}
}

func linesOf(d *Document) []string {
	var out []string
	for i := 0; i < d.LineCount(); i++ {
		out = append(out, d.Slice(Span{d.LineStart(i), d.LineEnd(i)}))
	}
	return out
}

func TestDocumentApplyRejectsBadSpans(t *testing.T) {
	d := NewDocument("abc")
	for _, s := range []Span{{-1, 0}, {2, 1}, {0, 4}} {
		if _, err := d.Apply(Edit{Span: s}); err == nil {
			t.Errorf("Apply(%v) succeeded", s)
		}
	}
}

// TestUnchanged edits a text of many chunks at random: the prefix and
// suffix Unchanged reports must be the same in both versions, must not
// reach into the edit, and must cover all but the chunks the edit touched.
func TestUnchanged(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "RUN echo %d\r\n", i)
	}
	d := NewDocument(b.String())
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		at := rnd.IntN(d.Len() + 1)
		e := Edit{Span: Span{Start: at, End: min(d.Len(), at+rnd.IntN(3))}, Text: []string{"x", "", "\n", "ab\ncd"}[rnd.IntN(4)]}
		next, err := d.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		pre, post := next.Unchanged(d)
		old, now := d.Text(), next.Text()
		switch {
		case pre > e.Span.Start || post > len(now)-(e.Span.Start+len(e.Text)):
			t.Fatalf("edit %d (%+v): Unchanged = %d, %d reaches into the edit", i, e, pre, post)
		case now[:pre] != old[:pre] || now[len(now)-post:] != old[len(old)-post:]:
			t.Fatalf("edit %d (%+v): Unchanged = %d, %d, but the texts differ there", i, e, pre, post)
		case pre+post < len(now)-3*64*len("RUN echo 100\r\n")-len(e.Text):
			t.Fatalf("edit %d (%+v): Unchanged = %d, %d of %d bytes: more than the touched chunks left out", i, e, pre, post, len(now))
		}
		d = next
	}
	if pre, post := NewDocument(d.Text()).Unchanged(d); pre != 0 || post != 0 {
		t.Errorf("a document made afresh shares %d, %d bytes by chunk; want none", pre, post)
	}
	if pre, post := d.Unchanged(d); pre != d.Len() || post != d.Len() {
		t.Errorf("a document shares %d, %d bytes with itself, want all %d", pre, post, d.Len())
	}
}

// TestLineStartsByteByByte holds lineStarts, which searches for "\n" where
// the text holds no "\r", to the byte-by-byte reading over every text of
// up to eight bytes from a letter, "\n" and "\r".
func TestLineStartsByteByByte(t *testing.T) {
	byteByByte := func(text string) []int {
		starts := []int{0}
		for i := 0; i < len(text); i++ {
			switch text[i] {
			case '\n':
				starts = append(starts, i+1)
			case '\r':
				if i+1 < len(text) && text[i+1] == '\n' {
					i++
				}
				starts = append(starts, i+1)
			}
		}
		return starts
	}
	n := 0
	var each func(s string)
	each = func(s string) {
		if got, want := lineStarts(s), byteByByte(s); !slices.Equal(got, want) {
			t.Fatalf("lineStarts(%q) = %v, byte by byte %v", s, got, want)
		}
		n++
		if len(s) < 8 {
			for _, c := range []string{"a", "\n", "\r"} {
				each(s + c)
			}
		}
	}
	each("")
	if n < 9000 {
		t.Errorf("only %d texts", n)
	}
}
