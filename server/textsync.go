package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	doc := analysis.NewDocument(td.Text)
	snap := &Snapshot{URI: sentURIFrom(ctx, string(td.URI)), Version: td.Version, Doc: doc, Rules: &rules.Cache{}}
	switch p, kind := documentKind(td.URI, string(td.LanguageID)); kind {
	case targetsDocument:
		snap.TargetFile = p
		s.ws.bufferChanged(p, td.Text)
	case dockerfileDocument:
		snap.Index = s.parse(doc)
		if doc.Len() > largeDocument {
			// A full parse of a large file leaves tens of megabytes of
			// garbage; give it back to the system rather than keep it.
			s.fitMemory()
		}
	}
	s.docs.set(td.URI, snap)
	s.scheduleDiagnostics(td.URI)
	return nil
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
	case onDisk && workspace.Classify(p) != workspace.NotTargets:
		return p, targetsDocument
	case otherLanguages[strings.ToLower(languageID)]:
		return "", otherDocument
	}
	return "", dockerfileDocument
}

// DidChange applies the content changes in order. Each ranged change is
// converted with the negotiated encoding and applied incrementally; a
// whole-document change re-parses.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	u := params.TextDocument.URI
	snap, ok := s.docs.get(u)
	if !ok {
		s.log.Warn("didChange for a document that is not open; ignoring it", zap.String("uri", string(u)))
		return nil
	}
	version := params.TextDocument.Version
	if version <= snap.Version {
		s.log.Warn("didChange version does not increase", zap.String("uri", string(u)),
			zap.Int32("from", snap.Version), zap.Int32("to", version))
	}
	enc := s.encoding()
	doc, ix := snap.Doc, snap.Index
	for i, change := range params.ContentChanges {
		switch c := change.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			doc, ix = analysis.NewDocument(c.Text), nil
		case *protocol.TextDocumentContentChangePartial:
			span, clamped := fromRange(doc, c.Range, enc)
			if clamped {
				s.log.Warn("change range outside the document; clamped", zap.String("uri", string(u)),
					zap.Int32("version", version), zap.Int("change", i),
					zap.Uint32("startLine", c.Range.Start.Line), zap.Uint32("startChar", c.Range.Start.Character),
					zap.Uint32("endLine", c.Range.End.Line), zap.Uint32("endChar", c.Range.End.Character))
			}
			edit := analysis.Edit{Span: span, Text: c.Text}
			next, err := doc.Apply(edit)
			if err != nil {
				// fromRange clamps, so this is a bug; skip the change rather than crash.
				s.log.Error("applying change", zap.String("uri", string(u)), zap.Error(err))
				continue
			}
			if ix != nil && ix.Doc == doc {
				ix = s.update(ix, next, edit)
			} else {
				ix = nil
			}
			doc = next
		default:
			s.log.Warn("unknown content change; ignoring it", zap.String("uri", string(u)), zap.Int("change", i))
		}
	}
	if snap.TargetFile != "" {
		s.ws.bufferChanged(snap.TargetFile, doc.Text())
		s.docs.set(u, &Snapshot{URI: snap.URI, Version: version, Doc: doc, TargetFile: snap.TargetFile})
		// The stages it builds count as used in every open Dockerfile.
		s.refreshDiagnostics()
		return nil
	}
	if ix == nil || ix.Doc != doc {
		ix = s.parse(doc)
	}
	if ix == nil {
		ix = snap.Index // stale, but still useful for navigation
	}
	s.docs.set(u, &Snapshot{URI: snap.URI, Version: version, Doc: doc, Index: ix, Rules: snap.Rules})
	s.scheduleDiagnostics(u)
	s.scheduleTargetFiles()
	return nil
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
	s.clearDiagnostics(u, snap.URI)
	if snap.TargetFile != "" {
		s.ws.bufferClosed(snap.TargetFile)
	}
	return nil
}

// DidSave needs nothing: the server reads the editor's buffer, not the disk.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	return nil
}

// parse indexes doc. A panic in the analysis is logged and gives nil, so
// that the stored text stays in step with the client's whatever happens.
func (s *Server) parse(doc *analysis.Document) (ix *analysis.Index) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("analysis.Parse panicked", zap.Any("panic", r), zap.Stack("stack"))
			ix = nil
		}
	}()
	return analysis.Parse(doc)
}

// update updates ix for the edit e that turned ix.Doc into doc. A panic in
// the analysis is logged and gives nil.
func (s *Server) update(ix *analysis.Index, doc *analysis.Document, e analysis.Edit) (next *analysis.Index) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("analysis.Index.Update panicked", zap.Any("panic", r), zap.Stack("stack"))
			next = nil
		}
	}()
	return ix.Update(doc, e)
}

// checkSync checks the params of a document's open, change or close
// before protocol decodes them, since what protocol makes of a malformed
// one would be applied: a didOpen without its text opens an empty
// document, and a change whose range does not decode (a negative line,
// 2^32, a fraction) is read as a whole-document change that replaces the
// text with the fragment. A malformed one is refused whole.
func checkSync(method string, params []byte) error {
	var p struct {
		TextDocument *struct {
			URI        *string `json:"uri"`
			LanguageID *string `json:"languageId"`
			Version    *int32  `json:"version"`
			Text       *string `json:"text"`
		} `json:"textDocument"`
		ContentChanges []struct {
			Range json.RawMessage `json:"range"`
			Text  *string         `json:"text"`
		} `json:"contentChanges"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return err
	}
	td := p.TextDocument
	switch {
	case td == nil || td.URI == nil:
		return errors.New("no textDocument.uri")
	case method == protocol.MethodTextDocumentDidOpen && (td.LanguageID == nil || td.Version == nil || td.Text == nil):
		return errors.New("textDocument lacks its languageId, version or text")
	case method != protocol.MethodTextDocumentDidChange:
		return nil
	case td.Version == nil:
		return errors.New("no textDocument.version")
	case p.ContentChanges == nil:
		return errors.New("no contentChanges")
	}
	for i, c := range p.ContentChanges {
		if c.Text == nil {
			return fmt.Errorf("change %d has no text", i)
		}
		if c.Range == nil {
			continue
		}
		var r struct {
			Start, End *struct{ Line, Character json.RawMessage }
		}
		if err := json.Unmarshal(c.Range, &r); err != nil || r.Start == nil || r.End == nil {
			return fmt.Errorf("change %d: range %s is not a range", i, truncate(c.Range))
		}
		for _, v := range []json.RawMessage{r.Start.Line, r.Start.Character, r.End.Line, r.End.Character} {
			if _, err := strconv.ParseUint(string(v), 10, 32); err != nil {
				return fmt.Errorf("change %d: range %s: a position is not two unsigned 32-bit integers", i, truncate(c.Range))
			}
		}
	}
	return nil
}
