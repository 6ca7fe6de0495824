package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// LoadBuildContext reads the build context of the Dockerfile at file in
// the folder dir: the folder, confined (a symbolic link out of it lists
// and matches nothing), less what the .dockerignore BuildKit picks for the
// file excludes. A folder that does not exist gives no context (FS nil).
// An ignore file that cannot be read is reported and matches nothing.
func LoadBuildContext(file, dir string) (analysis.BuildContext, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return analysis.BuildContext{}, nil
	}
	ignore, err := rules.LoadBuildIgnore(file, dir)
	return analysis.BuildContext{FS: confined.FS(dir), Ignore: ignore}, err
}

// IsIgnoreFile reports whether p is a file BuildKit may read as a
// .dockerignore: .dockerignore, or <Dockerfile>.dockerignore.
func IsIgnoreFile(p string) bool {
	return filepath.Ext(p) == ".dockerignore"
}

// Contexts keeps the build context of each Dockerfile, so that a language
// server's diagnostics, completion, inlay hints and code actions do not
// read the .dockerignore again for every version of the file. A context
// holds while the Index that chose its folder is current and no ignore
// file changed: once Watch is called, the caller reports the changes with
// IgnoreChanged; until then the folder's and the ignore files' stat is
// compared, by Recheck (a poller's) and by a use at least Every after the
// last comparison, not by every use: a keystroke makes no syscall. The
// zero value is ready to use.
type Contexts struct {
	// Every is how long an unwatched context is used before a use
	// compares its stat again; 0 means RecheckEvery.
	Every time.Duration

	mu      sync.Mutex
	gen     uint64 // counts the reported changes
	entries map[string]contextEntry
	watched atomic.Bool
	loads   atomic.Int64
}

// RecheckEvery is how long, by default, an unwatched context is used
// before its stat is compared again: a language server's poll interval.
const RecheckEvery = 2 * time.Second

type contextEntry struct {
	ix      *Index
	gen     uint64
	dir     string
	stamp   string    // "" once the changes are reported
	checked time.Time // when stamp was taken
	ctx     analysis.BuildContext
}

// For returns the build context of the Dockerfile at file, in the folder
// ix chooses for it (ContextFor), and the error reading its ignore file.
func (c *Contexts) For(ix *Index, file string) (analysis.BuildContext, error) {
	c.mu.Lock()
	e, ok := c.entries[file]
	gen := c.gen
	c.mu.Unlock()
	watched := c.watched.Load()
	if ok && e.ix == ix && e.gen == gen && (watched || time.Since(e.checked) < c.every()) {
		return e.ctx, nil
	}
	dir := ix.ContextFor(file)
	stamp, checked := "", time.Time{}
	if !watched {
		stamp, checked = contextStamp(file, dir), time.Now()
		if ok && e.ix == ix && e.gen == gen && e.stamp == stamp {
			c.mu.Lock()
			if c.gen == gen {
				e.checked = checked
				c.entries[file] = e
			}
			c.mu.Unlock()
			return e.ctx, nil
		}
	}
	c.loads.Add(1)
	ctx, err := LoadBuildContext(file, dir)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		if c.entries == nil {
			c.entries = map[string]contextEntry{}
		}
		c.entries[file] = contextEntry{ix: ix, gen: gen, dir: dir, stamp: stamp, checked: checked, ctx: ctx}
	}
	return ctx, err
}

func (c *Contexts) every() time.Duration {
	if c.Every > 0 {
		return c.Every
	}
	return RecheckEvery
}

// Recheck compares the stat of every unwatched context's folder and
// ignore files with what it was when the context was read, and forgets
// the contexts if one changed, reporting whether it did.
func (c *Contexts) Recheck() bool {
	if c.watched.Load() {
		return false
	}
	c.mu.Lock()
	type kept struct{ file, dir, stamp string }
	var all []kept
	for file, e := range c.entries {
		all = append(all, kept{file, e.dir, e.stamp})
	}
	gen := c.gen
	c.mu.Unlock()
	for _, k := range all {
		if contextStamp(k.file, k.dir) != k.stamp {
			c.mu.Lock()
			if c.gen == gen {
				c.gen++
				c.entries = nil
			}
			c.mu.Unlock()
			return true
		}
	}
	return false
}

// Watch says that from now on every change to an ignore file is reported
// with IgnoreChanged.
func (c *Contexts) Watch() {
	c.watched.Store(true)
	c.IgnoreChanged() // what is kept was not watched
}

// IgnoreChanged forgets every context: an ignore file changed.
func (c *Contexts) IgnoreChanged() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// Forget drops the context of the Dockerfile at file.
func (c *Contexts) Forget(file string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, file)
}

// Loads returns how many contexts were read, for tests.
func (c *Contexts) Loads() int64 { return c.loads.Load() }

// contextStamp describes the folder dir and the ignore files BuildKit may
// read for file.
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
