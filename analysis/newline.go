package analysis

import "strings"

// Newline returns the line terminator doc uses, "\r\n" or "\n", judged by
// its first 4 KiB: the text an edit inserts ends its lines with it, so a
// CRLF file keeps one line-end style.
func Newline(doc *Document) string {
	if strings.Contains(doc.Slice(Span{Start: 0, End: min(doc.Len(), 4096)}), "\r\n") {
		return "\r\n"
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
