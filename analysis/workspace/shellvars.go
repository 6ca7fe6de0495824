package workspace

import (
	"maps"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/analysis"
)

// shellVars follows a script's variables in the order its commands run:
// their values and which of them it exports, which is what a command it
// runs (make, reading TARGET from its environment) finds there. A
// subshell's changes end with it; an assignment inside an if, case or loop
// may or may not run, so its values join those before instead of
// replacing them.
type shellVars struct {
	vals      map[string][]value
	exported  map[string]bool
	unset     map[string]bool // unset here: not in the environment, whatever the caller's
	allexport bool            // `set -a`: every assignment exports
	// sourced are the values the files the code sources (`. ./.env`)
	// give, wherever it reads them.
	sourced map[string][]value
	branch  int // depth of the conditional bodies being walked
	// cwd is where the code's cd left the shell, for the code run after
	// it in the same shell (a GitLab job's later lines); "" when no cd
	// moved it.
	cwd string
}

// newShellVars is the state before any statement; its maps are made on
// the first change (most code changes no variable of its own).
func newShellVars() shellVars { return shellVars{} }

// init makes the maps, for a change.
func (sv *shellVars) init() {
	if sv.vals == nil {
		sv.vals, sv.exported, sv.unset, sv.sourced = map[string][]value{}, map[string]bool{}, map[string]bool{}, map[string][]value{}
	}
}

// clone is a copy for a subshell to change.
func (sv shellVars) clone() shellVars {
	sv.vals, sv.exported, sv.unset = maps.Clone(sv.vals), maps.Clone(sv.exported), maps.Clone(sv.unset)
	return sv
}

// set gives name the values vals (added to the ones before in a
// conditional body), exporting it when export is set.
func (sv *shellVars) set(name string, vals []value, export bool) {
	sv.init()
	if sv.branch > 0 {
		vals = append(append([]value(nil), sv.vals[name]...), vals...)
	}
	sv.vals[name] = vals
	if sv.branch == 0 {
		delete(sv.unset, name)
	}
	if export || sv.allexport {
		sv.exported[name] = true
	}
}

// env returns the values a variable the script exports has in the
// environment of the commands it runs now; decided is false when the
// script leaves it to the caller's environment (not exported, or
// exported without a value of the script's). A variable it unset has
// none.
func (sv *shellVars) env(name string) (vals []value, decided bool) {
	if sv.unset[name] {
		return nil, true
	}
	if !sv.exported[name] || len(sv.vals[name]) == 0 {
		return nil, false
	}
	return sv.vals[name], true
}

// follow takes into account a statement's effect on the variables: an
// assignment (`TARGET=e2e`), export, declare -x, unset, set -a/+a. It
// reports whether n was such a statement (a command to run otherwise).
func (e *evaluator) follow(n syntax.Node) bool {
	sv := &e.sh
	switch n := n.(type) {
	case *syntax.CallExpr:
		if len(n.Args) == 0 {
			for _, a := range n.Assigns {
				if a.Name != nil && a.Value != nil && !a.Append {
					sv.set(a.Name.Value, e.word(a.Value).values, false)
				}
			}
			return true
		}
		name, ok := analysis.LiteralWord(n.Args[0])
		if !ok {
			return false
		}
		switch name {
		case ".", "source":
			e.source(n)
			return true
		case "unset":
			sv.init()
			for _, w := range n.Args[1:] {
				if v, ok := analysis.LiteralWord(w); ok && !strings.HasPrefix(v, "-") {
					if sv.branch == 0 {
						delete(sv.vals, v)
						delete(sv.exported, v)
						sv.unset[v] = true
					}
				}
			}
			return true
		case "set":
			for i, w := range n.Args[1:] {
				v, _ := analysis.LiteralWord(w)
				on := strings.HasPrefix(v, "-")
				switch {
				case (on || strings.HasPrefix(v, "+")) && !strings.HasPrefix(v[1:], "-") && strings.Contains(v[1:], "a"):
					sv.allexport = on
				case (v == "-o" || v == "+o") && i+2 < len(n.Args):
					if o, _ := analysis.LiteralWord(n.Args[i+2]); o == "allexport" {
						sv.allexport = v == "-o"
					}
				}
			}
			return true
		}
	case *syntax.DeclClause:
		if n.Variant == nil {
			return false
		}
		export := n.Variant.Value == "export"
		for _, a := range n.Args {
			if a.Name == nil && a.Value != nil {
				// An option: declare -x, typeset -x.
				if v, ok := analysis.LiteralWord(a.Value); ok && strings.HasPrefix(v, "-") && strings.Contains(v, "x") {
					export = export || n.Variant.Value == "declare" || n.Variant.Value == "typeset"
				}
			}
		}
		if n.Variant.Value == "local" || n.Variant.Value == "nameref" {
			return true // a function's own; not followed into its calls
		}
		sv.init()
		for _, a := range n.Args {
			switch {
			case a.Name == nil:
			case a.Naked:
				if export {
					sv.exported[a.Name.Value] = true
				}
			case a.Value != nil && !a.Append:
				sv.set(a.Name.Value, e.word(a.Value).values, export)
			}
		}
		return true
	}
	return false
}

// source follows `. ./.env` or `source .env`: a file of NAME=value lines
// (a .env, as scripts source them before make) sets its variables, each
// value where the file writes it; `export NAME=value` lines, or any under
// `set -a`, export them. Other sourced files (shell code) are not read.
func (e *evaluator) source(call *syntax.CallExpr) {
	if e.env.read == nil || len(call.Args) != 2 {
		return
	}
	lit, ok := analysis.LiteralWord(call.Args[1])
	if !ok || lit == "" {
		return
	}
	p := e.path(lit)
	if e.env.sourced != nil {
		*e.env.sourced = append(*e.env.sourced, p)
	}
	text, ok := e.env.read(p)
	if !ok {
		return
	}
	e.sh.init()
	for _, d := range dotenvEntries(text) {
		if d.value == "" || strings.ContainsAny(d.value, "$`") {
			continue
		}
		v := []value{{text: d.value, span: d.span, file: p}}
		e.sh.set(d.name, v, d.export)
		e.sh.sourced[d.name] = append(e.sh.sourced[d.name], v...)
	}
}

// envWrite is a variable a workflow step sets for the job's later steps
// (`echo "NAME=value" >> "$GITHUB_ENV"`): its values, none when the code
// does not tell them; maybe is set when it is written in a conditional,
// whose values join those before instead of replacing them.
type envWrite struct {
	name   string
	values []value
	maybe  bool
}

// githubEnv follows a statement writing to $GITHUB_ENV: an echo of
// `NAME=value` or a `{ ...; }` block of them, sent there by a redirection
// or through `| tee -a "$GITHUB_ENV"`, and `cat >> "$GITHUB_ENV" <<EOF`
// with a line `NAME=value` each.
func (e *evaluator) githubEnv(st *syntax.Stmt) {
	if e.env.githubEnv == nil {
		return
	}
	writer := st
	if !slices.ContainsFunc(st.Redirs, writesGitHubEnv) {
		pipe, ok := st.Cmd.(*syntax.BinaryCmd)
		if !ok || pipe.Op != syntax.Pipe || !teesGitHubEnv(pipe.Y) {
			return
		}
		writer = pipe.X
	}
	stmts := []*syntax.Stmt{writer}
	if block, ok := writer.Cmd.(*syntax.Block); ok {
		stmts = block.Stmts
	}
	for _, st := range stmts {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			continue
		}
		cmd, _ := analysis.LiteralWord(call.Args[0])
		if cmd == "cat" && len(call.Args) == 1 {
			e.githubEnvHeredoc(st)
			continue
		}
		if len(call.Args) != 2 || cmd != "echo" {
			continue
		}
		w := e.word(call.Args[1])
		// The name is literal; the value's span is that of the text after
		// its `=`, exact when the word is literal.
		lead := w.lit
		if !w.isLit && len(w.leads) > 0 {
			lead = w.leads[0].text
		}
		name, _, ok := strings.Cut(lead, "=")
		if !ok || !analysis.IsShellName(name) {
			continue
		}
		var span analysis.Span
		switch {
		case w.isLit:
			span = w.values[0].span
		case len(w.leads) > 0:
			span = analysis.Span{Start: w.leads[0].span.Start, End: w.span.End}
			if _, quoted := call.Args[1].Parts[len(call.Args[1].Parts)-1].(*syntax.DblQuoted); quoted {
				span.End-- // the closing quote
			}
		default:
			continue
		}
		span.Start = min(span.Start+len(name)+1, span.End)
		var texts []string
		for _, t := range w.texts {
			if v, ok := strings.CutPrefix(t, name+"="); ok {
				texts = append(texts, v)
			}
		}
		vals := computedValues(texts, span)
		if w.isLit && !w.exprs && len(texts) == 1 {
			vals = []value{{text: texts[0], span: span}}
		}
		*e.env.githubEnv = append(*e.env.githubEnv, envWrite{name: name, values: vals, maybe: e.sh.branch > 0})
	}
}

// githubEnvHeredoc follows `cat >> "$GITHUB_ENV" <<EOF`: each line of
// the here-document that reads NAME=value sets NAME; a value the shell
// expands ($, a backquote, under an unquoted delimiter) is not known.
func (e *evaluator) githubEnvHeredoc(st *syntax.Stmt) {
	for _, r := range st.Redirs {
		if r.Op != syntax.Hdoc && r.Op != syntax.DashHdoc || r.Hdoc == nil || r.Word == nil {
			continue
		}
		// A delimiter quoted in any part leaves the body as written.
		quoted := slices.ContainsFunc(r.Word.Parts, func(p syntax.WordPart) bool {
			lit, ok := p.(*syntax.Lit)
			return !ok || strings.Contains(lit.Value, "\\")
		})
		t, end := e.s.text, int(r.Hdoc.End().Offset())
		for pos := int(r.Hdoc.Pos().Offset()); pos < end; {
			lineEnd := end
			if nl := strings.IndexByte(t[pos:end], '\n'); nl >= 0 {
				lineEnd = pos + nl
			}
			start := pos
			if r.Op == syntax.DashHdoc {
				for start < lineEnd && t[start] == '\t' {
					start++
				}
			}
			pos = lineEnd + 1
			name, val, ok := strings.Cut(t[start:lineEnd], "=")
			if !ok || !analysis.IsShellName(name) {
				continue
			}
			var vals []value
			if quoted || !strings.ContainsAny(val, "$`\\") {
				vals = []value{{text: val, span: e.s.span(start+len(name)+1, lineEnd)}}
			}
			*e.env.githubEnv = append(*e.env.githubEnv, envWrite{name: name, values: vals, maybe: e.sh.branch > 0})
		}
	}
}

// teesGitHubEnv reports whether st is `tee [-a] "$GITHUB_ENV"`.
func teesGitHubEnv(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) < 2 {
		return false
	}
	if cmd, _ := analysis.LiteralWord(call.Args[0]); cmd != "tee" {
		return false
	}
	for _, a := range call.Args[1:] {
		if isGitHubEnv(a) {
			return true
		}
		if flag, ok := analysis.LiteralWord(a); !ok || flag != "-a" && flag != "--append" {
			return false
		}
	}
	return false
}

// writesGitHubEnv reports whether r sends the output to $GITHUB_ENV
// (quoted or braced, appended or not).
func writesGitHubEnv(r *syntax.Redirect) bool {
	if r.Op != syntax.AppOut && r.Op != syntax.RdrOut || r.N != nil && r.N.Value != "1" {
		return false
	}
	return isGitHubEnv(r.Word)
}

// isGitHubEnv reports whether w is $GITHUB_ENV, quoted or braced.
func isGitHubEnv(w *syntax.Word) bool {
	if w == nil || len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	p, ok := part.(*syntax.ParamExp)
	return ok && p.Param != nil && p.Param.Value == "GITHUB_ENV" && p.Exp == nil && p.Index == nil && p.Slice == nil && p.Repl == nil && !p.Length && !p.Excl
}
