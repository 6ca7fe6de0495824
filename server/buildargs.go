package server

import (
	"fmt"
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// buildArgDiagnostics reports the build arguments the file at path passes
// (Compose build.args, Bake args, --build-arg) that their Dockerfile does
// not declare: BuildKit warns that they were not consumed.
func (s *Server) buildArgDiagnostics(doc *analysis.Document, path string) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, a := range workspace.BuildArgs(path, doc.Text()) {
		ix, _, ok := s.targetDockerfile(workspace.Target{Dockerfile: a.Dockerfile})
		if !ok || ix.ParseError != nil || workspace.Declares(ix, a.Name) {
			continue
		}
		out = append(out, protocol.Diagnostic{
			Range:    toRange(doc, a.Span, s.encoding()),
			Severity: protocol.DiagnosticSeverityWarning,
			Source:   protocol.NewOptional("stagehand"),
			Message:  protocol.String(fmt.Sprintf("%s declares no ARG %s: the build argument has no effect (BuildKit warns it was not consumed)", filepath.Base(a.Dockerfile), a.Name)),
			Code:     protocol.String("UndeclaredBuildArg"),
		})
	}
	return out
}
