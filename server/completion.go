package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/completion"
)

// completionTriggers are the characters after which a client asks for
// completion unprompted: a flag's or key's `=`, the space after FROM, a
// variable's `$` and `{`, a flag's `-` and a mount spec's `,`.
var completionTriggers = []string{"=", " ", "$", "{", "-", ","}

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		yes := true
		caps.CompletionProvider = &protocol.CompletionOptions{TriggerCharacters: completionTriggers, ResolveProvider: &yes}
	})
}

// Completion answers textDocument/completion from the completion package.
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (protocol.CompletionResult, error) {
	snap, err := s.snapshot(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	list := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	enc := s.encoding()
	opts := s.options()
	snippets, lazy := opts.snippets, opts.resolveDocs
	off, _ := fromPosition(snap.Doc, params.Position, enc)
	var items []completion.Item
	if snap.TargetFile != "" {
		items = completion.TargetFile(snap.Doc, s.ws.index(), snap.TargetFile, off, s.dockerfiles(snap.TargetFile))
	} else if ix, ok := snap.Current(); ok {
		items = completion.Complete(ix, off, completion.Options{Snippets: snippets, LazyStageDocs: lazy, Contexts: s.namedContexts(string(snap.URI)), Builds: s.buildSpecs(string(snap.URI))})
		items = append(items, completion.ContextPaths(ix, off, s.buildContext(snap.Path))...)
	}
	for _, it := range items {
		list.Items = append(list.Items, s.toCompletionItem(snap, it, params.TextDocument.URI))
	}
	return list, nil
}

// toCompletionItem converts it, an item of snap's document u, for the
// client's options.
func (s *Server) toCompletionItem(snap *Snapshot, it completion.Item, u uri.URI) protocol.CompletionItem {
	opts := s.options()
	ci := protocol.CompletionItem{
		Label:            it.Label,
		Kind:             completionKind(it.Kind),
		SortText:         protocol.NewOptional(it.SortText),
		InsertTextFormat: protocol.InsertTextFormatPlainText,
		TextEdit:         &protocol.TextEdit{Range: toRange(snap.Doc, it.Edit, s.encoding()), NewText: it.InsertText},
	}
	if it.Detail != "" {
		ci.Detail = protocol.NewOptional(it.Detail)
	}
	if it.Documentation != "" {
		ci.Documentation = s.completionDoc(it.Documentation)
	}
	if it.Snippet && opts.snippets {
		ci.InsertTextFormat = protocol.InsertTextFormatSnippet
	}
	if opts.resolveDocs && it.Kind == completion.Stage {
		ci.Data, _ = json.Marshal(stageItemData{URI: u, Stage: it.Stage})
	}
	return ci
}

// completionDoc is an item's documentation, as markdown when the client
// takes it.
func (s *Server) completionDoc(doc string) protocol.InlayHintTooltip {
	if s.options().completionMarkdown {
		return &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: doc}
	}
	return protocol.String(doc)
}

// stageItemData identifies a stage item's stage for completionItem/resolve.
type stageItemData struct {
	URI   uri.URI `json:"uri"`
	Stage int     `json:"stage"`
}

// CompletionResolve fills in a stage item's documentation, which clients
// that resolve items get one at a time instead of for every stage at once.
func (s *Server) CompletionResolve(ctx context.Context, item *protocol.CompletionItem) (*protocol.CompletionItem, error) {
	var data stageItemData
	if len(item.Data) == 0 || json.Unmarshal(item.Data, &data) != nil || data.URI == "" {
		return item, nil
	}
	snap, err := s.snapshot(ctx, data.URI)
	if err != nil {
		return item, nil // closed since: the item stays as it is
	}
	ix, ok := snap.Current()
	if !ok {
		return item, nil
	}
	if doc := completion.StageDoc(ix, data.Stage); doc != "" {
		item.Documentation = s.completionDoc(doc)
	}
	return item, nil
}

func completionKind(k completion.Kind) protocol.CompletionItemKind {
	switch k {
	case completion.Keyword:
		return protocol.CompletionItemKindKeyword
	case completion.Stage:
		return protocol.CompletionItemKindModule
	case completion.Flag:
		return protocol.CompletionItemKindField
	case completion.MountKey:
		return protocol.CompletionItemKindProperty
	case completion.MountType:
		return protocol.CompletionItemKindEnumMember
	case completion.Variable:
		return protocol.CompletionItemKindVariable
	case completion.Directive:
		return protocol.CompletionItemKindKeyword
	case completion.Rule:
		return protocol.CompletionItemKindConstant
	case completion.Target:
		return protocol.CompletionItemKindClass
	case completion.Context:
		return protocol.CompletionItemKindFolder
	}
	return protocol.CompletionItemKindValue
}
