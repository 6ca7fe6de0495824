package analysis

// Variables follow BuildKit's scoping:
//   - an ARG before the first FROM is global: FROM lines may use it, and a
//     stage sees it only after declaring it again with `ARG NAME`;
//   - a stage's ARG and ENV are visible after their declaration, to the end
//     of the stage;
//   - ARG and ENV values are inherited by a stage built FROM another stage
//     (BuildKit keeps both in the state the stage starts from);
//   - the platform ARGs are predefined in the global scope.

// BuiltinArgs are the ARGs BuildKit defines without a declaration.
var BuiltinArgs = []string{
	"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
	"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
	"NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
}

// IsBuiltinArg reports whether name is predefined by BuildKit.
func IsBuiltinArg(name string) bool {
	for _, b := range BuiltinArgs {
		if b == name {
			return true
		}
	}
	return false
}

// VarSite is a declaration of a variable placed in the document.
type VarSite struct {
	Instruction int
	Decl        VarDecl // spans relative to the instruction
	NameSpan    Span    // document span of the name
}

func (ix *Index) site(i int, d VarDecl) VarSite {
	n := ix.Node(i)
	return VarSite{Instruction: i, Decl: d, NameSpan: n.Abs(d.Name.Span)}
}

// ResolveVar returns the declaration that a use of name in instruction i
// refers to. In a FROM line only global ARGs count; elsewhere the stage's
// own ARG and ENV before i, then those the stages it is built FROM end
// with, as the build model's walk binds them.
func (ix *Index) ResolveVar(i int, name string) (VarSite, bool) {
	stage := ix.StageOf(i)
	if stage < 0 || ix.inst(i).Cmd == "from" {
		return ix.globalArg(name, i)
	}
	return ix.Model().resolveVar(stage, i, name)
}

// GlobalArg finds the last ARG name declared before the first FROM.
func (ix *Index) GlobalArg(name string) (VarSite, bool) { return ix.globalArg(name, ix.n) }

// globalArg finds the last ARG name declared before the first FROM (and
// before instruction limit).
func (ix *Index) globalArg(name string, limit int) (VarSite, bool) {
	end := ix.n
	if len(ix.stages) > 0 {
		end = ix.stages[0].first
	}
	end = min(end, limit)
	for j := end - 1; j >= 0; j-- {
		in := ix.inst(j)
		if in.Cmd != "arg" {
			continue
		}
		for k := len(in.Decls) - 1; k >= 0; k-- {
			if in.Decls[k].Name.Value == name {
				return ix.site(j, in.Decls[k]), true
			}
		}
	}
	return VarSite{}, false
}

func (ix *Index) baseStage(s int) int {
	from := ix.inst(ix.stages[s].first)
	for _, r := range from.Refs {
		if r.Kind == RefFrom && r.Resolution == ResolvesStage {
			return r.Target
		}
	}
	return -1
}

// VisibleVars returns the variables a use in instruction i may name, each
// once, nearest declaration first.
func (ix *Index) VisibleVars(i int) []VarSite {
	stage := ix.StageOf(i)
	if stage >= 0 && ix.inst(i).Cmd != "from" {
		return ix.Model().visibleVars(stage, i)
	}
	var out []VarSite
	seen := map[string]bool{}
	end := ix.n
	if len(ix.stages) > 0 {
		end = ix.stages[0].first
	}
	for j := min(end, i) - 1; j >= 0; j-- {
		in := ix.inst(j)
		if in.Cmd != "arg" {
			continue
		}
		for k := len(in.Decls) - 1; k >= 0; k-- {
			if d := in.Decls[k]; !seen[d.Name.Value] {
				seen[d.Name.Value] = true
				out = append(out, ix.site(j, d))
			}
		}
	}
	return out
}

// VarUseAt returns the variable use at off, with the instruction holding it.
func (ix *Index) VarUseAt(off int) (VarUse, Node, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return VarUse{}, Node{}, false
	}
	if u, ok := UseAt(ix.UsesOf(n), off-n.Start); ok {
		return VarUse{Name: Token{Span: n.Abs(u.Name.Span), Value: u.Name.Value}, Span: n.Abs(u.Span)}, n, true
	}
	return VarUse{}, Node{}, false
}

// UseAt returns the innermost of uses (an instruction's) whose span holds
// the relative offset rel: B, not A, in the `${B}` of `${A:-${B}}`; of
// two side by side (rel between `$A` and `$B`), the first.
func UseAt(uses []VarUse, rel int) (VarUse, bool) {
	best := -1
	for k, u := range uses {
		if !u.Span.Contains(rel) {
			continue
		}
		if b := best; b < 0 || u.Span != uses[b].Span && uses[b].Span.Start <= u.Span.Start && u.Span.End <= uses[b].Span.End {
			best = k
		}
	}
	if best < 0 {
		return VarUse{}, false
	}
	return uses[best], true
}
