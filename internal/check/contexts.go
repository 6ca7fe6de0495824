package check

import (
	"errors"
	"io/fs"
	"os"
	"sync"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// contexts reads the build contexts of one run of `stagehand check`. A
// Dockerfile with no ignore file of its own (<Dockerfile>.dockerignore)
// takes its context folder's .dockerignore, which is then read and
// compiled once for every Dockerfile built in that folder, instead of once
// each: checking a folder of Dockerfiles read the same file hundreds of
// times. The zero value is ready to use, by any number of goroutines.
type contexts struct {
	mu    sync.Mutex
	byDir map[string]*sharedContext
}

// sharedContext is a context folder's build context, read once.
type sharedContext struct {
	once sync.Once
	ctx  analysis.BuildContext
	err  error
}

// load returns what workspace.LoadBuildContext(file, dir) returns.
func (c *contexts) load(file, dir string) (analysis.BuildContext, error) {
	if _, err := os.Lstat(file + ".dockerignore"); !errors.Is(err, fs.ErrNotExist) {
		// An ignore file of its own, or one that cannot be looked at:
		// LoadBuildContext decides, and reports.
		return workspace.LoadBuildContext(file, dir)
	}
	c.mu.Lock()
	if c.byDir == nil {
		c.byDir = map[string]*sharedContext{}
	}
	s := c.byDir[dir]
	if s == nil {
		s = &sharedContext{}
		c.byDir[dir] = s
	}
	c.mu.Unlock()
	// Without <file>.dockerignore, what LoadBuildContext reads depends on
	// dir alone.
	s.once.Do(func() { s.ctx, s.err = workspace.LoadBuildContext(file, dir) })
	return s.ctx, s.err
}
