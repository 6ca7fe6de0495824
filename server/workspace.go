package server

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// workspaceState is the server's view of the files around the open
// documents: the targets other files name, from a scan of the workspace
// folders kept current by file events and by the buffers the client has
// open, and the Dockerfiles on disk that those targets build.
type workspaceState struct {
	ix    atomic.Pointer[workspace.Index]
	proj  atomic.Pointer[workspace.Project] // the settings files
	ready chan struct{}                     // closed when the first scan is done
	once  sync.Once

	mu      sync.Mutex // guards disk, buffers and the read-modify-write of ix
	disk    map[string]diskIndex
	buffers map[string]string // open files' text, which wins over the disk's
}

// diskIndex is a Dockerfile parsed from disk, kept while the file does not
// change.
type diskIndex struct {
	mod  time.Time
	size int64
	ix   *analysis.Index
}

func newWorkspaceState() *workspaceState {
	w := &workspaceState{ready: make(chan struct{}), disk: map[string]diskIndex{}, buffers: map[string]string{}}
	w.ix.Store(workspace.Scan(nil, workspace.DefaultLimits))
	w.proj.Store(workspace.LoadProject(nil))
	return w
}

// scan indexes roots; it runs once, in the background.
func (w *workspaceState) scan(roots []string, lim workspace.Limits, done func(*workspace.Index)) {
	w.once.Do(func() {
		go func() {
			proj := workspace.LoadProject(roots)
			ix := proj.Scan(lim)
			w.mu.Lock()
			w.proj.Store(proj)
			for p, text := range w.buffers {
				if !proj.Ignored(p, false) {
					ix = ix.Update(p, text)
				}
			}
			w.ix.Store(ix)
			w.mu.Unlock()
			close(w.ready)
			if done != nil {
				done(ix)
			}
		}()
	})
}

// reload re-reads the settings files and scans the roots again, after a
// settings file changed: what it ignores may have changed too.
func (w *workspaceState) reload(lim workspace.Limits) *workspace.Project {
	roots := w.proj.Load().Roots
	proj := workspace.LoadProject(roots)
	ix := proj.Scan(lim)
	w.mu.Lock()
	defer w.mu.Unlock()
	for p, text := range w.buffers {
		if !proj.Ignored(p, false) {
			ix = ix.Update(p, text)
		}
	}
	w.proj.Store(proj)
	w.ix.Store(ix)
	return proj
}

// rulesFor is the rules' configuration of the Dockerfile at path: the
// project's settings file, overridden by the editor's settings.
func (w *workspaceState) rulesFor(path string, editor *rules.Config) *rules.Config {
	file, _ := w.proj.Load().Settings(path).Layer(workspace.SettingsFile)
	cfg, _ := workspace.Merge(file, workspace.Layer{Source: "editor settings", Severity: editor.Severity, Targets: editor.Targets})
	cfg.Ignore, cfg.Cache = editor.Ignore, editor.Cache
	return cfg
}

// logProblems logs what is wrong in the project's settings files.
func (w *workspaceState) logProblems(log *zap.Logger) {
	for _, err := range w.proj.Load().Problems() {
		log.Warn("ignoring part of the project settings", zap.Error(err))
	}
}

// ignored reports whether the project's settings file ignores path.
func (w *workspaceState) ignored(path string) bool { return w.proj.Load().Ignored(path, false) }

// index returns the current workspace index.
func (w *workspaceState) index() *workspace.Index { return w.ix.Load() }

// bufferChanged records the text of file p open in the client.
func (w *workspaceState) bufferChanged(p, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buffers[p] = text
	if w.proj.Load().Ignored(p, false) {
		return // the settings file leaves it out of the project
	}
	w.ix.Store(w.rereadDependents(w.ix.Load().Update(p, text), p))
}

// bufferClosed goes back to the file's text on disk.
func (w *workspaceState) bufferClosed(p string) {
	w.mu.Lock()
	delete(w.buffers, p)
	w.mu.Unlock()
	w.fileChanged(p, false)
}

// fileChanged re-reads file p after the client reported a change on disk.
func (w *workspaceState) fileChanged(p string, deleted bool) {
	if deleted {
		w.mu.Lock()
		w.ix.Store(w.rereadDependents(w.ix.Load().Remove(p), p))
		delete(w.disk, p)
		w.mu.Unlock()
		return
	}
	if workspace.Classify(p) == workspace.NotTargets && !workspace.IsDockerfile(p) || w.proj.Load().Ignored(p, false) {
		w.mu.Lock()
		w.ix.Store(w.rereadDependents(w.ix.Load(), p)) // a file Compose extends, say
		w.mu.Unlock()
		return
	}
	data, err := os.ReadFile(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	switch _, open := w.buffers[p]; {
	case open:
	case err != nil:
		w.ix.Store(w.rereadDependents(w.ix.Load().Remove(p), p))
	default:
		w.ix.Store(w.rereadDependents(w.ix.Load().Update(p, string(data)), p))
	}
}

// rereadDependents reads again the files whose targets were read through
// p: their buffer when open, else the disk. w.mu is held.
func (w *workspaceState) rereadDependents(ix *workspace.Index, p string) *workspace.Index {
	for _, f := range ix.Dependents(p) {
		if text, open := w.buffers[f]; open {
			ix = ix.Update(f, text)
			continue
		}
		if data, err := os.ReadFile(f); err == nil {
			ix = ix.Update(f, string(data))
		}
	}
	return ix
}

// dockerfile returns the index of the Dockerfile at p as it is on disk.
func (w *workspaceState) dockerfile(p string) (*analysis.Index, bool) {
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() > workspace.DefaultLimits.MaxSize {
		return nil, false
	}
	w.mu.Lock()
	cached, ok := w.disk[p]
	w.mu.Unlock()
	if ok && cached.mod.Equal(info.ModTime()) && cached.size == info.Size() {
		return cached.ix, true
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	ix := analysis.Parse(analysis.NewDocument(string(data)))
	w.mu.Lock()
	w.disk[p] = diskIndex{mod: info.ModTime(), size: info.Size(), ix: ix}
	w.mu.Unlock()
	return ix, true
}

// docPath returns the file system path of a document's URI as the client
// sent it, for a file URI.
func docPath(rawURI string) (string, bool) {
	u, err := uri.Parse(rawURI)
	if err != nil {
		return "", false
	}
	return filePath(u)
}

// filePath returns the file system path of a file URI.
func filePath(u uri.URI) (string, bool) {
	if !u.IsFile() {
		return "", false
	}
	return filepath.Clean(u.FsPath()), true
}
