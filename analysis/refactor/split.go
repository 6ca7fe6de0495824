package refactor

import (
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// mayNameStage reports whether a reference built from variables could
// name a stage: its literal text has none of the ':', '/' and '@' that an
// image reference has and a stage name cannot (`node:${VERSION}` is an
// image whatever the ARG holds).
func mayNameStage(v string) bool {
	var lit strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '$' && i+1 < len(v) && v[i+1] == '{':
			depth := 0
			for ; i < len(v); i++ {
				if v[i] == '{' {
					depth++
				} else if v[i] == '}' {
					if depth--; depth == 0 {
						break
					}
				}
			}
		case v[i] == '$':
			for i+1 < len(v) && (v[i+1] == '_' || 'a' <= v[i+1]|0x20 && v[i+1]|0x20 <= 'z' || '0' <= v[i+1] && v[i+1] <= '9') {
				i++
			}
		default:
			lit.WriteByte(v[i])
		}
	}
	return !strings.ContainsAny(lit.String(), ":/@")
}

// partKind names what instructions [from, to) do, for the stage that
// holds them: "deps" when they install dependencies, "system" when they
// install system packages, "source" when they copy the build context,
// else "setup".
func partKind(ix *analysis.Index, from, to int) string {
	deps, system, source := false, false, false
	for i := from; i < to; i++ {
		n := ix.Node(i)
		switch n.Cmd {
		case "copy", "add":
			source = source || n.Flag("from") == nil
		case "run":
			d, s := analysis.RunKinds(ix, i)
			deps, system = deps || d, system || s
		}
	}
	switch {
	case deps:
		return "deps"
	case system:
		return "system"
	case source:
		return "source"
	}
	return "setup"
}

// SplitStage cuts the stage holding instruction i in two before i. The
// first part becomes a stage of its own with a fresh name; the second
// starts FROM it and keeps the stage's name, so every reference still
// reaches the whole stage. The second part inherits the ARG and ENV values
// of the first (BuildKit keeps ARG values in the state a stage built FROM
// it starts with), and numeric references to the stage or later ones are
// renumbered. It returns nil and the reason when
// the split does not apply.
func SplitStage(ix *analysis.Index, i int, reserved ...string) ([]analysis.Edit, string) {
	s := ix.StageOf(i)
	if s < 0 {
		return nil, "not inside a stage"
	}
	st := ix.Stage(s)
	if i <= st.First+1 {
		return nil, "the first part would hold only FROM"
	}
	from := ix.Node(st.First)
	if from.Base() == nil {
		return nil, "FROM names no base"
	}
	cmdSet := false
	for j := st.First + 1; j < i; j++ {
		n := ix.Node(j)
		switch n.Cmd {
		case "onbuild":
			return nil, "the first part holds ONBUILD triggers, which would fire in the second"
		case "cmd":
			cmdSet = true
		}
	}
	// BuildKit clears the CMD at an ENTRYPOINT unless the same stage set
	// it: a CMD of the first part would be lost.
	for j := i; j < st.End && cmdSet; j++ {
		switch ix.Node(j).Cmd {
		case "cmd":
			cmdSet = false
		case "entrypoint":
			return nil, "an ENTRYPOINT of the second part would clear the CMD of the first"
		}
	}
	for _, ref := range ix.Refs() {
		// A FROM names stages by name only, which the split keeps: only a
		// --from or mount from= built from variables may hold an index.
		if ref.Resolution == analysis.ResolvesVariable && ref.Kind != analysis.RefFrom && ref.Stage > s && mayNameStage(ref.Value) {
			return nil, "a later stage names a stage through a variable, which the split could renumber"
		}
	}

	// The first part is named after what it does; the second keeps the
	// stage's name, or stays unnamed (references by index are renumbered).
	kind := partKind(ix, st.First+1, i)
	second, first := st.Name, ""
	if st.Name != "" {
		first = freshName(ix, strings.ToLower(st.Name)+"-"+kind, reserved...)
	} else {
		first = freshName(ix, kind, reserved...)
	}
	if first == "" {
		return nil, "no valid stage name can be derived from " + st.Name
	}

	doc := ix.Doc
	nl := eol(doc)
	var edits []analysis.Edit
	if st.Name != "" {
		edits = append(edits, analysis.Edit{Span: st.NameSpan, Text: first})
	} else {
		end := from.Abs(from.Base().Span).End
		edits = append(edits, analysis.Edit{Span: analysis.Span{Start: end, End: end}, Text: " " + keyword(from, "AS") + " " + first})
	}
	prev := ix.Node(i - 1)
	at := doc.LineEnd(doc.LineOf(prev.Start + prev.Len))
	as := keyword(from, "AS")
	if from.As() != nil {
		as = from.As().Value
	}
	text := nl + nl
	if second != "" {
		// The stage's description and check settings go with the name:
		// copied above the second part, as a line removed above the first
		// could let a `# check=` below it become a directive.
		for _, c := range carriedComments(ix, st.First, second) {
			text += c + nl
		}
	}
	text += from.Keyword.Value + " " + first
	if second != "" {
		text += " " + as + " " + second
	}
	edits = append(edits, analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: text})
	renumbered := map[analysis.Span]bool{}
	for _, ref := range ix.Refs() {
		// Only COPY --from counts stages by number: a mount's from=0 names
		// the image "0" (BuildKit looks mounts up by name), which stays.
		// An ONBUILD trigger's reference comes once per stage that runs
		// it, and is rewritten once.
		if !ref.Numeric || ref.Kind != analysis.RefCopyFrom || renumbered[ref.Span] {
			continue
		}
		if v, err := strconv.Atoi(ref.Value); err == nil && v >= s {
			renumbered[ref.Span] = true
			edits = append(edits, analysis.Edit{Span: ref.Span, Text: strconv.Itoa(v + 1)})
		}
	}
	return analysis.SortEdits(edits), ""
}
