package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var CopyFromVariable = register(&Rule{
	Name:     "CopyFromVariable",
	Summary:  "`COPY --from=$VAR` fails the build: BuildKit does not expand variables in `--from`.",
	Severity: Error,
	Fails:    true,
	Doc: `Since Dockerfile frontend 1.18, ` + "`COPY --from`" + ` with a variable fails the build
with "variable expansion is not supported for --from". (Older frontends
expanded it.) The rule reports it when the file pins 1.18 or later, a floating
tag such as ` + "`docker/dockerfile:1`" + `, or no frontend at all (the builder's own is
current); a file pinning an older or a custom frontend is not reported.

` + "`FROM`" + ` still expands global ARGs, so the workaround BuildKit suggests is a
stage that names the image or stage by the variable, and ` + "`--from`" + ` pointing at
that stage. The fix does that: it adds ` + "`FROM ${VAR} AS <alias>`" + ` before the stage,
declares the variable as a global ARG when it is not one yet (before the
first ` + "`FROM`" + `, so ` + "`FROM`" + ` can read it), and copies from the alias. When such a
stage exists already, the fix only points ` + "`--from`" + ` at it.`,
	Bad: `ARG BUILDER=golang:1.23
FROM alpine
COPY --from=${BUILDER} /usr/local/go /usr/local/go
`,
	Good: `ARG BUILDER=golang:1.23
FROM ${BUILDER} AS builder

FROM alpine
COPY --from=builder /usr/local/go /usr/local/go
`,
	Run: runCopyFromVariable,
})

func runCopyFromVariable(p *Pass) {
	ix := p.Index
	fe := ix.Frontend()
	if fe.Pinned() && (!fe.Known || fe.Version.Less(analysis.CopyFromVariableError)) {
		return
	}
	for r := range p.Index.Model().VariableRefs(analysis.RefCopyFrom) {
		if r.Kind != analysis.RefCopyFrom || r.Resolution != analysis.ResolvesVariable || r.Stage < 0 {
			continue
		}
		n := ix.Node(r.Instruction)
		if n.Cmd != "copy" {
			continue // ONBUILD COPY resolves in the consuming build
		}
		p.Reportf(r.Span, copyFromVariableFix(p, r, n),
			"Variable expansion is not supported for --from (a build error since docker/dockerfile:%s): define a stage with `FROM %s AS <name>` and copy from it",
			analysis.CopyFromVariableError, r.Value)
	}
}

// copyFromVariableFix adds `FROM <value> AS <alias>` before the stage
// holding reference r (and global ARGs for its variables) and points
// --from at the alias; or only points it at an earlier stage that names
// the same value and does nothing else.
func copyFromVariableFix(p *Pass, r analysis.StageRef, n analysis.Node) []Fix {
	ix := p.Index
	stages := ix.Stages()
	for s := 0; s < r.Stage; s++ {
		if st := stages.At(s); st.Base == r.Value && st.Name != "" && st.End == st.First+1 {
			return fix("Copy from stage "+st.Name, true, replace(r.Span, st.Name))
		}
	}
	alias := freshStageName(ix, aliasFor(n, r, p.Text(r.Span)))
	kw := func(w string) string { return matchCase(w, n.Keyword.Value) }
	nl := analysis.Newline(ix.Doc)

	var args strings.Builder
	seen := map[string]bool{}
	for _, u := range n.Uses {
		name := u.Name.Value
		if us := n.Abs(u.Span); us.Start < r.Span.Start || us.End > r.Span.End || seen[name] || fromScope(ix, name) {
			continue
		}
		seen[name] = true
		fmt.Fprintf(&args, "%s %s%s%s", kw("ARG"), name, stageDefault(p, r.Stage, r.Instruction, name), nl)
	}
	at := stageBlockStart(ix, r.Stage)
	argsAt := stageBlockStart(ix, 0)
	stage := fmt.Sprintf("%s %s %s %s%s%s", kw("FROM"), r.Value, kw("AS"), alias, nl, nl)
	var edits []analysis.Edit
	if args.Len() > 0 && argsAt != at {
		edits = append(edits, replace(analysis.Span{Start: argsAt, End: argsAt}, args.String()))
		args.Reset()
	}
	edits = append(edits,
		replace(analysis.Span{Start: at, End: at}, args.String()+stage),
		replace(r.Span, alias))
	// The new stage comes before stage r.Stage: a number that counts from
	// there on names the next stage now (ONBUILD triggers' too, once).
	renumbered := map[analysis.Span]bool{}
	for _, o := range ix.Model().Refs() {
		// Only COPY --from counts stages: a mount's from=0 is the image "0".
		if !o.Numeric || o.Kind != analysis.RefCopyFrom || renumbered[o.Span] {
			continue
		}
		v, err := strconv.Atoi(o.Value)
		if err != nil || v < r.Stage {
			continue
		}
		if p.Text(o.Span) != o.Value {
			return nil // a quoted number an edit cannot safely rewrite
		}
		renumbered[o.Span] = true
		edits = append(edits, replace(o.Span, strconv.Itoa(v+1)))
	}
	edits = analysis.SortEdits(edits)
	return fix(fmt.Sprintf("Add stage %s (FROM %s) and copy from it", alias, r.Value), true, edits...)
}

// fromScope reports whether FROM can read name without a declaration: a
// global ARG or a platform ARG BuildKit predefines there.
func fromScope(ix *analysis.Index, name string) bool {
	if analysis.IsBuiltinArg(name) {
		return strings.HasPrefix(name, "BUILD") || strings.HasPrefix(name, "TARGET")
	}
	return isGlobalArg(ix, name)
}

// stageDefault returns `=<default>` of the last ARG name declared in the
// stage before instruction i, when its default is plain text; "" otherwise.
func stageDefault(p *Pass, s, i int, name string) string {
	ix := p.Index
	def := ""
	for k := ix.Stage(s).First + 1; k < i; k++ {
		n := ix.Node(k)
		if n.Cmd != "arg" {
			continue
		}
		for _, d := range n.Decls {
			if d.Name.Value != name {
				continue
			}
			def = ""
			if raw := p.Text(n.Abs(d.Value.Span)); d.HasDefault && !strings.ContainsAny(raw, "$ \t") {
				def = "=" + raw
			}
		}
	}
	return def
}

// stageBlockStart returns where a stage begins for an insertion before
// it: the first line of the comments right above its FROM (no blank line
// between), or the FROM's line.
func stageBlockStart(ix *analysis.Index, s int) int {
	doc := ix.Doc
	first := ix.Stage(s).First
	at := ix.Node(first).Start
	cs := ix.Comments(first)
	for i := len(cs) - 1; i >= 0; i-- {
		if doc.LineOf(cs[i].Span.Start)+1 != doc.LineOf(at) {
			break
		}
		at = analysis.LineStartPastBOM(doc, doc.LineOf(cs[i].Span.Start))
	}
	return at
}

// aliasFor makes a stage name from a --from value: its variables' names
// and literal text, lower case, other characters as dashes.
func aliasFor(n analysis.Node, r analysis.StageRef, v string) string {
	var b strings.Builder
	base := r.Span.Start
	last := 0
	for _, u := range n.Uses {
		us := n.Abs(u.Span)
		if us.Start < r.Span.Start || us.End > r.Span.End || us.Start-base < last {
			continue
		}
		b.WriteString(v[last : us.Start-base])
		b.WriteString(u.Name.Value)
		last = us.End - base
	}
	b.WriteString(v[last:])
	var out []byte
	for _, c := range []byte(strings.ToLower(b.String())) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			out = append(out, c)
		default:
			out = append(out, '-')
		}
	}
	name := strings.Trim(string(out), "-_.")
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		name = "from-" + name
	}
	return strings.TrimRight(name, "-")
}

// freshStageName returns name, or name with a number, so that no stage has
// it and it is not reserved.
func freshStageName(ix *analysis.Index, name string) string {
	try := name
	for k := 2; ix.StageByName(try) >= 0 || isReserved(try); k++ {
		try = fmt.Sprintf("%s-%d", name, k)
	}
	return try
}
