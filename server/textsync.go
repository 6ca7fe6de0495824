package server

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// DidOpen stores the document and schedules its diagnostics.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	if _, ok := s.docs.get(td.URI); ok {
		s.log.Warn("didOpen for a document already open; replacing it", zap.String("uri", string(td.URI)))
	}
	p, _ := filePath(td.URI)
	snap := &Snapshot{URI: sentURIFrom(ctx, string(td.URI)), Path: p, Version: td.Version, Rules: &rules.Cache{}, Published: &pubCache{}}
	s.load(snap, td)
	s.docs.set(td.URI, snap.init())
	s.scheduleDiagnostics(td.URI)
	return nil
}

// load fills snap with the text td opens: a target file's text, a
// Dockerfile's document and index, or plain text.
func (s *Server) load(snap *Snapshot, td protocol.TextDocumentItem) {
	switch target, kind := documentKind(td.URI, string(td.LanguageID)); kind {
	case targetsDocument:
		snap.TargetFile, snap.Doc = target, analysis.NewDocument(td.Text)
		s.ws.bufferChanged(target, snap.Doc)
	case dockerfileDocument:
		rev := analysis.Revise(nil, nil, []analysis.Change{{Whole: true, Text: td.Text}}, s.encoding())
		s.logRevision(td.URI, td.Version, rev, nil)
		snap.Doc, snap.Index = rev.Doc, rev.Index
		if rev.Doc.Len() > largeDocument {
			// A full parse of a large file leaves tens of megabytes of
			// garbage; give it back to the system rather than keep it.
			s.fitMemory()
		}
	default:
		snap.Doc, snap.Plain = analysis.NewDocument(td.Text), true
	}
}

// largeDocument is the size past which opening a file returns the full
// parse's garbage to the system at once.
const largeDocument = 256 << 10

// A document is a Dockerfile, a file that names build targets, or another
// file an editor attached the server to (any YAML, say), which it leaves
// alone.
const (
	dockerfileDocument = iota
	targetsDocument
	otherDocument
)

// otherLanguages are language ids that are never Dockerfiles.
var otherLanguages = map[string]bool{
	"yaml": true, "json": true, "jsonc": true, "hcl": true, "terraform": true, "make": true, "makefile": true,
	"shellscript": true, "sh": true, "bash": true, "just": true, "dockercompose": true, "dockerbake": true,
}

// documentKind tells what a document is from the client's language id and
// its name, and gives its path when it names targets.
func documentKind(u uri.URI, languageID string) (string, int) {
	p, onDisk := filePath(u)
	switch {
	case languageID == "dockerfile" || (onDisk && workspace.IsDockerfile(p)):
		return "", dockerfileDocument
	case onDisk && (workspace.Classify(p) != workspace.NotTargets || workspace.IsReadThrough(p) || workspace.MayNameTargets(p)):
		return p, targetsDocument
	case otherLanguages[strings.ToLower(languageID)]:
		return "", otherDocument
	}
	return "", dockerfileDocument
}

// DidChange applies the content changes in order, in one call to the core
// (analysis.Revise), which updates the index incrementally or parses the
// new text; the server stores the result and schedules diagnostics.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	u, version := params.TextDocument.URI, params.TextDocument.Version
	snap, ok := s.docs.get(u)
	if !ok {
		s.log.Warn("didChange for a document that is not open; ignoring it", zap.String("uri", string(u)))
		return nil
	}
	s.checkVersion(u, snap.Version, version)
	changes := s.toChanges(u, params.ContentChanges)
	if snap.TargetFile != "" || snap.Plain {
		s.changeUnindexed(u, snap, version, changes)
		return nil
	}
	rev := analysis.Revise(snap.Index, snap.Doc, changes, s.encoding())
	s.logRevision(u, version, rev, changes)
	s.docs.set(u, snap.next(version, rev.Doc, rev.Index))
	s.scheduleDiagnostics(u)
	s.scheduleTargetFiles()
	return nil
}

// changeUnindexed applies changes to a document that is not a Dockerfile.
// A file naming targets changes what the open Dockerfiles' stages are
// used by, so their diagnostics are computed again.
func (s *Server) changeUnindexed(u uri.URI, snap *Snapshot, version int32, changes []analysis.Change) {
	doc, clamped := snap.Doc.ApplyChanges(changes, s.encoding())
	s.logRevision(u, version, analysis.Revision{Clamped: clamped}, changes)
	s.docs.set(u, snap.next(version, doc, nil))
	if snap.TargetFile != "" && s.ws.bufferChanged(snap.TargetFile, doc) {
		s.refreshDiagnostics()
	}
}

// toChanges converts the content changes for the core; a change of an
// unknown kind is logged and left out.
func (s *Server) toChanges(u uri.URI, changes []protocol.TextDocumentContentChangeEvent) []analysis.Change {
	out := make([]analysis.Change, 0, len(changes))
	for i, change := range changes {
		switch c := change.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			out = append(out, analysis.Change{Whole: true, Text: c.Text})
		case *protocol.TextDocumentContentChangePartial:
			out = append(out, analysis.Change{Start: fromProtocol(c.Range.Start), End: fromProtocol(c.Range.End), Text: c.Text})
		default:
			s.log.Warn("unknown content change; ignoring it", zap.String("uri", string(u)), zap.Int("change", i))
		}
	}
	return out
}

// checkVersion warns when a didChange does not increase the version.
func (s *Server) checkVersion(u uri.URI, from, to int32) {
	if to <= from {
		s.log.Warn("didChange version does not increase", zap.String("uri", string(u)),
			zap.Int32("from", from), zap.Int32("to", to))
	}
}

// logRevision logs what went wrong in an edit: ranges of changes clamped
// to the text and a failure of the analysis.
func (s *Server) logRevision(u uri.URI, version int32, rev analysis.Revision, changes []analysis.Change) {
	for _, i := range rev.Clamped {
		c := changes[i]
		s.log.Warn("change range outside the document; clamped", zap.String("uri", string(u)),
			zap.Int32("version", version), zap.Int("change", i),
			zap.Int("startLine", c.Start.Line), zap.Int("startChar", c.Start.Col),
			zap.Int("endLine", c.End.Line), zap.Int("endChar", c.End.Col))
	}
	if rev.Err != nil {
		s.log.Error("the analysis failed; the text is kept", zap.String("uri", string(u)), zap.Error(rev.Err))
	}
}

// scheduleTargetFiles asks for the diagnostics of the open files that name
// targets (Compose, Bake, workflows, scripts): they judge their targets and
// build arguments against the open Dockerfiles' text, which just changed.
func (s *Server) scheduleTargetFiles() {
	for u, snap := range s.docs.view() {
		if snap.TargetFile != "" {
			s.scheduleDiagnostics(u)
		}
	}
}

// DidClose forgets the document, with its caches, and clears its
// diagnostics.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	u := params.TextDocument.URI
	snap, ok := s.docs.get(u)
	if !ok {
		s.log.Warn("didClose for a document that is not open", zap.String("uri", string(u)))
		return nil
	}
	s.docs.set(u, nil)
	s.contexts.Forget(snap.Path)
	s.symbols.forget(snap.URI)
	s.clearDiagnostics(u, snap.URI)
	if snap.TargetFile != "" {
		s.ws.bufferClosed(snap.TargetFile)
	}
	return nil
}

// DidSave needs nothing for a Dockerfile: the server reads the editor's
// buffer, not the disk. An ignore file saved from the editor is a change
// to the build contexts, reported at once to a client that watches no
// files, rather than at the next poll.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	if p, ok := filePath(params.TextDocument.URI); ok && workspace.IsIgnoreFile(p) {
		s.contexts.IgnoreChanged()
		s.refreshDiagnostics()
	}
	return nil
}
