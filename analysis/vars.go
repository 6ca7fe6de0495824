package analysis

// Variables follow BuildKit's scoping:
//   - an ARG before the first FROM is global: FROM lines may use it, and a
//     stage sees it only after declaring it again with `ARG NAME`;
//   - a stage's ARG and ENV are visible after their declaration, to the end
//     of the stage;
//   - ENV (not ARG) is inherited by a stage built FROM another stage;
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
// own ARG and ENV before i, then the ENV of the stages it is built from.
func (ix *Index) ResolveVar(i int, name string) (VarSite, bool) {
	stage := ix.StageOf(i)
	if stage < 0 || ix.inst(i).Cmd == "from" {
		return ix.globalArg(name, i)
	}
	envOnly, limit := false, i
	for hops := 0; stage >= 0 && hops <= len(ix.stages); hops++ {
		rec := ix.stages[stage]
		for j := min(limit, rec.end) - 1; j > rec.first; j-- {
			in := ix.inst(j)
			for k := len(in.Decls) - 1; k >= 0; k-- {
				if d := in.Decls[k]; d.Name.Value == name && (d.IsEnv || !envOnly) {
					return ix.site(j, d), true
				}
			}
		}
		envOnly, limit, stage = true, ix.n, ix.baseOf(stage)
	}
	return VarSite{}, false
}

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
	var out []VarSite
	seen := map[string]bool{}
	add := func(j int, d VarDecl) {
		if !seen[d.Name.Value] {
			seen[d.Name.Value] = true
			out = append(out, ix.site(j, d))
		}
	}
	n := ix.Node(i)
	stage := ix.StageOf(i)
	if n.Cmd != "from" && stage >= 0 {
		envOnly := false
		limit := i
		for s, hops := stage, 0; s >= 0 && hops <= len(ix.stages); s, hops = ix.baseOf(s), hops+1 {
			rec := ix.stages[s]
			for j := min(limit, rec.end) - 1; j > rec.first; j-- {
				in := ix.inst(j)
				for k := len(in.Decls) - 1; k >= 0; k-- {
					if d := in.Decls[k]; d.IsEnv || !envOnly {
						add(j, d)
					}
				}
			}
			envOnly = true
			limit = ix.n
		}
		return out
	}
	end := ix.n
	if len(ix.stages) > 0 {
		end = ix.stages[0].first
	}
	for j := min(end, i) - 1; j >= 0; j-- {
		in := ix.inst(j)
		if in.Cmd == "arg" {
			for k := len(in.Decls) - 1; k >= 0; k-- {
				add(j, in.Decls[k])
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
	for _, u := range n.Uses {
		if n.Abs(u.Span).Contains(off) {
			return VarUse{Name: Token{Span: n.Abs(u.Name.Span), Value: u.Name.Value}, Span: n.Abs(u.Span)}, n, true
		}
	}
	return VarUse{}, Node{}, false
}
