package analysis

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
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
func (ix *Index) PrepareRename(off int) (Span, string, error) {
	t, ok := ix.ReferentAt(off)
	if !ok {
		if u, _, ok := ix.VarUseAt(off); ok {
			if IsBuiltinArg(u.Name.Value) {
				return Span{}, "", refuse("%s is predefined by BuildKit and cannot be renamed", u.Name.Value)
			}
			return Span{}, "", refuse("$%s is not declared here, so there is nothing to rename", u.Name.Value)
		}
		return Span{}, "", refuse("there is no stage or variable name here to rename")
	}
	if t.Kind == ReferentVar {
		return t.At, t.Var.Decl.Name.Value, nil
	}
	st := ix.Stage(t.Stage)
	if st.Name == "" {
		return Span{}, "", refuse("stage %d (%s) has no name to rename; give it one with `AS name` on its FROM line", t.Stage, st.Base)
	}
	if t.Numeric || len(t.Candidates) > 0 {
		// The index or the pattern stays as written; the rename is of the
		// stage's name (for a pattern, the stage the defaults pick).
		return t.At, st.Name, nil
	}
	return t.At, ix.Doc.Slice(t.At), nil
}

// Rename returns the edits that rename the stage or variable at off to
// newName, in document order, or why it cannot be done: a name BuildKit
// would reject, one another stage or variable already has, or one that
// would change what another reference means. Every reference is rewritten
// whatever its casing; numeric stage references stay as they are.
func (ix *Index) Rename(off int, newName string) ([]Edit, error) {
	return ix.RenameContext(context.Background(), off, newName)
}

// RenameContext is Rename that stops with ctx's error once ctx is
// cancelled: a variable used 100,000 times is checked use by use.
func (ix *Index) RenameContext(ctx context.Context, off int, newName string) ([]Edit, error) {
	if _, _, err := ix.PrepareRename(off); err != nil {
		return nil, err
	}
	t, _ := ix.ReferentAt(off)
	if t.Kind == ReferentStage {
		return ix.renameStage(t.Stage, newName)
	}
	return ix.renameVar(ctx, t.Var, newName)
}

func (ix *Index) renameStage(s int, newName string) ([]Edit, error) {
	if err := CheckStageName(newName); err != nil {
		return nil, &RenameError{Message: "cannot rename: " + err.Error()}
	}
	lower := strings.ToLower(newName)
	for _, st := range ix.Stages() {
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
	var edits []Edit
	for _, o := range ix.stageOccurrences(s) {
		if o.Numeric {
			continue
		}
		text := newName
		if r, ok := ix.RefAt(o.Span.Start); ok && r.Span == o.Span {
			if r.Pattern >= 0 {
				v, err := ix.renamePattern(r, s, newName)
				if err != nil {
					return nil, err
				}
				if v == r.Value {
					continue
				}
				text = v
			} else if r.Kind == RefFrom {
				// BuildKit compares a FROM base exactly with the lower-cased
				// stage names.
				text = lower
			}
		}
		edits = append(edits, Edit{Span: o.Span, Text: text})
	}
	return edits, nil
}

var varNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (ix *Index) renameVar(ctx context.Context, root VarSite, newName string) ([]Edit, error) {
	if !varNamePattern.MatchString(newName) {
		return nil, refuse("cannot rename: %q is not a valid variable name: it must start with a letter or '_' and contain only letters, digits and '_'", newName)
	}
	if IsBuiltinArg(newName) {
		return nil, refuse("cannot rename: %s is predefined by BuildKit", newName)
	}
	occ, err := ix.varOccurrences(ctx, root)
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
		if site, ok := ix.ResolveVar(n.Index, newName); ok {
			return nil, refuse("cannot rename: %s is already declared on line %d, in scope at line %d", newName, ix.Doc.LineOf(site.NameSpan.Start)+1, ix.Doc.LineOf(o.Span.Start)+1)
		}
	}
	if g, ok := ix.globalArg(newName, ix.n); ok && ix.StageOf(root.Instruction) < 0 {
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
		if line, ok := ix.captures(o.Span.Start, newName); ok {
			return nil, refuse("cannot rename: $%s on line %d would then refer to this variable instead", newName, line)
		}
	}
	edits := make([]Edit, 0, len(occ))
	for _, o := range occ {
		edits = append(edits, Edit{Span: o.Span, Text: newName})
	}
	return edits, nil
}

// captures reports the line of a use of name, after the declaration at
// off, that a declaration of name there would capture.
func (ix *Index) captures(off int, name string) (int, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return 0, false
	}
	s := ix.StageOf(n.Index)
	env := n.Cmd == "env"
	for i := n.Index + 1; i < ix.n; i++ {
		m := ix.Node(i)
		t := ix.StageOf(i)
		switch {
		case s < 0 && t >= 0 && m.Cmd != "from":
			continue // a global ARG reaches stages only through their own ARG
		case s >= 0 && t != s && !(env && ix.builtOn(t, s)):
			continue
		}
		for _, u := range m.Uses {
			if u.Name.Value != name {
				continue
			}
			// A declaration of name between the two keeps the use.
			if r, ok := ix.ResolveVar(i, name); !ok || r.NameSpan.Start < off {
				return ix.Doc.LineOf(m.Abs(u.Span).Start) + 1, true
			}
		}
	}
	return 0, false
}

// builtOn reports whether stage t is built on stage s, directly or not.
func (ix *Index) builtOn(t, s int) bool {
	for hops := 0; t >= 0 && hops <= len(ix.stages); hops++ {
		t = ix.baseOf(t)
		if t == s {
			return true
		}
	}
	return false
}

// renamePattern returns the text a reference built from variables takes
// when stage s is renamed to newName: its literal parts rewritten when the
// text its variable gives for the old name stands in the new one
// (`base-${ARCH}` for base-amd64 renamed build-amd64 becomes
// `build-${ARCH}`). It refuses when, after the rename, the reference would
// not name the same stages, or the defaults would pick another one.
func (ix *Index) renamePattern(r StageRef, s int, newName string) (string, error) {
	m := ix.Model()
	line := ix.Doc.LineOf(r.Span.Start) + 1
	st := ix.Stage(s)
	oldName := st.LowerName()
	newLower := strings.ToLower(newName)
	value := r.Value
	locs := varInValue.FindAllStringIndex(value, -1)
	next := value
	if re, err := patternRegexp(value, r.Kind); err == nil && len(locs) == 1 {
		if g := re.FindStringSubmatch(oldName); g != nil && g[1] != "" {
			if i := strings.Index(newLower, g[1]); i >= 0 {
				lit := newName
				if r.Kind == RefFrom {
					lit = newLower
				}
				next = lit[:i] + value[locs[0][0]:locs[0][1]] + lit[i+len(g[1]):]
			}
		}
	}
	// The stages it names, and the default, with the new name in place.
	names := make([]string, len(ix.stages))
	byName := map[string][]int{}
	for t := range ix.stages {
		if name := ix.inst(ix.stages[t].first).Name; name != nil {
			names[t] = strings.ToLower(name.Value)
		}
		if t == s {
			names[t] = newLower
		}
		if names[t] != "" {
			byName[names[t]] = append(byName[names[t]], t)
		}
	}
	var before, after []int
	for _, t := range m.patterns[r.Pattern].Stages {
		if t < r.Stage {
			before = append(before, t)
		}
	}
	for _, t := range patternStages(next, r.Kind, names) {
		if t < r.Stage {
			after = append(after, t)
		}
	}
	// The defaults must pick the same stage on every platform.
	same := true
	for _, platform := range Platforms {
		var env shell.EnvGetter = m.GlobalArgs(platform)
		if r.Kind != RefFrom {
			env = m.State(r.Instruction).env
		}
		def := -1
		if v, _, err := shell.NewLex(rune(ix.Escape)).ProcessWord(next, env); err == nil && v != "" {
			if res, t := resolve(Ref{Kind: r.Kind, Value: Token{Value: v}, Numeric: r.Kind != RefFrom && isNumber(v)}, r.Stage, len(ix.stages), byName); res == ResolvesStage {
				def = t
			}
		}
		if _, old := m.ResolveWith(r, platform); old != def {
			same = false
		}
	}
	if !slices.Equal(before, after) || !same {
		return "", refuse("cannot rename: %q on line %d reaches stage %q through its variables, and would no longer reach it (or would pick another stage by default) after the rename", value, line, st.Name)
	}
	return next, nil
}
