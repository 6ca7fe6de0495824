package server

import (
	"slices"

	"go.lsp.dev/protocol"
)

// clientOptions is what the client takes, read once from its capabilities
// at initialize and never changed afterwards, so requests read it without
// a lock.
type clientOptions struct {
	resolveEdits        bool // codeAction/resolve fills in an action's edit
	documentChanges     bool // a WorkspaceEdit may carry versioned documentChanges
	resolveDocs         bool // completionItem/resolve fills in documentation
	snippets            bool // completion items may be snippets
	completionMarkdown  bool // completion documentation may be markdown
	pullConfiguration   bool // workspace/configuration
	foldingLimit        int  // the most folding ranges wanted; 0 for no limit
	pullDiagnostics     bool // textDocument/diagnostic: the server publishes none
	refreshDiagnostics  bool // workspace/diagnostic/refresh
	hierarchicalSymbols bool // documentSymbol answers with a tree
	hoverMarkdown       bool // hovers may be markdown
	dynamicWatch        bool // didChangeWatchedFiles may be registered dynamically
}

// readClientOptions reads caps. Markdown is assumed, in completion and in
// hovers, unless the client lists formats without it.
func readClientOptions(caps protocol.ClientCapabilities) *clientOptions {
	o := &clientOptions{completionMarkdown: true, hoverMarkdown: true}
	is := func(b *bool) bool { return b != nil && *b }
	if td := caps.TextDocument; td != nil {
		if td.CodeAction != nil {
			o.resolveEdits = slices.Contains(td.CodeAction.ResolveSupport.Properties, "edit")
		}
		if c := td.Completion; c != nil && c.CompletionItem != nil {
			ci := c.CompletionItem
			o.resolveDocs = slices.Contains(ci.ResolveSupport.Properties, "documentation")
			o.snippets = is(ci.SnippetSupport)
			if len(ci.DocumentationFormat) > 0 {
				o.completionMarkdown = slices.Contains(ci.DocumentationFormat, protocol.MarkupKindMarkdown)
			}
		}
		if td.FoldingRange != nil && td.FoldingRange.RangeLimit != nil {
			o.foldingLimit = int(*td.FoldingRange.RangeLimit)
		}
		if td.Hover != nil && len(td.Hover.ContentFormat) > 0 {
			o.hoverMarkdown = slices.Contains(td.Hover.ContentFormat, protocol.MarkupKindMarkdown)
		}
		o.pullDiagnostics = td.Diagnostic != nil
		o.hierarchicalSymbols = td.DocumentSymbol != nil && is(td.DocumentSymbol.HierarchicalDocumentSymbolSupport)
	}
	if w := caps.Workspace; w != nil {
		o.documentChanges = w.WorkspaceEdit != nil && is(w.WorkspaceEdit.DocumentChanges)
		o.pullConfiguration = is(w.Configuration)
		o.refreshDiagnostics = w.Diagnostics != nil && is(w.Diagnostics.RefreshSupport)
		o.dynamicWatch = w.DidChangeWatchedFiles != nil && is(w.DidChangeWatchedFiles.DynamicRegistration)
	}
	return o
}

// noClientOptions is what a client that has not initialized takes.
var noClientOptions = readClientOptions(protocol.ClientCapabilities{})

// options returns the client's options, read at initialize.
func (s *Server) options() *clientOptions {
	if o := s.opts.Load(); o != nil {
		return o
	}
	return noClientOptions
}
