package analysis

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// dialectWitnesses are scripts mvdan.cc/sh parses differently as bash and
// as POSIX sh, at least one for each rule of sameAsPOSIX, each refused by
// that rule alone among the rules.
var dialectWitnesses = map[dialectRule][]string{
	ruleNUL:          {"ex\x00port A=1"},
	ruleCR:           {"ex\\\r\nport A=1"},
	ruleContinuation: {"ex\\\nport A=1"},
	ruleBackquote:    {"echo \"`echo $\\\"x\\\"`\""},
	ruleParen:        {"f-g() { :; }", "(( i++ ))", "cat <(ls)", "x=(a b)", "echo @(a|b)", "ls !(x)"},
	ruleBracket:      {"a[1]=x", "[[ -f x ]]", "echo $[1+2]", "pip install a[b]=c", "echo ${a[1]}"},
	ruleParam:        {"echo ${a/b/c}", "echo ${a:1:2}", "echo ${!a}", "echo ${a^^}", "echo ${a@Q}", "echo ${ ls;}"},
	ruleDollarQuote:  {"echo $'x'", "echo $\"x\""},
	ruleAmpRedirect:  {"ls &>x", "ls &>>x"},
	rulePipeAmp:      {"ls |& cat"},
	ruleSemiAmp:      {"case x in a) :;& b) :;; esac", "case x in a) :;;& esac"},
	ruleHereString:   {"cat <<< x"},
	ruleAppend:       {"a+=b", "PATH+=:/x ls"},
	ruleFdVar:        {"exec {fd}>x", "exec {fd}<x"},
	ruleKeyword: {"export A=1", "local a", "declare -x A=1", "readonly A", "typeset A", "nameref a=b",
		"let a=1", "function f { :; }", "time ls", "coproc ls", "select x in a; do :; done"},
	ruleForBrace: {"for x in a b; { echo $x; }"},
}

// parsesAlike parses script as bash and as POSIX sh and reports whether the
// two agree: both fail, or both give the same syntax tree and so the same
// commands to the script's readers.
func parsesAlike(t *testing.T, script string) bool {
	t.Helper()
	fb, errB := parseScript(script, true, false)
	fp, errP := parseScript(script, false, false)
	if (errB == nil) != (errP == nil) {
		return false
	}
	if errB != nil {
		return true
	}
	if !reflect.DeepEqual(fb, fp) {
		return false
	}
	cb, okB := scriptCommands(fb, nil)
	cp, okP := scriptCommands(fp, nil)
	if okB != okP || !reflect.DeepEqual(cb, cp) {
		t.Fatalf("%q: equal trees, different commands", script)
	}
	return true
}

// dialectScripts returns the script of every RUN of the corpus, and
// variants of some of them with each witness of dialectWitnesses put
// before and after them.
func dialectScripts(t *testing.T) (corpus, variants []string) {
	seen := map[string]bool{}
	sample := testgen.Sample(t)
	for _, name := range slices.Sorted(maps.Keys(sample)) { // the same variants every run
		ix := Parse(NewDocument(sample[name]))
		for i := range ix.Len() {
			if rs, ok := ix.readRun(i); ok && rs.Script != "" && !seen[rs.Script] {
				seen[rs.Script] = true
				corpus = append(corpus, rs.Script)
			}
		}
	}
	for _, ws := range dialectWitnesses {
		for _, w := range ws {
			variants = append(variants, w)
			for k := 0; k < len(corpus); k += 37 {
				variants = append(variants, corpus[k]+" && "+w, w+"\n"+corpus[k], w+"; "+corpus[k])
			}
		}
	}
	return corpus, variants
}

// TestSameAsPOSIX holds sameAsPOSIX to the two parsers: over every corpus
// RUN script and the witnesses mixed into corpus scripts, every script it
// accepts parses alike as bash and as POSIX sh; each witness does parse
// differently and is refused; and it accepts most of the corpus.
func TestSameAsPOSIX(t *testing.T) {
	for _, ws := range dialectWitnesses {
		for _, w := range ws {
			if parsesAlike(t, w) {
				t.Errorf("%q: parses alike as bash and POSIX sh; not a witness", w)
			}
			if sameAsPOSIX(w) {
				t.Errorf("%q: accepted", w)
			}
		}
	}
	corpus, variants := dialectScripts(t)
	accepted, differ := 0, 0
	for k, s := range append(corpus, variants...) {
		alike := parsesAlike(t, s)
		if !alike {
			differ++
		}
		if sameAsPOSIX(s) {
			if k < len(corpus) {
				accepted++
			}
			if !alike {
				t.Errorf("accepted, but parses differently as bash and POSIX sh:\n%s", s)
			}
		}
	}
	t.Logf("%d corpus scripts, %d accepted; %d variants; %d scripts parse differently", len(corpus), accepted, len(variants), differ)
	minCorpus := 1000
	if testgen.Race {
		minCorpus = 100 // the race run's sample is a tenth of the corpus
	}
	if len(corpus) < minCorpus || accepted < len(corpus)*3/5 || differ < len(variants)/2 {
		t.Errorf("%d corpus scripts, %d accepted, %d of %d variants parse differently: the corpus should give more", len(corpus), accepted, differ, len(variants))
	}
}

// TestSameAsPOSIXEveryRuleNeeded loosens sameAsPOSIX by one rule at a time
// and requires the loosened test to accept a script that bash and POSIX sh
// parse differently: every rule refuses something it must.
func TestSameAsPOSIXEveryRuleNeeded(t *testing.T) {
	_, variants := dialectScripts(t)
	for r := dialectRule(1); r < 1<<dialectRules; r <<= 1 {
		if len(dialectWitnesses[r]) == 0 {
			t.Errorf("rule %#x has no witness", r)
			continue
		}
		wrong := 0
		for _, s := range variants {
			if dialectsAgree(s, r) && !parsesAlike(t, s) {
				wrong++
			}
		}
		if wrong == 0 {
			t.Errorf("without rule %#x, no script parsing differently is accepted: the rule is not needed, or its witnesses do not show it", r)
		}
	}
}

// FuzzSameAsPOSIX: a script sameAsPOSIX accepts parses alike as bash and as
// POSIX sh.
func FuzzSameAsPOSIX(f *testing.F) {
	for _, ws := range dialectWitnesses {
		for _, w := range ws {
			f.Add(w)
			f.Add(strings.ReplaceAll(w, "$", ""))
		}
	}
	for _, s := range []string{
		"apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
		"set -eux; arch=\"$(dpkg --print-architecture)\"; case \"$arch\" in amd64) x=1 ;; esac",
		"[ -f x ] && echo ${A:-b} ${#B} ${C%.*} $(ls | wc -l) > /dev/null 2>&1",
		"cat <<EOF > /x\n$A ${B}\nEOF\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if sameAsPOSIX(s) && !parsesAlike(t, s) {
			t.Errorf("accepted, but parses differently as bash and POSIX sh: %q", s)
		}
	})
}

// slowWordText and slowLiteralWord are wordText and LiteralWord without
// their shortcuts for one-part words.
func slowWordText(w *syntax.Word) string {
	var b strings.Builder
	var parts func([]syntax.WordPart)
	parts = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				parts(p.Parts)
			case *syntax.ParamExp:
				if p.Param != nil {
					b.WriteString("$" + p.Param.Value)
				}
			}
		}
	}
	parts(w.Parts)
	return b.String()
}

func slowLiteralWord(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescapeLit(p.Value))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// TestWordShortcuts holds wordText and LiteralWord to their versions
// without shortcuts over every word of every corpus RUN script (and the
// witnesses), parsed as bash.
func TestWordShortcuts(t *testing.T) {
	corpus, variants := dialectScripts(t)
	words, one := 0, 0
	for _, s := range append(corpus, variants...) {
		f, err := parseScript(s, true, false)
		if err != nil {
			continue
		}
		syntax.Walk(f, func(n syntax.Node) bool {
			w, ok := n.(*syntax.Word)
			if !ok {
				return true
			}
			words++
			if len(w.Parts) == 1 {
				one++
			}
			if got, want := wordText(w), slowWordText(w); got != want {
				t.Errorf("wordText %q, want %q", got, want)
			}
			got, gotOK := LiteralWord(w)
			want, wantOK := slowLiteralWord(w)
			if got != want || gotOK != wantOK {
				t.Errorf("LiteralWord %q %v, want %q %v", got, gotOK, want, wantOK)
			}
			return true
		})
	}
	minWords := 10000
	if testgen.Race {
		minWords = 2000 // the race run's sample is a tenth of the corpus
	}
	if words < minWords || one < words/2 {
		t.Errorf("%d words, %d of one part: want more", words, one)
	}
}
