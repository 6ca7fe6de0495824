package check

import "testing"

// TestByteOrderMarkColumns: a byte order mark is no column of the first
// line, in the text and JSON output (UTF-32 columns) and in SARIF (UTF-16).
func TestByteOrderMarkColumns(t *testing.T) {
	for _, text := range []string{"from alpine\nRUN x\nRUN y\n", "\ufefffrom alpine\nRUN x\nRUN y\n"} {
		fs := FileWithConfig("Dockerfile", text, nil)
		if len(fs) == 0 {
			t.Fatalf("%q: no findings", text)
		}
		f := fs[0]
		if f.Line != 1 || f.Column != 1 || f.EndColumn != 5 {
			t.Errorf("%q: finding at %d:%d-%d, want 1:1-5", text, f.Line, f.Column, f.EndColumn)
		}
		if r := region(f.doc, f.diag.Span); r.StartColumn != 1 || r.EndColumn != 5 {
			t.Errorf("%q: SARIF region columns %d-%d, want 1-5", text, r.StartColumn, r.EndColumn)
		}
	}
}
