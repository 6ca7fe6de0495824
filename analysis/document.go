// Package analysis is Stagehand's LSP-free core: document text with exact
// positions, the scanner over BuildKit's line ranges, and the stage index.
// It speaks byte offsets; conversion to protocol positions happens here once,
// for whichever column encoding the client negotiated.
package analysis

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Encoding is the unit in which a client counts columns.
type Encoding int

const (
	UTF16 Encoding = iota // the LSP default
	UTF8
	UTF32
)

func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "utf-8"
	case UTF32:
		return "utf-32"
	}
	return "utf-16"
}

// Position is a zero-based line and a column counted in some Encoding.
type Position struct {
	Line, Col int
}

// Span is a half-open range of byte offsets.
type Span struct {
	Start, End int
}

// Len returns the number of bytes in s.
func (s Span) Len() int { return s.End - s.Start }

// Contains reports whether off lies in s, counting the end as inside so that
// a cursor just after a word still touches it.
func (s Span) Contains(off int) bool { return s.Start <= off && off <= s.End }

// Shift returns s moved by delta bytes.
func (s Span) Shift(delta int) Span { return Span{s.Start + delta, s.End + delta} }

// Document is an immutable text with a line index. Lines end at "\n",
// "\r\n" or a lone "\r", as the protocol counts them.
type Document struct {
	text  string
	lines []int // byte offset at which each line starts; lines[0] == 0
}

// NewDocument indexes text.
func NewDocument(text string) *Document {
	return &Document{text: text, lines: lineStarts(text, 0, nil)}
}

// lineStarts appends to dst the start offsets of the lines that begin inside
// text, each shifted by base; the first line's start is included only when
// base is 0.
func lineStarts(text string, base int, dst []int) []int {
	if base == 0 {
		dst = append(dst, 0)
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			dst = append(dst, base+i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			dst = append(dst, base+i+1)
		}
	}
	return dst
}

// Text returns the whole text.
func (d *Document) Text() string { return d.text }

// Len returns the text's length in bytes.
func (d *Document) Len() int { return len(d.text) }

// LineCount returns the number of lines; an empty text has one.
func (d *Document) LineCount() int { return len(d.lines) }

// LineStart returns the offset at which line starts, clamped to the document.
func (d *Document) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(d.lines) {
		return len(d.text)
	}
	return d.lines[line]
}

// LineEnd returns the offset of line's terminator (or the end of the text).
func (d *Document) LineEnd(line int) int {
	if line < 0 {
		line = 0
	}
	if line+1 >= len(d.lines) {
		return len(d.text)
	}
	end := d.lines[line+1]
	if end > 0 && d.text[end-1] == '\n' {
		end--
	}
	if end > d.lines[line] && d.text[end-1] == '\r' {
		end--
	}
	return end
}

// LineOf returns the line that contains off.
func (d *Document) LineOf(off int) int {
	if off <= 0 {
		return 0
	}
	return sort.SearchInts(d.lines, off+1) - 1
}

// Slice returns the text that s covers, clamped to the document.
func (d *Document) Slice(s Span) string {
	start, end := d.clamp(s.Start), d.clamp(s.End)
	if end < start {
		return ""
	}
	return d.text[start:end]
}

func (d *Document) clamp(off int) int {
	return max(0, min(off, len(d.text)))
}

// Position converts a byte offset to a position in enc. An offset inside a
// multi-byte character or a line terminator is moved back to its start.
func (d *Document) Position(off int, enc Encoding) Position {
	off = d.clamp(off)
	line := d.LineOf(off)
	start := d.lines[line]
	off = min(off, d.LineEnd(line))
	return Position{Line: line, Col: columnWidth(d.text[start:off], enc)}
}

// Offset converts a position in enc to a byte offset. Positions past the end
// of a line clamp to its end and lines past the end clamp to the end of the
// document, as the protocol asks; clamped reports whether that happened.
func (d *Document) Offset(p Position, enc Encoding) (off int, clamped bool) {
	if p.Line < 0 || p.Col < 0 {
		return 0, true
	}
	if p.Line >= len(d.lines) {
		return len(d.text), true
	}
	start, end := d.lines[p.Line], d.LineEnd(p.Line)
	col := 0
	for i := start; i < end; {
		if col >= p.Col {
			return i, col > p.Col
		}
		r, size := utf8.DecodeRuneInString(d.text[i:end])
		col += runeWidth(r, size, enc)
		i += size
	}
	return end, col < p.Col
}

// columnWidth counts the columns that s occupies in enc. Each byte of
// invalid UTF-8 counts as one replacement character.
func columnWidth(s string, enc Encoding) int {
	if enc == UTF8 {
		return len(s)
	}
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeWidth(r, size, enc)
		i += size
	}
	return n
}

func runeWidth(r rune, size int, enc Encoding) int {
	switch enc {
	case UTF8:
		return size
	case UTF16:
		if r >= 0x10000 {
			return 2
		}
	}
	return 1
}

// Edit replaces the bytes of Span with Text.
type Edit struct {
	Span Span
	Text string
}

// Apply returns the document with e applied. The line index is spliced, not
// rebuilt: only the lines the edit touches are scanned again.
func (d *Document) Apply(e Edit) (*Document, error) {
	if e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > len(d.text) {
		return nil, fmt.Errorf("edit %d-%d outside document of %d bytes", e.Span.Start, e.Span.End, len(d.text))
	}
	text := d.text[:e.Span.Start] + e.Text + d.text[e.Span.End:]
	// Whether q starts a line depends on the bytes at q-1 and q only, so the
	// starts before the edit and those more than one byte after it are kept
	// (the latter shifted); only the bytes in between are scanned.
	editEnd := e.Span.Start + len(e.Text)
	keep := max(sort.SearchInts(d.lines, e.Span.Start), 1) // line 0 always starts at 0
	rest := sort.SearchInts(d.lines, e.Span.End+1)
	lines := make([]int, 0, len(d.lines)+strings.Count(e.Text, "\n")+1)
	lines = append(lines, d.lines[:keep]...)
	for i := max(e.Span.Start-1, 0); i < editEnd; i++ {
		switch text[i] {
		case '\n':
			lines = append(lines, i+1)
		case '\r':
			if i+1 >= len(text) || text[i+1] != '\n' {
				lines = append(lines, i+1)
			}
		}
	}
	delta := len(e.Text) - e.Span.Len()
	for _, s := range d.lines[rest:] {
		lines = append(lines, s+delta)
	}
	return &Document{text: text, lines: lines}, nil
}
