package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// TestPatternNamesWhatLexerGives compares the stages a reference built
// from variables can name with what BuildKit's lexer makes of its text for
// every way of setting its variables (unset, empty, or any of a set of
// texts that includes every stage name, its pieces and prefixes, and
// longer texts that hold it): the pattern names
// exactly those stages. The forms are the ones real files use: a variable
// with a literal around it, `${V:+word}`, `${A:-${B}}`, `${V%%.*}`,
// `${V/pattern/replacement}`.
func TestPatternNamesWhatLexerGives(t *testing.T) {
	names := []string{"builder", "other", "full-runtime", "slim-runtime", "builder-debian", "builder-alpine", "base-amd64", "base-arm64", "linux-amd64", "1x"}
	values := []string{"", "x"}
	for _, n := range names {
		values = append(values, n, "a-"+n, n+".1")
		for i := 1; i < len(n); i++ {
			values = append(values, n[:i])
		}
		for _, p := range strings.Split(n, "-") {
			values = append(values, p, p+".5", "linux/"+p)
		}
	}
	slices.Sort(values)
	values = slices.Compact(values)
	for _, value := range []string{
		"$BASE", "${BASE}", "base-$TARGETARCH", "${VARIANT}-runtime",
		"${VARIANT:+full}-runtime", "${VARIANT+slim}-runtime",
		"${A:-${B}}", "builder-${FLAVOR:-${DEFAULT:-debian}}", "${A:-builder}",
		"${V%%.*}x", "${V%.*}", "${P/\\//-}", "${P//\\//-}", "${V#*-}",
		"${A:+${B}-runtime}", "${A}-${B}", "'$A'", "\"${A}\"", "\\$A",
	} {
		lex := shell.NewLex('\\')
		rec := &patternEnv{}
		_, _, _ = lex.ProcessWord(value, rec)
		vars := rec.names
		want := map[int]bool{}
		// Every assignment of a value (or none) to each variable.
		choice := make([]int, len(vars))
		for {
			kv := []string{}
			for i, v := range vars {
				if choice[i] > 0 {
					kv = append(kv, v+"="+values[choice[i]-1])
				}
			}
			if got, _, err := lex.ProcessWord(value, shell.EnvsFromSlice(kv)); err == nil {
				if s := slices.Index(names, got); s >= 0 {
					want[s] = true
				}
			}
			i := 0
			for ; i < len(choice); i++ {
				if choice[i]++; choice[i] <= len(values) {
					break
				}
				choice[i] = 0
			}
			if i == len(choice) {
				break
			}
		}
		var wantList []int
		for s := range names {
			if want[s] {
				wantList = append(wantList, s)
			}
		}
		got := patternStages(value, RefFrom, names, '\\')
		if !slices.Equal(got, wantList) {
			t.Errorf("%s names %v, BuildKit's lexer gives %v", value, pick(names, got), pick(names, wantList))
		}
	}
}

func pick(names []string, ss []int) string {
	var out []string
	for _, s := range ss {
		out = append(out, names[s])
	}
	return fmt.Sprint(out)
}

// TestPatternHoldsDefaultPick checks, over the corpus and its variants,
// that every stage a reference built from variables picks with the
// defaults (for each platform) is among the stages its pattern can name:
// what definition, references, lenses and UnusedStage read.
func TestPatternHoldsDefaultPick(t *testing.T) {
	checked := 0
	for name, text := range sample(t) {
		all := map[string]string{name: text}
		for v, vt := range variants(text) {
			all[name+"+"+v] = vt
		}
		for fname, ftext := range all {
			ix := Parse(NewDocument(ftext))
			if ix.ParseError != nil {
				continue
			}
			m := ix.Model()
			for _, r := range m.Refs() {
				if r.Pattern < 0 || r.Kind != RefFrom {
					continue
				}
				for _, platform := range Platforms {
					if res, s := m.ResolveWith(r, platform); res == ResolvesStage && s < r.Stage {
						checked++
						if !m.CanName(&r, s) {
							t.Errorf("%s: %q (stage %d) picks stage %d on %s, which its pattern cannot name", fname, r.Value, r.Stage, s, platform)
						}
					}
				}
			}
		}
	}
	t.Logf("default picks checked %d", checked)
	if checked == 0 {
		t.Error("no reference built from variables picks a stage")
	}
}
