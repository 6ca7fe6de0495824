package server

import (
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// buildContext returns the build context of the Dockerfile at rawURI: its
// folder on disk, with the .dockerignore there, confined to that folder (a
// symbolic link out of it lists and matches nothing). A document that is
// not a file in an existing folder has none (FS is nil).
func (s *Server) buildContext(rawURI string) analysis.BuildContext {
	file, ok := docPath(rawURI)
	if !ok {
		return analysis.BuildContext{}
	}
	dir := filepath.Dir(file)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return analysis.BuildContext{}
	}
	ignore, err := rules.LoadIgnore(dir, filepath.Base(file))
	if err != nil {
		s.log.Debug("reading .dockerignore", zap.String("dir", dir), zap.Error(err))
	}
	return analysis.BuildContext{FS: confined.FS(dir), Ignore: ignore}
}
