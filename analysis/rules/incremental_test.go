package rules

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// newEditor returns the random editor of the equivalence tests, with
// `# check=skip=` comments naming the registered rules.
func newEditor(seed uint64) func(text string) analysis.Edit {
	var names []string
	for _, r := range All() {
		names = append(names, r.Name)
	}
	e := testgen.NewEditor(seed, names)
	return func(text string) analysis.Edit {
		start, end, insert := e.Edit(text)
		return analysis.Edit{Span: analysis.Span{Start: start, End: end}, Text: insert}
	}
}

// checkIncremental applies edits to text, running the rules with a cache
// after each one and comparing with a fresh run.
func checkIncremental(t *testing.T, name, text string, cfg *Config, seed uint64, edits int) (kept int) {
	t.Helper()
	edit := newEditor(seed)
	ix := analysis.Parse(analysis.NewDocument(text))
	cached := *cfg
	cached.Cache = &Cache{}
	Run(ix, &cached)
	for i := range edits {
		ed := edit(ix.Doc.Text())
		doc, err := ix.Doc.Apply(ed)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, ed)
		got := Run(ix, &cached)
		want := Run(analysis.Parse(doc), cfg)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("%s, edit %d (%+v): incremental diagnostics differ (-full +incremental):\n%s\ntext:\n%s", name, i, ed, d, doc.Text())
		}
	}
	return cached.Cache.keptRuns
}

// TestIncrementalEqualsFull edits every corpus file at random (characters,
// lines, stage names, global ARGs, directives, `# check=skip=` comments):
// after each edit the incremental run must equal a full run of the new
// text.
func TestIncrementalEqualsFull(t *testing.T) {
	corpus := testgen.Corpus(t)
	names := make([]string, 0, len(corpus))
	for n := range corpus {
		names = append(names, n)
	}
	sort.Strings(names)
	edits := 12
	if testing.Short() {
		edits = 4
	}
	ignore, err := patternmatcher.New([]string{"*.md", "node_modules", "src/x"})
	if err != nil {
		t.Fatal(err)
	}
	// Half the files under settings: severities, targets, a .dockerignore.
	cfgs := []*Config{{}, {
		Severity: map[string]Severity{"JSONArgsRecommended": Error, "UndefinedVar": Off, "FromAsCasing": Hint},
		Targets:  []string{"build", "base"},
		Ignore:   ignore,
	}}
	kept := 0
	for i, n := range names {
		kept += checkIncremental(t, n, corpus[n], cfgs[i%2], uint64(i), edits)
	}
	kept += checkIncremental(t, "generated", testgen.Large(30), &Config{Targets: []string{"stage-3"}}, 99, 60)
	// Runs that carried the last run's chains and keys past the stages
	// hashed anew must be among them, or the comparison proves nothing.
	t.Logf("%d runs carried the chains and keys", kept)
	if want := len(names) * edits / 10; kept < want {
		t.Errorf("%d runs carried the last run's chains and keys, want at least %d", kept, want)
	}
}

// TestIncrementalRunsChangedStages types into one stage of the generated
// file: the PerStage rules then look at that stage only.
func TestIncrementalRunsChangedStages(t *testing.T) {
	text := strings.ReplaceAll(testgen.Large(50), " AS stage-", " as stage-") // FromAsCasing on every stage
	ix := analysis.Parse(analysis.NewDocument(text))
	calls := 0
	orig := FromAsCasing.Local
	FromAsCasing.Local = func(p *Pass, n analysis.Node) { calls++; orig(p, n) }
	defer func() { FromAsCasing.Local = orig }()
	cache := &Cache{}
	first := Run(ix, &Config{Cache: cache})
	if calls != 50 || len(first) == 0 {
		t.Fatalf("first run looked at %d FROMs and found %d, want 50 and some", calls, len(first))
	}
	for _, edit := range []struct {
		after, text string
		stages      int
		kept        bool // the bases are the last run's: its chains and keys are carried
	}{{"FROM stage-19", "x", 2, false}, {"make build", "s", 4, true}} {
		off := strings.Index(ix.Doc.Text(), edit.after) + len(edit.after)
		e := analysis.Edit{Span: analysis.Span{Start: off, End: off}, Text: edit.text}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		calls = 0
		kept := cache.keptRuns
		got := Run(ix, &Config{Cache: cache})
		if edit.kept && cache.keptRuns != kept+1 {
			t.Errorf("after typing %q: the run made every stage's chain and key again, want the last run's carried", edit.text)
		}
		// Stage 20 is built on stage 19 and stage 21 on it; stage 0 is
		// built on by stages 1 and 2 and copied from by stage 3 through
		// stage 2.
		if calls != edit.stages {
			t.Errorf("after typing %q: the rule ran on %d FROMs, want %d: the edited stage and those whose inputs include it", edit.text, calls, edit.stages)
		}
		if d := cmp.Diff(Run(ix, &Config{}), got); d != "" {
			t.Fatalf("after typing %q: (-full +incremental):\n%s", edit.text, d)
		}
		// The cache holds the current version's stages, no older ones.
		if len(cache.entries) != ix.StageCount() || len(cache.sums) != ix.StageCount() || len(cache.spans) != ix.StageCount() {
			t.Errorf("after typing %q: the cache holds %d stages' findings and %d stages' summaries, want %d", edit.text, len(cache.entries), len(cache.sums), ix.StageCount())
		}
	}
}

// FuzzIncremental applies edits chosen by the fuzzer to a corpus-like file
// and compares the incremental run with a full one.
func FuzzIncremental(f *testing.F) {
	f.Add(testgen.Large(4), uint64(1), uint8(8))
	f.Add("FROM alpine AS a\nRUN x\nFROM a AS b\nCOPY --from=a / /\n", uint64(2), uint8(8))
	f.Add("ARG X=1\nFROM $X AS Build\nONBUILD COPY --from=build /a /b\nFROM build\n", uint64(3), uint8(8))
	f.Fuzz(func(t *testing.T, text string, seed uint64, n uint8) {
		if len(text) > 1<<14 {
			return
		}
		checkIncremental(t, fmt.Sprintf("seed %d", seed), text, &Config{}, seed, int(n%16))
	})
}

// BenchmarkKeystroke measures the rules after one keystroke typed into a
// RUN line in the middle of a file, as the server runs them: "full" runs
// every rule over the file (no cache), "incremental" keeps a Cache from
// one keystroke to the next. The index update is outside the timer;
// min-ms is the fastest keystroke and cpu-ms/op the process's CPU time
// per run, with the garbage collector's (the machine may be shared, and
// wall time then counts waiting for a CPU).
func BenchmarkKeystroke(b *testing.B) {
	files := []struct{ name, text string }{
		{"buildkit-511", ""},
		{"generated-20k", testgen.Large(1000)},
		{"generated-100k", testgen.Large(5000)},
		{"one-stage-20k", oneStage(10000)},
		{"chain-of-5000-stages", stageChainFile(5000)},
	}
	if text, ok := testgen.CorpusText(b, "moby__buildkit__Dockerfile"); ok {
		files[0].text = text
	}
	for _, f := range files {
		if f.text == "" {
			testgen.Missing(b, "the corpus file moby__buildkit__Dockerfile")
			continue
		}
		for _, mode := range []string{"full", "incremental", "comment"} {
			if mode == "comment" && !strings.HasPrefix(f.name, "generated") {
				continue
			}
			b.Run(f.name+"/"+mode, func(b *testing.B) {
				ix := analysis.Parse(analysis.NewDocument(f.text))
				text := ix.Doc.Text()
				at := len(text) / 2
				at += strings.Index(text[at:], "\nRUN ") + len("\nRUN ")
				cfg := &Config{}
				if mode != "full" {
					cfg.Cache = &Cache{}
				}
				if mode == "comment" {
					// As peerbench types: at the end of the comment above
					// a FROM (whose re-parse reaches that FROM), a
					// character typed, then deleted.
					at = len(text) / 2
					at += strings.Index(text[at:], "\nFROM ")
				}
				Run(ix, cfg)
				best, cpu := time.Hour, time.Duration(0)
				typed := false
				for b.Loop() {
					b.StopTimer()
					e := analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: "x"}
					if mode == "comment" && typed {
						e = analysis.Edit{Span: analysis.Span{Start: at, End: at + 1}}
					}
					doc, err := ix.Doc.Apply(e)
					if err != nil {
						b.Fatal(err)
					}
					ix = ix.Update(doc, e)
					if mode != "comment" {
						at++
					}
					typed = !typed
					b.StartTimer()
					t, c := time.Now(), testgen.CPUTime()
					Run(ix, cfg)
					best = min(best, time.Since(t))
					cpu += testgen.CPUTime() - c
				}
				b.ReportMetric(float64(best.Nanoseconds())/1e6, "min-ms")
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
			})
		}
	}
}

// oneStage returns a file of one stage with 2n instructions on 2n lines,
// where keeping findings by stage gains nothing.
func oneStage(n int) string {
	var b strings.Builder
	b.WriteString("FROM alpine AS app\n")
	for i := range n {
		fmt.Fprintf(&b, "ENV V%d=%d\nRUN echo $V%d\n", i, i, i)
	}
	return b.String()
}

// TestIncrementalReadsOtherStages edits a stage that a finding elsewhere
// reads without depending on it through a reference: CopyFromVariable's
// fix names an earlier stage built FROM the same variable, so the rule
// runs on the whole file every time.
func TestIncrementalReadsOtherStages(t *testing.T) {
	text := "ARG IMG=alpine\nFROM alpine AS tools\nRUN echo\nFROM busybox AS app\nCOPY --from=${IMG} /a /b\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	Run(ix, &Config{Cache: cache})
	for _, e := range []struct{ old, new string }{{"FROM alpine AS tools", "FROM ${IMG} AS tools"}, {"RUN echo\n", ""}} {
		off := strings.Index(ix.Doc.Text(), e.old)
		edit := analysis.Edit{Span: analysis.Span{Start: off, End: off + len(e.old)}, Text: e.new}
		doc, err := ix.Doc.Apply(edit)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, edit)
		want := Run(analysis.Parse(doc), &Config{})
		if d := cmp.Diff(want, Run(ix, &Config{Cache: cache})); d != "" {
			t.Fatalf("after %q -> %q (-full +incremental):\n%s", e.old, e.new, d)
		}
	}
}

// TestIncrementalSettingsChange runs one cache under changing settings:
// each run must equal a full run under the settings of the moment.
func TestIncrementalSettingsChange(t *testing.T) {
	text := "FROM alpine AS build\nCOPY docs/a.md /x\nCMD run\nFROM build AS app\nEXPOSE 80/TCP\nCMD serve\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	ignore, err := patternmatcher.New([]string{"docs"})
	if err != nil {
		t.Fatal(err)
	}
	cache := &Cache{}
	for i, cfg := range []Config{
		{},
		{Severity: map[string]Severity{"JSONArgsRecommended": Off}},
		{Severity: map[string]Severity{"JSONArgsRecommended": Error}},
		{Ignore: ignore},
		{Targets: []string{"build"}},
		{},
	} {
		full := Run(ix, &cfg)
		cfg.Cache = cache
		if d := cmp.Diff(full, Run(ix, &cfg)); d != "" {
			t.Fatalf("settings %d: (-full +incremental):\n%s", i, d)
		}
	}
}

// stageChainFile returns a file of n stages, each built on the one before:
// every stage depends on all earlier ones.
func stageChainFile(n int) string {
	var b strings.Builder
	b.WriteString("FROM alpine AS s0\nRUN make\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "FROM s%d AS s%d\nRUN make\n", i-1, i)
	}
	return b.String()
}

// TestIncrementalVariableBaseChain edits a stage that another reaches only
// through FROMs built from global ARGs: its variables follow the stages the
// defaults pick, so its key must cover them.
func TestIncrementalVariableBaseChain(t *testing.T) {
	text := "ARG A=a\nARG B=b\nFROM scratch AS a\nENV WX=1\nFROM ${A} AS b\nRUN true\nFROM ${B} AS c\nRUN --mount=type=cache,target=/c/$WX true\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	if got := Run(ix, &Config{Cache: cache}); len(got) != 0 {
		t.Fatalf("before the edit: %v, want no finding", got)
	}
	off := strings.Index(text, "ENV WX=1")
	e := analysis.Edit{Span: analysis.Span{Start: off, End: off + len("ENV WX=1")}, Text: "ENV WY=1"}
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		t.Fatal(err)
	}
	ix = ix.Update(doc, e)
	want := Run(analysis.Parse(doc), &Config{})
	if len(want) != 1 || want[0].Rule != UndefinedVar.Name {
		t.Fatalf("a full run found %v, want UndefinedVar", want)
	}
	if d := cmp.Diff(want, Run(ix, &Config{Cache: cache})); d != "" {
		t.Fatalf("(-full +incremental):\n%s", d)
	}
}

// TestIncrementalBuildContext runs SourceCopiedTooEarly, which keeps its
// findings by stage with the build context reads they rest on, through
// edits of the text and changes of the context's files and .dockerignore:
// every run must equal a full run with the context of the moment.
func TestIncrementalBuildContext(t *testing.T) {
	text := "FROM node:20 AS app\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n" +
		"FROM golang:1.22 AS api\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /out ./...\n" +
		"FROM alpine AS tools\nCOPY . /src\nRUN apk add git\n"
	fsys := fstest.MapFS{"package.json": {Data: []byte("{}")}, "package-lock.json": {}, "server.js": {}}
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	var ignore *patternmatcher.PatternMatcher
	cfg := func(cached bool) *Config {
		c := &Config{Context: analysis.BuildContext{FS: fsys, Ignore: ignore}}
		if cached {
			c.Cache = cache
		}
		return c
	}
	check := func(what string) []Diagnostic {
		t.Helper()
		want := Run(analysis.Parse(ix.Doc), cfg(false))
		if d := cmp.Diff(want, Run(ix, cfg(true))); d != "" {
			t.Fatalf("%s: (-full +incremental):\n%s", what, d)
		}
		return want
	}
	first := check("first run")
	if n := len(ruleDiagnostics(first, SourceCopiedTooEarly.Name)); n == 0 {
		t.Fatal("no SourceCopiedTooEarly finding to keep; the test tests nothing")
	}
	// The context changes under an unchanged text.
	delete(fsys, "package-lock.json")
	if d := cmp.Diff(first, check("lockfile removed")); d == "" {
		t.Error("removing the lockfile changed nothing; the case tests nothing")
	}
	fsys["go.mod"] = &fstest.MapFile{Data: []byte("module x\n")}
	fsys["go.sum"] = &fstest.MapFile{}
	fsys["package-lock.json"] = &fstest.MapFile{}
	check("go.mod added")
	// The context's .dockerignore hides the lockfile.
	var err error
	if ignore, err = patternmatcher.New([]string{"package-lock.json"}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(first, check("lockfile ignored")); d == "" {
		t.Error("ignoring the lockfile changed nothing; the case tests nothing")
	}
	ignore = nil
	check("lockfile seen again")
	// The plan's edit ends its lines as the start of the file does.
	crlf := func(text string) {
		t.Helper()
		e := analysis.Edit{Span: analysis.Span{Start: 0, End: ix.Doc.Len()}, Text: text}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
	}
	crlf(strings.Replace(text, "\n", "\r\n", 1))
	withCRLF := check("a CRLF line first")
	crlf(text)
	if d := cmp.Diff(withCRLF, check("LF again")); d == "" {
		t.Error("the line ending changed nothing; the case tests nothing")
	}
	fsys["package.json"] = &fstest.MapFile{Data: []byte(`{"workspaces": ["pkgs/*"]}`)}
	fsys["pkgs/a/package.json"] = &fstest.MapFile{Data: []byte("{}")}
	check("workspace added")
	// Edits of the text with the context in place.
	edit := newEditor(7)
	for i := range 40 {
		e := edit(ix.Doc.Text())
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		check(fmt.Sprintf("edit %d (%+v)", i, e))
	}
}

func ruleDiagnostics(ds []Diagnostic, rule string) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Rule == rule {
			out = append(out, d)
		}
	}
	return out
}

// TestIncrementalStageHashes types at the ends of stages of a file of many
// chunks, where the text the cache finds unchanged (Document.Unchanged)
// stops: after every edit each stage's kept text hash must be the hash of
// its text, and the run must equal a full one.
func TestIncrementalStageHashes(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument(testgen.Large(60)))
	cache := &Cache{}
	Run(ix, &Config{Cache: cache})
	rnd := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		stages := ix.Stages()
		s := 1 + rnd.IntN(stages.Len()-1)
		at := max(0, stages.At(s).Span.Start-1-rnd.IntN(40))
		// Typing, deleting, and replacing a character: a stage keeps its
		// place then, and only its text tells it changed.
		e := analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: "x"}
		switch rnd.IntN(3) {
		case 1:
			e = analysis.Edit{Span: analysis.Span{Start: at, End: at + 1}}
		case 2:
			c := ix.Doc.Slice(analysis.Span{Start: at, End: at + 1})
			e = analysis.Edit{Span: analysis.Span{Start: at, End: at + 1}, Text: map[bool]string{true: "y", false: "z"}[c != "y"]}
		}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		got := Run(ix, &Config{Cache: cache})
		for s, sp := range cache.spans {
			var h maphash.Hash
			h.SetSeed(cache.seed)
			h.WriteByte(ix.Escape)
			h.WriteString(doc.Slice(sp))
			if h.Sum64() != cache.own[s] {
				t.Fatalf("edit %d (%+v): stage %d keeps the hash of another text", i, e, s)
			}
		}
		if d := cmp.Diff(Run(analysis.Parse(doc), &Config{}), got); d != "" {
			t.Fatalf("edit %d (%+v): (-full +incremental):\n%s", i, e, d)
		}
	}
}

// TestIncrementalCasingMajority changes the case of instruction keywords,
// one stage at a time, in a file whose casing majority flips back and
// forth: each run with a cache (which carries the counts of the stages
// that kept their text) must equal a full run, and the majority must
// flip often enough that keeping a stale count would show.
func TestIncrementalCasingMajority(t *testing.T) {
	var b strings.Builder
	for s := range 8 {
		fmt.Fprintf(&b, "FROM alpine AS s%d\nRUN echo %d\nENV A=%d\nWORKDIR /w\n", s, s, s)
	}
	ix := analysis.Parse(analysis.NewDocument(b.String()))
	cache := &Cache{}
	Run(ix, &Config{Cache: cache})
	rnd := rand.New(rand.NewPCG(18, 8))
	flips, was := 0, casingMajority(&Pass{Index: ix})
	for i := range 120 {
		n := ix.Node(1 + rnd.IntN(ix.Len()-1))
		kw := n.Abs(n.Keyword.Span)
		word := strings.ToLower(n.Keyword.Value)
		if rnd.IntN(2) == 0 {
			word = strings.ToUpper(word)
		}
		e := analysis.Edit{Span: kw, Text: word}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		got := Run(ix, &Config{Cache: cache})
		if d := cmp.Diff(Run(analysis.Parse(doc), &Config{}), got); d != "" {
			t.Fatalf("edit %d (%+v): (-full +incremental):\n%s\ntext:\n%s", i, e, d, doc.Text())
		}
		if now := casingMajority(&Pass{Index: ix}); now != was {
			flips, was = flips+1, now
		}
	}
	if flips < 5 {
		t.Fatalf("the majority flipped %d times over the edits, want at least 5", flips)
	}
}

// TestIncrementalKeepsMemoAndSummaries checks that what an incremental run
// keeps of the last run is taken, not made again, over several runs (so
// that the arrays a run reuses are never ones the next run reads): the
// whole-file rules' findings by stage (stageMemo) of the stages whose key
// did not change (nor the rule's other inputs, memoBase), and the
// summaries of the stages whose text did not.
func TestIncrementalKeepsMemoAndSummaries(t *testing.T) {
	text := testgen.Large(30)
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	Run(ix, &Config{Cache: cache})
	type snap struct {
		memo map[string][]memoSlot
		sums []*any
		keys []uint64
	}
	take := func() snap {
		s := snap{memo: map[string][]memoSlot{}, keys: slices.Clone(cache.keys)}
		for name, slots := range cache.memo {
			s.memo[name] = slices.Clone(slots)
		}
		for _, sm := range cache.sums {
			var p *any
			if len(sm) > 0 {
				p = &sm[0]
			}
			s.sums = append(s.sums, p)
		}
		return s
	}
	before := take()
	if len(before.memo) == 0 {
		t.Fatal("no rule kept findings by stage")
	}
	for i, stage := range []int{12, 20, 3, 27, 12} {
		// Type in the RUN of that stage.
		at := 0
		for range stage + 1 {
			at += strings.Index(text[at:], "make build") + 1
		}
		at += len("make build") - 1
		e := analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: "z"}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix, text = ix.Update(doc, e), doc.Text()
		got := Run(ix, &Config{Cache: cache})
		if d := cmp.Diff(Run(ix, &Config{}), got); d != "" {
			t.Fatalf("edit %d: (-full +incremental):\n%s", i, d)
		}
		after := take()
		for name, slots := range after.memo {
			kept, want := 0, 0
			for s, sl := range slots {
				was := before.memo[name][s]
				if s == stage || before.keys[s] != after.keys[s] || was.e == nil || was.base != sl.base {
					continue
				}
				want++
				if sl.e == was.e {
					kept++
				}
			}
			if kept != want || want < 10 && stage > 5 {
				t.Errorf("edit %d in stage %d: %s kept %d of the %d stages' findings whose key did not change", i, stage, name, kept, want)
			}
		}
		kept, want := 0, 0
		for s, p := range after.sums {
			if s == stage || before.sums[s] == nil {
				continue
			}
			want++
			if p == before.sums[s] {
				kept++
			}
		}
		if kept != want || want < 20 {
			t.Errorf("edit %d in stage %d: %d of %d stages whose text did not change kept their summaries", i, stage, kept, want)
		}
		before = after
	}
}

// TestStagesWithCarried toggles the whole-context COPY of the stages a
// final stage could copy from, typing in them one at a time: the list of
// stages that copy the context (stagesWith), carried from run to run but
// for the stages whose text changed, must give the findings of a full run,
// which come and go with the edits.
func TestStagesWithCarried(t *testing.T) {
	var b strings.Builder
	for i := range 12 {
		fmt.Fprintf(&b, "FROM alpine AS s%d\nCOPY . .\nRUN make %d\n", i, i)
	}
	b.WriteString("FROM alpine\nCOPY . .\nCOPY --from=s3 /out /out\nCOPY --from=s7 /out /out\nCMD [\"x\"]\n")
	text := b.String()
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	Run(ix, &Config{Cache: cache})
	counts := map[int]bool{}
	for _, stage := range []int{3, 7, 3, 5, 7, 3, 7} {
		// Turn `COPY . .` into `COPY x .` in that stage, or back.
		off := strings.Index(text, fmt.Sprintf("AS s%d\n", stage)) + len(fmt.Sprintf("AS s%d\nCOPY ", stage))
		e := analysis.Edit{Span: analysis.Span{Start: off, End: off + 1}, Text: "x"}
		if text[off] == 'x' {
			e.Text = "."
		}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix, text = ix.Update(doc, e), doc.Text()
		got := Run(ix, &Config{Cache: cache})
		want := Run(analysis.Parse(doc), &Config{})
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("after toggling stage %d: (-full +incremental):\n%s", stage, d)
		}
		n := 0
		for _, d := range want {
			if d.Rule == FinalStageCopiesContext.Name {
				n++
			}
		}
		counts[n] = true
	}
	if !counts[0] || !counts[1] {
		t.Errorf("the edits gave FinalStageCopiesContext findings %v times, want both none and one", counts)
	}
}

// TestIncrementalLineEnding types a "\r" into a line ending of another
// stage than SourceCopiedTooEarly's: the file's line ending, which that
// finding's fix writes, changes, and the finding kept for its stage with
// it.
func TestIncrementalLineEnding(t *testing.T) {
	text := "FROM alpine AS tools\nRUN echo\n\nFROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n"
	fsys := fstest.MapFS{"package.json": {Data: []byte("{}")}, "package-lock.json": {}, "server.js": {}}
	cfg := func(cache *Cache) *Config { return &Config{Context: analysis.BuildContext{FS: fsys}, Cache: cache} }
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	first := Run(ix, cfg(cache))
	if n := len(ruleDiagnostics(first, SourceCopiedTooEarly.Name)); n == 0 {
		t.Fatal("no SourceCopiedTooEarly finding to keep; the test tests nothing")
	}
	off := strings.Index(text, "tools\n") + len("tools") // in the first stage's text, not the next one's
	e := analysis.Edit{Span: analysis.Span{Start: off, End: off}, Text: "\r"}
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		t.Fatal(err)
	}
	ix = ix.Update(doc, e)
	want := Run(analysis.Parse(doc), cfg(nil))
	if d := cmp.Diff(want, Run(ix, cfg(cache))); d != "" {
		t.Fatalf("(-full +incremental):\n%s", d)
	}
	if d := cmp.Diff(ruleDiagnostics(first, SourceCopiedTooEarly.Name), ruleDiagnostics(want, SourceCopiedTooEarly.Name)); d == "" {
		t.Error("the line ending left the finding as it was; the test tests nothing")
	}
}
