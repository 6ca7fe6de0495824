package analysis

import "strings"

// Newline returns the line terminator doc uses, "\r\n" or "\n", judged by
// its first 4 KiB: the text an edit inserts ends its lines with it, so a
// CRLF file keeps one line-end style.
func Newline(doc *Document) string {
	// Chunk by chunk, not through Slice: a slice across chunks is a copy,
	// and every diagnostic's skip fix asks (a "\r\n" never straddles two
	// chunks, which start at line starts).
	const window = 4096
	seen := 0
	for _, c := range doc.chunks {
		t := c.text[:min(len(c.text), window-seen)]
		if strings.Contains(t, "\r\n") {
			return "\r\n"
		}
		if seen += len(t); seen >= window {
			break
		}
	}
	return "\n"
}

// LineStartPastBOM returns the start of line, past the byte order mark
// that may open line 0: an edit that removes the file's first lines or
// inserts above them starts there, so the mark stays the file's first
// bytes.
func LineStartPastBOM(doc *Document, line int) int {
	start := doc.LineStart(line)
	if start == 0 && strings.HasPrefix(doc.Slice(Span{Start: 0, End: min(doc.Len(), len("\uFEFF"))}), "\uFEFF") {
		return len("\uFEFF")
	}
	return start
}
