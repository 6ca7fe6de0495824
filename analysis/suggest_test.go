package analysis

import "testing"

func TestSuggest(t *testing.T) {
	names := []string{"build", "test", "lint", "docs", "license-set", "Release"}
	for _, c := range []struct {
		word          string
		caseSensitive bool
		want          string
	}{
		{"dosc", false, "docs"},
		{"buidl", false, "build"},
		{"tset", false, "test"},
		{"lnt", false, "lint"},
		{"xyz", false, ""},
		{"b", false, ""},
		{"", false, ""},
		{"BUILD", false, ""},          // a candidate itself: the error is about something else
		{"set", false, "license-set"}, // a dash-separated part wins over edit distance
		{"license", false, "license-set"},
		{"releas", false, "Release"}, // returned as written
		{"releas", true, "Release"},  // distance 2, the case counting one
		{"RELEASE", true, ""},        // the case counted: far
		{"Releas", true, "Release"},
		{"BIULD", true, ""},
		{"ſhell", false, ""}, // far from every name
		{"tesst", false, "test"},
	} {
		if got := Suggest(c.word, names, c.caseSensitive); got != c.want {
			t.Errorf("Suggest(%q, caseSensitive=%v) = %q, want %q", c.word, c.caseSensitive, got, c.want)
		}
	}
	if got := Suggest("ſhell", instructionNames, false); got != "shell" {
		t.Errorf("Suggest(ſhell) = %q, want shell: distance counts runes, not bytes", got)
	}
	if got := Suggest("aa", []string{"ac", "ab"}, true); got != "ac" {
		t.Errorf("Suggest(aa) = %q, want ac: of equals, the earlier wins", got)
	}
	if got := Suggest("RUNN", instructionNames, false); got != "run" {
		t.Errorf("Suggest(RUNN) = %q, want run", got)
	}
}
