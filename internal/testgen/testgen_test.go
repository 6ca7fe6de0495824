package testgen

import (
	"strings"
	"testing"
)

func TestLargeSize(t *testing.T) {
	text := Large(1000)
	lines := strings.Count(text, "\n")
	if lines < 20000 || lines > 23000 {
		t.Errorf("Large(1000) has %d lines, want about 20,000", lines)
	}
	if n := strings.Count(text, "\nFROM "); n != 1000 {
		t.Errorf("Large(1000) has %d stages", n)
	}
}
