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
