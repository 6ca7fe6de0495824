package server

import (
	"context"
	"sort"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.DocumentSymbolProvider = protocol.Boolean(true)
		caps.WorkspaceSymbolProvider = protocol.Boolean(true)
	})
}

// symbolKinds maps the outline's kinds to the protocol's.
var symbolKinds = map[analysis.SymbolKind]protocol.SymbolKind{
	analysis.SymbolStage:       protocol.SymbolKindClass,
	analysis.SymbolInstruction: protocol.SymbolKindFunction,
	analysis.SymbolArg:         protocol.SymbolKindVariable,
	analysis.SymbolEnv:         protocol.SymbolKindProperty,
}

// DocumentSymbol answers textDocument/documentSymbol with the outline: a
// tree of stages and their instructions when the client takes one, else
// the same entries flat, each naming its container.
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	snap, err := s.snapshot(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	ix, ok := snap.Current()
	if !ok {
		return nil, nil
	}
	enc := s.encoding()
	syms := ix.Symbols()
	if s.hierarchicalSymbols() {
		return protocol.DocumentSymbolSlice(documentSymbols(snap.Doc, syms, enc)), nil
	}
	var flat protocol.SymbolInformationSlice
	var walk func([]analysis.Symbol, string)
	walk = func(syms []analysis.Symbol, container string) {
		for _, sym := range syms {
			info := protocol.SymbolInformation{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sym.Name, Kind: symbolKinds[sym.Kind]},
				Location:              protocol.Location{URI: uri.URI(snap.URI), Range: toRange(snap.Doc, sym.Span, enc)},
			}
			if container != "" {
				c := container
				info.ContainerName = &c
			}
			flat = append(flat, info)
			walk(sym.Children, sym.Name)
		}
	}
	walk(syms, "")
	return flat, nil
}

func documentSymbols(doc *analysis.Document, syms []analysis.Symbol, enc analysis.Encoding) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, len(syms))
	for i, sym := range syms {
		ds := protocol.DocumentSymbol{
			Name:           sym.Name,
			Kind:           symbolKinds[sym.Kind],
			Range:          toRange(doc, sym.Span, enc),
			SelectionRange: toRange(doc, sym.NameSpan, enc),
		}
		if sym.Detail != "" {
			d := sym.Detail
			ds.Detail = &d
		}
		if len(sym.Children) > 0 {
			ds.Children = documentSymbols(doc, sym.Children, enc)
		}
		out[i] = ds
	}
	return out
}

// hierarchicalSymbols reports whether the client takes a symbol tree.
func (s *Server) hierarchicalSymbols() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	td := s.caps.TextDocument
	return td != nil && td.DocumentSymbol != nil && td.DocumentSymbol.HierarchicalDocumentSymbolSupport != nil &&
		*td.DocumentSymbol.HierarchicalDocumentSymbolSupport
}

// Symbols answers workspace/symbol over the open documents: the stage
// names and ARGs whose names hold the query's characters in order.
func (s *Server) Symbols(ctx context.Context, params *protocol.WorkspaceSymbolParams) (protocol.WorkspaceSymbolResult, error) {
	v, ok := ctx.Value(viewKey{}).(view)
	if !ok {
		v = s.docs.view()
	}
	enc := s.encoding()
	out := protocol.SymbolInformationSlice{}
	for _, snap := range v {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ix, ok := snap.Current()
		if !ok {
			continue
		}
		for _, sym := range ix.NamedSymbols(params.Query) {
			info := protocol.SymbolInformation{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sym.Name, Kind: symbolKinds[sym.Kind]},
				Location:              protocol.Location{URI: uri.URI(snap.URI), Range: toRange(snap.Doc, sym.Span, enc)},
			}
			if sym.Container != "" {
				c := sym.Container
				info.ContainerName = &c
			}
			out = append(out, info)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Location.URI != b.Location.URI {
			return a.Location.URI < b.Location.URI
		}
		return a.Location.Range.Start.Line < b.Location.Range.Start.Line ||
			a.Location.Range.Start.Line == b.Location.Range.Start.Line && a.Location.Range.Start.Character < b.Location.Range.Start.Character
	})
	return out, nil
}
