package analysis

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"build", "test", "lint", "docs"}
	for word, want := range map[string]string{"dosc": "docs", "buidl": "build", "tset": "test", "lnt": "lint", "xyz": "", "b": "", "BUILD": "build"} {
		if got := Closest(word, names); got != want {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
}
