package analysis

import (
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// The build-model questions a rename asks.

// BuiltOn reports whether stage t is built on stage s, directly or not.
func (ix *Index) BuiltOn(t, s int) bool {
	for hops := 0; t >= 0 && hops <= len(ix.stages); hops++ {
		t = ix.baseOf(t)
		if t == s {
			return true
		}
	}
	return false
}

// RenamedPattern returns the text a reference built from variables takes
// when stage s is renamed to newName: its literal parts rewritten when the
// text its variable gives for the old name stands in the new one
// (`base-${ARCH}` for base-amd64 renamed build-amd64 becomes
// `build-${ARCH}`). ok is false when, after the rename, the reference would
// not name the same stages, or the defaults would pick another one.
func (ix *Index) RenamedPattern(r StageRef, s int, newName string) (next string, ok bool) {
	m := ix.Model()
	st := ix.Stage(s)
	oldName := st.LowerName()
	newLower := strings.ToLower(newName)
	value := r.Value
	next = value
	// One expansion, whose text for the old name is what the literal
	// parts around it leave: that text stands in the new name too.
	if locs := expansionSpans(value, ix.Escape); len(locs) == 1 {
		pre, suf := value[:locs[0][0]], value[locs[0][1]:]
		old := oldName
		if r.Kind != RefFrom {
			pre, suf = strings.ToLower(pre), strings.ToLower(suf)
		}
		if len(old) > len(pre)+len(suf) && strings.HasPrefix(old, pre) && strings.HasSuffix(old, suf) {
			mid := old[len(pre) : len(old)-len(suf)]
			if i := strings.Index(newLower, mid); i >= 0 {
				lit := newName
				if r.Kind == RefFrom {
					lit = newLower
				}
				next = lit[:i] + value[locs[0][0]:locs[0][1]] + lit[i+len(mid):]
			}
		}
	}
	// The stages it names, and the default, with the new name in place.
	names := make([]string, len(ix.stages))
	byName := map[string][]int{}
	for t := range ix.stages {
		if name := ix.inst(ix.stages[t].first).Name(); name != nil {
			names[t] = strings.ToLower(name.Value)
		}
		if t == s {
			names[t] = newLower
		}
		if names[t] != "" {
			byName[names[t]] = append(byName[names[t]], t)
		}
	}
	var before []int
	for _, t := range m.patterns[r.Pattern].Stages {
		if t < r.Stage {
			before = append(before, t)
		}
	}
	holds := func(next string) bool {
		var after []int
		for _, t := range patternStages(next, r.Kind, names, ix.Escape) {
			if t < r.Stage {
				after = append(after, t)
			}
		}
		if !slices.Equal(before, after) {
			return false
		}
		// The defaults must pick the same stage on every platform.
		for _, platform := range Platforms {
			var env shell.EnvGetter = m.GlobalArgs(platform)
			if r.Kind != RefFrom {
				env = m.State(r.Instruction).env
			}
			def := -1
			if v, _, err := shell.NewLex(rune(ix.Escape)).ProcessWord(next, env); err == nil && v != "" {
				if res, t := resolve(Ref{Kind: r.Kind, Value: Token{Value: v}, Numeric: r.Kind != RefFrom && isNumber(v)}, r.Stage, len(ix.stages), byName); res == ResolvesStage {
					def = t
				}
			}
			if _, old := m.ResolveWith(r, platform); old != def {
				return false
			}
		}
		return true
	}
	if holds(next) {
		return next, true
	}
	// The name written as the word of an expansion (`${BASE:-builder}`):
	// rewritten there.
	lit := newName
	if r.Kind == RefFrom {
		lit = newLower
	}
	if words := rewriteWords(value, oldName, lit, r.Kind != RefFrom, ix.Escape); words != value && holds(words) {
		return words, true
	}
	return next, false
}

// rewriteWords returns value with old replaced by new wherever it stands
// in the literal text of the word of a `${NAME-word}`, `${NAME:-word}`,
// `${NAME+word}` or `${NAME:+word}` (nested ones included), never in a
// variable's name or outside such a word; fold compares case-insensitively.
func rewriteWords(value, old, new string, fold bool, esc byte) string {
	var b strings.Builder
	i := 0
	// word copies value from i up to the '}' closing the expansion whose
	// word starts at i (or the end), rewriting old in its literal runs.
	var word func(depth int)
	var expansion func(depth int)
	word = func(depth int) {
		lit := i
		flush := func(end int) {
			text := value[lit:end]
			for {
				k := strings.Index(text, old)
				if fold {
					k = strings.Index(strings.ToLower(text), strings.ToLower(old))
				}
				if k < 0 || old == "" {
					break
				}
				b.WriteString(text[:k] + new)
				text = text[k+len(old):]
			}
			b.WriteString(text)
		}
		for i < len(value) {
			switch c := value[i]; {
			case c == '$' && VarNameEnd(value, i+1) > i+1:
				// `$NAME`: a name, kept.
				flush(i)
				j := VarNameEnd(value, i+1)
				b.WriteString(value[i:j])
				i, lit = j, j
			case c == esc || c == '"' || c == '\'':
				// An escape keeps the character it escapes; a quote is
				// kept, and the text it quotes rewritten (the lexer
				// removes the quotes).
				flush(i)
				end := min(i+2, len(value))
				if c != esc {
					end = i + 1
				}
				b.WriteString(value[i:end])
				i = end
				lit = i
			case c == '$' && i+1 < len(value) && value[i+1] == '{':
				flush(i)
				expansion(depth + 1)
				lit = i
			case c == '}' && depth > 0:
				flush(i)
				return
			default:
				i++
			}
		}
		flush(i)
	}
	expansion = func(depth int) {
		start := i
		i = VarNameEnd(value, i+2)
		if i < len(value) && value[i] == ':' {
			i++
		}
		if i < len(value) && (value[i] == '-' || value[i] == '+') {
			i++
			b.WriteString(value[start:i])
			word(depth)
		} else {
			// Another form: copied as written, to its closing brace.
			for n := 1; i < len(value) && n > 0; i++ {
				switch {
				case value[i] == esc:
					i++
				case value[i] == '{':
					n++
				case value[i] == '}':
					n--
				}
			}
			if i > len(value) {
				i = len(value)
			}
			b.WriteString(value[start:i])
			return
		}
		if i < len(value) && value[i] == '}' {
			b.WriteByte('}')
			i++
		}
	}
	for i < len(value) {
		switch c := value[i]; {
		case c == esc:
			end := min(i+2, len(value))
			b.WriteString(value[i:end])
			i = end
		case c == '$' && i+1 < len(value) && value[i+1] == '{':
			expansion(1)
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
