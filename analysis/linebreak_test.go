package analysis

import (
	"strings"
	"testing"
)

// TestLineBreak holds lineBreak to strings.IndexAny(s, "\r\n") on texts
// with every line ending, alone and mixed.
func TestLineBreak(t *testing.T) {
	for _, s := range []string{"", "a", "\n", "\r", "\r\n", "ab\ncd", "ab\rcd", "ab\r\ncd", "a\n\rb", "a\rb\nc", "abc\n\r", "no break at all"} {
		for _, pre := range []string{"", "FROM x AS y ", strings.Repeat("é", 40)} {
			text := pre + s
			if got, want := lineBreak(text), strings.IndexAny(text, "\r\n"); got != want {
				t.Errorf("lineBreak(%q) = %d, want %d", text, got, want)
			}
		}
	}
}
