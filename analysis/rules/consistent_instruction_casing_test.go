package rules

import (
	"strings"
	"testing"
)

// casingByMapping is casing by Unicode case mapping alone, as BuildKit
// classifies a keyword.
func casingByMapping(s string) byte {
	switch s {
	case strings.ToLower(s):
		return 'l'
	case strings.ToUpper(s):
		return 'u'
	}
	return 'm'
}

// TestASCIICasing holds casing's ASCII path to the case mapping over every
// ASCII string of up to three bytes, and keywords as written.
func TestASCIICasing(t *testing.T) {
	check := func(s string) {
		if got, want := casing(s), casingByMapping(s); got != want {
			t.Fatalf("casing(%q) = %c, want %c", s, got, want)
		}
	}
	check("")
	for a := range 128 {
		check(string(rune(a)))
		for b := range 128 {
			check(string([]byte{byte(a), byte(b)}))
			for _, c := range []byte{'a', 'Z', '_', '1', 0x7f} {
				check(string([]byte{byte(a), byte(b), c}))
			}
		}
	}
	for _, k := range []string{"RUN", "run", "Run", "rUN", "FROM", "from", "healthcheck", "HEALTHCHECK", "HealthCheck", "onbuild", "ſhell", "\u212aey", "ɐrg"} {
		check(k)
	}
}
