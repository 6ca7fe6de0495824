package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
)

// position is an LSP position: zero-based line, UTF-16 column.
type position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// targets are the places in one document the requests are made at.
type targets struct {
	lines []string

	completion   position // just after the last COPY's `--from=`
	refName      string   // the stage that `--from=` names
	currentStage string   // the stage the completion line is in
	definition   position // inside refName at that reference
	declLine     int      // line of refName's `FROM ... AS refName`
	references   position // on refName in its declaration

	keyLine int // a comment near the middle of the file, typed at its end
}

var (
	fromAS  = regexp.MustCompile(`(?i)^\s*FROM\s.*\sAS\s+(\S+)\s*$`)
	fromAny = regexp.MustCompile(`(?i)^\s*FROM\s`)
	copyRef = regexp.MustCompile(`(?i)^\s*COPY\s.*--from=([^\s]+)`)
)

// col is the UTF-16 column of byte offset i in s.
func col(s string, i int) int { return len(utf16.Encode([]rune(s[:i]))) }

// findTargets picks the request positions in text.
func findTargets(text string) (*targets, error) {
	t := &targets{lines: strings.Split(text, "\n"), declLine: -1, keyLine: -1}
	copyLine := -1
	for i := len(t.lines) - 1; i >= 0; i-- {
		if m := copyRef.FindStringSubmatchIndex(t.lines[i]); m != nil {
			copyLine = i
			line := t.lines[i]
			t.refName = line[m[2]:m[3]]
			t.completion = position{i, col(line, m[2])}
			mid := m[2] + (m[3]-m[2])/2
			t.definition = position{i, col(line, mid)}
			break
		}
	}
	if copyLine < 0 {
		return nil, fmt.Errorf("no `COPY --from=` line")
	}
	for i := copyLine; i >= 0; i-- {
		if fromAny.MatchString(t.lines[i]) {
			if m := fromAS.FindStringSubmatch(t.lines[i]); m != nil {
				t.currentStage = m[1]
			}
			break
		}
	}
	for i := 0; i < copyLine; i++ {
		m := fromAS.FindStringSubmatchIndex(t.lines[i])
		if m != nil && strings.EqualFold(t.lines[i][m[2]:m[3]], t.refName) {
			t.declLine = i
			t.references = position{i, col(t.lines[i], m[2]+1)}
		}
	}
	if t.declLine < 0 {
		return nil, fmt.Errorf("stage %q that `--from=` names on line %d is not declared before it", t.refName, copyLine+1)
	}
	best := -1
	for i, l := range t.lines {
		if strings.HasPrefix(strings.TrimSpace(l), "#") && !strings.HasPrefix(l, "# syntax") && !strings.HasPrefix(l, "# escape") && !strings.HasPrefix(l, "# check") {
			if best < 0 || abs(i-len(t.lines)/2) < abs(best-len(t.lines)/2) {
				best = i
			}
		}
	}
	if best < 0 {
		best = len(t.lines) / 2
	}
	t.keyLine = best
	return t, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
