package server

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// buildArgDiagnostics reports the build arguments the file at path passes
// (Compose build.args, Bake args, --build-arg) that their Dockerfile does
// not declare: BuildKit warns that they were not consumed.
func (s *Server) buildArgDiagnostics(doc *analysis.Document, path string) []protocol.Diagnostic {
	load := func(df string) (*analysis.Index, bool) {
		ix, _, ok := s.targetDockerfile(workspace.Target{Dockerfile: df})
		return ix, ok
	}
	var out []protocol.Diagnostic
	for _, u := range workspace.Undeclared(path, doc.Text(), load) {
		out = append(out, protocol.Diagnostic{
			Range:    toRange(doc, u.Arg.Span, s.encoding()),
			Severity: protocol.DiagnosticSeverityWarning,
			Source:   protocol.NewOptional("stagehand"),
			Message:  protocol.String(u.Message),
			Code:     protocol.String(workspace.UndeclaredArgRule),
		})
	}
	return out
}

// buildArgCompletion offers the ARG names of the Dockerfile a build
// argument at off goes to, replacing the name being typed.
func (s *Server) buildArgCompletion(doc *analysis.Document, path string, off int) []protocol.CompletionItem {
	var items []protocol.CompletionItem
	for _, a := range workspace.BuildArgs(path, doc.Text()) {
		if off < a.Span.Start || off > a.Span.End {
			continue
		}
		ix, _, ok := s.targetDockerfile(workspace.Target{Dockerfile: a.Dockerfile})
		if !ok {
			return nil
		}
		prefix := doc.Slice(analysis.Span{Start: a.Span.Start, End: off})
		seen := map[string]bool{}
		for i := range ix.Len() {
			n := ix.Node(i)
			if n.Cmd != "arg" {
				continue
			}
			for _, d := range n.Decls {
				name := d.Name.Value
				if seen[name] || !strings.HasPrefix(name, prefix) {
					continue
				}
				seen[name] = true
				detail := fmt.Sprintf("ARG of %s, line %d", filepath.Base(a.Dockerfile), ix.Doc.LineOf(n.Start)+1)
				if d.HasDefault {
					detail += ", default " + d.Value.Value
				}
				items = append(items, protocol.CompletionItem{
					Label:    name,
					Kind:     protocol.CompletionItemKindVariable,
					Detail:   protocol.NewOptional(detail),
					SortText: protocol.NewOptional(fmt.Sprintf("%06d", len(items))),
					TextEdit: &protocol.TextEdit{Range: toRange(doc, a.Span, s.encoding()), NewText: name},
				})
			}
		}
		return items
	}
	return nil
}
