package features

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/stagehand-ls/stagehand/analysis"
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
	Span     analysis.Span // everything the symbol covers
	NameSpan analysis.Span // what to select when it is picked; inside Span
	Children []Symbol
}

// symbolTextMax bounds the instruction text an outline shows.
const symbolTextMax = 60

// OutlineEntry is one symbol of the document's outline as WalkSymbols
// yields it: a Symbol without its children, which follow it.
type OutlineEntry struct {
	Name     string
	Detail   string
	Kind     SymbolKind
	Span     analysis.Span // everything the symbol covers
	NameSpan analysis.Span // what to select when it is picked; inside Span
	Depth    int           // 0 at the top; 1 in a stage or an instruction; 2 in an instruction of a stage
	Children int           // the number of entries directly under it, which follow it
}

// WalkSymbols calls f with each entry of the document's outline, in
// document order, each before the entries it holds: the global ARGs (and
// anything else before the first FROM), then each stage with its base
// image as detail, holding its instructions; ARG and ENV instructions hold
// their variables. f may keep nothing of the entry but its strings: the
// next call reuses it. The outline is one pass over the instructions,
// with no tree built.
func WalkSymbols(ix *analysis.Index, f func(e *OutlineEntry)) {
	WalkOutline(ix, nil, f)
}

// WalkOutline is WalkSymbols, calling stage, when it is not nil, before
// each stage's entry: when it returns false, the stage's entries (its
// own, its instructions' and their variables') are skipped.
func WalkOutline(ix *analysis.Index, stage func(s int) bool, f func(e *OutlineEntry)) {
	var e OutlineEntry
	s, depth := -1, 0 // the stage walked, and the depth of its instructions
	skip := false     // the stage is skipped
	k := 0            // the chunk of the text holding the last instruction
	stages := ix.Stages()
	_ = ix.Each(context.Background(), func(n analysis.Node) {
		if s+1 < stages.Len() && n.Index == stages.At(s+1).First {
			s, depth = s+1, 1
			if skip = stage != nil && !stage(s); skip {
				return
			}
			stageEntry(ix, &e, s)
			f(&e)
		} else if skip {
			return
		}
		instructionEntry(ix, &e, n, depth, &k)
		f(&e)
		for _, d := range n.Decls {
			e = OutlineEntry{Name: d.Name.Value, Kind: SymbolArg, NameSpan: n.Abs(d.Name.Span), Depth: depth + 1}
			if d.IsEnv {
				e.Kind = SymbolEnv
			}
			e.Span = e.NameSpan
			if d.HasDefault {
				e.Detail = d.Value.Value
				e.Span.End = max(e.Span.End, n.Abs(d.Value.Span).End)
			}
			f(&e)
		}
	})
}

// Symbols returns the document's outline (see WalkSymbols) as a tree.
func Symbols(ix *analysis.Index) []Symbol {
	out := []Symbol{}
	var open []*Symbol // the entries whose children are being added, outermost first
	WalkSymbols(ix, func(e *OutlineEntry) {
		open = open[:e.Depth]
		sym := Symbol{Name: e.Name, Detail: e.Detail, Kind: e.Kind, Span: e.Span, NameSpan: e.NameSpan}
		if e.Children > 0 {
			sym.Children = make([]Symbol, 0, e.Children)
		}
		at := &out
		if e.Depth > 0 {
			at = &open[e.Depth-1].Children
		}
		*at = append(*at, sym)
		open = append(open, &(*at)[len(*at)-1])
	})
	return out
}

// stageEntry sets e to stage s's entry.
func stageEntry(ix *analysis.Index, e *OutlineEntry, s int) {
	st := ix.Stages().At(s)
	*e = OutlineEntry{Name: st.Name, Detail: st.Base, Kind: SymbolStage, Span: st.Span, NameSpan: ix.StageDefSpan(s), Children: st.End - st.First}
	if st.Name == "" {
		e.Name = fmt.Sprintf("stage %d", s)
	}
	if e.Detail == "" {
		e.Detail = "(no base)"
	}
	if desc := ix.StageDescription(s); desc != "" {
		e.Detail += " · " + desc
	}
}

// instructionEntry sets e to instruction n's entry, at depth. Instructions
// are walked in order: *k is the chunk of the text where the last one
// stood, or 0.
func instructionEntry(ix *analysis.Index, e *OutlineEntry, n analysis.Node, depth int, k *int) {
	kw := n.Abs(n.Keyword.Span)
	name := n.Keyword.Value
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'a' <= c && c <= 'z' || c >= utf8.RuneSelf {
			name = strings.ToUpper(name)
			break
		}
	}
	if name == "" {
		name = "?"
	}
	// The detail is the rest of the first line, shortened.
	line, _ := ix.Doc.LineAt(kw.End, k)
	rest := strings.TrimSpace(line)
	if last := len(rest) - 1; last >= 0 && rest[last] == ix.Escape {
		rest = strings.TrimSpace(rest[:last])
	}
	if len(rest) > symbolTextMax {
		cut := symbolTextMax
		for cut > 0 && rest[cut]&0xC0 == 0x80 {
			cut--
		}
		rest = rest[:cut] + "…"
	}
	// One store: e is written while the collector may be marking.
	*e = OutlineEntry{Name: name, Detail: rest, Kind: SymbolInstruction, Span: n.Span(), NameSpan: kw, Depth: depth, Children: len(n.Decls)}
}

// NamedSymbol is a stage or variable name, for searching across documents.
type NamedSymbol struct {
	Name      string
	Kind      SymbolKind
	Span      analysis.Span
	Container string // the stage holding it, if any
}

// NamedSymbols returns the stage names and the ARG names of the document
// that match query: its characters appear in the name in order, ignoring
// case. An empty query matches everything.
func NamedSymbols(ix *analysis.Index, query string) []NamedSymbol {
	var out []NamedSymbol
	q := strings.ToLower(query)
	_ = ix.Each(context.Background(), func(n analysis.Node) {
		if n.Cmd == "from" && n.Name() != nil && fuzzyMatch(q, n.Name().Value) {
			out = append(out, NamedSymbol{Name: n.Name().Value, Kind: SymbolStage, Span: n.Abs(n.Name().Span)})
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
