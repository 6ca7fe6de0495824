package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UndefinedVar = register(&Rule{
	Name:     "UndefinedVar",
	Summary:  "Variables should be defined before their use.",
	Severity: Warning,
	BuildKit: true,
	Doc: `BuildKit expands ` + "`$NAME`" + ` in ` + "`ENV`" + `, ` + "`LABEL`" + `, ` + "`COPY`" + `, ` + "`ADD`" + `, ` + "`WORKDIR`" + `, ` + "`USER`" + `,
` + "`VOLUME`" + `, ` + "`STOPSIGNAL`" + `, ` + "`ARG`" + ` defaults and ` + "`RUN --mount`" + ` options itself (the shell
expands the rest of ` + "`RUN`" + `, ` + "`CMD`" + ` and ` + "`ENTRYPOINT`" + `). A name that no ` + "`ARG`" + ` or ` + "`ENV`" + ` in scope
defines expands to the empty string, usually a typo or a global ` + "`ARG`" + ` not
redeclared in the stage. The message suggests a close name in scope.

Variables may also come from the base image's environment, which Stagehand does
not fetch: in a stage built on an image it reports only names close to one in
scope (likely typos) and global or predefined ARGs not declared again in the
stage (the most common cause); in a stage built on ` + "`scratch`" + ` it reports every
one.
` + "`docker build --check`" + ` knows the image and reports the rest.`,
	Bad: `FROM alpine
ARG VERSION=1.0
COPY app-$VERSON.tar.gz /app/
`,
	Good: `FROM alpine
ARG VERSION=1.0
COPY app-$VERSION.tar.gz /app/
`,
	Run:   runUndefinedVar,
	Scope: PerStage,
})

// expandedBy reports whether BuildKit expands the words of cmd itself.
func expandedBy(cmd string) bool {
	in := analysis.LookupInstruction(cmd)
	return in != nil && in.Expands
}

func runUndefinedVar(p *Pass) {
	ix := p.Index
	stages := ix.Stages()
	b := build(p)
	for _, st := range p.wantedStages() {
		s := st.Index
		var chain []int
		fromImage := false
		for _, n := range p.nodesIn(st.First+1, st.End) {
			i := n.Index
			if len(n.Uses) == 0 || !expandedBy(n.Cmd) {
				continue
			}
			if chain == nil {
				chain = stageChain(p, s)
				fromImage = !strings.EqualFold(stages.At(chain[len(chain)-1]).Base, "scratch")
			}
			var names []string
			var reported map[string]bool
			check := func(name string, span, nameSpan analysis.Span) {
				if reported[name] || name == "PATH" {
					return
				}
				if _, ok := b.ResolveVar(i, name); ok {
					return
				}
				if names == nil {
					// In BuildKit's order (its environment's keys): the
					// image's first, then by the instruction that set each
					// last, oldest first; of two candidates as near, the
					// first is suggested.
					if !fromImage {
						// In an image's stage PATH is one of many variables
						// the image may set: GOPATH is not a typo of it.
						names = append(names, "PATH")
					}
					vars := b.VisibleVars(i) // newest first
					for k := len(vars) - 1; k >= 0; k-- {
						names = append(names, vars[k].Decl.Name.Value)
					}
				}
				m := analysis.Suggest(name, names, true)
				decl, global := globalArgDecl(ix, name)
				if fromImage && m == "" && !global {
					return // the base image may define it
				}
				if reported == nil {
					reported = map[string]bool{}
				}
				reported[name] = true
				// BuildKit's message; why a global ARG is undefined is
				// said at its declaration (at the use for a predefined one).
				d := Diagnostic{Span: span, Message: fmt.Sprintf("Usage of undefined variable '$%s'", name)}
				switch {
				case m != "":
					d.Message += fmt.Sprintf(" (did you mean $%s?)", m)
					d.Fixes = fix("Change to $"+m, true, replace(nameSpan, m))
				case global:
					if decl.End == 0 {
						decl = nameSpan
					}
					d.Related = []Related{{Span: decl, Message: fmt.Sprintf("ARG %s is global, and a stage sees it only after declaring it again with `ARG %s`", name, name)}}
					at := p.Doc().LineStart(p.Doc().LineOf(n.Start))
					d.Fixes = fix("Declare ARG "+name+" in this stage", true, replace(analysis.Span{Start: at, End: at}, "ARG "+name+analysis.Newline(p.Doc())))
				}
				p.Report(d)
			}
			for _, u := range n.Uses {
				if checkedUse(n, u) {
					check(u.Name.Value, n.Abs(u.Span), n.Abs(u.Name.Span))
				}
			}
		}
	}
}

// checkedUse reports whether BuildKit expands the use itself: in RUN only
// the --mount options; in ARG only the defaults.
func checkedUse(n analysis.Node, u analysis.VarUse) bool {
	switch n.Cmd {
	case "run":
		for _, f := range n.Flags {
			if f.Name.Value == "mount" && f.Span.Start <= u.Span.Start && u.Span.End <= f.Span.End {
				return true
			}
		}
		return false
	case "arg":
		for _, d := range n.Decls {
			if d.HasDefault && d.Value.Span.Start <= u.Span.Start && u.Span.End <= d.Value.Span.End {
				return true
			}
		}
		return false
	case "copy", "add":
		if f := n.Flag("from"); f != nil && f.Span.Start <= u.Span.Start && u.Span.End <= f.Span.End {
			return false
		}
	}
	return true
}
