package server

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// folder is one workspace folder as the client named it (not widened to
// its repository's root, as the scan's roots are): the scope the client
// answers a folder's settings for.
type folder struct {
	uri  uri.URI // as the client sent it: the scopeUri of workspace/configuration
	path string
	// settings are the folder's own, pulled with its scopeUri; nil when
	// the client gave none (a client that only pushes settings): the
	// window's apply.
	settings *Settings
}

func init() {
	notifications[protocol.MethodWorkspaceDidChangeWorkspaceFolders] = true
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		yes := true
		if caps.Workspace == nil {
			caps.Workspace = &protocol.WorkspaceOptions{}
		}
		caps.Workspace.WorkspaceFolders = &protocol.WorkspaceFoldersServerCapabilities{
			Supported: &yes, ChangeNotifications: protocol.Boolean(true),
		}
	})
}

// clientFolders returns the workspace folders the client named at
// initialize.
func clientFolders(params *protocol.InitializeParams) []folder {
	var out []folder
	if fs, ok := params.WorkspaceFolders.Get(); ok {
		for _, f := range fs {
			if p, ok := filePath(f.URI); ok {
				out = append(out, folder{uri: f.URI, path: p})
			}
		}
	}
	return out
}

// settingsFor returns the settings of the file at path: those of the
// innermost workspace folder holding it that has settings of its own, else
// the window's (files outside every folder, documents that are not files,
// clients that only push settings).
func (s *Server) settingsFor(path string) *Settings {
	if path != "" {
		best := -1
		fs := s.ws.folderList()
		for i, f := range fs {
			if f.settings == nil {
				continue
			}
			if _, err := confined.Rel(f.path, path); err == nil && (best < 0 || len(f.path) > len(fs[best].path)) {
				best = i
			}
		}
		if best >= 0 {
			return fs[best].settings
		}
	}
	return s.settings()
}

// DidChangeWorkspaceFolders takes folders added to or removed from the
// workspace: the scan's roots follow (an added folder's Compose, Bake,
// workflow and script targets are read, a removed one's dropped), the
// folders' settings are pulled again when the client offers them, and the
// open documents are rechecked. The rescan runs off the read loop.
func (s *Server) DidChangeWorkspaceFolders(ctx context.Context, params *protocol.DidChangeWorkspaceFoldersParams) error {
	removed := map[string]bool{}
	for _, f := range params.Event.Removed {
		if p, ok := filePath(f.URI); ok {
			removed[p] = true
		}
	}
	w := s.ws
	w.mu.Lock()
	var fs []folder
	for _, f := range w.folderList() {
		if !removed[f.path] {
			fs = append(fs, f)
		}
	}
	for _, f := range params.Event.Added {
		if p, ok := filePath(f.URI); ok && !slices.ContainsFunc(fs, func(g folder) bool { return g.path == p }) {
			fs = append(fs, folder{uri: f.URI, path: p})
		}
	}
	w.folders.Store(&fs)
	w.mu.Unlock()
	var paths []string
	for _, f := range fs {
		paths = append(paths, f.path)
	}
	roots := projectRoots(paths)
	s.mu.Lock()
	s.roots = roots
	s.mu.Unlock()
	s.log.Info("workspace folders changed", zap.Strings("roots", roots))
	gen := w.folderGen.Add(1)
	go func() {
		defer w.folderChanges.Add(1)
		select {
		case <-w.ready: // the first scan is done: it would overwrite this one
		case <-s.ended:
			return
		}
		// The rescans run one at a time, and only the last change's: an
		// earlier one's, run after it, would leave its folders.
		w.folderMu.Lock()
		defer w.folderMu.Unlock()
		if w.folderGen.Load() != gen {
			return // a later change rescans with its folders
		}
		w.setRoots(roots)
		if s.options().pullConfiguration {
			s.pullConfiguration(context.Background())
		}
		s.ws.logProblems(s.log)
		s.logSettings()
		if len(roots) > 0 {
			s.startWatching()
		}
		s.refreshDiagnostics()
	}()
	return nil
}

// folderList returns the workspace folders; the slice is never changed.
func (w *workspaceState) folderList() []folder {
	if fs := w.folders.Load(); fs != nil {
		return *fs
	}
	return nil
}

// setFolderSettings gives each folder asked for the settings pulled for
// its URI (nil for the window's); a folder added since keeps its own.
func (w *workspaceState) setFolderSettings(asked []folder, by map[uri.URI]*Settings) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fs := slices.Clone(w.folderList())
	for i := range fs {
		if slices.ContainsFunc(asked, func(f folder) bool { return f.uri == fs[i].uri }) {
			fs[i].settings = by[fs[i].uri]
		}
	}
	w.folders.Store(&fs)
}

// setRoots makes roots the workspace's and scans them again, as the first
// scan does.
func (w *workspaceState) setRoots(roots []string) {
	w.reloadMu.Lock()
	defer w.reloadMu.Unlock()
	w.mu.Lock()
	w.roots = roots
	w.mu.Unlock()
	w.reloadLocked(workspace.DefaultLimits)
}
