package server

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// The files that name build targets (Compose, Bake, workflows, scripts)
// belong to other language servers too. Stagehand answers in them only at
// a target's position, and says nothing anywhere else.

// targetDockerfile returns the index of the Dockerfile a target builds: the
// client's buffer when it is open, else the file on disk.
func (s *Server) targetDockerfile(t workspace.Target) (*analysis.Index, uri.URI, bool) {
	u := uri.File(t.Dockerfile)
	if snap, ok := s.docs.get(u); ok {
		if ix, ok := snap.Current(); ok {
			return ix, u, true
		}
	}
	// The Dockerfile is read inside the workspace of the file naming it:
	// a Compose `context: /etc` with `dockerfile: passwd` reads nothing.
	ix, ok := s.ws.dockerfile(s.ws.root(t.File), t.Dockerfile)
	return ix, u, ok
}

// targetAt returns the target at off in the open file at path.
func (s *Server) targetAt(path string, off int) (workspace.Target, bool) {
	return s.ws.index().TargetAt(path, off)
}

// targetCompletion offers the stages of the Dockerfile a target builds, at
// a target's position in a file that names targets.
func (s *Server) targetCompletion(doc *analysis.Document, path string, off int) []protocol.CompletionItem {
	t, ok := s.targetAt(path, off)
	if !ok {
		return nil
	}
	ix, _, ok := s.targetDockerfile(t)
	if !ok {
		return nil
	}
	enc := s.encoding()
	prefix := strings.ToLower(doc.Slice(analysis.Span{Start: t.Span.Start, End: off}))
	var items []protocol.CompletionItem
	for i, st := range ix.Stages() {
		if st.Name == "" || !strings.HasPrefix(strings.ToLower(st.Name), prefix) {
			continue
		}
		detail := fmt.Sprintf("stage %d of %s, FROM %s", i, filepath.Base(t.Dockerfile), st.Base)
		items = append(items, protocol.CompletionItem{
			Label:    st.Name,
			Kind:     protocol.CompletionItemKindClass,
			Detail:   protocol.NewOptional(detail),
			SortText: protocol.NewOptional(fmt.Sprintf("%06d", i)),
			TextEdit: &protocol.TextEdit{Range: toRange(doc, t.Span, enc), NewText: st.Name},
		})
	}
	return items
}

// targetDefinition goes from a target to the stage it names.
func (s *Server) targetDefinition(path string, off int) []protocol.Location {
	t, ok := s.targetAt(path, off)
	if !ok {
		return nil
	}
	ix, u, ok := s.targetDockerfile(t)
	if !ok {
		return nil
	}
	st := ix.StageByName(t.Name)
	if st < 0 {
		return nil
	}
	return []protocol.Location{{URI: u, Range: toRange(ix.Doc, ix.Stage(st).NameSpan, s.encoding())}}
}

// targetDiagnostics reports the targets in the file at path that name no
// stage of their Dockerfile, with the closest name when there is one.
func (s *Server) targetDiagnostics(doc *analysis.Document, path string) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	load := func(df string) (*analysis.Index, bool) {
		ix, _, ok := s.targetDockerfile(workspace.Target{Dockerfile: df})
		return ix, ok
	}
	for _, u := range s.ws.index().Unknown(path, load) {
		out = append(out, protocol.Diagnostic{
			Range:    toRange(doc, u.Target.Span, s.encoding()),
			Severity: protocol.DiagnosticSeverityError,
			Source:   protocol.NewOptional("stagehand"),
			Message:  protocol.String(u.Message),
			Code:     protocol.String(workspace.UnknownRule),
		})
	}
	return out
}

// targetsNaming returns the targets in the workspace that name a stage of
// the Dockerfile at path, for references, rename and unused-stage checks.
func (s *Server) targetsNaming(path string, name string) []workspace.Target {
	var out []workspace.Target
	for _, t := range s.ws.index().TargetsFor(path) {
		if strings.EqualFold(t.Name, name) {
			out = append(out, t)
		}
	}
	return out
}

// workspaceTargets returns the stage names that files in the workspace
// build from the Dockerfile at u.
func (s *Server) workspaceTargets(u string) []string {
	p, ok := docPath(u)
	if !ok {
		return nil
	}
	var names []string
	for _, t := range s.ws.index().TargetsFor(p) {
		if t.Name != "" {
			names = append(names, t.Name)
		}
	}
	return names
}

// targetDoc returns the text a target's span refers to: the client's buffer
// when the file is open, else the file on disk, with its URI as the client
// would spell it.
func (s *Server) targetDoc(t workspace.Target) (*analysis.Document, uri.URI, *int32, bool) {
	u := uri.File(t.File)
	if snap, ok := s.docs.get(u); ok {
		v := snap.Version
		return snap.Doc, uri.URI(snap.URI), &v, true
	}
	data, err := confined.ReadFile(s.ws.root(t.File), t.File, s.ws.limits.MaxSize)
	if err != nil {
		return nil, "", nil, false
	}
	return analysis.NewDocument(string(data)), u, nil, true
}

// stageAt returns the stage whose name or reference is at p (for a
// reference built from variables, the one the defaults pick).
func stageAt(p position) (int, bool) {
	if t, ok := p.ix.ReferentAt(p.off); ok && t.Kind == analysis.ReferentStage {
		return t.Stage, true
	}
	return -1, false
}

// stageTargets returns the workspace targets naming the stage at p, if p
// is on a stage in a Dockerfile on disk.
func (s *Server) stageTargets(p position) []workspace.Target {
	st, ok := stageAt(p)
	if !ok {
		return nil
	}
	path, ok := filePath(p.uri)
	if !ok {
		return nil
	}
	name := p.ix.Stage(st).Name
	if name == "" {
		return nil
	}
	return s.targetsNaming(path, name)
}

// targetLocations places targets for references.
func (s *Server) targetLocations(ts []workspace.Target) []protocol.Location {
	var out []protocol.Location
	for _, t := range ts {
		doc, u, _, ok := s.targetDoc(t)
		if !ok {
			continue
		}
		out = append(out, protocol.Location{URI: u, Range: toRange(doc, t.Span, s.encoding())})
	}
	return out
}

// builtBy describes, for people, the files that build a stage as a target:
// `compose.yaml:6 (service api)`, ...
func (s *Server) builtBy(ts []workspace.Target) string {
	s.mu.Lock()
	roots := s.roots
	s.mu.Unlock()
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		parts = append(parts, t.Site(roots))
	}
	return strings.Join(parts, ", ")
}
