package server

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

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
	enc, tree := s.encoding(), s.options().hierarchicalSymbols
	if res, ok := s.symbols.get(snap, enc, tree); ok {
		return res, nil
	}
	res := s.documentSymbols(snap, ix, enc, tree)
	s.symbols.put(snap, enc, tree, res)
	if snap.Doc.Len() > largeDocument {
		s.returnMemory()
	}
	return res, nil
}

// symbolCache keeps the last outline answered, for the snapshot, encoding
// and form it was asked in: an editor's outline, breadcrumbs and sticky
// scroll each ask for the same version's symbols.
type symbolCache struct {
	mu   sync.Mutex
	snap *Snapshot
	enc  analysis.Encoding
	tree bool
	res  protocol.DocumentSymbolResult
}

func (c *symbolCache) get(snap *Snapshot, enc analysis.Encoding, tree bool) (protocol.DocumentSymbolResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != snap || c.enc != enc || c.tree != tree {
		return nil, false
	}
	return c.res, true
}

func (c *symbolCache) put(snap *Snapshot, enc analysis.Encoding, tree bool, res protocol.DocumentSymbolResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snap, c.enc, c.tree, c.res = snap, enc, tree, res
}

// documentSymbols builds the outline of snap: a tree, or the same entries
// flat, each naming its container.
func (s *Server) documentSymbols(snap *Snapshot, ix *analysis.Index, enc analysis.Encoding, tree bool) protocol.DocumentSymbolResult {
	syms := ix.Symbols()
	if tree {
		return protocol.DocumentSymbolSlice(documentSymbols(snap.Doc.Cursor(enc), syms))
	}
	var flat protocol.SymbolInformationSlice
	var walk func([]analysis.Symbol, string)
	walk = func(syms []analysis.Symbol, container string) {
		for _, sym := range syms {
			flat = append(flat, symbolInfo(snap, sym.Name, sym.Kind, sym.Span, container, enc))
			walk(sym.Children, sym.Name)
		}
	}
	walk(syms, "")
	return flat
}

// documentSymbols converts the tree syms, its positions placed by cursor
// c (in document order, mostly on lines just placed).
func documentSymbols(c *analysis.PositionCursor, syms []analysis.Symbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, len(syms))
	for i := range syms {
		sym := &syms[i]
		ds := protocol.DocumentSymbol{
			Name:           sym.Name,
			Kind:           symbolKinds[sym.Kind],
			Range:          cursorRange(c, sym.Span),
			SelectionRange: cursorRange(c, sym.NameSpan),
		}
		if sym.Detail != "" {
			ds.Detail = &sym.Detail
		}
		if len(sym.Children) > 0 {
			ds.Children = documentSymbols(c, sym.Children)
		}
		out[i] = ds
	}
	return out
}

// cursorRange is toRange through cursor c.
func cursorRange(c *analysis.PositionCursor, sp analysis.Span) protocol.Range {
	start, end := c.Position(sp.Start), c.Position(sp.End)
	return protocol.Range{
		Start: protocol.Position{Line: uint32(start.Line), Character: uint32(start.Col)},
		End:   protocol.Position{Line: uint32(end.Line), Character: uint32(end.Col)},
	}
}

// appendDocumentSymbols appends the JSON of syms, as protocol.Marshal
// writes it, to dst. The protocol's encoder copies each level of a deep
// tree again and leaves about seven times the answer's size behind; this
// writes once into one buffer.
func appendDocumentSymbols(dst []byte, syms []protocol.DocumentSymbol) ([]byte, error) {
	dst = append(dst, '[')
	for i := range syms {
		sym := &syms[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		//lint:ignore SA1019 the field is on the wire; clients still read it.
		if len(sym.Tags) > 0 || sym.Deprecated != nil {
			// Not written by this server; left to the protocol's encoder.
			b, err := protocol.Marshal(sym)
			if err != nil {
				return nil, err
			}
			dst = append(dst, b...)
			continue
		}
		dst = append(dst, `{"name":`...)
		dst = appendString(dst, sym.Name)
		if sym.Detail != nil {
			dst = append(dst, `,"detail":`...)
			dst = appendString(dst, *sym.Detail)
		}
		dst = append(dst, `,"kind":`...)
		dst = strconv.AppendUint(dst, uint64(sym.Kind), 10)
		dst = append(dst, `,"range":`...)
		dst = appendRange(dst, sym.Range)
		dst = append(dst, `,"selectionRange":`...)
		dst = appendRange(dst, sym.SelectionRange)
		if len(sym.Children) > 0 {
			dst = append(dst, `,"children":`...)
			var err error
			if dst, err = appendDocumentSymbols(dst, sym.Children); err != nil {
				return nil, err
			}
		}
		dst = append(dst, '}')
	}
	return append(dst, ']'), nil
}

// countSymbols returns the number of symbols in the tree syms.
func countSymbols(syms []protocol.DocumentSymbol) int {
	n := len(syms)
	for i := range syms {
		n += countSymbols(syms[i].Children)
	}
	return n
}

func appendRange(dst []byte, r protocol.Range) []byte {
	dst = append(dst, `{"start":{"line":`...)
	dst = strconv.AppendUint(dst, uint64(r.Start.Line), 10)
	dst = append(dst, `,"character":`...)
	dst = strconv.AppendUint(dst, uint64(r.Start.Character), 10)
	dst = append(dst, `},"end":{"line":`...)
	dst = strconv.AppendUint(dst, uint64(r.End.Line), 10)
	dst = append(dst, `,"character":`...)
	dst = strconv.AppendUint(dst, uint64(r.End.Character), 10)
	return append(dst, `}}`...)
}

// appendString appends s as a JSON string, as the protocol's encoder
// writes it: quotes and backslashes escaped, the rest as it stands; a
// string with a control character, DEL, invalid UTF-8 or a line or
// paragraph separator is left to the protocol's encoder.
func appendString(dst []byte, s string) []byte {
	mark := len(dst)
	dst = append(dst, '"')
	plain := 0 // s[plain:i] is yet to be copied as it stands
	for i := 0; i < len(s); {
		for i < len(s) && jsonPlain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c == 0x7f:
				return appendQuoted(dst[:mark], s)
			case c == '"' || c == '\\':
				dst = append(dst, s[plain:i]...)
				dst = append(dst, '\\', c)
				plain = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return appendQuoted(dst[:mark], s)
		}
		i += size
	}
	dst = append(dst, s[plain:]...)
	return append(dst, '"')
}

// jsonPlain marks the bytes a JSON string holds as they stand: printable
// ASCII but the quote and the backslash.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func appendQuoted(dst []byte, s string) []byte {
	b, err := protocol.Marshal(s)
	if err != nil {
		b = []byte(`""`)
	}
	return append(dst, b...)
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
			out = append(out, symbolInfo(snap, sym.Name, sym.Kind, sym.Span, sym.Container, enc))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Location, out[j].Location
		return a.URI < b.URI || a.URI == b.URI && positionLess(a.Range.Start, b.Range.Start)
	})
	return out, nil
}

// symbolInfo converts a symbol of snap, in container unless that is "".
func symbolInfo(snap *Snapshot, name string, kind analysis.SymbolKind, sp analysis.Span, container string, enc analysis.Encoding) protocol.SymbolInformation {
	info := protocol.SymbolInformation{
		BaseSymbolInformation: protocol.BaseSymbolInformation{Name: name, Kind: symbolKinds[kind]},
		Location:              protocol.Location{URI: uri.URI(snap.URI), Range: toRange(snap.Doc, sp, enc)},
	}
	if container != "" {
		info.ContainerName = &container
	}
	return info
}
