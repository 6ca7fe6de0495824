package server

import (
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
)

// buildContext returns the build context of the Dockerfile at file, kept
// in s.contexts until an ignore file changes: the folder that the
// workspace's Compose services or Bake targets building it name when there
// is exactly one, else its own folder, with the .dockerignore BuildKit
// reads for it. A document that is not a file in an existing folder has
// none (FS is nil).
func (s *Server) buildContext(file string) analysis.BuildContext {
	if file == "" {
		return analysis.BuildContext{}
	}
	ctx, err := s.contexts.For(s.ws.index(), file)
	if err != nil {
		s.log.Debug("reading .dockerignore", zap.String("file", file), zap.Error(err))
	}
	return ctx
}
