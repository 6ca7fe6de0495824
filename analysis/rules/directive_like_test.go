package rules

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestDirectiveLikeAsRegexp compares directiveLike with the regular
// expression it replaced (one allocation-free scan on the keystroke path)
// over lines built from the pieces a directive is made of.
func TestDirectiveLikeAsRegexp(t *testing.T) {
	re := regexp.MustCompile(`^\s*#\s*[a-zA-Z][a-zA-Z0-9]*\s*=`)
	pieces := []string{"#", "=", " ", "\t", "\r", "\f", "\v", "a", "Z", "9", "_", "-", "escape", "check", "é", "\uFEFF", "x=1"}
	r := rand.New(rand.NewPCG(1, 2))
	matched := 0
	for range 200000 {
		line := ""
		for range r.IntN(7) {
			line += pieces[r.IntN(len(pieces))]
		}
		want := re.MatchString(line)
		if got := directiveLike(line); got != want {
			t.Fatalf("directiveLike(%q) = %v, the expression says %v", line, got, want)
		}
		if want {
			matched++
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d lines matched", matched)
	}
}
