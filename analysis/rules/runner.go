package rules

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// Config is what the user configured for a run.
type Config struct {
	// Severity overrides rules' severities, by rule name; Off silences a
	// rule. Rules not named keep the severity they report with.
	Severity map[string]Severity
	// Targets names the stages built besides the last one (the
	// stagehand.targets setting), as UnusedStage counts them.
	Targets []string
	// Contexts are the named build contexts the workspace (Compose
	// additional_contexts, Bake contexts, --build-context) gives the
	// Dockerfile: a reference to one names no stage but is no mistake.
	Contexts []analysis.NamedContext
	// Builds are the project's builds of the Dockerfile, each with the
	// stages it names and the contexts it gives (see builds.go): when
	// their contexts replace different stages, the rules judge each
	// build, and Contexts is each build's in turn.
	Builds []analysis.BuildSpec
	// Ignore matches the paths the .dockerignore beside the Dockerfile
	// excludes; nil when there is none.
	Ignore *patternmatcher.PatternMatcher
	// Context is the build context beside the Dockerfile, for the rules
	// that read it (SourceCopiedTooEarly); FS is nil when unknown.
	Context analysis.BuildContext
	// Cache, when set, keeps the findings of the stages that did not
	// change since an earlier run (see incremental.go). One per document.
	Cache *Cache
}

// LoadBuildIgnore reads the .dockerignore of a build of the Dockerfile at
// path with the context folder context, as BuildKit picks it:
// `<Dockerfile>.dockerignore` beside the Dockerfile, else `.dockerignore`
// at the context's root.
func LoadBuildIgnore(path, context string) (*patternmatcher.PatternMatcher, error) {
	if m, ok, err := readIgnore(filepath.Dir(path), filepath.Base(path)+".dockerignore"); ok || err != nil {
		return m, err
	}
	m, _, err := readIgnore(context, ".dockerignore")
	return m, err
}

// readIgnore reads the ignore file name in dir; ok is false when there is
// none.
func readIgnore(dir, name string) (m *patternmatcher.PatternMatcher, ok bool, err error) {
	data, err := confined.ReadFile(dir, name, confined.Limit)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		return nil, true, err
	}
	if len(patterns) == 0 {
		return nil, true, nil
	}
	m, err = patternmatcher.New(patterns)
	return m, true, err
}

// Run returns the diagnostics of ix in document order: BuildKit's parse
// and instruction errors, then every rule that is not off, filtered by the
// file's `# check=` directives as BuildKit applies them. With cfg.Cache it
// runs the PerStage rules only on the stages that changed since the run
// that filled the cache; the result is the same.
func Run(ix *analysis.Index, cfg *Config) []Diagnostic {
	if cfg == nil {
		cfg = &Config{}
	}
	if ix.ParseError != nil {
		// The instructions are those of an older text, or none.
		out := errorDiagnostics(ix)
		if d, bad := checkDirectiveError(ix); bad {
			out = append(out, d) // BuildKit reads the directive first
			sortDiagnostics(out)
		}
		return out
	}
	cfg, done := withRunFS(cfg)
	defer done()
	out, judged := runBuilds(ix, cfg)
	if !judged {
		out = runOnce(ix, cfg)
	}
	if d, bad := checkDirectiveError(ix); bad {
		out = append([]Diagnostic{d}, out...) // a copy: the cache's list stays as it is
		sortDiagnostics(out)
	}
	return out
}

// runOnce runs the rules on ix for one build state (cfg.Contexts).
func runOnce(ix *analysis.Index, cfg *Config) []Diagnostic {
	rc := &runCtx{ix: ix, cfg: cfg, shared: &facts{}, file: fileCheck(ix)}
	var out []Diagnostic
	if cfg.Cache != nil && ix.StageCount() > 0 {
		out = cfg.Cache.runCached(rc)
	} else {
		out = rc.errors(nil)
		for _, r := range rc.active() {
			out = append(out, rc.collect(r, nil)...)
		}
		sortDiagnostics(out)
		out = withTriggers(rc, dropReplacedErrors(out))
	}
	return out
}

// checkDirectiveError reports the file's `# check=` directive when
// BuildKit cannot read it: the build fails then, with this message. The
// other findings are still given, the directive ignored.
func checkDirectiveError(ix *analysis.Index) (Diagnostic, bool) {
	for _, d := range ix.Directives {
		if d.Name != "check" {
			continue
		}
		v, _, _ := strings.Cut(d.Value, " ")
		if _, err := linter.ParseLintOptions(v); err != nil {
			return Diagnostic{Span: d.Span, Severity: Error, Rule: ParseError, Message: "failed to parse check options: " + err.Error()}, true
		}
		return Diagnostic{}, false
	}
	return Diagnostic{}, false
}

// runCtx is one run's view of the index, shared by its passes.
type runCtx struct {
	ix         *analysis.Index
	cfg        *Config
	shared     *facts // views of the whole file
	restricted *facts // views of the wanted stages
	file       checkOptions
	stages     map[int]checkOptions
	own        []uint64 // hash of each stage's text, in incremental runs
	sums       summaries
	// In incremental runs: each stage's key, the placing of spans, and
	// the cache (for stageMemo).
	keys   []uint64
	anchor *anchorer
	cache  *Cache
	// namesSame: every stage has the name it had in the cache's last
	// run, or oddNames has read them in this one.
	namesSame bool
	// casingCarry: the cache's casing counts are those of its last run.
	casingCarry bool
	// shipped is shippedTargets' answer for the whole file, once asked
	// (shippedRead): the image-stage rules share it.
	shipped     []shipped
	shippedRead bool
	// majority is casingMajority's answer, once asked.
	majority *bool
	// The kept findings of the rule stageMemo serves now: the last run's
	// and this run's, by stage.
	memoRule          *Rule
	memoPrev, memoCur []memoSlot
	// summed holds the instructions of the stages read in this run
	// (stageNodes), by stage: the rules and stageSummary's kinds read
	// the same stage's.
	summed map[int][]analysis.Node
	// changed lists the stages whose text hash is not the cache's last
	// run's at their number, when sameCount (the stages are as many):
	// the stages whose summaries may have changed.
	changed   []int
	sameCount bool
	// with holds the stagesWith lists of this run, by kind.
	with map[summaryKind][]int
	// keysCarried: the keys are the cache's last run's but for the
	// stages rekeyed lists, in order.
	keysCarried bool
	rekeyed     []int
}

// allRules is All, sorted once: the registry is complete after init.
var allRules = sync.OnceValue(All)

// active returns the rules the run applies, in order.
func (rc *runCtx) active() []*Rule {
	var out []*Rule
	for _, r := range allRules() {
		if sev, set := rc.cfg.Severity[r.Name]; set && sev == Off {
			continue
		}
		if rc.file.skips(r) || r.Use != nil {
			continue // Use rules run on the files that use the Dockerfile
		}
		out = append(out, r)
	}
	return out
}

// errors returns the instruction errors of the instructions before the
// first FROM and in the stages want holds (every one when want is nil).
func (rc *runCtx) errors(want []bool) []Diagnostic {
	p := &Pass{Index: rc.ix, facts: rc.factsFor(want), want: want}
	var out []Diagnostic
	p.eachNode(func(n analysis.Node) {
		for _, e := range n.Errors() {
			out = append(out, Diagnostic{Span: n.Abs(e.Span), Severity: Error, Rule: InstructionError, Message: e.Message})
		}
	})
	return out
}

// collect runs r, looking at the stages want holds (all when nil), and
// returns its findings as configured and filtered by `# check=`, in the
// order r reported them.
func (rc *runCtx) collect(r *Rule, want []bool) []Diagnostic {
	ix := rc.ix
	sev, set := rc.cfg.Severity[r.Name]
	p := &Pass{Index: ix, Config: rc.cfg, Rule: r, facts: rc.factsFor(want), want: want, run: rc}
	if r.Local != nil {
		runLocal(p)
	} else {
		r.Run(p)
	}
	var out []Diagnostic
	for _, d := range p.out {
		if set {
			d.Severity = sev
		}
		if rc.commentSkips(r, d) {
			continue
		}
		if rc.file.errorOnWarn && r.BuildKit {
			d.Severity = Error
		}
		d.Fixes = append(d.Fixes, skipFix(ix, r.Name))
		out = append(out, d)
	}
	return out
}

// factsFor returns the views of a pass that looks at the stages want
// holds (every one when nil).
func (rc *runCtx) factsFor(want []bool) *facts {
	if want == nil {
		return rc.shared
	}
	if rc.restricted == nil {
		rc.restricted = &facts{}
	}
	return rc.restricted
}

// commentSkips reports whether a `# check=` comment skips d, a finding
// of r. A BuildKit rule follows BuildKit: the comment above the
// instruction its check runs with (r.Comments), even above a FROM only
// for the FROM line. Stagehand's own rules also take the comment above a
// stage's FROM for the whole stage. A comment's `error=true` changes
// nothing: BuildKit does not merge it.
func (rc *runCtx) commentSkips(r *Rule, d Diagnostic) bool {
	at := d.Span.Start
	if r.BuildKit {
		switch r.Comments {
		case CommentsIgnored:
			return false
		case CommentsOfRelated:
			if len(d.Related) > 0 {
				at = d.Related[0].Span.Start
			}
		}
	} else if s := rc.ix.StageAt(at); s >= 0 && rc.stageCheck(s).skips(r) {
		return true
	}
	return instructionSkips(rc.ix, at, r)
}

// stageCheck reads the `# check=` comment above stage s's FROM, which
// Stagehand's own rules apply to the whole stage.
func (rc *runCtx) stageCheck(s int) checkOptions {
	if c, ok := rc.stages[s]; ok {
		return c
	}
	if rc.stages == nil {
		rc.stages = map[int]checkOptions{}
	}
	c, _ := commentCheck(rc.ix, rc.ix.Stage(s).First)
	rc.stages[s] = c
	return c
}

// sortDiagnostics orders ds by start, then rule, keeping the order of
// equal ones.
func sortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Span.Start != ds[j].Span.Start {
			return ds[i].Span.Start < ds[j].Span.Start
		}
		return ds[i].Rule < ds[j].Rule
	})
}

// errorDiagnostics turns the index's errors into diagnostics.
func errorDiagnostics(ix *analysis.Index) []Diagnostic {
	errs := ix.Errors()
	diags := make([]Diagnostic, 0, len(errs))
	parseErr := ix.ParseError != nil
	for _, e := range errs {
		rule := InstructionError
		if parseErr && e == *ix.ParseError {
			rule = ParseError
			parseErr = false // only the first match is the parse error itself
		}
		diags = append(diags, Diagnostic{Span: e.Span, Severity: Error, Rule: rule, Message: e.Message})
	}
	return diags
}

// checkOptions is a parsed `check=` directive.
type checkOptions struct {
	skipAll     bool
	skip        map[string]bool
	errorOnWarn bool
}

func (c checkOptions) skips(r *Rule) bool {
	return c.skip[r.Name] || (c.skipAll && !r.Fails)
}

func parseCheck(value string) (checkOptions, bool) {
	// BuildKit reads the value up to the first blank.
	v, _, _ := strings.Cut(value, " ")
	cfg, err := linter.ParseLintOptions(v)
	if err != nil {
		return checkOptions{}, false
	}
	c := checkOptions{skipAll: cfg.SkipAll, errorOnWarn: cfg.ReturnAsError, skip: map[string]bool{}}
	for _, s := range cfg.SkipRules {
		c.skip[s] = true
	}
	return c, true
}

// fileCheck reads the file's `# check=` parser directive.
func fileCheck(ix *analysis.Index) checkOptions {
	for _, d := range ix.Directives {
		if d.Name == "check" {
			c, _ := parseCheck(d.Value)
			return c
		}
	}
	return checkOptions{}
}

// commentCheck reads the `# check=` comment among those BuildKit attaches
// to instruction i: the first one wins, and an invalid one sets nothing.
func commentCheck(ix *analysis.Index, i int) (checkOptions, bool) {
	for _, c := range ix.Comments(i) {
		if name, value, ok := strings.Cut(c.Text, "="); ok && strings.EqualFold(strings.TrimSpace(name), "check") {
			return parseCheck(strings.TrimSpace(value))
		}
	}
	return checkOptions{}, false
}

// instructionSkips reports whether the `# check=` comment of the
// instruction at off skips r.
func instructionSkips(ix *analysis.Index, off int, r *Rule) bool {
	n, ok := ix.NodeBefore(off)
	if !ok {
		return false
	}
	c, ok := commentCheck(ix, n.Index)
	return ok && c.skips(r)
}

// skipFix adds rule to the file's `# check=skip=` directive, or adds one.
func skipFix(ix *analysis.Index, rule string) Fix {
	title := "Skip " + rule + " in this file (# check=skip=" + rule + ")"
	for _, d := range ix.Directives {
		if d.Name != "check" {
			continue
		}
		parts := strings.Split(d.Value, ";")
		merged := false
		for i, part := range parts {
			k, v, ok := strings.Cut(part, "=")
			if ok && strings.TrimSpace(k) == "skip" {
				v = strings.TrimSpace(v)
				if v == "" {
					v = rule
				} else if v != "all" {
					v += "," + rule
				}
				parts[i] = "skip=" + v
				merged = true
			}
		}
		if !merged {
			parts = append(parts, "skip="+rule)
		}
		return Fix{Title: title, Edits: []analysis.Edit{replace(d.ValueSpan, strings.Join(parts, ";"))}}
	}
	at := 0
	if strings.HasPrefix(ix.Doc.Slice(analysis.Span{Start: 0, End: min(3, ix.Doc.Len())}), "\uFEFF") {
		at = len("\uFEFF")
	}
	if n := len(ix.Directives); n > 0 {
		last := ix.Directives[n-1].Span
		line := ix.Doc.LineOf(last.Start)
		if line+1 < ix.Doc.LineCount() {
			at = ix.Doc.LineStart(line + 1)
		} else {
			return Fix{Title: title, Edits: []analysis.Edit{replace(analysis.Span{Start: ix.Doc.Len(), End: ix.Doc.Len()}, analysis.Newline(ix.Doc)+"# check=skip="+rule)}}
		}
	}
	return Fix{Title: title, Edits: []analysis.Edit{replace(analysis.Span{Start: at, End: at}, "# check=skip="+rule+analysis.Newline(ix.Doc))}}
}

// dropReplacedErrors removes BuildKit's instruction error on an invalid
// stage name where InvalidStageName reports it with an explanation and a
// fix.
func dropReplacedErrors(ds []Diagnostic) []Diagnostic {
	named := map[analysis.Span]bool{}
	for _, d := range ds {
		if d.Rule == InvalidStageName.Name {
			named[d.Span] = true
		}
	}
	if len(named) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Rule == InstructionError && named[d.Span] && strings.Contains(d.Message, "invalid name for build stage") {
			continue
		}
		out = append(out, d)
	}
	return out
}
