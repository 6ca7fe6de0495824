package analysis

import (
	"fmt"
	"strings"
)

// SymbolKind tells what a Symbol is.
type SymbolKind int

const (
	SymbolStage SymbolKind = iota
	SymbolInstruction
	SymbolArg
	SymbolEnv
)

func (k SymbolKind) String() string {
	return [...]string{"stage", "instruction", "arg", "env"}[k]
}

// Symbol is an entry of a document's outline.
type Symbol struct {
	Name     string
	Detail   string
	Kind     SymbolKind
	Span     Span // everything the symbol covers
	NameSpan Span // what to select when it is picked; inside Span
	Children []Symbol
}

// symbolTextMax bounds the instruction text an outline shows.
const symbolTextMax = 60

// symbolLineLook is how far an instruction's first line is looked for.
const symbolLineLook = 512

// Symbols returns the document's outline: the global ARGs (and anything
// else before the first FROM), then each stage with its base image as
// detail, holding its instructions; ARG and ENV instructions hold their
// variables.
func (ix *Index) Symbols() []Symbol {
	first := ix.n
	if len(ix.stages) > 0 {
		first = ix.stages[0].first
	}
	out := make([]Symbol, 0, first+len(ix.stages))
	for i := 0; i < first; i++ {
		out = append(out, ix.instructionSymbol(ix.Node(i)))
	}
	for s := range ix.stages {
		st := ix.Stage(s)
		sym := Symbol{Name: st.Name, Detail: st.Base, Kind: SymbolStage, Span: st.Span, NameSpan: ix.StageDefSpan(s)}
		if st.Name == "" {
			sym.Name = fmt.Sprintf("stage %d", s)
		}
		if sym.Detail == "" {
			sym.Detail = "(no base)"
		}
		sym.Children = make([]Symbol, 0, st.End-st.First)
		if desc := ix.StageDescription(s); desc != "" {
			sym.Detail += " · " + desc
		}
		for i := st.First; i < st.End; i++ {
			sym.Children = append(sym.Children, ix.instructionSymbol(ix.Node(i)))
		}
		out = append(out, sym)
	}
	return out
}

func (ix *Index) instructionSymbol(n Node) Symbol {
	kw := n.Abs(n.Keyword.Span)
	sym := Symbol{Name: strings.ToUpper(n.Keyword.Value), Kind: SymbolInstruction, Span: n.Span(), NameSpan: kw}
	if sym.Name == "" {
		sym.Name = "?"
	}
	// The detail is the rest of the first line, shortened.
	// Look for the line's end nearby first: a slice across chunks copies.
	rest := ix.Doc.Slice(Span{kw.End, min(n.Start+n.Len, kw.End+symbolLineLook)})
	if eol := lineBreak(rest); eol >= 0 {
		rest = rest[:eol]
	} else if kw.End+len(rest) < n.Start+n.Len {
		rest = ix.Doc.Slice(Span{kw.End, ix.Doc.LineEnd(ix.Doc.LineOf(kw.End))})
	}
	rest = strings.TrimSpace(rest)
	rest = strings.TrimSpace(strings.TrimSuffix(rest, string(ix.Escape)))
	if len(rest) > symbolTextMax {
		cut := symbolTextMax
		for cut > 0 && rest[cut]&0xC0 == 0x80 {
			cut--
		}
		rest = rest[:cut] + "…"
	}
	sym.Detail = rest
	if len(n.Decls) > 0 {
		sym.Children = make([]Symbol, 0, len(n.Decls))
	}
	for _, d := range n.Decls {
		kind := SymbolArg
		if d.IsEnv {
			kind = SymbolEnv
		}
		v := Symbol{Name: d.Name.Value, Kind: kind, NameSpan: n.Abs(d.Name.Span)}
		v.Span = v.NameSpan
		if d.HasDefault {
			v.Detail = d.Value.Value
			v.Span.End = max(v.Span.End, n.Abs(d.Value.Span).End)
		}
		sym.Children = append(sym.Children, v)
	}
	return sym
}

// lineBreak returns the index of the first '\n' or '\r' in s, or -1.
func lineBreak(s string) int {
	if nl := strings.IndexByte(s, '\n'); nl >= 0 {
		if cr := strings.IndexByte(s[:nl], '\r'); cr >= 0 {
			return cr
		}
		return nl
	}
	return strings.IndexByte(s, '\r')
}

// NamedSymbol is a stage or variable name, for searching across documents.
type NamedSymbol struct {
	Name      string
	Kind      SymbolKind
	Span      Span
	Container string // the stage holding it, if any
}

// NamedSymbols returns the stage names and the ARG names of the document
// that match query: its characters appear in the name in order, ignoring
// case. An empty query matches everything.
func (ix *Index) NamedSymbols(query string) []NamedSymbol {
	var out []NamedSymbol
	q := strings.ToLower(query)
	ix.each(func(n Node) {
		if n.Cmd == "from" && n.Name != nil && fuzzyMatch(q, n.Name.Value) {
			out = append(out, NamedSymbol{Name: n.Name.Value, Kind: SymbolStage, Span: n.Abs(n.Name.Span)})
		}
		if n.Cmd != "arg" {
			return
		}
		container := ""
		if s := ix.StageOf(n.Index); s >= 0 {
			container = ix.StageLabel(s)
		}
		for _, d := range n.Decls {
			if fuzzyMatch(q, d.Name.Value) {
				out = append(out, NamedSymbol{Name: d.Name.Value, Kind: SymbolArg, Span: n.Abs(d.Name.Span), Container: container})
			}
		}
	})
	return out
}

// fuzzyMatch reports whether the lower-case query's characters appear in
// name in order.
func fuzzyMatch(query, name string) bool {
	name = strings.ToLower(name)
	i := 0
	for j := 0; i < len(query) && j < len(name); j++ {
		if query[i] == name[j] {
			i++
		}
	}
	return i == len(query)
}
