package server

import (
	"fmt"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// The files that name build targets (Compose, Bake, workflows, scripts)
// belong to other language servers too. Stagehand answers in them only at
// a target's or build argument's position; completion, definition and
// the rules live in completion and analysis/workspace.

// dockerfiles loads the Dockerfiles that file (one naming targets) builds:
// the client's buffer when it is open, else the file on disk, read inside
// the workspace folder of file (a Compose `context: /etc` with
// `dockerfile: passwd` reads nothing).
func (s *Server) dockerfiles(file string) workspace.Loader {
	return func(df string) (*analysis.Index, bool) {
		if snap, ok := s.docs.get(uri.File(df)); ok {
			if ix, ok := snap.Current(); ok {
				return ix, true
			}
		}
		return s.ws.dockerfile(s.ws.root(file), df)
	}
}

// targetDefinition goes from a target to the stage it names.
func (s *Server) targetDefinition(path string, off int) []protocol.Location {
	df, ix, name, ok := s.ws.index().Definition(path, off, s.dockerfiles(path))
	if !ok {
		return nil
	}
	return []protocol.Location{{URI: uri.File(df), Range: toRange(ix.Doc, name, s.encoding())}}
}

// targetDiagnostics reports what the file at path asks of its Dockerfiles
// that they lack (UnknownTarget, UndeclaredBuildArg), each Dockerfile
// judged under its own rules' configuration.
func (s *Server) targetDiagnostics(doc *analysis.Document, docURI, path string) []protocol.Diagnostic {
	config := func(df string) *rules.Config { return s.ws.rulesFor(df, s.settingsFor(df).Rules) }
	var out []protocol.Diagnostic
	for _, d := range s.ws.index().Check(path, doc.Text(), s.dockerfiles(path), config) {
		out = append(out, toDiagnostic(doc, docURI, d, s.encoding()))
	}
	return out
}

// targetsNaming returns the targets in the workspace that name a stage of
// the Dockerfile at path, for references, rename and lenses.
func (s *Server) targetsNaming(path string, name string) []workspace.Target {
	return s.ws.index().Naming(path, name)
}

// workspaceTargets returns the stage names that files in the workspace
// build from the Dockerfile at u.
func (s *Server) workspaceTargets(u string) []string {
	p, ok := docPath(u)
	if !ok {
		return nil
	}
	return s.ws.index().Names(p)
}

// targetDoc returns the text a target's span refers to: the client's buffer
// when the file is open, else the file on disk, with its URI as the client
// would spell it.
func (s *Server) targetDoc(t workspace.Target) (*analysis.Document, uri.URI, *int32, bool) {
	return s.fileDoc(t.File)
}

// fileDoc returns a workspace file's text as targetDoc does.
func (s *Server) fileDoc(file string) (*analysis.Document, uri.URI, *int32, bool) {
	u := uri.File(file)
	if snap, ok := s.docs.get(u); ok {
		v := snap.Version
		return snap.Doc, uri.URI(snap.URI), &v, true
	}
	data, err := confined.ReadFile(s.ws.root(file), file, s.ws.limits.MaxSize)
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
	return s.targetsNaming(path, p.ix.Stage(st).Name)
}

// computedTargetRename refuses to rename a stage that a workspace file
// names by building the name from pieces (`target = "runtime-${item}"`):
// no one place there holds the name to rewrite.
func (s *Server) computedTargetRename(p position) error {
	for _, t := range s.stageTargets(p) {
		if t.Computed {
			return fmt.Errorf("%s builds the name %q from pieces; rename the stage and that file by hand", s.builtBy([]workspace.Target{t}), t.Name)
		}
	}
	return nil
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
	return workspace.BuiltBy(ts, roots)
}
