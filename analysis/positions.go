package analysis

import (
	"sort"
	"unicode/utf8"
)

// PositionCursor converts offsets to positions exactly as
// Document.Position does, remembering the last line it placed: offsets on
// that line, or elsewhere in its chunk, skip the searches. An outline or a
// token list converts its spans in document order, mostly on lines just
// placed.
type PositionCursor struct {
	d   *Document
	enc Encoding
	ok  bool // the fields below hold the last line placed
	k   int  // its chunk
	// The line's start, its end before the terminator, and the next
	// line's start, relative to the chunk.
	start, end, next int
	line             int // its number in the document
	// The line's text from start to ascii is ASCII, its columns the
	// bytes' count; mixed tells that the byte at ascii is not.
	ascii int
	mixed bool
}

// Cursor returns a cursor over d that counts columns in enc.
func (d *Document) Cursor(enc Encoding) *PositionCursor {
	return &PositionCursor{d: d, enc: enc}
}

// Position is d.Position(off, enc).
func (c *PositionCursor) Position(off int) Position {
	d := c.d
	off = d.clamp(off)
	if off <= 0 || off >= d.length {
		return d.Position(off, c.enc)
	}
	k := c.k
	if !c.ok || off < d.offs[k] || off-d.offs[k] >= len(d.chunks[k].text) {
		k = d.chunkOf(off)
		c.ok = false
	}
	ch, rel := d.chunks[k], off-d.offs[k]
	if !c.ok || rel < c.start || rel >= c.next {
		l := sort.SearchInts(ch.lines, rel+1) - 1
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
		c.ok, c.k, c.start, c.end, c.next = true, k, start, end, next
		c.line = d.firsts[k] + l
		c.ascii, c.mixed = start, false
	}
	to := min(rel, c.end)
	// Each byte of an ASCII line is looked at once, however many
	// positions the line holds.
	if !c.mixed && c.ascii < to {
		text, i := ch.text, c.ascii
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
	return Position{Line: c.line, Col: columnWidth(ch.text[c.start:to], c.enc)}
}
