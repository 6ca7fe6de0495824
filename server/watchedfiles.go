package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// workspaceGlobs are the files whose changes on disk the server follows.
// The ignore files invalidate the build contexts kept (buildcontext.go).
var workspaceGlobs = slices.Concat([]string{workspace.DockerfileGlob(), "**/" + workspace.SettingsFile, "**/.dockerignore", "**/*.dockerignore"}, workspace.TargetGlobs, workspace.ReadThroughGlobs)

// workspaceRoots returns the folders the client named, or its root.
func workspaceRoots(params *protocol.InitializeParams) []string {
	var roots []string
	if folders, ok := params.WorkspaceFolders.Get(); ok {
		for _, f := range folders {
			if p, ok := filePath(f.URI); ok {
				roots = append(roots, p)
			}
		}
	}
	// Older clients send only rootUri, or rootPath.
	//lint:ignore SA1019 the fallback for clients without workspace folders
	if rootURI := params.RootURI; len(roots) == 0 && rootURI != nil {
		if p, ok := filePath(*rootURI); ok {
			roots = append(roots, p)
		}
	}
	//lint:ignore SA1019 the fallback for the oldest clients
	if rp, ok := params.RootPath.Get(); ok && len(roots) == 0 && rp != "" {
		roots = append(roots, filepath.Clean(rp))
	}
	return projectRoots(roots)
}

// projectRoots widens each folder to its repository's root, the nearest
// folder above with .git, as `stagehand check` finds it, so that a
// subfolder opened alone still sees the repository's CI files.
func projectRoots(folders []string) []string {
	var roots []string
	for _, f := range folders {
		r := workspace.FindRoot(f)
		if !slices.Contains(roots, r) {
			roots = append(roots, r)
		}
	}
	return roots
}

// startWorkspace scans the workspace folders in the background, then asks
// the client to report changes to the files that matter, when it can
// register for them.
func (s *Server) startWorkspace() {
	s.mu.Lock()
	roots := s.roots
	dynamic := s.options().dynamicWatch
	s.mu.Unlock()
	s.ws.scan(roots, workspace.DefaultLimits, func(ix *workspace.Index) {
		s.log.Info("workspace scanned", zap.Strings("roots", roots), zap.Int("dockerfiles", len(ix.Dockerfiles)),
			zap.Bool("truncated", ix.Truncated))
		s.ws.logProblems(s.log)
		s.logSettings()
		s.refreshDiagnostics() // targets found may make stages used
		if dynamic {
			s.watchReadThrough()
		}
	})
	if len(roots) > 0 {
		s.startWatching()
	}
}

// startWatching asks the client to report changes to the files that
// matter, when it can register for them, or else polls them; once, when
// the workspace first has a folder (at initialize, or when one is added).
func (s *Server) startWatching() {
	s.ws.watchOnce.Do(s.watch)
}

// watch is startWatching's work, done once.
func (s *Server) watch() {
	if !s.options().dynamicWatch {
		go s.pollFiles()
		return
	}
	go func() {
		var watchers []protocol.FileSystemWatcher
		for _, g := range workspaceGlobs {
			watchers = append(watchers, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
		}
		opts, err := json.Marshal(protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers})
		if err != nil {
			return
		}
		err = s.client.RegisterCapability(context.Background(), &protocol.RegistrationParams{
			Registrations: []protocol.Registration{{
				ID: "stagehand-watched-files", Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: opts,
			}},
		})
		if err != nil {
			s.log.Warn("registering file watchers", zap.Error(err))
			return
		}
		s.contexts.Watch()
		// Files read again may read others through.
		s.ws.mu.Lock()
		refresh := s.ws.reread
		s.ws.reread = func() {
			if refresh != nil {
				refresh()
			}
			s.watchReadThrough()
		}
		s.ws.mu.Unlock()
	}()
}

// readThroughWatcher is the registration of watchers for the files read
// through that workspaceGlobs miss.
const readThroughWatcher = "stagehand-read-through"

// watchReadThrough asks a client that watches files to report changes to
// the files the workspace's files read through that workspaceGlobs do not
// cover (a Compose file extending common-services.yml), registering their
// names again whenever they change. Off the read loop.
func (s *Server) watchReadThrough() {
	go func() {
		w := s.ws
		w.watchMu.Lock()
		defer w.watchMu.Unlock()
		want := w.index().ReadThroughWatchGlobs()
		if slices.Equal(want, w.watching) {
			return
		}
		ctx := context.Background()
		if len(w.watching) > 0 {
			err := s.client.UnregisterCapability(ctx, &protocol.UnregistrationParams{Unregisterations: []protocol.Unregistration{{
				ID: readThroughWatcher, Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
			}}})
			if err != nil {
				s.log.Warn("unregistering file watchers", zap.Error(err))
				return
			}
			w.watching = nil
		}
		if len(want) == 0 {
			return
		}
		var watchers []protocol.FileSystemWatcher
		for _, g := range want {
			watchers = append(watchers, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
		}
		opts, err := json.Marshal(protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers})
		if err != nil {
			return
		}
		err = s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID: readThroughWatcher, Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: opts,
		}}})
		if err != nil {
			s.log.Warn("registering file watchers", zap.Error(err))
			return
		}
		w.watching = want
	}()
}

// DidChangeWatchedFiles follows changes on disk to Dockerfiles and to the
// files that name targets: they are read in the background, off the read
// loop, and the open documents are rechecked once they are.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, params *protocol.DidChangeWatchedFilesParams) error {
	ignores := false
	for _, ev := range params.Changes {
		ignores = s.fileEvent(ev) || ignores
	}
	if ignores {
		s.contexts.IgnoreChanged()
		s.refreshDiagnostics()
	}
	return nil
}

// fileEvent applies one watched-file change, except a change to an ignore
// file, which it reports for the caller to handle once for all events.
func (s *Server) fileEvent(ev protocol.FileEvent) (ignoreFile bool) {
	p, ok := filePath(ev.URI)
	switch {
	case !ok:
	case workspace.IsIgnoreFile(p):
		return true
	case filepath.Base(p) == workspace.SettingsFile:
		go s.settingsFileChanged() // a rescan: off the connection's read loop
	default:
		s.ws.fileChanged(p, ev.Type == protocol.FileChangeTypeDeleted)
	}
	return false
}

// settingsFileChanged reads the project's settings files again, with the
// scan they steer, and rechecks the open documents.
func (s *Server) settingsFileChanged() {
	s.ws.reload(workspace.DefaultLimits)
	s.ws.logProblems(s.log)
	s.logSettings()
	s.refreshDiagnostics()
}

// recheckContexts compares the stat of the build contexts' folders and
// ignore files, for a client that does not report their changes, and
// rechecks the open documents if one changed: the diagnostics runs of
// keystrokes do not look at the disk for it (workspace.Contexts).
func (s *Server) recheckContexts() {
	if s.contexts.Recheck() {
		s.refreshDiagnostics()
	}
}

// pollInterval is how often a server whose client cannot watch files
// (Vim's ALE, Neovim before 0.9) looks at the files that name targets;
// rewalkInterval is how often, at least, it walks the workspace again for
// files created or deleted since: a walk costs more than the stats, so it
// also waits rewalkCost times as long as the last one took.
var (
	pollInterval   = 2 * time.Second
	rewalkInterval = 10 * time.Second
)

const rewalkCost = 50

// pollFiles stands in for the client's file watcher. Every poll interval
// it looks at the modification time and size of the files the workspace
// index holds targets from and of those they read through (.env, a file
// Compose extends), and reads again those that changed, so a rename the
// client applied to compose.yaml and saved, or an edit in another
// program, reaches the open Dockerfiles' diagnostics. At a slower cadence
// it walks the workspace as the scan does (its limits apply), for target
// files and Dockerfiles created or deleted. It ends with the session.
func (s *Server) pollFiles() {
	select {
	case <-s.ws.ready:
	case <-s.ended:
		return
	}
	type stamp struct {
		mod  time.Time
		size int64
	}
	// A file read through may be missing (no .env yet): the zero stamp,
	// so that creating it counts as a change.
	seen := map[string]stamp{}
	look := func(report bool) {
		now := map[string]stamp{}
		ix := s.ws.index()
		for _, p := range s.ws.polled() {
			var st stamp
			if workspace.IsPattern(p) {
				// A wildcard a file follows (include make/*.make): a file
				// matching it that the index does not read, created
				// since, even before the first look, re-reads the file
				// following it, once for each new count of them.
				n := int64(len(ix.Unread(s.ws.root(p), p)))
				if old, had := seen[p]; n > 0 && (!had || old.size != n) {
					s.ws.fileChanged(p, false)
				}
				now[p] = stamp{size: n}
				continue
			}
			if info, err := os.Stat(p); err == nil {
				st = stamp{info.ModTime(), info.Size()}
			}
			old, had := seen[p]
			switch {
			case !had || !report || old.mod.Equal(st.mod) && old.size == st.size:
			case st.mod.IsZero():
				s.ws.fileChanged(p, true)
			default:
				s.ws.fileChanged(p, false)
			}
			now[p] = st
		}
		seen = now
	}
	look(false)
	poll, every := s.ws.poll, s.ws.rewalk
	tick := time.NewTicker(poll)
	defer tick.Stop()
	next := time.Now().Add(every)
	for {
		select {
		case <-tick.C:
			look(true)
			s.recheckContexts()
			if time.Now().After(next) {
				cost := s.ws.rewalkOnce()
				next = time.Now().Add(max(every, rewalkCost*cost))
				s.log.Debug("workspace walked again", zap.Duration("took", cost))
			}
		case <-s.exited:
			return
		case <-s.ended:
			return
		}
	}
}
