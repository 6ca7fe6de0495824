package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UnusedStage = register(&Rule{
	Name:     "UnusedStage",
	Summary:  "A stage that no build target reaches is never built.",
	Severity: Hint,
	Tags:     []Tag{Unnecessary},
	Doc: `BuildKit builds the target stage (the last one unless ` + "`--target`" + ` names
another) and only the stages it builds on (` + "`FROM <stage>`" + `) or copies from
(` + "`COPY --from`" + `, ` + "`RUN --mount=from=`" + `). A stage that none of the targets reaches is
skipped: its instructions never run, which is often a leftover or a typo in a
reference.

Targets are the last stage and the stages named in the ` + "`stagehand.targets`" + `
setting. A reference built from variables (` + "`FROM runtime-${ENVIRONMENT}`" + `,
` + "`--from=${SRC}`" + `, the conditional-stage pattern) may reach every stage whose name its
pattern can match, whatever the ARG's default, so those stages count as
reached.

A named build context the workspace gives the Dockerfile (Compose
` + "`additional_contexts`" + `, Bake ` + "`contexts`" + `, ` + "`--build-context`" + `) takes over a reference
to its name, and replaces a stage of the same name: BuildKit builds none of
that stage's instructions, and what only it uses is never built either. The
replaced stage is reported without a fix, since a build without the context
still builds it.

The default severity is **hint**, shown as faded text rather than a squiggle:
many Dockerfiles have several deliberate targets (` + "`dev`" + `, ` + "`test`" + `, ` + "`release`" + `)
built with ` + "`--target`" + ` by scripts the editor cannot see, and a warning on each
would nag their authors on every open. Name those stages in
` + "`stagehand.targets`" + ` to make the hint go away, or raise the rule to ` + "`warning`" + ` in
projects that build only the last stage.

The fix removes the stage, and with it the stages that use it (unused as
well), so that no reference is left naming a stage that is gone; an index in
` + "`COPY --from=N`" + ` that counts past a removed stage is lowered to name the same
stage.`,
	Bad: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM golang:1.23 AS lint
RUN go vet ./...

FROM alpine
COPY --from=build /app /app
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM alpine
COPY --from=build /app /app
`,
	Run: runUnusedStage,
})

func runUnusedStage(p *Pass) {
	ix := p.Index
	n := ix.StageCount()
	if n < 2 {
		return
	}
	var names []string
	var contexts []analysis.NamedContext
	if p.Config != nil {
		names, contexts = p.Config.Targets, p.Config.Contexts
	}
	m := ix.Model()
	reached := m.ReachableIn(ix.BuildTargets(names), contexts)
	if p.Config != nil {
		// A stage is used when some build reaches it with the contexts
		// that build gives.
		for _, b := range p.Config.Builds {
			for s, r := range m.ReachableIn(b.Stages(ix), b.Contexts) {
				reached[s] = reached[s] || r
			}
		}
	}
	stages := ix.Stages()
	var numeric []analysis.StageRef // the numeric --from references, which removals renumber
	numericRead := false
	var removals map[int]stageRemoval // each stage's removal, read once for every fix removing it
	for s := 0; s < n; s++ {
		if reached[s] {
			continue
		}
		st := stages.At(s)
		if st.Base == "" {
			continue // a FROM without a base is an instruction error already
		}
		if c, ok := m.ReplacedBy(s, contexts); ok {
			// A build without the context still builds the stage: no
			// removal, and no nudge towards one.
			p.Reportf(st.Span, nil, "Stage %q is never built: the named build context `%s` (%s) replaces it, so BuildKit runs none of its instructions", st.Name, c.Name, c.Source)
			continue
		}
		var msg string
		if st.Name != "" {
			msg = fmt.Sprintf("Stage %q is never built: no target reaches it. Build it with `docker build --target %s`, or add it to the stagehand.targets setting if a script does", st.Name, st.Name)
		} else {
			msg = fmt.Sprintf("%s is never built: no target reaches it, and it has no name to be built with --target", ix.StageLabel(s))
		}
		var fixes []Fix
		if !numericRead {
			for _, r := range m.Refs() {
				if r.Numeric && r.Kind == analysis.RefCopyFrom {
					numeric = append(numeric, r)
				}
			}
			numericRead = true
		}
		if removals == nil {
			removals = map[int]stageRemoval{}
		}
		if f, ok := removeStageFix(p, s, contexts, numeric, removals); ok {
			fixes = []Fix{f}
		}
		p.Reportf(st.Span, fixes, "%s", msg)
	}
}

// removeStageFix removes stage s and, so that no reference is left
// dangling, every stage that uses it, directly or not (all unused too, or s
// would be built); numbers in `--from=N` that count past a removed stage
// are lowered to keep naming the same stage, in ONBUILD triggers too when
// a stage of the file runs them (numeric holds the model's numeric
// `--from` references, in order). ok is false, and no fix is offered, when
// such a number is written in a way an edit cannot safely rewrite (over a
// continuation line, or quoted in pieces; a quoted number is rewritten
// inside its quotes),
// or when a stage to remove is one a named context replaces: its users
// reach the context, not it, and may well be built. removals keeps each
// stage's removal for the other fixes of the run.
func removeStageFix(p *Pass, s int, contexts []analysis.NamedContext, numeric []analysis.StageRef, removals map[int]stageRemoval) (fix Fix, ok bool) {
	ix := p.Index
	m := ix.Model()
	removed := map[int]bool{s: true}
	work := []int{s}
	for len(work) > 0 {
		t := work[len(work)-1]
		work = work[:len(work)-1]
		for _, u := range m.Users(t) {
			if !removed[u] {
				removed[u] = true
				work = append(work, u)
			}
		}
	}
	order := make([]int, 0, len(removed))
	for t := range removed {
		order = append(order, t)
	}
	slices.Sort(order)
	// A stage of the chain is removed by the same edit, under the same
	// name, in every fix that removes it: each is read once a run.
	removal := func(t int) stageRemoval {
		if r, ok := removals[t]; ok {
			return r
		}
		var r stageRemoval
		if _, r.replaced = m.ReplacedBy(t, contexts); !r.replaced {
			e := deleteStage(p.Doc(), ix.Stage(t).Span)
			e.Span.Start = docCommentStart(ix, ix.Stage(t).First, e.Span.Start)
			r.edit, r.name = keepDirectives(p.Doc(), e), stageName(ix, t)
		}
		removals[t] = r
		return r
	}
	edits := make([]analysis.Edit, 0, len(order))
	for _, t := range order {
		r := removal(t)
		if r.replaced {
			return Fix{}, false
		}
		edits = append(edits, r.edit)
	}
	// An ONBUILD trigger's reference is listed once per stage running it,
	// all at one span: renumber it once.
	renumbered := map[analysis.Span]bool{}
	for _, r := range numeric {
		if removed[r.Stage] || r.Target < 0 || renumbered[r.Span] {
			continue
		}
		shift, _ := slices.BinarySearch(order, r.Target)
		if shift == 0 {
			continue
		}
		if p.Text(r.Span) != r.Value {
			return Fix{}, false
		}
		renumbered[r.Span] = true
		edits = append(edits, replace(r.Span, strconv.Itoa(r.Target-shift)))
	}
	slices.SortFunc(edits, func(a, b analysis.Edit) int { return a.Span.Start - b.Span.Start })
	title := "Remove unused stage " + removal(s).name
	if len(order) > 1 {
		var names []string
		for _, t := range order {
			if t != s {
				names = append(names, removal(t).name)
			}
		}
		title += " and the unused stages that use it (" + strings.Join(names, ", ") + ")"
	}
	return Fix{Title: title, Edits: edits}, true
}

// docCommentStart returns the start of the comments BuildKit attaches to
// instruction first, a stage's FROM (Index.Comments: its description and
// `# check=` comments, whatever they say), or off when it has none, or
// they start after it. Parser directives are not among them: removing a
// stage with its comments keeps a `# key=value` comment from becoming the
// file's first lines, where BuildKit would read it as a directive, and
// leaves no comment of its behind for the next stage to take as its own.
// stageRemoval is what removing one stage takes: the edit deleting it
// (with its comments, keeping the parser directives) and its name for the
// fix's title; replaced when a named context replaces the stage, which a
// build without the context still builds, so nothing removes it.
type stageRemoval struct {
	edit     analysis.Edit
	name     string
	replaced bool
}

func docCommentStart(ix *analysis.Index, first, off int) int {
	cs := ix.Comments(first)
	if len(cs) == 0 {
		return off
	}
	return min(off, analysis.LineStartPastBOM(ix.Doc, ix.Doc.LineOf(cs[0].Span.Start)))
}
