package server

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// contextCache keeps the build context of each Dockerfile path, so that
// diagnostics, completion, inlay hints and code actions do not read the
// .dockerignore again for every version. An entry holds while the
// workspace index that chose the folder is current and no ignore file
// changed: the client reports the changes when it watches files (see
// workspaceGlobs); otherwise the ignore files' and folder's stat is
// compared, which costs a stat, not a read and a parse.
type contextCache struct {
	mu      sync.Mutex
	gen     uint64 // counts the ignore files the client reported changed
	entries map[string]contextEntry
}

type contextEntry struct {
	ws    *workspace.Index
	gen   uint64
	stamp string // "" when the client watches the ignore files
	ctx   analysis.BuildContext
}

// ignoreChanged forgets every build context: an ignore file changed.
func (c *contextCache) ignoreChanged() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// forget drops the build context of the Dockerfile at file, closed.
func (c *contextCache) forget(file string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, file)
}

// isIgnoreFile reports whether p is a file BuildKit may read as a
// .dockerignore: .dockerignore or <Dockerfile>.dockerignore.
func isIgnoreFile(p string) bool {
	return filepath.Ext(p) == ".dockerignore"
}

// buildContext returns the build context of the Dockerfile at file: the
// folder that the workspace's Compose services or Bake targets building it
// name when there is exactly one, else its own folder (ContextFor), with
// the .dockerignore BuildKit reads for it, confined to that folder (a
// symbolic link out of it lists and matches nothing). A document that is
// not a file in an existing folder has none (FS is nil).
func (s *Server) buildContext(file string) analysis.BuildContext {
	if file == "" {
		return analysis.BuildContext{}
	}
	ws := s.ws.index()
	dir := ws.ContextFor(file)
	stamp := ""
	if !s.watchingIgnores.Load() {
		stamp = contextStamp(file, dir)
	}
	c := &s.contexts
	c.mu.Lock()
	e, ok := c.entries[file]
	gen := c.gen
	c.mu.Unlock()
	if ok && e.ws == ws && e.gen == gen && e.stamp == stamp {
		return e.ctx
	}
	e = contextEntry{ws: ws, gen: gen, stamp: stamp, ctx: s.loadBuildContext(file, dir)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		if c.entries == nil {
			c.entries = map[string]contextEntry{}
		}
		c.entries[file] = e
	}
	return e.ctx
}

// loadBuildContext reads the build context of file in folder dir.
func (s *Server) loadBuildContext(file, dir string) analysis.BuildContext {
	s.contextLoads.Add(1)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return analysis.BuildContext{}
	}
	ignore, err := rules.LoadBuildIgnore(file, dir)
	if err != nil {
		s.log.Debug("reading .dockerignore", zap.String("dir", dir), zap.Error(err))
	}
	return analysis.BuildContext{FS: confined.FS(dir), Ignore: ignore}
}

// contextStamp describes the folder dir and the ignore files BuildKit may
// read for file, for a client that does not report their changes.
func contextStamp(file, dir string) string {
	stamp := ""
	for _, p := range []string{dir, file + ".dockerignore", filepath.Join(dir, ".dockerignore")} {
		if info, err := os.Stat(p); err == nil {
			stamp += fmt.Sprintf("%d:%d:%d;", info.Mode(), info.Size(), info.ModTime().UnixNano())
		} else {
			stamp += "-;"
		}
	}
	return stamp
}
