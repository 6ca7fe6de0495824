package server

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
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

	mu      sync.Mutex // guards disk, buffers, pending and the read-modify-write of ix
	disk    map[string]diskIndex
	buffers map[string]*analysis.Document // open files' text, which wins over the disk's
	// pending are the files changed on disk that the reader has yet to
	// read (true when deleted); reading is true while it runs.
	pending map[string]bool
	reading bool
	// reread, when set, is called after the reader has caught up.
	reread func()
	limits workspace.Limits
	// roots are the workspace folders, known before the scan ends.
	roots []string
	// poll and rewalk pace pollFiles, for clients that cannot watch files.
	poll, rewalk time.Duration
	// watching are the globs registered for files read through
	// (watchReadThrough), changed under watchMu.
	watchMu  sync.Mutex
	watching []string
	// folders are the client's workspace folders with their settings
	// (folders.go), replaced whole under mu.
	folders atomic.Pointer[[]folder]
	// folderChanges and pulls count the folder changes and the pulls of
	// the configuration done, for tests to wait on.
	folderChanges, pulls atomic.Int64
	// folderGen numbers the folder changes; folderMu runs their rescans
	// one at a time (folders.go).
	folderGen atomic.Int64
	folderMu  sync.Mutex
	// reloadMu orders rescans, so that the last one reads the last roots.
	reloadMu sync.Mutex
	// watchOnce starts following changes on disk, once there are roots.
	watchOnce sync.Once
}

// diskIndex is a Dockerfile parsed from disk, kept while the file does not
// change.
type diskIndex struct {
	mod  time.Time
	size int64
	ix   *analysis.Index
}

func newWorkspaceState() *workspaceState {
	w := &workspaceState{ready: make(chan struct{}), disk: map[string]diskIndex{}, buffers: map[string]*analysis.Document{}, pending: map[string]bool{}, limits: workspace.DefaultLimits,
		poll: pollInterval, rewalk: rewalkInterval}
	w.ix.Store(workspace.Scan(nil, workspace.DefaultLimits))
	w.proj.Store(workspace.LoadProject(nil))
	return w
}

// scan indexes roots; it runs once, in the background.
func (w *workspaceState) scan(roots []string, lim workspace.Limits, done func(*workspace.Index)) {
	w.once.Do(func() {
		w.mu.Lock()
		w.roots = roots
		w.mu.Unlock()
		go func() {
			proj := workspace.LoadProject(roots)
			ix := proj.Scan(lim)
			w.mu.Lock()
			w.proj.Store(proj)
			w.ix.Store(w.overlay(proj, ix))
			w.mu.Unlock()
			if done != nil {
				done(ix)
			}
			close(w.ready) // after done, so that ready means its refresh is scheduled too
		}()
	})
}

// reload re-reads the settings files and scans the roots again, after a
// settings file changed: what it ignores may have changed too.
func (w *workspaceState) reload(lim workspace.Limits) *workspace.Project {
	w.reloadMu.Lock()
	defer w.reloadMu.Unlock()
	return w.reloadLocked(lim)
}

// reloadLocked is reload with reloadMu held.
func (w *workspaceState) reloadLocked(lim workspace.Limits) *workspace.Project {
	w.mu.Lock()
	roots := w.roots
	w.mu.Unlock()
	proj := workspace.LoadProject(roots)
	ix := proj.Scan(lim)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.proj.Store(proj)
	w.ix.Store(w.overlay(proj, ix))
	return proj
}

// overlay takes the open buffers into a scan's index: their text wins
// over the disk's, and the files that read an open .env through are read
// again with it. w.mu is held.
func (w *workspaceState) overlay(proj *workspace.Project, ix *workspace.Index) *workspace.Index {
	for p, doc := range w.buffers {
		if !proj.Ignored(p, false) && ix.Tracks(p) {
			ix = ix.Update(p, doc.Text())
		}
	}
	for p := range w.buffers {
		// A .env, an included Compose file, a Bake file named with -f, a
		// Makefile another includes.
		if !proj.Ignored(p, false) && !workspace.IsDockerfile(p) {
			ix = w.rereadDependents(ix, p)
		}
	}
	return ix
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

// bufferChanged records the text of file p open in the client, and
// reports whether the index changed with it (a YAML file no file reads
// through changes nothing, and its text is not even put together: a
// keystroke in a 7 MB package-lock.json stays cheap).
func (w *workspaceState) bufferChanged(p string, doc *analysis.Document) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buffers[p] = doc
	if w.proj.Load().Ignored(p, false) {
		return false // the settings file leaves it out of the project
	}
	before := w.ix.Load()
	if !before.Tracks(p) {
		return false
	}
	next := before.Update(p, doc.Text())
	if next == before {
		return false
	}
	w.ix.Store(w.rereadDependents(next, p))
	return true
}

// bufferClosed goes back to the file's text on disk.
func (w *workspaceState) bufferClosed(p string) {
	w.mu.Lock()
	delete(w.buffers, p)
	w.mu.Unlock()
	w.fileChanged(p, false)
}

// fileChanged queues file p to be read again after the client reported a
// change on disk. Files are read off the connection's read loop, by one
// goroutine at a time, and only the last event for a file counts.
func (w *workspaceState) fileChanged(p string, deleted bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queue(p, deleted)
}

// queue is fileChanged with w.mu held.
func (w *workspaceState) queue(p string, deleted bool) {
	w.pending[p] = deleted
	if !w.reading {
		w.reading = true
		go w.readPending()
	}
}

// readPending reads the queued files until none is left, then calls
// reread.
func (w *workspaceState) readPending() {
	for {
		w.mu.Lock()
		if len(w.pending) == 0 {
			w.reading = false
			reread := w.reread
			w.mu.Unlock()
			if reread != nil {
				reread()
			}
			return
		}
		var p string
		var deleted bool
		for p, deleted = range w.pending {
			break
		}
		delete(w.pending, p)
		w.mu.Unlock()
		w.reread1(p, deleted)
	}
}

// polled are the files pollFiles looks at for changes: those the index
// holds targets from, and those they read through.
func (w *workspaceState) polled() []string {
	ix := w.index()
	return slices.Concat(ix.Files(), ix.ReadThrough())
}

// rewalkOnce walks the workspace as the scan does and queues the target
// files and Dockerfiles created or deleted since the index was made; an
// open buffer's file is left to the buffer. It returns what the walk
// cost.
func (w *workspaceState) rewalkOnce() time.Duration {
	start := time.Now()
	files, truncated := w.proj.Load().List(w.limits)
	created, deleted := w.index().Changes(files, truncated)
	took := time.Since(start)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range created {
		w.queue(p, false)
	}
	for _, p := range deleted {
		if _, open := w.buffers[p]; !open {
			w.queue(p, true)
		}
	}
	return took
}

// reread1 takes file p's content on disk into the index.
func (w *workspaceState) reread1(p string, deleted bool) {
	var data []byte
	var err error
	// A file that names no targets may still be read through by one that
	// does (a file Compose extends): only its dependents are read again.
	unnamed := workspace.Classify(p) == workspace.NotTargets && !workspace.IsDockerfile(p) || w.proj.Load().Ignored(p, false)
	if !deleted && !unnamed {
		data, err = confined.ReadFile(w.root(p), p, w.limits.MaxSize)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, again := w.pending[p]; again {
		return // a later event for p is queued
	}
	switch _, open := w.buffers[p]; {
	case deleted && open && workspace.IsReadThrough(p):
		// The editor's buffer still holds it: kept until closed.
		delete(w.disk, p)
	case deleted:
		w.ix.Store(w.rereadDependents(w.ix.Load().Remove(p), p))
		delete(w.disk, p)
	case unnamed && !open:
		// Back to the disk's text (a buffer closed, unsaved; a .env, an
		// included Compose file), or a change on disk.
		w.ix.Store(w.rereadDependents(w.ix.Load().Remove(p), p))
	case unnamed:
		w.ix.Store(w.rereadDependents(w.ix.Load(), p))
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
		if doc, open := w.buffers[f]; open {
			ix = ix.Update(f, doc.Text())
			continue
		}
		if data, err := confined.ReadFile(w.rootLocked(f), f, w.limits.MaxSize); err == nil {
			ix = ix.Update(f, string(data))
		}
	}
	return ix
}

// root returns the folder that reads for file p are confined to: the
// innermost workspace folder holding p, or else p's own folder.
func (w *workspaceState) root(p string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rootLocked(p)
}

// rootLocked is root with w.mu held.
func (w *workspaceState) rootLocked(p string) string {
	best := ""
	for _, r := range w.roots {
		if _, err := confined.Rel(r, p); err == nil && len(r) > len(best) {
			best = r
		}
	}
	if best == "" {
		return filepath.Dir(p)
	}
	return best
}

// dockerfile returns the index of the Dockerfile at p as it is on disk,
// read confined to root.
func (w *workspaceState) dockerfile(root, p string) (*analysis.Index, bool) {
	if _, err := confined.Rel(root, p); err != nil {
		return nil, false
	}
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() > w.limits.MaxSize {
		return nil, false
	}
	w.mu.Lock()
	cached, ok := w.disk[p]
	w.mu.Unlock()
	if ok && cached.mod.Equal(info.ModTime()) && cached.size == info.Size() {
		return cached.ix, true
	}
	data, err := confined.ReadFile(root, p, w.limits.MaxSize)
	if err != nil {
		return nil, false
	}
	ix := analysis.Parse(analysis.NewDocument(string(data)))
	w.mu.Lock()
	w.disk[p] = diskIndex{mod: info.ModTime(), size: info.Size(), ix: ix}
	w.mu.Unlock()
	return ix, true
}

// ruleContexts are the named build contexts the workspace gives the
// Dockerfile at p as the build model takes them, one list for all its
// builds (workspace.RuleContexts): a context only some of its builds give
// does not replace a stage another builds. The Dockerfile's index comes
// from its open document (dix), else its file.
func (w *workspaceState) ruleContexts(p string, dix *analysis.Index) []analysis.NamedContext {
	ix := w.index()
	if len(ix.ContextsFor(p)) == 0 {
		return nil // the common case: no build gives one
	}
	builds := ix.BuildsFor(p)
	if dix == nil {
		dix, _ = w.dockerfile(w.root(p), p)
	}
	return workspace.RuleContexts(dix, builds)
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
