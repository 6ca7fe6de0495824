package analysis

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// PositionCursor converts offsets to positions exactly as
// Document.Position does, remembering the last line it placed: offsets on
// that line skip the searches, and offsets a few lines on are reached by
// stepping from it. An outline or a token list converts its spans in
// document order, mostly on lines just placed or the next ones.
type PositionCursor struct {
	d   *Document
	enc Encoding
	ok  bool // the fields below hold the last line placed
	k   int  // its chunk
	l   int  // its index in the chunk
	// The chunk's offset in the document; the line's start, its end
	// before the terminator, and the next line's start, relative to the
	// chunk.
	base, start, end, next int
	line                   int    // its number in the document
	text                   string // the chunk's
	// plain tells that columns count bytes on the line: the chunk is
	// ASCII, or the encoding UTF-8. Else the line's text from start to
	// ascii is ASCII, its columns the bytes' count; mixed tells that the
	// byte at ascii is not.
	plain bool
	ascii int
	mixed bool
}

// cursorSteps is how many lines on a cursor steps before it searches.
const cursorSteps = 4

// Cursor returns a cursor over d that counts columns in enc.
func (d *Document) Cursor(enc Encoding) *PositionCursor {
	return &PositionCursor{d: d, enc: enc}
}

// Position is d.Position(off, enc).
func (c *PositionCursor) Position(off int) Position {
	// Small enough to be inlined: an offset on the line last placed,
	// whose columns count bytes.
	if rel := off - c.base; c.plain && rel >= c.start && rel <= c.end {
		return Position{Line: c.line, Col: rel - c.start}
	}
	return c.position(off)
}

// position is Position, for any offset.
func (c *PositionCursor) position(off int) Position {
	d := c.d
	off = d.clamp(off)
	if off <= 0 || off >= d.length {
		return d.Position(off, c.enc)
	}
	rel := off - c.base
	if !c.ok || rel < c.start || rel >= c.next {
		c.place(off)
		rel = off - c.base
	}
	to := min(rel, c.end)
	if c.plain {
		return Position{Line: c.line, Col: to - c.start}
	}
	text := c.text
	// Each byte of an ASCII line is looked at once, however many
	// positions the line holds.
	if !c.mixed && c.ascii < to {
		i := c.ascii
		for i+8 <= to {
			b := text[i : i+8]
			if (b[0]|b[1]|b[2]|b[3]|b[4]|b[5]|b[6]|b[7])&0x80 != 0 {
				break
			}
			i += 8
		}
		for i < to && text[i] < utf8.RuneSelf {
			i++
		}
		c.ascii, c.mixed = i, i < to
	}
	if to <= c.ascii {
		return Position{Line: c.line, Col: to - c.start}
	}
	return Position{Line: c.line, Col: columnWidth(text[c.start:to], c.enc)}
}

// Line returns the line holding off (clamped to the document), as
// LineOf, LineStart and LineEnd give it, and where the next line starts
// (the document's end on the last line), placing it as Position does: a
// walk along the lines in document order mostly steps, never searches.
func (c *PositionCursor) Line(off int) (line, start, end, next int) {
	d := c.d
	off = d.clamp(off)
	if off >= d.length { // at the end: no chunk holds it
		line = d.lines - 1
		return line, d.LineStart(line), d.length, d.length
	}
	if rel := off - c.base; !c.ok || rel < c.start || rel >= c.next {
		c.place(off)
	}
	return c.line, c.base + c.start, c.base + c.end, c.base + c.next
}

// place makes the line holding off, inside the document, the cursor's:
// stepping from the last line placed when off is at most cursorSteps
// lines on, else by a search.
func (c *PositionCursor) place(off int) {
	d := c.d
	if c.ok && off >= c.base+c.next {
		k, l := c.k, c.l
		for range cursorSteps {
			if l++; l == len(d.chunks[k].lines) {
				k, l = k+1, 0
			}
			ch := d.chunks[k]
			next := len(ch.text)
			if l+1 < len(ch.lines) {
				next = ch.lines[l+1]
			}
			if off < d.offs[k]+next {
				c.setLine(k, l)
				return
			}
		}
	}
	k := d.chunkOf(off)
	c.setLine(k, sort.SearchInts(d.chunks[k].lines, off-d.offs[k]+1)-1)
}

// setLine makes line l of chunk k the cursor's.
func (c *PositionCursor) setLine(k, l int) {
	d := c.d
	ch := d.chunks[k]
	start, end := ch.lines[l], len(ch.text)
	if l+1 < len(ch.lines) {
		end = ch.lines[l+1]
	}
	next := end
	if end > start && ch.text[end-1] == '\n' {
		end--
	}
	if end > start && ch.text[end-1] == '\r' {
		end--
	}
	c.ok, c.k, c.l, c.base = true, k, l, d.offs[k]
	c.start, c.end, c.next = start, end, next
	c.line = d.firsts[k] + l
	c.text, c.plain = ch.text, ch.ascii || c.enc == UTF8
	c.ascii, c.mixed = start, false
}

// asciiOnly reports whether s holds only ASCII bytes, looking at sixteen
// at a time (two words, each tested against the high bit of its bytes).
func asciiOnly(s string) bool {
	const high = 0x8080808080808080
	i := 0
	for ; i+16 <= len(s); i += 16 {
		if (word(s, i)|word(s, i+8))&high != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// word returns the eight bytes of s at i as one little-endian word (the
// compiler makes it one load).
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// LineAt returns the text from off to the end of its line, without the
// terminator, and the offset of the next line (the document's length
// after the last). Lines are held whole in chunks: the line is a piece of
// its chunk's text, found from chunk *k (offsets read in document order
// are in it or the next) and left in *k.
func (d *Document) LineAt(off int, k *int) (rest string, next int) {
	off = d.clamp(off)
	c := *k
	switch {
	case c >= len(d.chunks) || d.offs[c] > off || c+2 < len(d.chunks) && d.offs[c+2] <= off:
		c = d.chunkOf(off)
	case c+1 < len(d.chunks) && d.offs[c+1] <= off:
		c++
	}
	*k = c
	rest = d.chunks[c].text[off-d.offs[c]:]
	eol := lineBreak(rest)
	if eol < 0 {
		return rest, off + len(rest)
	}
	next = off + eol + 1
	if rest[eol] == '\r' && eol+1 < len(rest) && rest[eol+1] == '\n' {
		next++
	}
	return rest[:eol], next
}

// lineBreak returns the index of the first '\n' or '\r' in s, or -1.
func lineBreak(s string) int {
	if nl := strings.IndexByte(s, '\n'); nl >= 0 {
		if cr := strings.IndexByte(s[:nl], '\r'); cr >= 0 {
			return cr
		}
		return nl
	}
	return strings.IndexByte(s, '\r')
}
