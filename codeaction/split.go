package codeaction

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// splitStage offers "Split stage here" on an instruction inside a stage.
func splitStage(r *Request) ([]Action, string) {
	ix := r.Index
	n, ok := ix.NodeAt(r.Span.Start)
	if !ok {
		return nil, "no instruction here"
	}
	edits, reason := SplitStage(ix, n.Index)
	if edits == nil {
		return nil, reason
	}
	st := ix.Stage(ix.StageOf(n.Index))
	return []Action{{
		Title: fmt.Sprintf("Split stage %s before line %d", ix.StageLabel(st.Index), ix.Doc.LineOf(n.Start)+1),
		Kind:  SplitStageKind,
		ID:    "splitStage:" + strconv.Itoa(n.Index),
		Edits: edits,
	}}, ""
}

// SplitStage cuts the stage holding instruction i in two before i. The
// first part becomes a stage of its own with a fresh name; the second
// starts FROM it and keeps the stage's name, so every reference still
// reaches the whole stage. The second part declares again the ARGs of the
// first, whose values do not cross FROM, and numeric references to the
// stage or later ones are renumbered. It returns nil and the reason when
// the split does not apply.
func SplitStage(ix *analysis.Index, i int) ([]analysis.Edit, string) {
	s := ix.StageOf(i)
	if s < 0 {
		return nil, "not inside a stage"
	}
	st := ix.Stage(s)
	if i <= st.First+1 {
		return nil, "the first part would hold only FROM"
	}
	from := ix.Node(st.First)
	if from.Base == nil {
		return nil, "FROM names no base"
	}
	var args []string
	cmdSet := false
	for j := st.First + 1; j < i; j++ {
		n := ix.Node(j)
		switch n.Cmd {
		case "onbuild":
			return nil, "the first part holds ONBUILD triggers, which would fire in the second"
		case "arg":
			args = append(args, ix.Doc.Slice(n.Span()))
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
		if ref.Resolution == analysis.ResolvesVariable && ref.Stage > s {
			return nil, "a later stage names a stage through a variable, which the split could renumber"
		}
	}

	var first, second string
	if st.Name != "" {
		second = st.Name
		first = freshName(ix, strings.ToLower(st.Name)+"-base")
	} else {
		second = freshName(ix, "stage-"+strconv.Itoa(s))
		first = freshName(ix, second+"-base", second)
	}
	if first == "" || second == "" {
		return nil, "no valid stage name can be derived from " + st.Name
	}

	doc := ix.Doc
	nl := eol(doc)
	var edits []analysis.Edit
	if st.Name != "" {
		edits = append(edits, analysis.Edit{Span: st.NameSpan, Text: first})
	} else {
		end := from.Abs(from.Base.Span).End
		edits = append(edits, analysis.Edit{Span: analysis.Span{Start: end, End: end}, Text: " " + keyword(from, "AS") + " " + first})
	}
	prev := ix.Node(i - 1)
	at := doc.LineEnd(doc.LineOf(prev.Start + prev.Len))
	as := keyword(from, "AS")
	if from.As != nil {
		as = from.As.Value
	}
	text := nl + nl + from.Keyword.Value + " " + first + " " + as + " " + second
	for _, a := range args {
		text += nl + a
	}
	edits = append(edits, analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: text})
	for _, ref := range ix.Refs() {
		if !ref.Numeric || ref.Kind == analysis.RefFrom {
			continue
		}
		if v, err := strconv.Atoi(ref.Value); err == nil && v >= s {
			edits = append(edits, analysis.Edit{Span: ref.Span, Text: strconv.Itoa(v + 1)})
		}
	}
	return sortEdits(edits), ""
}
