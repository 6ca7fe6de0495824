package server

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// workspaceState is the server's view of the files around the open
// documents: the targets other files name, from a scan of the workspace
// folders kept current by file events and by the buffers the client has
// open, and the Dockerfiles on disk that those targets build.
type workspaceState struct {
	ix    atomic.Pointer[workspace.Index]
	ready chan struct{} // closed when the first scan is done
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
	return w
}

// scan indexes roots; it runs once, in the background.
func (w *workspaceState) scan(roots []string, lim workspace.Limits, done func(*workspace.Index)) {
	w.once.Do(func() {
		go func() {
			ix := workspace.Scan(roots, lim)
			w.mu.Lock()
			for p, text := range w.buffers {
				ix = ix.Update(p, text)
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

// index returns the current workspace index.
func (w *workspaceState) index() *workspace.Index { return w.ix.Load() }

// bufferChanged records the text of file p open in the client.
func (w *workspaceState) bufferChanged(p, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buffers[p] = text
	w.ix.Store(w.ix.Load().Update(p, text))
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
		w.ix.Store(w.ix.Load().Remove(p))
		delete(w.disk, p)
		w.mu.Unlock()
		return
	}
	if workspace.Classify(p) == workspace.NotTargets && !workspace.IsDockerfile(p) {
		return
	}
	data, err := os.ReadFile(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	switch _, open := w.buffers[p]; {
	case open:
	case err != nil:
		w.ix.Store(w.ix.Load().Remove(p))
	default:
		w.ix.Store(w.ix.Load().Update(p, string(data)))
	}
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
