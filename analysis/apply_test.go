package analysis

import (
	"strings"
	"testing"
)

// applied applies edits for a test, which fails (by the panic) when
// ApplyEdits refuses them.
func applied(text string, edits []Edit) string {
	out, err := ApplyEdits(text, edits)
	if err != nil {
		panic(err)
	}
	return out
}

func TestApplyEdits(t *testing.T) {
	text := "FROM a\nRUN b\n"
	ok := []struct {
		edits []Edit
		want  string
	}{
		{nil, text},
		{[]Edit{{Span{0, 4}, "from"}, {Span{7, 10}, "run"}}, "from a\nrun b\n"},
		{[]Edit{{Span{4, 4}, "X"}, {Span{4, 5}, "Y"}, {Span{5, 5}, "Z"}}, "FROMXYZa\nRUN b\n"},
		{[]Edit{{Span{0, 7}, ""}, {Span{7, 13}, ""}}, ""},
		{[]Edit{{Span{13, 13}, "CMD c\n"}}, text + "CMD c\n"},
	}
	for _, tt := range ok {
		got, err := ApplyEdits(text, tt.edits)
		if err != nil || got != tt.want {
			t.Errorf("ApplyEdits(%v) = %q, %v; want %q", tt.edits, got, err, tt.want)
		}
	}
	bad := map[string][]Edit{
		"overlap":      {{Span{0, 5}, "x"}, {Span{4, 6}, "y"}},
		"out of order": {{Span{7, 10}, "run"}, {Span{0, 4}, "from"}},
		"inside":       {{Span{0, 13}, ""}, {Span{5, 5}, "x"}},
		"past end":     {{Span{10, 14}, ""}},
		"negative":     {{Span{-1, 2}, ""}},
		"reversed":     {{Span{5, 4}, ""}},
	}
	for name, edits := range bad {
		if got, err := ApplyEdits(text, edits); err == nil || got != "" {
			t.Errorf("%s: ApplyEdits(%v) = %q, %v; want an error and no text", name, edits, got, err)
		}
	}
	// SortEdits makes a set of edits applicable, keeping insertions at one
	// offset in the order given.
	set := []Edit{{Span{7, 10}, "run"}, {Span{0, 0}, "# 1\n"}, {Span{0, 0}, "# 2\n"}}
	if got := applied(text, SortEdits(set)); !strings.HasPrefix(got, "# 1\n# 2\nFROM a\nrun b") {
		t.Errorf("sorted set: %q", got)
	}
}
