// Package analysis is Stagehand's LSP-free core: document text with exact
// positions, the scanner over BuildKit's line ranges, and the stage index.
// It speaks byte offsets; conversion to protocol positions happens here once,
// for whichever column encoding the client negotiated.
package analysis

import (
	"fmt"
	"sort"
	"strings"
	"sync"
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
//
// The text is held in chunks of whole lines so that an edit copies the
// chunks it touches and the small tables that place them, not the whole
// text: a keystroke in a 20,000-line file costs what it costs in a short one.
type Document struct {
	chunks   []*chunk
	offs     []int // byte offset at which each chunk starts
	firsts   []int // number of the first line in each chunk
	length   int
	lines    int
	trailing bool // the last line is empty and starts at the end

	textOnce sync.Once
	text     string
	// The start of every line, as lineOffsets returns them, where
	// NewDocument found them anyway: a first parse reads them, not a copy.
	starts []int
	// noCR is set where NewDocument found no "\r" in the text, so that a
	// first parse need not look for a lone one.
	noCR bool
}

// chunk is a run of whole lines; lines holds the start of each.
type chunk struct {
	text  string
	lines []int // start of each line in text
	ascii bool  // text is ASCII only: its columns are its bytes
}

// chunkLines is the number of lines a chunk is cut to.
const chunkLines = 64

// NewDocument indexes text.
func NewDocument(text string) *Document {
	d := &Document{}
	starts, cr := lineStartsCR(text)
	d.chunks = appendChunksAt(nil, text, starts)
	d.index()
	d.starts, d.noCR = starts, !cr
	d.text = text
	d.textOnce.Do(func() {})
	return d
}

// appendChunks cuts text, which starts at a line start, into chunks.
func appendChunks(dst []*chunk, text string) []*chunk {
	return appendChunksAt(dst, text, lineStarts(text))
}

// appendChunksAt is appendChunks with the line starts already found.
func appendChunksAt(dst []*chunk, text string, starts []int) []*chunk {
	if starts[len(starts)-1] == len(text) {
		starts = starts[:len(starts)-1] // the empty line after a final terminator
	}
	for i := 0; i < len(starts); i += chunkLines {
		j := min(i+chunkLines, len(starts))
		end := len(text)
		if j < len(starts) {
			end = starts[j]
		}
		c := &chunk{text: text[starts[i]:end], lines: make([]int, j-i)}
		c.ascii = asciiOnly(c.text)
		for k := i; k < j; k++ {
			c.lines[k-i] = starts[k] - starts[i]
		}
		dst = append(dst, c)
	}
	return dst
}

// lineStarts returns the start of every line of text.
func lineStarts(text string) []int {
	starts, _ := lineStartsCR(text)
	return starts
}

// lineStartsCR is lineStarts, also reporting whether text holds a "\r".
func lineStartsCR(text string) ([]int, bool) {
	if strings.IndexByte(text, '\r') < 0 {
		// Lines end at "\n" alone: each found by a byte search, in a list
		// made at its size.
		starts := make([]int, 1, strings.Count(text, "\n")+1)
		for i := 0; ; {
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return starts, false
			}
			i += j + 1
			starts = append(starts, i)
		}
	}
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
	return starts, true
}

// index fills the placing tables from the chunks.
func (d *Document) index() {
	if len(d.chunks) == 0 {
		d.chunks = append(d.chunks, &chunk{})
	}
	d.offs = make([]int, len(d.chunks))
	d.firsts = make([]int, len(d.chunks))
	off, line := 0, 0
	for i, c := range d.chunks {
		d.offs[i], d.firsts[i] = off, line
		off += len(c.text)
		line += len(c.lines)
	}
	d.length, d.lines = off, line
	// An empty text, or one that ends with a terminator, has an empty last
	// line that starts at the very end and belongs to no chunk.
	if d.length == 0 || d.byteAt(d.length-1) == '\n' || d.byteAt(d.length-1) == '\r' {
		d.trailing = true
		d.lines++
	}
}

// lineOffsets returns the byte offset at which each line starts, the
// empty last line after a final terminator included. The list is shared:
// callers only read it.
func (d *Document) lineOffsets() []int {
	if d.starts != nil {
		return d.starts
	}
	starts := make([]int, 0, d.lines)
	for i, c := range d.chunks {
		off := d.offs[i]
		for _, l := range c.lines {
			starts = append(starts, off+l)
		}
	}
	if d.trailing {
		starts = append(starts, d.length)
	}
	return starts
}

// Text returns the whole text, joining the chunks once.
func (d *Document) Text() string {
	d.textOnce.Do(func() {
		var b strings.Builder
		b.Grow(d.length)
		for _, c := range d.chunks {
			b.WriteString(c.text)
		}
		d.text = b.String()
	})
	return d.text
}

// Len returns the text's length in bytes.
func (d *Document) Len() int { return d.length }

// LineCount returns the number of lines; an empty text has one.
func (d *Document) LineCount() int { return d.lines }

// chunkOfLine returns the chunk holding line and the line's index in it.
func (d *Document) chunkOfLine(line int) (int, int) {
	k := sort.SearchInts(d.firsts, line+1) - 1
	return k, line - d.firsts[k]
}

// chunkOf returns the chunk holding offset off (the last chunk for the end).
func (d *Document) chunkOf(off int) int {
	k := sort.SearchInts(d.offs, off+1) - 1
	return max(k, 0)
}

// LineStart returns the offset at which line starts, clamped to the document.
func (d *Document) LineStart(line int) int {
	if line <= 0 {
		return 0
	}
	if line >= d.lines || (d.trailing && line == d.lines-1) {
		return d.length
	}
	k, l := d.chunkOfLine(line)
	return d.offs[k] + d.chunks[k].lines[l]
}

// LineEnd returns the offset of line's terminator (or the end of the text).
func (d *Document) LineEnd(line int) int {
	line = max(line, 0)
	if line+1 >= d.lines {
		return d.length
	}
	start := d.LineStart(line)
	end := d.LineStart(line + 1)
	if end > start && d.byteAt(end-1) == '\n' {
		end--
	}
	if end > start && d.byteAt(end-1) == '\r' {
		end--
	}
	return end
}

func (d *Document) byteAt(off int) byte {
	k := d.chunkOf(off)
	return d.chunks[k].text[off-d.offs[k]]
}

// LineOf returns the line that contains off.
func (d *Document) LineOf(off int) int {
	if off <= 0 {
		return 0
	}
	if off >= d.length {
		return d.lines - 1
	}
	k := d.chunkOf(off)
	l := sort.SearchInts(d.chunks[k].lines, off-d.offs[k]+1) - 1
	return d.firsts[k] + l
}

// Slice returns the text that s covers, clamped to the document.
func (d *Document) Slice(s Span) string {
	start, end := d.clamp(s.Start), d.clamp(s.End)
	if end <= start {
		return ""
	}
	k := d.chunkOf(start)
	if base := d.offs[k]; end-base <= len(d.chunks[k].text) {
		return d.chunks[k].text[start-base : end-base]
	}
	var b strings.Builder
	b.Grow(end - start)
	for ; k < len(d.chunks) && d.offs[k] < end; k++ {
		c, base := d.chunks[k], d.offs[k]
		b.WriteString(c.text[max(start-base, 0):min(end-base, len(c.text))])
	}
	return b.String()
}

// Unchanged returns the text d shares with old, an earlier version it was
// made from by edits: the first pre bytes of both are the same, and so are
// the last post bytes. It compares the chunks the two share, not their
// text, so it may find less than is the same, never more.
func (d *Document) Unchanged(old *Document) (pre, post int) {
	n := min(len(d.chunks), len(old.chunks))
	k := 0
	for k < n && d.chunks[k] == old.chunks[k] {
		k++
	}
	if k == len(d.chunks) && k == len(old.chunks) {
		return d.length, d.length
	}
	pre = d.offs[k]
	if k == len(d.chunks) {
		pre = d.length
	}
	j := 0
	for j < n-k && d.chunks[len(d.chunks)-1-j] == old.chunks[len(old.chunks)-1-j] {
		j++
	}
	if j > 0 {
		post = d.length - d.offs[len(d.chunks)-j]
	}
	return pre, post
}

func (d *Document) clamp(off int) int {
	return max(0, min(off, d.length))
}

// Position converts a byte offset to a position in enc. An offset inside a
// multi-byte character or a line terminator is moved back to its start.
func (d *Document) Position(off int, enc Encoding) Position {
	off = d.clamp(off)
	if off > 0 && off < d.length {
		// Chunks hold whole lines: find the line inside its chunk.
		k := d.chunkOf(off)
		c, rel := d.chunks[k], off-d.offs[k]
		l := sort.SearchInts(c.lines, rel+1) - 1
		start, end := c.lines[l], len(c.text)
		if l+1 < len(c.lines) {
			end = c.lines[l+1]
		}
		if end > start && c.text[end-1] == '\n' {
			end--
		}
		if end > start && c.text[end-1] == '\r' {
			end--
		}
		return Position{Line: d.firsts[k] + l, Col: columnWidth(c.text[start:min(rel, end)], enc)}
	}
	line := d.LineOf(off)
	start := d.LineStart(line)
	off = min(off, d.LineEnd(line))
	return Position{Line: line, Col: columnWidth(d.Slice(Span{start, off}), enc)}
}

// Offset converts a position in enc to a byte offset. Positions past the end
// of a line clamp to its end and lines past the end clamp to the end of the
// document, as the protocol asks; clamped reports whether that happened.
func (d *Document) Offset(p Position, enc Encoding) (off int, clamped bool) {
	if p.Line < 0 || p.Col < 0 {
		return 0, true
	}
	if p.Line >= d.lines {
		return d.length, true
	}
	start, end := d.LineStart(p.Line), d.LineEnd(p.Line)
	text := d.Slice(Span{start, end})
	col := 0
	for i := 0; i < len(text); {
		if col >= p.Col {
			return start + i, col > p.Col
		}
		r, size := utf8.DecodeRuneInString(text[i:])
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
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeWidth(r, size, enc)
		i += size
	}
	return n
}

// ColumnWidth counts the columns that s occupies in enc.
func ColumnWidth(s string, enc Encoding) int { return columnWidth(s, enc) }

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

// Apply returns the document with e applied. Only the chunks the edit
// touches, and the one before it (a "\r" there may pair with a "\n" the
// edit inserts), are cut again; the rest are shared with d.
func (d *Document) Apply(e Edit) (*Document, error) {
	if e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > d.length {
		return nil, fmt.Errorf("edit %d-%d outside document of %d bytes", e.Span.Start, e.Span.End, d.length)
	}
	first := d.chunkOf(max(e.Span.Start-1, 0))
	last := d.chunkOf(e.Span.End)
	from := d.offs[first]
	to := d.offs[last] + len(d.chunks[last].text)
	var b strings.Builder
	b.Grow(to - from + len(e.Text))
	for k := first; k <= last; k++ {
		b.WriteString(d.chunks[k].text)
	}
	old := b.String()
	region := old[:e.Span.Start-from] + e.Text + old[e.Span.End-from:]

	nd := &Document{chunks: make([]*chunk, 0, len(d.chunks)+len(region)/1024+1)}
	nd.chunks = append(nd.chunks, d.chunks[:first]...)
	nd.chunks = appendChunks(nd.chunks, region)
	nd.chunks = append(nd.chunks, d.chunks[last+1:]...)
	nd.index()
	return nd, nil
}
