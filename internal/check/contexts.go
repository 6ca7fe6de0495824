package check

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"slices"
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
	fss   map[string]*memoFS // by folder: what the rules asked of its files
}

// sharedContext is a context folder's build context, read once.
type sharedContext struct {
	once sync.Once
	ctx  analysis.BuildContext
	err  error
}

// load returns what workspace.LoadBuildContext(file, dir) returns, its
// files read through one memoFS per folder.
func (c *contexts) load(file, dir string) (analysis.BuildContext, error) {
	bc, err := c.loadIgnore(file, dir)
	if bc.FS != nil {
		c.mu.Lock()
		if c.fss == nil {
			c.fss = map[string]*memoFS{}
		}
		m := c.fss[dir]
		if m == nil {
			m = &memoFS{fsys: bc.FS}
			c.fss[dir] = m
		}
		c.mu.Unlock()
		bc.FS = m
	}
	return bc, err
}

// loadIgnore is load without the memoFS.
func (c *contexts) loadIgnore(file, dir string) (analysis.BuildContext, error) {
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

// memoFS is a build context's file system that answers each Stat, ReadDir
// and ReadFile once per run: the rules ask the same of a folder for every
// Dockerfile built in it (is src/ a folder, is there a package.json), and
// each answer of the confined file system opens the folder anew. Files
// opened are not kept. The files do not change during a run, or if they
// do, a check of them was racing anyway.
type memoFS struct {
	fsys  fs.FS
	mu    sync.Mutex
	stats map[string]memoAnswer[fs.FileInfo]
	dirs  map[string]memoAnswer[[]fs.DirEntry]
	files map[string]memoAnswer[[]byte]
}

type memoAnswer[T any] struct {
	v   T
	err error
}

// memo returns m[name], or what read gives, kept in m.
func memo[T any](f *memoFS, m *map[string]memoAnswer[T], name string, read func() (T, error)) (T, error) {
	f.mu.Lock()
	a, ok := (*m)[name]
	f.mu.Unlock()
	if !ok {
		a.v, a.err = read()
		f.mu.Lock()
		if *m == nil {
			*m = map[string]memoAnswer[T]{}
		}
		(*m)[name] = a
		f.mu.Unlock()
	}
	return a.v, a.err
}

func (f *memoFS) Open(name string) (fs.File, error) { return f.fsys.Open(name) }

func (f *memoFS) Stat(name string) (fs.FileInfo, error) {
	return memo(f, &f.stats, name, func() (fs.FileInfo, error) { return fs.Stat(f.fsys, name) })
}

// ReadDir returns the folder's entries; the list is the caller's.
func (f *memoFS) ReadDir(name string) ([]fs.DirEntry, error) {
	list, err := memo(f, &f.dirs, name, func() ([]fs.DirEntry, error) { return fs.ReadDir(f.fsys, name) })
	return slices.Clone(list), err
}

// ReadFile returns the file's content; the bytes are the caller's.
func (f *memoFS) ReadFile(name string) ([]byte, error) {
	data, err := memo(f, &f.files, name, func() ([]byte, error) { return fs.ReadFile(f.fsys, name) })
	return bytes.Clone(data), err
}
