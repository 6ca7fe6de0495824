package codeaction

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stagehand-ls/stagehand/internal/testgen"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/refactor"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/safety"
)

// corpusEntries returns the corpus files, a sample of them under the race
// detector, or skips.
func corpusEntries(t *testing.T) []os.DirEntry {
	entries, err := os.ReadDir(testgen.RequireCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	if !raceEnabled {
		return entries
	}
	var sample []os.DirEntry
	for i := 0; i < len(entries); i += 8 {
		sample = append(sample, entries[i])
	}
	return sample
}

// TestCorpusRefactorings applies Split stage at every instruction of every
// multi-stage corpus file and Reorder layers wherever it is offered, and
// checks each result with the safety checker.
func TestCorpusRefactorings(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "files")
	entries := corpusEntries(t)
	type counts struct{ offered, applied, failed int }
	var split, reorder, reorderCtx, runtime, cache counts
	var failures []string
	cacheTools := map[string]int{} // cache mounts offered, by tool
	var base *safety.Baseline
	check := func(c *counts, name, what string, doc *analysis.Document, edits []analysis.Edit, want safety.Intended) {
		c.offered++
		out, err := Apply(doc, edits)
		if err != nil {
			c.failed++
			failures = append(failures, name+": "+what+": "+err.Error())
			return
		}
		c.applied++
		if err := base.Check(analysis.NewDocument(out), want); err != nil {
			c.failed++
			failures = append(failures, name+": "+what+": "+err.Error())
		}
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		doc := analysis.NewDocument(string(b))
		ix := analysis.Parse(doc)
		if ix.ParseError != nil || len(ix.Errors()) > 0 {
			continue
		}
		base = safety.NewBaseline(doc)
		if ix.StageCount() > 1 {
			for i := 0; i < ix.Len(); i++ {
				if edits, _ := refactor.SplitStage(ix, i); edits != nil {
					var added []string
					st := ix.Stage(ix.StageOf(i))
					for j := st.First + 1; j < i; j++ {
						if ix.Node(j).Cmd == "arg" {
							added = append(added, safety.NormalizeInstruction(ix, j))
						}
					}
					check(&split, e.Name(), "split at instruction "+itoa(i), doc, edits, safety.Intended{NewRefs: 1, Added: added})
				}
			}
		}
		for s := 0; s < ix.StageCount(); s++ {
			for k, ctx := range []analysis.BuildContext{{}, genericContext} {
				plan, _ := refactor.PlanLayers(ix, s, ctx)
				if plan == nil {
					continue
				}
				var added []string
				for _, line := range append(append([]string(nil), plan.ManifestCopies...), plan.Added...) {
					mix := analysis.Parse(analysis.NewDocument("FROM x\n" + line + "\n"))
					added = append(added, safety.NormalizeInstruction(mix, 1))
				}
				c := &reorder
				if k == 1 {
					c = &reorderCtx
				}
				check(c, e.Name(), "reorder stage "+itoa(s), doc, []analysis.Edit{plan.Edit}, safety.Intended{Added: added, Context: ctx})
			}
		}
		for i := 0; i < ix.Len(); i++ {
			n := ix.Node(i)
			acts, _ := cacheMount(context.Background(), &Request{Index: ix, Span: analysis.Span{Start: n.Start, End: n.Start}})
			for _, a := range acts {
				// Only cache mounts are added: without them the text is the same.
				cache.offered++
				cacheTools[strings.Split(a.ID, ":")[1]]++
				out, err := Apply(doc, a.Edits)
				if err == nil && withoutCacheMounts(out) != withoutCacheMounts(doc.Text()) {
					err = fmt.Errorf("more than cache mounts changed:\n%s", out)
				}
				if err == nil && analysis.Parse(analysis.NewDocument(out)).ParseError != nil {
					err = fmt.Errorf("the result does not parse")
				}
				if err != nil {
					cache.failed++
					failures = append(failures, e.Name()+": "+a.Title+": "+err.Error())
					continue
				}
				cache.applied++
			}
		}
		if s := ix.StageCount() - 1; s >= 0 {
			if plan, _ := refactor.PlanRuntime(context.Background(), ix, s, analysis.BuildContext{}); plan != nil {
				want := safety.Intended{NewRefs: -1, SkipClosure: true, SkipRunEnv: plan.Venv != ""}
				for _, step := range []string{plan.Prune, "python -m venv " + plan.Venv} {
					mix := analysis.Parse(analysis.NewDocument("FROM x\nRUN " + step + "\n"))
					want.Added = append(want.Added, safety.NormalizeInstruction(mix, 1))
				}
				for _, base := range plan.Bases {
					check(&runtime, e.Name(), "build/runtime on "+base, doc, refactor.SplitBuildRuntime(ix, s, plan, base), want)
				}
			}
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("split stage: offered %d, applied %d, checker failures %d", split.offered, split.applied, split.failed)
	t.Logf("reorder layers, no build context: offered %d, applied %d, checker failures %d", reorder.offered, reorder.applied, reorder.failed)
	t.Logf("reorder layers, a one-package context with every manifest: offered %d, applied %d, checker failures %d", reorderCtx.offered, reorderCtx.applied, reorderCtx.failed)
	t.Logf("build/runtime: offered %d, applied %d, checker failures %d", runtime.offered, runtime.applied, runtime.failed)
	t.Logf("cache mount: offered %d, applied %d, checker failures %d; by tool %v", cache.offered, cache.applied, cache.failed, cacheTools)
	if split.offered == 0 {
		t.Error("split stage was offered nowhere in the corpus")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// withoutCacheMounts removes the cache mounts "Use a cache mount" adds.
// The targets may come from the stage's ENV, so any cache mount counts.
func withoutCacheMounts(text string) string {
	return cacheMountFlag.ReplaceAllString(text, "")
}

var cacheMountFlag = regexp.MustCompile(` --mount=type=cache,target=[^\s]+`)

// genericContext is a one-package build context holding the manifests of
// every package manager, for running the layer planner over the corpus,
// whose files come without their contexts.
var genericContext = func() analysis.BuildContext {
	m := fstest.MapFS{}
	for _, f := range []string{"package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt",
		"pyproject.toml", "poetry.lock", "uv.lock", "Pipfile", "Pipfile.lock", "go.mod", "go.sum", "Gemfile", "Gemfile.lock",
		"composer.json", "composer.lock", "pom.xml", "build.gradle", "settings.gradle", "App.csproj", "Cargo.toml", "Cargo.lock"} {
		data := ""
		switch f {
		case "package.json":
			data = "{}"
		case "pom.xml":
			data = "<project/>"
		case "go.mod":
			data = "module example.com/app"
		}
		m[f] = &fstest.MapFile{Data: []byte(data)}
	}
	return analysis.BuildContext{FS: m}
}()

// TestCorpusActions asks for every action at every instruction of every
// corpus file, resolves it and applies it: no producer may fail, and every
// result must still parse as well as the original did. Every fourth file
// is also tried with CRLF line ends and a BOM, which every result keeps.
func TestCorpusActions(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "files")
	entries := corpusEntries(t)
	offered := map[Kind]int{}
	files := map[Kind]map[string]bool{}
	var texts []struct{ name, text string }
	for k, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, struct{ name, text string }{e.Name(), string(b)})
		if k%4 == 0 {
			texts = append(texts, struct{ name, text string }{e.Name() + " (CRLF, BOM)", crlfBOM(string(b))})
		}
	}
	for _, e := range texts {
		doc := analysis.NewDocument(e.text)
		ix := analysis.Parse(doc)
		before := len(ix.Errors())
		diags := FromRules(rules.Run(ix, nil))
		for i := 0; i < ix.Len(); i++ {
			n := ix.Node(i)
			acts, skips := Actions(context.Background(), &Request{Index: ix, Span: analysis.Span{Start: n.Start, End: n.Start}, Diagnostics: diags})
			for _, s := range skips {
				if s.Err != nil {
					t.Errorf("%s: instruction %d: %s: %v", e.name, i, s.Producer, s.Err)
				}
			}
			for k := range acts {
				a := &acts[k]
				offered[a.Kind]++
				if files[a.Kind] == nil {
					files[a.Kind] = map[string]bool{}
				}
				files[a.Kind][e.name] = true
				edits, err := a.Resolve()
				if err == nil {
					var out string
					out, err = Apply(doc, edits)
					if err == nil {
						after := analysis.Parse(analysis.NewDocument(out))
						if after.ParseError != nil {
							err = fmt.Errorf("the result does not parse: %s", after.ParseError.Message)
						} else if len(after.Errors()) > before {
							err = fmt.Errorf("the result has an instruction error: %s", after.Errors()[0].Message)
						} else {
							err = keptLayout(e.text, out)
						}
					}
				}
				if err != nil {
					t.Errorf("%s: instruction %d: %q: %v", e.name, i, a.Title, err)
				}
			}
		}
	}
	perFile := map[Kind]int{}
	for k, f := range files {
		perFile[k] = len(f)
	}
	t.Logf("actions offered at instruction starts: %v", offered)
	t.Logf("texts each action is offered on (of %d, the CRLF variants included): %v", len(texts), perFile)
}

// TestCorpusFixes covers the quick fixes and the fix-all action over the
// corpus, each file also with CRLF line ends and a BOM: every fix's result
// parses with BuildKit (parser and instructions) as well as the original
// did and keeps the file's line ends and BOM; fix-all, run to its fixed
// point as `stagehand check --fix` does, gives the same text as applying
// the preferred fixes one at a time, each on the text the previous one
// left; and fixing the fixed text again changes nothing.
func TestCorpusFixes(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "files")
	entries := corpusEntries(t)
	var fixes, fixFiles, differ int
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		variants := []string{string(b), crlfBOM(string(b))}
		if raceEnabled {
			variants = variants[:1] // the race detector's sample: the file as it is
		}
		for _, text := range variants {
			doc := analysis.NewDocument(text)
			ix := analysis.Parse(doc)
			if ix.ParseError != nil || !safety.BuildKitReads(text) {
				continue
			}
			for _, d := range FromRules(rules.Run(ix, nil)) {
				for _, f := range d.Fixes {
					fixes++
					out, err := Apply(doc, f.Edits)
					if err == nil {
						err = keptLayout(text, out)
					}
					if err == nil && !safety.BuildKitReads(out) {
						err = fmt.Errorf("BuildKit rejects the result")
					}
					if err != nil {
						t.Errorf("%s: %s: %q: %v", e.Name(), d.Rule, f.Title, err)
					}
				}
			}
			all := fixAllRounds(text)
			if all == text {
				continue
			}
			fixFiles++
			if one := fixOneByOne(text); one != all {
				differ++
				t.Errorf("%s: fix-all and the fixes one by one disagree:\n%s", e.Name(), lineDiff(all, one))
			}
			if again := fixAllRounds(all); again != all {
				t.Errorf("%s: fixing the fixed text changes it again:\n%s", e.Name(), lineDiff(again, all))
			}
			if err := keptLayout(text, all); err != nil {
				t.Errorf("%s: fix-all: %v", e.Name(), err)
			}
		}
	}
	t.Logf("quick fixes applied: %d; texts fix-all changes: %d, of which one by one disagrees: %d", fixes, fixFiles, differ)
	if fixes == 0 || fixFiles == 0 {
		t.Error("no fix was offered over the corpus")
	}
}

// crlfBOM returns text with CRLF line ends and a byte order mark.
func crlfBOM(text string) string {
	return "\ufeff" + strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
}

// keptLayout reports an edit that changed a file's line ends or BOM.
func keptLayout(before, after string) error {
	if strings.HasPrefix(before, "\ufeff") != strings.HasPrefix(after, "\ufeff") {
		return fmt.Errorf("the byte order mark was added or lost")
	}
	if strings.Contains(before, "\r\n") && strings.Contains(strings.ReplaceAll(after, "\r\n", ""), "\n") {
		return fmt.Errorf("a line ends in LF alone in a CRLF file")
	}
	return nil
}

// fixAllRounds applies FixAll until no preferred fix is left, as
// `stagehand check --fix` and repeated fix-all requests do.
func fixAllRounds(text string) string {
	for round := 0; round < 20; round++ {
		doc := analysis.NewDocument(text)
		ix := analysis.Parse(doc)
		if ix.ParseError != nil {
			break
		}
		edits, n := FixAll(FromRules(rules.Run(ix, nil)))
		if n == 0 {
			break
		}
		out, err := Apply(doc, edits)
		if err != nil {
			break
		}
		text = out
	}
	return text
}

// fixOneByOne applies the first preferred fix, then computes the
// diagnostics again, until none has one: a person taking the quick fixes
// from the top.
func fixOneByOne(text string) string {
	for k := 0; k < 200; k++ {
		doc := analysis.NewDocument(text)
		ix := analysis.Parse(doc)
		if ix.ParseError != nil {
			break
		}
		var edits []analysis.Edit
		for _, d := range FromRules(rules.Run(ix, nil)) {
			for _, f := range d.Fixes {
				if f.Preferred && len(f.Edits) > 0 && edits == nil {
					edits = f.Edits
				}
			}
		}
		if edits == nil {
			break
		}
		out, err := Apply(doc, edits)
		if err != nil {
			break
		}
		text = out
	}
	return text
}

// lineDiff shows the lines where a and b differ.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d: %q | %q", i+1, x, y))
		}
	}
	return strings.Join(out, "\n")
}
