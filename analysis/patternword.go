package analysis

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// A stage reference built from variables names whatever BuildKit's lexer
// makes of its text once the build arguments are known. The pattern of
// the names it can give is read from the lexer itself, not from the text:
// `${V:+full}-runtime` gives only "full-runtime" (or "-runtime"), and
// `${A:-${B}}` whatever A or B holds.

// maxPatternVars bounds the variables of a reference whose choices are
// enumerated (each is unset or holds any text: 2^n runs of the lexer,
// some 75 µs for 4 and 6 ms for 8); beyond it the reference may name
// anything.
const maxPatternVars = 4

// maxPatternText bounds the text of a reference whose pattern is read
// (each of the 2^n runs of the lexer reads it whole, and the expression
// holds it once per way): a longer one may name anything. A stage name
// is far shorter.
const maxPatternText = 1024

// patternEnv gives the lexer, for each variable it asks for, either
// nothing (unset) or a marker that stands for any text, and records the
// names asked for.
type patternEnv struct {
	names []string
	set   map[string]bool
}

func (e *patternEnv) Get(name string) (string, bool) {
	k := -1
	for i, n := range e.names {
		if n == name {
			k = i
			break
		}
	}
	if k < 0 {
		k = len(e.names)
		e.names = append(e.names, name)
	}
	if !e.set[name] {
		return "", false
	}
	return "\x00" + strconv.Itoa(k) + "\x00", true
}

func (e *patternEnv) Keys() []string { return nil }

// patternSource returns the regular expression, without anchors, of the
// texts BuildKit's lexer (escape token esc) can make of value, as one
// alternative per way of setting its variables; a variable's text is a
// group that matches any text. A way the lexer rejects names nothing.
func patternSource(value string, esc byte) string {
	if len(value) > maxPatternText {
		return "(.*)"
	}
	lex := shell.NewLex(rune(esc))
	env := &patternEnv{}
	_, _, _ = lex.ProcessWord(value, env) // every name, all unset
	n := len(env.names)
	if n > maxPatternVars {
		return "(.*)"
	}
	names := env.names
	var alts []string
	seen := map[string]bool{}
	for mask := 0; mask < 1<<n; mask++ {
		set := map[string]bool{}
		for i, name := range names {
			if mask&(1<<i) != 0 {
				set[name] = true
			}
		}
		env := &patternEnv{names: names, set: set}
		v, _, err := lex.ProcessWord(value, env)
		if err != nil {
			continue
		}
		alt := markedRegexp(v)
		if !seen[alt] {
			seen[alt] = true
			alts = append(alts, alt)
		}
	}
	switch len(alts) {
	case 0:
		return `[^\x00-\x{10FFFF}]` // names nothing
	case 1:
		return alts[0]
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// markedRegexp turns a text with variable markers into a regular
// expression: its literal text quoted, each marker a group for any text.
// A marker the lexer cut into (`${V%?}`) leaves it unknown: any text.
func markedRegexp(v string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(v, 0)
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(v))
			return b.String()
		}
		b.WriteString(regexp.QuoteMeta(v[:i]))
		j := strings.IndexByte(v[i+1:], 0)
		if j <= 0 {
			return "(.*)"
		}
		if _, err := strconv.Atoi(v[i+1 : i+1+j]); err != nil {
			return "(.*)"
		}
		b.WriteString("(.*)")
		v = v[i+j+2:]
	}
}

// expansionSpans returns the spans of the top-level variable expansions of
// value (`$NAME`, `${...}` with what it nests), skipping escaped and
// single-quoted text as the lexer does.
func expansionSpans(value string, esc byte) [][2]int {
	var out [][2]int
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case c == esc:
			i++
		case c == '\'':
			if j := strings.IndexByte(value[i+1:], '\''); j >= 0 {
				i += j + 1
			}
		case c == '$' && i+1 < len(value) && value[i+1] == '{':
			j, depth := i+2, 1
			for j < len(value) && depth > 0 {
				switch {
				case value[j] == esc:
					j++
				case value[j] == '$' && j+1 < len(value) && value[j+1] == '{':
					depth++
					j++
				case value[j] == '}':
					depth--
				}
				j++
			}
			out = append(out, [2]int{i, min(j, len(value))})
			i = j - 1
		case c == '$' && i+1 < len(value) && VarNameEnd(value, i+1) > i+1:
			j := VarNameEnd(value, i+1)
			out = append(out, [2]int{i, j})
			i = j - 1
		}
	}
	return out
}
