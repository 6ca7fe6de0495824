package server

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		yes := true
		caps.RenameProvider = &protocol.RenameOptions{PrepareProvider: &yes}
	})
}

// PrepareRename answers textDocument/prepareRename with the name under the
// cursor, or an error that says why nothing there can be renamed.
func (s *Server) PrepareRename(ctx context.Context, params *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil || p.ix == nil {
		return nil, err
	}
	if err := s.renameRefused(p); err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	sp, name, err := features.PrepareRenameIn(p.ix, p.off, s.buildSpecs(string(p.uri)))
	if err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	return &protocol.PrepareRenamePlaceholder{Range: toRange(p.doc, sp, p.enc), Placeholder: name}, nil
}

// Rename answers textDocument/rename for a stage or a variable: every
// reference is rewritten, or an error says why the new name cannot be
// used. The edit is versioned when the client takes documentChanges.
func (s *Server) Rename(ctx context.Context, params *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil {
		return nil, err
	}
	if p.ix == nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, "the document is still being analysed; try again")
	}
	if err := s.renameRefused(p); err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	if err := s.contextNameTaken(p, params.NewName); err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	edits, err := features.RenameIn(ctx, p.ix, p.off, params.NewName, s.buildSpecs(string(p.uri)))
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr // cancelled: answered RequestCancelled
	}
	if err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	version := p.snap.Version
	files := []fileEdits{{uri: p.uri, version: &version, edits: toTextEdits(p.doc, edits, p.enc)}}
	return s.workspaceEdit(s.targetRenames(files, p, params.NewName)), nil
}

// renameRefused says why the name at p must not be renamed in the
// Dockerfile alone: a named context takes it, or a target elsewhere
// computes it.
func (s *Server) renameRefused(p position) error {
	if err := s.contextRename(p); err != nil {
		return err
	}
	return s.computedTargetRename(p)
}

// contextNameTaken refuses to give the stage at p the name of a named
// build context the project gives the Dockerfile: BuildKit would use the
// context in place of the renamed stage (and for what names it).
func (s *Server) contextNameTaken(p position, newName string) error {
	if _, ok := stageAt(p); !ok {
		return nil
	}
	for _, c := range s.givenContexts(string(p.uri)) {
		if strings.EqualFold(c.Name, newName) {
			return fmt.Errorf("cannot rename: %q is the named build context %s gives, which BuildKit would use in place of the renamed stage", c.Name, c.Source)
		}
	}
	return nil
}

// targetRenames adds to files the renames of the stage at p in the Compose,
// Bake, workflow and script files that build it.
func (s *Server) targetRenames(files []fileEdits, p position, newName string) []fileEdits {
	for _, t := range s.stageTargets(p) {
		doc, u, v, ok := s.targetDoc(t)
		if !ok {
			continue
		}
		te := protocol.TextEdit{Range: toRange(doc, t.Span, p.enc), NewText: newName}
		if last := &files[len(files)-1]; last.uri == u {
			last.edits = append(last.edits, te)
		} else {
			files = append(files, fileEdits{uri: u, version: v, edits: []protocol.TextEdit{te}})
		}
	}
	return files
}

// workspaceEdit converts the edits of files: versioned documentChanges
// when the client takes them, so that it refuses them on a newer text;
// plain changes otherwise.
func (s *Server) workspaceEdit(files []fileEdits) *protocol.WorkspaceEdit {
	if !s.options().documentChanges {
		changes := map[uri.URI][]protocol.TextEdit{}
		for _, f := range files {
			changes[f.uri] = append(changes[f.uri], f.edits...)
		}
		return &protocol.WorkspaceEdit{Changes: changes}
	}
	var dcs []protocol.DocumentChange
	for _, f := range files {
		elems := make([]protocol.TextDocumentEditElement, len(f.edits))
		for i := range f.edits {
			elems[i] = &f.edits[i]
		}
		dcs = append(dcs, &protocol.TextDocumentEdit{
			TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
				TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: f.uri},
				Version:                f.version,
			},
			Edits: elems,
		})
	}
	return &protocol.WorkspaceEdit{DocumentChanges: dcs}
}

// fileEdits are the edits of a rename in one file; version is nil for a
// file the client does not have open.
type fileEdits struct {
	uri     uri.URI
	version *int32
	edits   []protocol.TextEdit
}
