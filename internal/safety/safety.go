// Package safety checks that a refactoring's result builds what the
// original did (the test oracle of codeaction's refactorings). Only tests
// import it: it is no part of the analysis core's surface.
package safety

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Intended describes what a refactoring means to change, for Check.
type Intended struct {
	// NewRefs is the number of stage references the refactoring adds; a
	// negative number allows any (none may be lost).
	NewRefs int
	// Added lists instructions the refactoring adds, in the normalized form
	// NormalizeInstruction gives (references shown as the stage content
	// they reach); each may appear once more after than before.
	Added []string
	// SkipRunEnv leaves out the check that every RUN keeps its WORKDIR,
	// USER, SHELL, ENV and ARGs, and SkipClosure the check of the final
	// stage's instructions, for refactorings that change them on purpose.
	SkipRunEnv, SkipClosure bool
	// Context, when its FS is set, is the build context: every dependency
	// install must still find each manifest it found before (the model of
	// Manifests, per package manager).
	Context analysis.BuildContext
}

// Check checks that after is a safe refactoring of before:
//   - BuildKit parses it (and reads its stages, when it read before's);
//   - every stage reference reaches the same content as one of before's,
//     beyond the NewRefs the refactoring adds;
//   - every RUN runs with the same WORKDIR, USER, SHELL, ENV and ARGs;
//   - the final and the named stages produce the same image configuration,
//     and the final stage's dependency closure holds the same instructions
//     but for the intended additions; moves do not change that multiset.
func Check(before, after *analysis.Document, want Intended) error {
	return NewBaseline(before).Check(after, want)
}

// Baseline is what Check compares, computed once for an original
// document that several refactorings start from.
type Baseline struct {
	ix       *analysis.Index
	view     *safetyView
	errs     int
	buildkit error
	refs     []string
	runs     []string
	closure  []string
	configs  map[string]string // by stage name, "" for the final stage
}

// NewBaseline computes the baseline of before.
func NewBaseline(before *analysis.Document) *Baseline {
	ix := analysis.Parse(before)
	b := &Baseline{ix: ix, view: newSafetyView(ix)}
	if ix.ParseError != nil {
		return b
	}
	b.errs = len(ix.Errors())
	b.buildkit = buildkitStages(before.Text())
	b.refs, b.runs = b.view.refs(), b.view.runs()
	if ix.StageCount() > 0 {
		b.closure = b.view.closure()
		b.configs = b.view.configs()
	}
	return b
}

// Check checks after against the baseline, as Check describes.
func (b *Baseline) Check(after *analysis.Document, want Intended) error {
	bix, aix := b.ix, analysis.Parse(after)
	if aix.ParseError != nil {
		return fmt.Errorf("the result does not parse: %s", aix.ParseError.Message)
	}
	if bix.ParseError != nil {
		return errors.New("the original does not parse")
	}
	if na := len(aix.Errors()); na > b.errs {
		return fmt.Errorf("the result has %d instruction errors, the original %d: %s", na, b.errs, aix.Errors()[0].Message)
	}
	if b.buildkit == nil {
		if err := buildkitStages(after.Text()); err != nil {
			return fmt.Errorf("BuildKit rejects the result: %v", err)
		}
	}
	as := newSafetyView(aix)
	// A stage holds what it held plus the intended additions.
	as.added = map[string]bool{}
	for _, a := range want.Added {
		as.added[a] = true
	}

	// References.
	if extra, missing := multisetDiff(as.refs(), b.refs); len(missing) > 0 || (want.NewRefs >= 0 && len(extra) != want.NewRefs) {
		return fmt.Errorf("stage references changed: %d lost, %d added (want %d added)", len(missing), len(extra), want.NewRefs)
	}
	// RUN environments.
	if !want.SkipRunEnv {
		extra, missing := multisetDiff(as.runs(), b.runs)
		// A RUN the refactoring adds (a dependency step) is intended.
		added := map[string]int{}
		for _, a := range want.Added {
			added[a]++
		}
		extra = slices.DeleteFunc(extra, func(r string) bool {
			ins, _, _ := strings.Cut(r, "\x00")
			if added[ins] > 0 {
				added[ins]--
				return true
			}
			return false
		})
		if len(extra)+len(missing) > 0 {
			got := append(extra, missing...)
			return fmt.Errorf("a RUN's WORKDIR, USER, SHELL, ENV or ARGs changed: %s", strings.ReplaceAll(got[0], "\x00", " | "))
		}
	}
	// Dependency installs and the manifests the build context gives them.
	if want.Context.FS != nil {
		before, after := newSafetyView(bix).installInputs(want.Context), as.installInputs(want.Context)
		for key, files := range before {
			run, _, _ := strings.Cut(key, "\x00")
			if extra, missing := multisetDiff(after[key], files); len(missing) > 0 {
				return fmt.Errorf("%s no longer finds %s", run, missing[0])
			} else if _, ok := after[key]; ok && len(extra) > 0 {
				// A manifest the source copy did not bring (excluded, or
				// ignored) changes what the install resolves.
				return fmt.Errorf("%s now finds %s, which it did not before", run, extra[0])
			}
		}
	}
	if want.SkipClosure || bix.StageCount() == 0 || aix.StageCount() == 0 {
		return nil
	}
	// The image each named stage and the final stage produce, the final
	// image first ("" sorts first), so the report does not depend on map
	// order.
	acfg := as.configs()
	for _, name := range slices.Sorted(maps.Keys(b.configs)) {
		c := b.configs[name]
		if a, ok := acfg[name]; ok && a != c {
			what := "the final image"
			if name != "" {
				what = "stage " + name
			}
			return fmt.Errorf("the configuration of %s changed: %s, was %s", what, a, c)
		}
	}
	// The final stage's closure.
	extra, missing := multisetDiff(as.closure(), b.closure)
	if len(missing) > 0 {
		return fmt.Errorf("the final stage lost an instruction: %s", missing[0])
	}
	if rest, _ := multisetDiff(extra, want.Added); len(rest) > 0 {
		return fmt.Errorf("the final stage gained an instruction: %s", rest[0])
	}
	return nil
}

// configs renders the image configuration of the final stage (under "")
// and of every named stage (under its lower-case name, as references
// reach it).
func (v *safetyView) configs() map[string]string {
	out := map[string]string{"": v.config(v.ix.StageCount() - 1)}
	for _, st := range v.ix.Stages().All() {
		if st.Name != "" && v.ix.StageByName(st.Name) == st.Index {
			out[st.LowerName()] = v.config(st.Index)
		}
	}
	return out
}

// buildkitStages returns BuildKit's error for text, or nil.
func buildkitStages(text string) error {
	res, err := parser.Parse(strings.NewReader(text))
	if err != nil {
		return err
	}
	_, _, err = instructions.Parse(res.AST, quietLinter)
	return err
}

// BuildKitReads reports whether BuildKit's parser and instructions
// package read text without an error.
func BuildKitReads(text string) bool { return buildkitStages(text) == nil }

// multisetDiff returns what a has beyond b and what b has beyond a.
func multisetDiff(a, b []string) (extra, missing []string) {
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for c := count[k]; c > 0; c-- {
			extra = append(extra, k)
		}
		for c := count[k]; c < 0; c++ {
			missing = append(missing, k)
		}
	}
	return extra, missing
}

// safetyView computes what Check compares for one index.
type safetyView struct {
	ix      *analysis.Index
	content map[int]string
	added   map[string]bool // instructions left out of stage contents
}

func newSafetyView(ix *analysis.Index) *safetyView {
	return &safetyView{ix: ix, content: map[int]string{}}
}

// stageContent is a digest of what stage s holds: its base image and the
// instructions, but FROM and ARG, of it and the stages it is built on, as
// a multiset (order is checked through the RUN environments), so that a
// stage cut in two reaches the same content as before.
func (v *safetyView) stageContent(s int) string {
	if c, ok := v.content[s]; ok {
		return c
	}
	v.content[s] = "cycle"
	items := v.flat(s, 0)
	sort.Strings(items)
	sum := sha256.Sum256([]byte(strings.Join(items, "\x00")))
	c := hex.EncodeToString(sum[:8])
	v.content[s] = c
	return c
}

func (v *safetyView) flat(s, hops int) []string {
	st := v.ix.Stage(s)
	var items []string
	if st.BaseStage >= 0 && hops <= v.ix.StageCount() {
		items = v.flat(st.BaseStage, hops+1)
	} else {
		items = []string{"image:" + strings.ToLower(st.Base) + "@" + st.Platform}
	}
	for i := st.First + 1; i < st.End; i++ {
		if n := v.ix.Node(i); n.Cmd != "arg" {
			if item := v.normalize(n); !v.added[item] {
				items = append(items, item)
			}
		}
	}
	return items
}

// normalize renders an instruction without layout, each stage reference
// replaced by the content it reaches.
func (v *safetyView) normalize(n analysis.Node) string {
	refAt := map[analysis.Span]string{}
	for _, r := range n.Refs {
		if r.Resolution == analysis.ResolvesStage {
			refAt[r.Value.Span] = "@stage:" + v.stageContent(r.Target)
		}
	}
	// An ONBUILD trigger's references resolve in the stages that run it
	// (all to the same stage): shown as that stage's content too, so that
	// renumbering `ONBUILD COPY --from=N` keeps the trigger the same.
	onbuildAt := map[analysis.Span]string{}
	if n.Cmd == "onbuild" {
		for _, r := range v.ix.Refs() {
			if r.Onbuild && r.Resolution == analysis.ResolvesStage && n.Span().Contains(r.Span.Start) {
				onbuildAt[r.Span] = "@stage:" + v.stageContent(r.Target)
			}
		}
	}
	word := func(t analysis.Token) string {
		for sp, c := range refAt {
			if sp.Start >= t.Span.Start && sp.End <= t.Span.End {
				return strings.Replace(t.Value, v.ix.Doc.Slice(n.Abs(sp)), c, 1)
			}
		}
		abs := n.Abs(t.Span)
		for sp, c := range onbuildAt {
			if sp.Start >= abs.Start && sp.End <= abs.End {
				return strings.Replace(t.Value, v.ix.Doc.Slice(sp), c, 1)
			}
		}
		return t.Value
	}
	parts := []string{n.Cmd}
	for _, f := range n.Flags {
		parts = append(parts, "--"+f.Name.Value+"="+word(f.Value))
	}
	for _, a := range n.Args {
		parts = append(parts, word(a))
	}
	for _, h := range n.Heredocs() {
		parts = append(parts, "<<"+v.ix.Doc.Slice(n.Abs(h.Body)))
	}
	return strings.Join(parts, " ")
}

// NormalizeInstruction renders instruction i of ix as Check compares
// instructions.
func NormalizeInstruction(ix *analysis.Index, i int) string {
	return newSafetyView(ix).normalize(ix.Node(i))
}

// installInputs maps each dependency install RUN (its normalized text and
// working directory, numbered among equals) to the manifests, as image
// paths, that the build context's files copied before it put where it
// reads them.
func (v *safetyView) installInputs(ctx analysis.BuildContext) map[string][]string {
	ix := v.ix
	out := map[string][]string{}
	seen := map[string]int{}
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		if n.Cmd != "run" {
			continue
		}
		ins := analysis.Installs(ix, i)
		s := ix.StageOf(i)
		if len(ins) == 0 || s < 0 {
			continue
		}
		st := ix.Stage(s)
		wd := ix.Model().State(i).Workdir
		if wd == "" {
			continue
		}
		copies := contextCopies(ix, st, i)
		// The context folder the source copy put at the working directory.
		dir := ""
		for _, c := range copies {
			if c.dest == wd && c.dir {
				dir = c.src
			}
		}
		key := v.normalize(n) + "\x00" + wd
		seen[key]++
		key += "\x00" + strconv.Itoa(seen[key])
		var present []string
		for _, in := range ins {
			files, _, ok := ctx.Manifests(in, dir)
			if !ok {
				continue
			}
			for _, f := range files {
				rel := strings.TrimPrefix(strings.TrimPrefix(f, dir), "/")
				want := path.Join(wd, rel)
				for _, c := range copies {
					if c.brings(f, want) {
						present = append(present, want)
						break
					}
				}
			}
		}
		out[key] = present
	}
	return out
}

// contextCopy is a COPY or ADD of one build-context source.
type contextCopy struct {
	src      string // context path, "" for the whole context
	dest     string // absolute image path
	dir      bool   // src is a folder copied into dest
	parents  bool
	many     bool     // dest is a folder for the sources
	excludes []string // its --exclude patterns, relative to src
}

// contextCopies lists the context copies of stage st before instruction
// i, those of the stages it is built on first.
func contextCopies(ix *analysis.Index, st analysis.Stage, i int) []contextCopy {
	return contextCopiesIn(ix, st, i, 0)
}

func contextCopiesIn(ix *analysis.Index, st analysis.Stage, i, hops int) []contextCopy {
	var out []contextCopy
	if st.BaseStage >= 0 && hops < ix.StageCount() {
		base := ix.Stage(st.BaseStage)
		out = contextCopiesIn(ix, base, base.End, hops+1)
	}
	for k := st.First + 1; k < i; k++ {
		n := ix.Node(k)
		if n.Cmd != "copy" && n.Cmd != "add" || n.Flag("from") != nil || len(n.Args) < 2 || len(n.Heredocs()) > 0 {
			continue
		}
		dest := analysis.AbsDest(ix, k, n.Args[len(n.Args)-1].Value)
		if dest == "" {
			continue
		}
		srcs := n.Args[:len(n.Args)-1]
		for _, a := range srcs {
			p, ok := analysis.ContextPath(a.Value)
			if !ok {
				continue
			}
			out = append(out, contextCopy{src: p, dest: dest, parents: n.Flag("parents") != nil, excludes: analysis.CopyExcludes(n),
				dir:  p == "" || strings.HasSuffix(a.Value, "/") || a.Value == ".",
				many: len(srcs) > 1 || strings.HasSuffix(n.Args[len(n.Args)-1].Value, "/") || strings.ContainsAny(p, "*?[")})
		}
	}
	return out
}

// brings reports whether the copy puts context file f at image path want.
func (c contextCopy) brings(f, want string) bool {
	f = strings.TrimSuffix(f, "/")
	if rel := strings.TrimPrefix(f, c.src+"/"); c.src == "" && analysis.Excluded(c.excludes, f) || c.src != "" && analysis.Excluded(c.excludes, rel) {
		return false
	}
	switch {
	case c.parents:
		if ok, _ := path.Match(c.src, f); ok || c.src == f {
			return path.Join(c.dest, f) == want
		}
		return false
	case c.dir && c.src == f:
		return c.dest == want
	case c.src == "" || c.dir && strings.HasPrefix(f, c.src+"/"):
		return path.Join(c.dest, strings.TrimPrefix(strings.TrimPrefix(f, c.src), "/")) == want
	case c.src == f || strings.ContainsAny(c.src, "*?[") && matches(c.src, f):
		if c.many {
			return path.Join(c.dest, path.Base(f)) == want
		}
		return c.dest == want
	}
	return false
}

func matches(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}

// refs lists every reference to a stage by the content it reaches, the
// RUN mounts without from= (but those of intended additions) included: they read the stage named scratch
// when there is one (dockerfile2llb's detectRunMount looks "scratch" up
// as a stage name).
func (v *safetyView) refs() []string {
	var out []string
	for _, r := range v.ix.Refs() {
		if r.Resolution == analysis.ResolvesStage {
			out = append(out, r.Kind.String()+":"+v.stageContent(r.Target))
		}
	}
	if sc := v.ix.Model().ScratchStage(); sc >= 0 {
		for i := 0; i < v.ix.Len(); i++ {
			// An added dependency step takes the mounts of the RUN it
			// prepares, which read the same stage already.
			if n := v.ix.Node(i); n.Cmd == "run" && !v.added[v.normalize(n)] {
				for _, m := range v.ix.Mounts(n) {
					if from, ok := m.Value("from"); !ok || from == "" {
						out = append(out, "mount-scratch:"+v.stageContent(sc))
					}
				}
			}
		}
	}
	return out
}

// runs lists every RUN with the environment it runs in.
func (v *safetyView) runs() []string {
	var out []string
	for i := 0; i < v.ix.Len(); i++ {
		if n := v.ix.Node(i); n.Cmd == "run" {
			out = append(out, v.normalize(n)+"\x00"+v.runEnv(i))
		}
	}
	return out
}

// runEnv renders the WORKDIR, USER, SHELL and variables (ENV and ARGs) in
// effect at instruction i, as the build model states them.
func (v *safetyView) runEnv(i int) string {
	return renderState(v.ix.Model().State(i))
}

// renderState renders the WORKDIR, USER, SHELL and variables of a build
// state.
func renderState(st analysis.State) string {
	vars := map[string]string{}
	for _, k := range st.Env().Keys() {
		vars[k], _ = st.Var(k)
	}
	return "workdir=" + st.Workdir + " user=" + st.User + " shell=" + strings.Join(st.Shell, " ") + " vars=" + sortedMap(vars)
}

// config renders the image configuration stage s sets through its
// instructions and those of the stages it is built on, as BuildKit applies
// them: an ENTRYPOINT clears the CMD unless the same stage set one.
func (v *safetyView) config(s int) string {
	ix := v.ix
	var chain []int
	for t, hops := s, 0; t >= 0 && hops <= ix.StageCount(); t, hops = ix.Stage(t).BaseStage, hops+1 {
		chain = append([]int{t}, chain...)
	}
	cmd, entrypoint, stop, health := "", "", "", ""
	labels, ports := map[string]string{}, map[string]string{}
	for _, t := range chain {
		st := ix.Stage(t)
		cmdSet := false
		for j := st.First + 1; j < st.End; j++ {
			n := ix.Node(j)
			text := v.normalize(n)
			switch n.Cmd {
			case "cmd":
				cmd, cmdSet = text, true
			case "entrypoint":
				entrypoint = text
				if !cmdSet {
					cmd = ""
				}
			case "stopsignal":
				stop = text
			case "healthcheck":
				health = text
			case "label", "expose", "volume":
				for _, a := range n.Args {
					if n.Cmd == "label" {
						labels[a.Value] = "label"
					} else {
						ports[n.Cmd+":"+a.Value] = n.Cmd
					}
				}
			}
		}
	}
	return strings.Join([]string{"cmd=" + cmd, "entrypoint=" + entrypoint, renderState(ix.Model().EndState(s)),
		"stopsignal=" + stop, "healthcheck=" + health,
		"labels=" + sortedMap(labels), "ports=" + sortedMap(ports)}, " ")
}

func sortedMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q,", k, m[k])
	}
	return b.String()
}

// closure lists the instructions, but FROM and ARG, of the final stage and
// every stage it reaches.
func (v *safetyView) closure() []string {
	ix := v.ix
	seen := map[int]bool{}
	var visit func(s int)
	visit = func(s int) {
		if seen[s] {
			return
		}
		seen[s] = true
		for _, d := range ix.Dependencies(s) {
			visit(d)
		}
	}
	visit(ix.StageCount() - 1)
	var out []string
	for s := range seen {
		st := ix.Stage(s)
		for i := st.First + 1; i < st.End; i++ {
			if n := ix.Node(i); n.Cmd != "arg" {
				out = append(out, v.normalize(n))
			}
		}
	}
	return out
}

// quietLinter reports nothing. instructions.Parse needs one: with nil it
// panics on an instruction that has a `# check=` comment above it
// (BuildKit v0.34.2, Linter.WithMergedConfigFromComments on nil).
var quietLinter = linter.New(&linter.Config{})
