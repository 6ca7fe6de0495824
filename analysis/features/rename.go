package features

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// RenameError is why a rename cannot be done, worded for the person who
// asked for it.
type RenameError struct{ Message string }

func (e *RenameError) Error() string { return e.Message }

func refuse(format string, args ...any) error {
	return &RenameError{Message: fmt.Sprintf(format, args...)}
}

// PrepareRename returns the span of the name at off that a rename would
// change, and the name itself, or why nothing there can be renamed.
func PrepareRename(ix *analysis.Index, off int) (analysis.Span, string, error) {
	return PrepareRenameIn(ix, off, nil)
}

// PrepareRenameIn is PrepareRename for a file the builds build: a
// variable use names what some build state reaching its stage resolves
// it to.
func PrepareRenameIn(ix *analysis.Index, off int, builds []analysis.BuildSpec) (analysis.Span, string, error) {
	t, ok := referentIn(ix, off, builds)
	if !ok {
		if u, _, ok := ix.VarUseAt(off); ok {
			if analysis.IsBuiltinArg(u.Name.Value) {
				return analysis.Span{}, "", refuse("%s is predefined by BuildKit and cannot be renamed", u.Name.Value)
			}
			return analysis.Span{}, "", refuse("$%s is not declared here, so there is nothing to rename", u.Name.Value)
		}
		return analysis.Span{}, "", refuse("there is no stage or variable name here to rename")
	}
	if t.Kind == analysis.ReferentVar {
		return t.At, t.Var.Decl.Name.Value, nil
	}
	st := ix.Stage(t.Stage)
	if st.Name == "" {
		return analysis.Span{}, "", refuse("stage %d (%s) has no name to rename; give it one with `AS name` on its FROM line", t.Stage, st.Base)
	}
	if t.Numeric || len(t.Candidates) > 0 {
		// The index or the pattern stays as written; the rename is of the
		// stage's name (for a pattern, the stage the defaults pick).
		return t.At, st.Name, nil
	}
	if err := writtenInPieces(ix, t.At, ix.Doc.Slice(t.At)); err != nil {
		return analysis.Span{}, "", err
	}
	return t.At, ix.Doc.Slice(t.At), nil
}

// writtenInPieces refuses to rename the stage reference v written at sp
// when its text is not the name in one piece: split over continuation
// lines (BuildKit joins the lines), or quoted in parts. Replacing the
// pieces would also drop the line breaks and comments between them.
func writtenInPieces(ix *analysis.Index, sp analysis.Span, v string) error {
	text := ix.Doc.Slice(sp)
	if strings.Contains(text, "$") && !strings.Contains(v, "$") {
		return refuse("cannot rename: %s on line %d gives %q through its variables; edit it by hand", text, ix.Doc.LineOf(sp.Start)+1, v)
	}
	if strings.ContainsAny(text, "\n\"'") || len(text) != len(v) {
		return refuse("cannot rename: the reference to %q on line %d is split over continuation lines or quoted in pieces; join them first", v, ix.Doc.LineOf(sp.Start)+1)
	}
	return nil
}

// Rename returns the edits that rename the stage or variable at off to
// newName, in document order, or why it cannot be done: a name BuildKit
// would reject, one another stage or variable already has, or one that
// would change what another reference means. Every reference is rewritten
// whatever its casing; numeric stage references stay as they are. It stops
// with ctx's error once ctx is cancelled: a variable used 100,000 times is
// checked use by use.
func Rename(ctx context.Context, ix *analysis.Index, off int, newName string) ([]analysis.Edit, error) {
	return RenameIn(ctx, ix, off, newName, nil)
}

// RenameIn is Rename for a file the builds build: a variable is renamed
// where it is named in each build state reaching its stage (a use in a
// stage built FROM a stage a context replaces is not the replaced
// stage's variable in the builds giving the context), and refused when
// any of them refuses.
func RenameIn(ctx context.Context, ix *analysis.Index, off int, newName string, builds []analysis.BuildSpec) ([]analysis.Edit, error) {
	if _, _, err := PrepareRenameIn(ix, off, builds); err != nil {
		return nil, err
	}
	states := statesAt(ix, off, builds)
	var edits []analysis.Edit
	seen := map[analysis.Span]bool{}
	for _, b := range states {
		t, ok := b.ReferentAt(off)
		if !ok {
			continue
		}
		if t.Kind == analysis.ReferentStage {
			return renameStage(ix, t.Stage, newName)
		}
		more, err := renameVar(ctx, b, ix, t.Var, newName)
		if err != nil || len(states) == 1 {
			return more, err
		}
		for _, e := range more {
			if !seen[e.Span] {
				seen[e.Span] = true
				edits = append(edits, e)
			}
		}
	}
	slices.SortFunc(edits, func(a, b analysis.Edit) int { return a.Span.Start - b.Span.Start })
	return edits, nil
}

// referentIn is what the name at off stands for in the first build state
// reaching its stage that gives it a meaning.
func referentIn(ix *analysis.Index, off int, builds []analysis.BuildSpec) (analysis.Referent, bool) {
	for _, b := range statesAt(ix, off, builds) {
		if t, ok := b.ReferentAt(off); ok {
			return t, true
		}
	}
	return analysis.Referent{}, false
}

func renameStage(ix *analysis.Index, s int, newName string) ([]analysis.Edit, error) {
	if err := analysis.CheckStageName(newName); err != nil {
		return nil, &RenameError{Message: "cannot rename: " + err.Error()}
	}
	// The RUN mounts without from= in later stages use the stage named
	// scratch: renamed, it would no longer be what they mount (or build).
	// (Before it, a cache mount fails the build: the rename repairs it.)
	if m := ix.Model(); s == m.ScratchStage() {
		for u := s + 1; u < ix.StageCount(); u++ {
			if m.MountsWithoutFrom(u) {
				label := ix.StageLabel(u)
				if ix.Stage(u).Name != "" {
					label = "stage " + label
				}
				return nil, refuse("cannot rename: the RUN mounts without from= in %s (line %d) use the stage named scratch, as BuildKit looks their default up as a stage name, and would no longer after the rename", label, ix.Doc.LineOf(ix.Stage(u).Span.Start)+1)
			}
		}
	}
	lower := strings.ToLower(newName)
	for _, st := range ix.Stages().All() {
		if st.Index != s && st.LowerName() == lower {
			return nil, refuse("cannot rename: stage %q on line %d already has the name %q", st.Name, ix.Doc.LineOf(st.NameSpan.Start)+1, newName)
		}
	}
	for _, r := range ix.Refs() {
		if r.Numeric || r.Stage <= s || strings.ToLower(r.Value) != lower || r.Target == s {
			continue
		}
		return nil, refuse("cannot rename: %q on line %d names an image, and would then name this stage instead", r.Value, ix.Doc.LineOf(r.Span.Start)+1)
	}
	var edits []analysis.Edit
	for _, o := range stageOccurrences(ix, s) {
		if o.Numeric {
			continue
		}
		text := newName
		if r, ok := ix.RefAt(o.Span.Start); ok && r.Span == o.Span {
			if err := writtenInPieces(ix, r.Span, r.Value); err != nil {
				return nil, err
			}
			if r.Pattern >= 0 {
				v, err := renamePattern(ix, r, s, newName)
				if err != nil {
					return nil, err
				}
				if v == r.Value {
					continue
				}
				text = v
			} else if r.Kind == analysis.RefFrom {
				// BuildKit compares a FROM base exactly with the lower-cased
				// stage names.
				text = lower
			}
		}
		edits = append(edits, analysis.Edit{Span: o.Span, Text: text})
	}
	return edits, nil
}

// stageOccurrences returns the places stage s is named.
func stageOccurrences(ix *analysis.Index, s int) []analysis.Occurrence {
	occ, _ := ix.Occurrences(context.Background(), analysis.Referent{Kind: analysis.ReferentStage, Stage: s})
	return occ
}

func renameVar(ctx context.Context, b analysis.Build, ix *analysis.Index, root analysis.VarSite, newName string) ([]analysis.Edit, error) {
	if !analysis.IsShellName(newName) {
		return nil, refuse("cannot rename: %q is not a valid variable name: it must start with a letter or '_' and contain only letters, digits and '_'", newName)
	}
	if analysis.IsBuiltinArg(newName) {
		return nil, refuse("cannot rename: %s is predefined by BuildKit", newName)
	}
	occ, err := b.Occurrences(ctx, analysis.Referent{Kind: analysis.ReferentVar, Var: root})
	if err != nil {
		return nil, err
	}
	if newName == root.Decl.Name.Value {
		return nil, nil
	}
	// A declaration of newName where an occurrence stands, or where one of
	// its uses would then resolve, would capture the renamed variable.
	for i, o := range occ {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		n, ok := ix.NodeAt(o.Span.Start)
		if !ok {
			continue
		}
		if site, ok := b.ResolveVar(n.Index, newName); ok {
			return nil, refuse("cannot rename: %s is already declared on line %d, in scope at line %d", newName, ix.Doc.LineOf(site.NameSpan.Start)+1, ix.Doc.LineOf(o.Span.Start)+1)
		}
	}
	if g, ok := ix.GlobalArg(newName); ok && ix.StageOf(root.Instruction) < 0 {
		return nil, refuse("cannot rename: %s is already declared on line %d", newName, ix.Doc.LineOf(g.NameSpan.Start)+1)
	}
	// A renamed declaration must not capture a later use of newName that
	// resolves elsewhere now: in its stage, or (for ENV) in the stages
	// built on it.
	for i, o := range occ {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !o.Decl {
			continue
		}
		if line, ok := captures(b, ix, o.Span.Start, newName); ok {
			return nil, refuse("cannot rename: $%s on line %d would then refer to this variable instead", newName, line)
		}
	}
	edits := make([]analysis.Edit, 0, len(occ))
	for _, o := range occ {
		edits = append(edits, analysis.Edit{Span: o.Span, Text: newName})
	}
	return edits, nil
}

// captures reports the line of a use of name, after the declaration at
// off, that a declaration of name there would capture.
func captures(b analysis.Build, ix *analysis.Index, off int, name string) (int, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return 0, false
	}
	s := ix.StageOf(n.Index)
	env := n.Cmd == "env"
	for i := n.Index + 1; i < ix.Len(); i++ {
		m := ix.Node(i)
		t := ix.StageOf(i)
		switch {
		case s < 0 && t >= 0 && m.Cmd != "from":
			continue // a global ARG reaches stages only through their own ARG
		case s >= 0 && t != s && !(env && ix.BuiltOn(t, s)):
			continue
		}
		for _, u := range ix.UsesOf(m) {
			if u.Name.Value != name {
				continue
			}
			// A declaration of name between the two keeps the use.
			if r, ok := b.ResolveVar(i, name); !ok || r.NameSpan.Start < off {
				return ix.Doc.LineOf(m.Abs(u.Span).Start) + 1, true
			}
		}
	}
	return 0, false
}

// renamePattern returns the text a reference built from variables takes
// when stage s is renamed to newName (see analysis.Index.RenamedPattern),
// or why the rename would change what it names.
func renamePattern(ix *analysis.Index, r analysis.StageRef, s int, newName string) (string, error) {
	next, ok := ix.RenamedPattern(r, s, newName)
	if !ok {
		line := ix.Doc.LineOf(r.Span.Start) + 1
		return "", refuse("cannot rename: %q on line %d reaches stage %q through its variables, and would no longer reach it (or would pick another stage by default) after the rename", r.Value, line, ix.Stage(s).Name)
	}
	return next, nil
}
