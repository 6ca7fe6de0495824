package analysis

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// modelView is what the model's readers see of it: every reference, the
// patterns, each stage's references, base, users and end state, the state
// before every instruction, the global ARGs and picks on every platform,
// and what a build reaches.
type modelView struct {
	Refs       []StageRef
	Patterns   []Pattern
	StageRefs  [][]StageRef
	Bases      []int
	Users      [][]int
	Candidates [][]int
	Picks      []string
	States     []State
	Ends       []State
	Globals    []map[string]string
	Epoch      int
	Reach      [][]bool
	Default    [][]bool
	// Read before Refs builds its list: the references standing in each
	// stage (the first before the first FROM), those of each resolution,
	// and which kinds stand in each stage.
	Targets   [][]int
	In        [][]StageRef
	Resolving [][]StageRef
	Variable  [][]StageRef // VariableRefs of each kind
	Stands    [][]bool
	// The stages targeting each stage (TargetUsers), and every base.
	TargetUsers [][]int32
	AllBases    []int
}

func viewModel(ix *Index) modelView {
	m := ix.Model()
	var v modelView
	n := ix.StageCount()
	for s := -1; s < n; s++ {
		v.In = append(v.In, slices.Collect(m.RefsIn(s)))
		if s >= 0 {
			v.Targets = append(v.Targets, slices.Collect(m.TargetsOf(s)))
			var kinds []bool
			for _, k := range []RefKind{RefFrom, RefCopyFrom, RefMountFrom, RefEpoch} {
				kinds = append(kinds, m.StandsIn(s, k))
			}
			v.Stands = append(v.Stands, kinds)
			v.TargetUsers = append(v.TargetUsers, m.TargetUsers(s))
		}
	}
	v.AllBases = m.Bases()
	for res := ResolvesImage; res <= ResolvesContext; res++ {
		v.Resolving = append(v.Resolving, slices.Collect(m.RefsResolving(res)))
	}
	for _, k := range []RefKind{RefFrom, RefCopyFrom, RefMountFrom, RefEpoch} {
		v.Variable = append(v.Variable, slices.Collect(m.VariableRefs(k)))
	}
	v.Refs, v.Patterns, v.Epoch = m.Refs(), m.Patterns(), m.EpochStage()
	for s := range n {
		v.StageRefs = append(v.StageRefs, m.StageRefs(s))
		v.Bases = append(v.Bases, m.baseOf(s))
		v.Users = append(v.Users, m.Users(s))
		v.Ends = append(v.Ends, m.EndState(s))
	}
	for _, r := range m.Refs() {
		v.Candidates = append(v.Candidates, m.Candidates(r))
		for _, p := range Platforms {
			res, t := m.ResolveWith(r, p)
			v.Picks = append(v.Picks, fmt.Sprintf("%s:%d", res, t))
		}
	}
	for i := range ix.Len() {
		v.States = append(v.States, m.State(i))
	}
	for _, p := range Platforms {
		env := m.GlobalArgs(p)
		g := map[string]string{}
		for _, k := range env.Keys() {
			g[k], _ = env.Get(k)
		}
		v.Globals = append(v.Globals, g)
	}
	for s := range n {
		v.Reach = append(v.Reach, m.Reachable([]int{s}))
		v.Default = append(v.Default, m.DefaultReachable(s, DefaultPlatform))
	}
	return v
}

// viewConsistent checks that the readers that skip Refs' list agree with
// it: RefsIn lists it stage by stage, RefsResolving filters it, StandsIn
// tells the kinds RefsIn holds.
func viewConsistent(v modelView) string {
	// TargetUsers inverts TargetsOf: each pair once, users in order.
	users := make([][]int32, len(v.Targets))
	for s, ts := range v.Targets {
		for _, t := range ts {
			if t >= 0 && t < len(users) && !slices.Contains(users[t], int32(s)) {
				users[t] = append(users[t], int32(s))
			}
		}
	}
	for t := range users {
		if !slices.Equal(users[t], v.TargetUsers[t]) {
			return fmt.Sprintf("TargetUsers(%d) = %v, TargetsOf inverted gives %v", t, v.TargetUsers[t], users[t])
		}
	}
	if all := slices.Concat(v.In...); !cmp.Equal(all, v.Refs) && (len(all) > 0 || len(v.Refs) > 0) {
		return fmt.Sprintf("RefsIn, stage by stage, gives %d references, Refs %d:\n%s", len(all), len(v.Refs), cmp.Diff(v.Refs, all))
	}
	for res, got := range v.Resolving {
		var want []StageRef
		for _, r := range v.Refs {
			if r.Resolution == Resolution(res) {
				want = append(want, r)
			}
		}
		if !cmp.Equal(want, got) && (len(want) > 0 || len(got) > 0) {
			return fmt.Sprintf("RefsResolving(%s) differs from Refs filtered:\n%s", Resolution(res), cmp.Diff(want, got))
		}
	}
	for k, got := range v.Variable {
		var want []StageRef
		for _, r := range v.Refs {
			if r.Resolution == ResolvesVariable && r.Kind == RefKind(k) {
				want = append(want, r)
			}
		}
		if !cmp.Equal(want, got) && (len(want) > 0 || len(got) > 0) {
			return fmt.Sprintf("VariableRefs(%d) differs from Refs filtered:\n%s", k, cmp.Diff(want, got))
		}
	}
	// Patterns are numbered by first use, one per text and kind (FROM or
	// not), and set on exactly the references built from variables.
	next := 0
	for _, r := range v.Refs {
		if (r.Pattern >= 0) != (r.Resolution == ResolvesVariable) {
			return fmt.Sprintf("reference %+v: pattern %d with resolution %s", r, r.Pattern, r.Resolution)
		}
		if r.Pattern < 0 {
			continue
		}
		if r.Pattern > next || r.Pattern >= len(v.Patterns) {
			return fmt.Sprintf("reference %+v: pattern %d before pattern %d is used", r, r.Pattern, next)
		}
		if r.Pattern == next {
			next++
		}
		if p := v.Patterns[r.Pattern]; p.Value != r.Value || (p.Kind == RefFrom) != (r.Kind == RefFrom) {
			return fmt.Sprintf("reference %+v has pattern %d, %+v", r, r.Pattern, p)
		}
	}
	for s, ts := range v.Targets {
		var want []int
		for _, r := range v.StageRefs[s] {
			want = append(want, r.Target)
		}
		if !slices.Equal(want, ts) {
			return fmt.Sprintf("TargetsOf(%d) = %v, its references' targets %v", s, ts, want)
		}
	}
	for s, kinds := range v.Stands {
		for k, stands := range kinds {
			has := slices.ContainsFunc(v.In[s+1], func(r StageRef) bool { return r.Kind == RefKind(k) })
			if stands != has {
				return fmt.Sprintf("StandsIn(%d, %s) = %v, but RefsIn(%d) holds one: %v", s, RefKind(k), stands, s, has)
			}
		}
	}
	return ""
}

// randomUpdate makes the editor's next edit to ix's text and returns the
// updated index with the edit.
func randomUpdate(t *testing.T, ix *Index, edit *testgen.Editor) (*Index, Edit) {
	t.Helper()
	start, end, insert := edit.Edit(ix.Doc.Text())
	e := Edit{Span: Span{Start: start, End: end}, Text: insert}
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		t.Fatal(err)
	}
	return ix.Update(doc, e), e
}

// checkModelSeed edits text at random and, after every edit, compares the
// model of the updated index, which reuses the readings of the stages
// that did not change, with the model of a fresh parse. It returns the
// number of stage readings reused.
func checkModelSeed(t *testing.T, name, text string, seed uint64, edits int) (reused, carried int) {
	t.Helper()
	edit := testgen.NewEditor(seed, []string{"UndefinedVar", "all"})
	ix := Parse(NewDocument(text))
	ix.Model()
	for i := range edits {
		prev := ix.modelSeed.Load()
		var e Edit
		ix, e = randomUpdate(t, ix, edit)
		doc := ix.Doc
		got := viewModel(ix)
		if ix.Model().carried {
			carried++
		}
		if prev != nil {
			parts := ix.Model().seed.parts
			for s := range parts.n {
				if p := parts.at(s); s < prev.parts.n && p == prev.parts.at(s) {
					reused++
				}
			}
		}
		fresh := Parse(doc)
		if fresh.ParseError != nil {
			continue // the updated index keeps the last good instructions (Stale)
		}
		want := viewModel(fresh)
		if err := viewConsistent(want); err != "" {
			t.Fatalf("%s, edit %d: a fresh model's readers disagree: %s", name, i, err)
		}
		if d := cmp.Diff(want, got, cmp.AllowUnexported(State{})); d != "" {
			t.Fatalf("%s, edit %d (%+v): the reused model differs from a fresh one (-fresh +reused):\n%s\ntext:\n%s", name, i, e, d, doc.Text())
		}
	}
	return reused, carried
}

// TestModelReuseEqualsFresh edits every corpus file at random (characters,
// lines, stage names, global ARGs, directives, ONBUILD, variable FROMs and
// `--from`s): after each edit the model of the updated index, built from
// the previous version's reading of the unchanged stages, must equal the
// model of a fresh parse of the new text in everything its readers see.
func TestModelReuseEqualsFresh(t *testing.T) {
	corpus := sample(t)
	edits := 10
	if testing.Short() {
		edits = 4
	}
	reused, carried := 0, 0
	for i, n := range slices.Sorted(maps.Keys(corpus)) {
		r, c := checkModelSeed(t, n, corpus[n], uint64(i), edits)
		reused, carried = reused+r, carried+c
	}
	r, c := checkModelSeed(t, "generated", testgen.Large(30), 99, 60)
	reused, carried = reused+r, carried+c
	// Models carried from the last version's arrays (carryModel) must be
	// among them, or their comparison proves nothing either.
	t.Logf("%d stage readings reused, %d models carried", reused, carried)
	if min := max(edits*len(corpus)/10, 20); carried < min {
		t.Errorf("%d models were carried from the last version's arrays, want at least %d", carried, min)
	}
	// Without reuse the comparison proves nothing. The race run's sample of
	// a tenth of the corpus reuses about 800.
	want := 1000
	if raceEnabled {
		want = 300
	}
	if reused < want {
		t.Errorf("the models reused %d stage readings over the edits, want at least %d", reused, want)
	}
}

// TestModelReuseAcrossStages makes the edits that change what an unchanged
// stage's references name through something outside the stage: a global
// ARG a FROM is built from, a stage now built on one holding an ONBUILD,
// and a variable a `--from` reads from the stage it is built on.
func TestModelReuseAcrossStages(t *testing.T) {
	for _, c := range []struct{ name, text, old, new string }{
		{"global ARG", "ARG BASE=alpine\nFROM alpine AS build\nRUN x\nFROM ${BASE} AS app\nRUN y\n", "ARG BASE=alpine", "ARG BASE=build"},
		{"ONBUILD", "FROM alpine AS base\nONBUILD COPY --from=tools /a /b\nFROM alpine AS tools\nRUN t\nFROM alpine AS app\nRUN a\n", "FROM alpine AS app", "FROM base AS app"},
		{"variable --from", "FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS base\nENV SRC=a\nFROM base AS c\nCOPY --from=${SRC} /x /y\n", "ENV SRC=a", "ENV SRC=b"},
	} {
		ix := Parse(NewDocument(c.text))
		before := viewModel(ix)
		at := strings.Index(c.text, c.old)
		e := Edit{Span: Span{Start: at, End: at + len(c.old)}, Text: c.new}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		got := viewModel(ix.Update(doc, e))
		want := viewModel(Parse(doc))
		if cmp.Equal(before.Refs, want.Refs) {
			t.Fatalf("%s: the edit changes no reference; the case tests nothing", c.name)
		}
		if d := cmp.Diff(want, got, cmp.AllowUnexported(State{})); d != "" {
			t.Errorf("%s: the reused model differs from a fresh one (-fresh +reused):\n%s", c.name, d)
		}
	}
}

// TestModelSeedConcurrent reads the models of successive versions from
// several goroutines while edits make new versions from the last one, as
// the server does (requests on an older snapshot while the diagnostics of
// the newest run): run under the race detector, it checks the seed each
// version hands on and the memoized reachability.
func TestModelSeedConcurrent(t *testing.T) {
	ix := Parse(NewDocument(testgen.Large(20)))
	at := strings.Index(ix.Doc.Text(), "make build") + len("make build")
	var wg sync.WaitGroup
	for k := range 40 {
		cur := ix
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cur.Stages() // carried from the last version's views, if built
				m := cur.Model()
				for s := range cur.StageCount() {
					m.Reachable([]int{s})
					m.DefaultReachable(s, DefaultPlatform)
				}
			}()
		}
		e := Edit{Span: Span{Start: at + k, End: at + k}, Text: "x"}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		if k%3 == 0 {
			ix.Model()
		}
	}
	wg.Wait()
	if d := cmp.Diff(viewModel(Parse(ix.Doc)), viewModel(ix), cmp.AllowUnexported(State{})); d != "" {
		t.Fatalf("after the edits (-fresh +reused):\n%s", d)
	}
	if d := cmp.Diff(Parse(ix.Doc).Stages().Slice(), ix.Stages().Slice()); d != "" {
		t.Fatalf("stage views after the edits (-fresh +carried):\n%s", d)
	}
}

// TestModelFromsKept types and deletes characters in RUN lines at random
// (edits that touch no FROM, so the model takes the FROMs, names and
// offsets of the version spliced from when it read that one), asking the
// model on two versions out of three only, so that a version whose
// predecessor read no model reads its own: each model asked must equal a
// fresh parse's.
func TestModelFromsKept(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 18))
	ix := Parse(NewDocument(testgen.Large(30)))
	ix.Model()
	kept, older, carried, walks := 0, 0, 0, 0
	for i := range 150 {
		text := ix.Doc.Text()
		var runs []int
		for at := 0; ; {
			k := strings.Index(text[at:], "\nRUN ")
			if k < 0 {
				break
			}
			at += k + len("\nRUN ")
			runs = append(runs, at)
		}
		at := runs[rng.IntN(len(runs))]
		e := Edit{Span: Span{Start: at, End: at}, Text: "x"}
		if text[at] == 'x' && rng.IntN(2) == 0 {
			e = Edit{Span: Span{Start: at, End: at + 1}}
		}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		if i%3 == 2 {
			continue
		}
		switch {
		case ix.keptFroms != nil:
			kept++
			if ix.Model().carried {
				carried++
			}
		case ix.ver != 0:
			older++ // spliced, but the model read an older version
		}
		got := viewModel(ix)
		if d := cmp.Diff(viewModel(Parse(doc)), got, cmp.AllowUnexported(State{})); d != "" {
			t.Fatalf("edit %d (%+v): the model differs from a fresh one (-fresh +updated):\n%s", i, e, d)
		}
		if m := ix.Model(); m.prevVars != nil {
			for s, w := range m.vars.walks {
				if m.prevVars.walks[s] == w {
					walks++
				}
			}
		}
	}
	// The walks of the stages before the edit are the last version's.
	if walks < 5*carried {
		t.Errorf("the carried models took %d walks from the last version's, want at least %d", walks, 5*carried)
	}
	if kept < 40 || older < 40 {
		t.Errorf("%d models took the last version's FROMs and %d read an older version's, want at least 40 of each", kept, older)
	}
	if carried < kept*9/10 {
		t.Errorf("%d of the %d models that took the last version's FROMs were carried from its arrays (carryModel), want nine in ten", carried, kept)
	}
}

// TestStageViewsCarried edits every corpus file at random: after each edit
// the stage views of the updated index, moved from the last version's where
// the edit touched no FROM, must equal a fresh parse's. Every third version
// skips Stages, so the version after it, whose predecessor built no views,
// builds its own.
func TestStageViewsCarried(t *testing.T) {
	corpus := sample(t)
	carried := 0
	check := func(name, text string, seed uint64, edits int) {
		edit := testgen.NewEditor(seed, []string{"UndefinedVar", "all"})
		ix := Parse(NewDocument(text))
		ix.Stages()
		for i := range edits {
			var e Edit
			ix, e = randomUpdate(t, ix, edit)
			doc := ix.Doc
			if i%3 == 2 {
				continue
			}
			c := ix.carried
			if c != nil {
				carried++
			}
			got := ix.Stages()
			if c != nil {
				// Only the edited stage's block is copied: the others
				// are the last version's.
				copied := 0
				for k := range got.blocks {
					if &got.blocks[k].views[0] != &c.views.blocks[k].views[0] {
						copied++
					}
				}
				if copied > 1 {
					t.Fatalf("%s, edit %d (%+v): %d blocks of stage views copied, want at most 1", name, i, e, copied)
				}
			}
			fresh := Parse(doc)
			if fresh.ParseError != nil {
				continue
			}
			if d := cmp.Diff(fresh.Stages().Slice(), got.Slice()); d != "" {
				t.Fatalf("%s, edit %d (%+v): stage views differ (-fresh +updated):\n%s\ntext:\n%s", name, i, e, d, doc.Text())
			}
		}
	}
	for i, n := range slices.Sorted(maps.Keys(corpus)) {
		check(n, corpus[n], uint64(i), 10)
	}
	check("generated", testgen.Large(30), 99, 200)
	want := 600 // about 750 with the whole corpus
	if raceEnabled {
		want = 60 // about 80 with the race run's tenth of the corpus
	}
	if carried < want {
		t.Errorf("%d versions carried their stage views, want at least %d", carried, want)
	}
	t.Logf("%d versions carried their stage views", carried)
}

// TestStageViewsBlocks types and deletes characters at random in a file
// of three blocks of stages, in RUN lines and in the comments above FROMs
// (edits that touch no FROM, so each version carries the last one's
// views), reading the views on two versions out of three: they must equal
// a fresh parse's, and a version carried from the last copies at most the
// edited stage's block.
func TestStageViewsBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 64))
	ix := Parse(NewDocument(testgen.Large(2*viewBlockSize + 10)))
	ix.Stages()
	carried := 0
	for i := range 300 {
		text := ix.Doc.Text()
		var at []int
		for _, marker := range []string{"\nRUN ", "\n# stage "} {
			for k := 0; ; {
				j := strings.Index(text[k:], marker)
				if j < 0 {
					break
				}
				k += j + len(marker)
				at = append(at, k)
			}
		}
		off := at[rng.IntN(len(at))]
		e := Edit{Span: Span{Start: off, End: off}, Text: strings.Repeat("x", 1+rng.IntN(3))}
		if text[off] == 'x' && rng.IntN(2) == 0 {
			e = Edit{Span: Span{Start: off, End: off + 1}}
		}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		if i%3 == 2 {
			continue
		}
		c := ix.carried
		got := ix.Stages()
		if c != nil {
			carried++
			copied := 0
			for k := range got.blocks {
				if &got.blocks[k].views[0] != &c.views.blocks[k].views[0] {
					copied++
				}
			}
			if copied > 1 {
				t.Fatalf("edit %d (%+v): %d blocks of stage views copied, want at most 1", i, e, copied)
			}
		}
		if d := cmp.Diff(Parse(doc).Stages().Slice(), got.Slice()); d != "" {
			t.Fatalf("edit %d (%+v): stage views differ (-fresh +updated):\n%s", i, e, d)
		}
		starts, ends := make([]int, got.Len()), make([]int, got.Len())
		got.Starts(starts)
		got.Ends(ends)
		for s, st := range got.All() {
			if got.Span(s) != st.Span {
				t.Fatalf("edit %d: stage %d: Span %v, the view has %v", i, s, got.Span(s), st.Span)
			}
			if starts[s] != st.Span.Start || ends[s] != st.Span.End {
				t.Fatalf("edit %d: stage %d: Starts and Ends give %d and %d, the view's span is %v", i, s, starts[s], ends[s], st.Span)
			}
		}
	}
	if d := cmp.Diff(Parse(ix.Doc).Stages().NamesSum(), ix.Stages().NamesSum()); d != "" {
		t.Fatalf("NamesSum after the edits (-fresh +carried):\n%s", d)
	}
	// Renaming a stage changes the sum.
	at := strings.Index(ix.Doc.Text(), " AS stage-7\n") + len(" AS stage-7")
	e := Edit{Span: Span{Start: at, End: at}, Text: "x"}
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		t.Fatal(err)
	}
	if renamed := ix.Update(doc, e); renamed.Stages().NamesSum() == ix.Stages().NamesSum() || renamed.Stages().NamesSum() != Parse(doc).Stages().NamesSum() {
		t.Errorf("NamesSum: %x before renaming stage-7, %x after, %x for a fresh parse", ix.Stages().NamesSum(), renamed.Stages().NamesSum(), Parse(doc).Stages().NamesSum())
	}
	if carried < 90 { // 100: each version after one that read them
		t.Errorf("%d versions carried their stage views, want at least 90", carried)
	}
}

// TestPatternValuesShared types in RUN lines of a file whose FROMs are
// built from variables: every reference built from variables, in a stage
// read afresh or reused, holds the one copy of its value the model keeps
// (canonical), so that patterns are compared without reading text.
func TestPatternValuesShared(t *testing.T) {
	ix := Parse(NewDocument(testgen.Large(60)))
	ix.Model()
	at := strings.Index(ix.Doc.Text(), "make build") + len("make build")
	for k := range 20 {
		e := Edit{Span: Span{Start: at + k, End: at + k}, Text: "x"}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		data := map[string]*byte{}
		n := 0
		for r := range ix.Model().RefsResolving(ResolvesVariable) {
			if r.Stage < 0 {
				continue // read with the text before the first FROM, every time
			}
			n++
			p := unsafe.StringData(r.Value)
			if q, ok := data[r.Value]; ok && q != p {
				t.Fatalf("edit %d: two copies of %q in stages' references", k, r.Value)
			}
			data[r.Value] = p
		}
		if n < 20 {
			t.Fatalf("%d references built from variables, want at least 20", n)
		}
	}
}

// TestStageOffsetsMoved composes random moves of stageOffsets and holds
// each to a plain array moved the same way.
func TestStageOffsetsMoved(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	const n = 40
	plain := make([]int, n)
	for s := range plain {
		plain[s] = s * 100
	}
	o := stageOffsets{base: slices.Clone(plain)}
	for i := range 2000 {
		from, delta := rng.IntN(n+1), rng.IntN(7)-3
		if rng.IntN(4) > 0 {
			from = o.from // typing on at the same place, as a person does
		}
		o = o.moved(from, delta)
		for s := from; s < n; s++ {
			plain[s] += delta
		}
		for s := range n {
			if o.at(s) != plain[s] {
				t.Fatalf("move %d (stages %d on by %d): stage %d at %d, want %d", i, from, delta, s, o.at(s), plain[s])
			}
		}
	}
}

// TestStageOffsetsCarried types and deletes characters at a few places of
// a generated file: the model's FROM offsets must be the index's after
// every edit, and typing at one place must share the last model's array.
func TestStageOffsetsCarried(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 11))
	ix := Parse(NewDocument(testgen.Large(60)))
	prev := ix.Model()
	shared := 0
	at := 0
	for i := range 300 {
		text := ix.Doc.Text()
		if i%20 == 0 {
			at = rng.IntN(len(text) - 1)
			at += strings.Index(text[at:]+"\nFROM ", "\nFROM ") // the end of the comment above a FROM
			if at >= len(text) {
				at = strings.Index(text, "\nFROM ")
			}
		}
		e := Edit{Span: Span{Start: at, End: at}, Text: "x"}
		if i%2 == 1 {
			e = Edit{Span: Span{Start: at, End: at + 1}}
		}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		m := ix.Model()
		for s := range ix.stages {
			if got, want := m.offs.at(s), ix.start(ix.stages[s].first); got != want {
				t.Fatalf("edit %d (%+v): stage %d's FROM at %d, want %d", i, e, s, got, want)
			}
		}
		if len(m.offs.base) > 0 && &m.offs.base[0] == &prev.offs.base[0] {
			shared++
		}
		prev = m
	}
	if shared < 250 {
		t.Errorf("%d of 300 models shared the last one's FROM offsets, want at least 250", shared)
	}
}

// varView is what the walks answer at every instruction: the declarations
// a use may name there and what each name resolves to.
func varView(ix *Index) [][]VarSite {
	var out [][]VarSite
	for i := range ix.Len() {
		vis := ix.VisibleVars(i)
		out = append(out, vis)
		var res []VarSite
		for _, v := range append(slices.Clone(vis), VarSite{Decl: VarDecl{Name: Token{Value: "NOT_DECLARED"}}}) {
			if site, ok := ix.ResolveVar(i, v.Decl.Name.Value); ok {
				res = append(res, site)
			}
		}
		out = append(out, res)
	}
	return out
}

// TestWalksMoved types and deletes characters at the end of comments
// above FROMs, as peerbench does, and of ARG and RUN lines: the stages after the
// edit take the last version's walks, moved (movedWalk), and every
// variable answer and build state must equal a fresh model's. Some
// versions read only declarations, so that a walk is moved before its
// values are computed, and some ask nothing, so that the next model reads
// an older version. The second file builds every stage on its first, which
// an edit near the start leaves in place while the stages built on it
// move: their walks must not be moved.
func TestWalksMoved(t *testing.T) {
	var onFirst strings.Builder
	onFirst.WriteString("FROM alpine AS s0\nARG V=1\nENV E=$V W=2\nWORKDIR /w\nRUN echo $E\n")
	for n := 1; n < 80; n++ {
		fmt.Fprintf(&onFirst, "# stage %d\nFROM s0 AS s%d\nARG V\nENV F=$V\nRUN echo $E $F\n", n, n)
	}
	edits := 120
	if testing.Short() || raceEnabled {
		edits = 30 // the race detector slows the comparisons twentyfold
	}
	for f, text := range []string{testgen.Large(24), onFirst.String()} {
		rng := rand.New(rand.NewPCG(8, uint64(f)))
		ix := Parse(NewDocument(text))
		varView(ix)
		moved, at := 0, 0
		for i := range edits {
			text := ix.Doc.Text()
			if i%10 == 0 {
				at = rng.IntN(len(text) / (1 + 3*f)) // near the start in the second file
				// The end of a comment above a FROM, of a RUN's line, or
				// of the ARG right after a FROM (which renames it).
				word := []string{"\nFROM ", "\nRUN ", "\nENV "}[(i/10)%3]
				at += strings.Index(text[at:]+word, word)
				if f == 1 && i == 0 {
					// First the default of the first stage's ARG, right
					// after its FROM, which no stage before moves.
					word = "\nENV "
				}
				if at >= len(text) || f == 1 && i == 0 {
					at = strings.Index(text, word)
				}
			}
			e := Edit{Span: Span{Start: at, End: at}, Text: "x"}
			if i%2 == 1 {
				e = Edit{Span: Span{Start: at, End: at + 1}}
			}
			doc, err := ix.Doc.Apply(e)
			if err != nil {
				t.Fatal(err)
			}
			ix = ix.Update(doc, e)
			switch rng.IntN(4) {
			case 0:
				continue
			case 1:
				fresh := Parse(doc)
				if d := cmp.Diff(varView(fresh), varView(ix)); d != "" {
					t.Fatalf("file %d, edit %d (%+v): variables differ from a fresh model's (-fresh +updated):\n%s", f, i, e, d)
				}
			default:
				fresh := Parse(doc)
				if d := cmp.Diff(varView(fresh), varView(ix)); d != "" {
					t.Fatalf("file %d, edit %d (%+v): variables differ from a fresh model's (-fresh +updated):\n%s", f, i, e, d)
				}
				if d := cmp.Diff(viewModel(fresh), viewModel(ix), cmp.AllowUnexported(State{})); d != "" {
					t.Fatalf("file %d, edit %d (%+v): the model differs from a fresh one (-fresh +updated):\n%s", f, i, e, d)
				}
			}
			for _, w := range ix.Model().vars.walks {
				if w.d != (walkMove{}) {
					moved++
				}
			}
		}
		t.Logf("file %d: %d walks moved", f, moved)
		if f == 0 && moved < edits*2/3 {
			t.Errorf("%d walks were moved from the last version's, want at least %d", moved, edits*2/3)
		}
	}
}
