package codeaction

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/safety"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestStyleActions runs every code action offered at every instruction
// and on every diagnostic of the style files, with a build context that
// holds every package manager's manifests: each resolves and applies; its
// result is read by BuildKit's parser and instructions package and keeps
// the line ends and BOM; the refactorings pass the safety checker (a split
// adds one reference; a reorder and a runtime split add only their
// dependency steps). It also checks that fix-all, to its fixed point,
// agrees with taking the preferred quick fixes one by one, and that it
// changes nothing the second time.
func TestStyleActions(t *testing.T) {
	kinds := map[Kind]int{}
	for _, f := range testgen.StyleFiles(t) {
		playActions(t, f.Name, f.Text, genericContext, &play{kinds: kinds})
	}
	for _, k := range []Kind{QuickFix, SplitStageKind, ReorderLayers, BuildRuntime, CacheMount, SourceFixAll} {
		if kinds[k] == 0 {
			t.Errorf("no %s action was offered on the style files", k)
		}
	}
	t.Logf("actions applied, by kind: %v", kinds)
}

// playActions applies every action offered on text (named name, with the
// build context ctx) at every instruction and on every diagnostic, as
// TestStyleActions says, and records what was offered and refused in p.
func playActions(t *testing.T, name, text string, ctx analysis.BuildContext, p *play) {
	t.Helper()
	doc := analysis.NewDocument(text)
	ix := analysis.Parse(doc)
	if ix.ParseError != nil || !safety.BuildKitReads(text) {
		t.Errorf("%s: the style file itself does not parse", name)
		return
	}
	diags := FromRules(rules.Run(ix, nil))
	spans := []analysis.Span{}
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		spans = append(spans, analysis.Span{Start: n.Start, End: n.Start})
	}
	for _, d := range diags {
		spans = append(spans, d.Span)
	}
	base := safety.NewBaseline(doc)
	seen := map[string]bool{}
	for _, sp := range spans {
		for _, only := range [][]Kind{nil, {SourceFixAll}} {
			acts, skips := Actions(context.Background(), &Request{Index: ix, Span: sp, Diagnostics: diags, Only: only, Context: ctx})
			for _, s := range skips {
				if s.Err != nil {
					t.Errorf("%s: %s: %v", name, s.Producer, s.Err)
				} else if p.refusals != nil && s.Producer != "quickfix" {
					p.refusals[s.Producer+": "+s.Reason]++
				}
			}
			for k := range acts {
				a := &acts[k]
				edits, err := a.Resolve()
				if err != nil {
					t.Errorf("%s: %q: %v", name, a.Title, err)
					continue
				}
				if key := a.Title + fmt.Sprint(edits); seen[key] {
					continue
				} else {
					seen[key] = true
				}
				p.kinds[a.Kind]++
				out, err := Apply(doc, edits)
				if p.titles != nil {
					p.titles[a.Title]++
					p.results = append(p.results, out)
				}
				if err == nil {
					err = keptLayout(text, out)
				}
				if err == nil && !safety.BuildKitReads(out) {
					err = fmt.Errorf("BuildKit rejects the result")
				}
				// Parser directives change only where the title says so.
				if err == nil && !strings.Contains(a.Title, "# check=") && !strings.HasPrefix(a.Title, "Pin ") {
					if b, a := directives(text), directives(out); b != a {
						err = fmt.Errorf("the parser directives changed from %q to %q", b, a)
					}
				}
				if err == nil {
					var want safety.Intended
					check := true
					switch a.Kind {
					case SplitStageKind:
						want = safety.Intended{NewRefs: 1}
					case ReorderLayers:
						want = safety.Intended{SkipClosure: true, Context: ctx, Added: dependencySteps(doc, out)}
					case BuildRuntime:
						want = safety.Intended{NewRefs: -1, SkipClosure: true, Added: dependencySteps(doc, out), SkipRunEnv: strings.Contains(a.Title, "virtual environment")}
					default:
						check = false
					}
					if check {
						err = base.Check(analysis.NewDocument(out), want)
					}
					if err == nil && a.Kind == BuildRuntime {
						err = runtimeOnTitledBase(a.Title, out)
					}
				}
				if err != nil {
					t.Errorf("%s: %q: %v\n%s", name, a.Title, err, out)
				}
			}
		}
	}
	all := fixAllRounds(text)
	if one := fixOneByOne(text); one != all {
		t.Errorf("%s: fix-all and the fixes one by one disagree:\n%s", name, lineDiff(all, one))
	}
	if again := fixAllRounds(all); again != all {
		t.Errorf("%s: fixing the fixed text changes it again:\n%s", name, lineDiff(again, all))
	}
}

// play is what playActions saw: the actions applied by kind, and (when
// the maps are not nil) each producer's reasons for offering nothing
// ("producer: reason"), the titles offered and the results.
type play struct {
	kinds            map[Kind]int
	refusals, titles map[string]int
	results          []string
}

// dependencySteps lists the COPYs of the build context and the RUNs of
// after that before lacks: what a reorder or a runtime split adds.
func dependencySteps(before *analysis.Document, after string) []string {
	count := map[string]int{}
	bix := analysis.Parse(before)
	for i := 0; i < bix.Len(); i++ {
		count[safety.NormalizeInstruction(bix, i)]++
	}
	aix := analysis.Parse(analysis.NewDocument(after))
	var out []string
	for i := 0; i < aix.Len(); i++ {
		n, s := aix.Node(i), safety.NormalizeInstruction(aix, i)
		if count[s] > 0 {
			count[s]--
			continue
		}
		if n.Cmd == "copy" && n.Flag("from") == nil || n.Cmd == "run" {
			out = append(out, s)
		}
	}
	return out
}

// directives renders the parser directives BuildKit reads from text.
func directives(text string) string {
	var out []string
	for _, d := range analysis.Parse(analysis.NewDocument(text)).Directives {
		out = append(out, d.Name+"="+d.Value)
	}
	return strings.Join(out, ";")
}

// runtimeOnTitledBase checks that the runtime stage a runtime split adds
// is built on the image its title names ("runtime on <image>"), not on a
// stage that happens to be spelled like it.
func runtimeOnTitledBase(title, out string) error {
	_, rest, _ := strings.Cut(title, "runtime on ")
	image, _, _ := strings.Cut(strings.NewReplacer(";", " ", ")", " ").Replace(rest), " ")
	ix := analysis.Parse(analysis.NewDocument(out))
	st := ix.Stage(ix.StageCount() - 1)
	if st.Base != image || st.BaseStage >= 0 {
		return fmt.Errorf("the runtime stage is built on %q (stage %d), the title says %q", st.Base, st.BaseStage, image)
	}
	return nil
}
