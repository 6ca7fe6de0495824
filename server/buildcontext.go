package server

import (
	"os"

	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// buildContext returns the build context of the Dockerfile at rawURI: the
// folder that the workspace's Compose services or Bake targets building it
// name when there is exactly one, else its own folder (ContextFor), with
// the .dockerignore BuildKit reads for it, confined to that folder (a
// symbolic link out of it lists and matches nothing). A document that is
// not a file in an existing folder has none (FS is nil).
func (s *Server) buildContext(rawURI string) analysis.BuildContext {
	file, ok := docPath(rawURI)
	if !ok {
		return analysis.BuildContext{}
	}
	dir := s.ws.index().ContextFor(file)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return analysis.BuildContext{}
	}
	ignore, err := rules.LoadBuildIgnore(file, dir)
	if err != nil {
		s.log.Debug("reading .dockerignore", zap.String("dir", dir), zap.Error(err))
	}
	return analysis.BuildContext{FS: confined.FS(dir), Ignore: ignore}
}
