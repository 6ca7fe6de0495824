package rules

import (
	"io/fs"
	"slices"
	"sync"
)

// runFS is the build context's file system as one run of the rules reads
// it: each Stat, ReadDir and ReadFile is asked of the files once, and its
// answer given again to every rule and every stage that asks the same in
// the run. A keystroke's run replays the reads each kept stage made (see
// stageMemo), and stages of one Dockerfile ask about the same folders: on
// moby/buildkit's Dockerfile that was five system calls' worth of
// lookups a keystroke, each a few more once the confined file system
// opens its root. The run also sees one state of the files throughout.
// Open is not kept: the file is read by its caller. A file system that
// can hold itself open (the confined one opens its root for every read)
// is held from the first read to the end of the run.
type runFS struct {
	fsys    fs.FS
	mu      sync.Mutex
	seen    map[fsRead]fsAnswer
	held    fs.FS  // fsys held open, once a read asked for it
	release func() // closes held; nil until then
	tried   bool   // holding was tried
}

// holder is a file system that can keep its resources open over a run of
// reads (confined.FS).
type holder interface {
	Hold() (fs.FS, func(), error)
}

// fsRead is a read of the files: its kind ('s', 'd' or 'f', as ctxRead)
// and the name it reads.
type fsRead struct {
	op   byte
	name string
}

// fsAnswer is what a read gave.
type fsAnswer struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	data    []byte
	err     error
}

// withRunFS returns cfg with its build context read through a runFS, for
// one run, and the function that ends the run's reads; cfg itself is not
// changed.
func withRunFS(cfg *Config) (*Config, func()) {
	if cfg.Context.FS == nil {
		return cfg, func() {}
	}
	if _, ok := cfg.Context.FS.(*runFS); ok {
		return cfg, func() {}
	}
	f := &runFS{fsys: cfg.Context.FS, seen: map[fsRead]fsAnswer{}}
	c := *cfg
	c.Context.FS = f
	return &c, f.close
}

// close releases what the run held open. Reads after it go to the file
// system as it was given.
func (f *runFS) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.release != nil {
		f.release()
	}
	f.held, f.release = nil, nil
}

// files returns the file system to read: fsys held open, where it can be.
// f.mu is held.
func (f *runFS) files() fs.FS {
	if !f.tried {
		f.tried = true
		if h, ok := f.fsys.(holder); ok {
			if held, release, err := h.Hold(); err == nil {
				f.held, f.release = held, release
			}
		}
	}
	if f.held != nil {
		return f.held
	}
	return f.fsys
}

// answer returns the answer to r, asking read for it the first time.
// Reads are made one at a time, under f.mu: the held file system must not
// be read once close has released it.
func (f *runFS) answer(r fsRead, read func(fsys fs.FS) fsAnswer) fsAnswer {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.seen[r]; ok {
		return a
	}
	a := read(f.files())
	f.seen[r] = a
	return a
}

func (f *runFS) Open(name string) (fs.File, error) { return f.fsys.Open(name) }

func (f *runFS) Stat(name string) (fs.FileInfo, error) {
	a := f.answer(fsRead{'s', name}, func(fsys fs.FS) fsAnswer {
		info, err := fs.Stat(fsys, name)
		return fsAnswer{info: info, err: err}
	})
	return a.info, a.err
}

// ReadDir and ReadFile give each caller its own copy: fs's callers may
// change what they are given.
func (f *runFS) ReadDir(name string) ([]fs.DirEntry, error) {
	a := f.answer(fsRead{'d', name}, func(fsys fs.FS) fsAnswer {
		entries, err := fs.ReadDir(fsys, name)
		return fsAnswer{entries: entries, err: err}
	})
	return slices.Clone(a.entries), a.err
}

func (f *runFS) ReadFile(name string) ([]byte, error) {
	a := f.answer(fsRead{'f', name}, func(fsys fs.FS) fsAnswer {
		data, err := fs.ReadFile(fsys, name)
		return fsAnswer{data: data, err: err}
	})
	return slices.Clone(a.data), a.err
}
