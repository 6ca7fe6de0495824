package rules

import (
	"github.com/stagehand-ls/stagehand/analysis"
)

// isGlobalArg reports whether name is declared before the first FROM or
// predefined by BuildKit.
func isGlobalArg(ix *analysis.Index, name string) bool {
	_, ok := globalArgDecl(ix, name)
	return ok
}

// globalArgDecl returns the name of the global ARG name's declaration;
// ok for a predefined ARG too, with an empty span.
func globalArgDecl(ix *analysis.Index, name string) (span analysis.Span, ok bool) {
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	for i := 0; i < end; i++ {
		n := ix.Node(i)
		for _, d := range n.Decls {
			if n.Cmd == "arg" && d.Name.Value == name {
				return n.Abs(d.Name.Span), true
			}
		}
	}
	return analysis.Span{}, analysis.IsBuiltinArg(name)
}

// globalArgNames lists the global ARGs and the predefined ones.
func globalArgNames(ix *analysis.Index) []string {
	names := append([]string(nil), analysis.BuiltinArgs...)
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	for i := 0; i < end; i++ {
		n := ix.Node(i)
		if n.Cmd == "arg" {
			for _, d := range n.Decls {
				names = append(names, d.Name.Value)
			}
		}
	}
	return names
}

// stageChain returns stage s and the stages it is built FROM, nearest
// first, as BuildKit's linter follows them: a FROM built from ARGs names
// the stage their defaults pick (the model's BaseOf), whose SHELL, WORKDIR
// and environment the stage then inherits. It ends at a stage built FROM
// one a named context replaces: that stage starts from the context.
func stageChain(p *Pass, s int) []int {
	var out []int
	b := build(p)
	for hops := 0; s >= 0 && hops <= p.Index.StageCount(); hops++ {
		out = append(out, s)
		s = b.BaseOf(s)
	}
	return out
}

// build returns the build state of the pass's build: the model's, given
// the named contexts of the configuration (a stage built FROM a stage a
// context replaces starts from the context).
func build(p *Pass) analysis.Build {
	var contexts []analysis.NamedContext
	if p.Config != nil {
		contexts = p.Config.Contexts
	}
	return p.Index.Model().In(contexts)
}

// stageHas reports whether stage s holds an instruction cmd.
func stageHas(p *Pass, s int, cmd string) bool {
	st := p.Index.Stage(s)
	for i := st.First; i < st.End; i++ {
		if p.Index.Node(i).Cmd == cmd {
			return true
		}
	}
	return false
}
