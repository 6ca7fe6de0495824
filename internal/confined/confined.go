// Package confined reads the files a Dockerfile's tools read on their own
// (a .dockerignore, a Compose or Bake file, a Dockerfile a target builds, a
// build context's listing) as untrusted input: inside a root, regular files
// only, without blocking, and within a size limit. A repository can commit
// a symbolic link to /dev/urandom, /dev/stdin or /etc, a FIFO, or a
// gigabyte file where one of these files is expected; none of them may
// hang the reader, exhaust memory, or let it read outside the workspace.
package confined

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Limit is the default size limit: far above any real Dockerfile, Compose
// or ignore file, far below what would hurt.
const Limit = 16 << 20

var (
	// ErrOutside is returned for a path outside the root, or one that leads
	// out of it through a symbolic link.
	ErrOutside = errors.New("outside the root")
	// ErrNotRegular is returned for a FIFO, a device, a socket or a folder.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge is returned for a file past the size limit.
	ErrTooLarge = errors.New("file too large")
	// ErrTooManyEntries is returned by FS's ReadDir for a folder of more
	// than MaxEntries entries.
	ErrTooManyEntries = errors.New("folder too large")
)

// MaxEntries bounds the entries of one folder that FS lists.
var MaxEntries = 100_000

// ReadFile reads the file at path, which must lie inside root (both are
// file system paths; a relative path is taken relative to root). Symbolic
// links are followed only while they stay inside root. The file is opened
// without blocking (a FIFO cannot stall the caller) and must be a regular
// file of at most limit bytes.
func ReadFile(root, path string, limit int64) ([]byte, error) {
	rel, err := Rel(root, path)
	if err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readIn(r, rel, limit)
}

// Rel returns path relative to root, or ErrOutside.
func Rel(root, path string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: %w %s", path, ErrOutside, root)
	}
	return rel, nil
}

// readIn reads name in r; see ReadFile.
func readIn(r *os.Root, name string, limit int64) ([]byte, error) {
	f, err := r.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		var perr *fs.PathError
		if errors.As(err, &perr) && strings.Contains(perr.Err.Error(), "escapes") {
			return nil, fmt.Errorf("%s: %w", name, ErrOutside)
		}
		return nil, err
	}
	return read(f, limit)
}

// ReadPath reads a file a person named (a command-line argument). It is
// not confined to a root, but must be a regular file within limit, and is
// opened without blocking.
func ReadPath(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	return read(f, limit)
}

// read reads the open file f, if it is a regular file within limit, and
// closes it.
func read(f *os.File, limit int64) ([]byte, error) {
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%v)", f.Name(), ErrNotRegular, info.Mode().Type())
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes, the limit is %d)", f.Name(), ErrTooLarge, info.Size(), limit)
	}
	// A buffer of the size the file has, and a byte more to see its end
	// in the same read: io.ReadAll's growing buffer took five read calls
	// for a 3 KB Dockerfile. A file that grows past it is read on.
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):min(int64(cap(data)), limit+1)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > limit {
			break
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w (the limit is %d bytes)", f.Name(), ErrTooLarge, limit)
	}
	return data, nil
}

// FS returns a file system of the folder root that does not leave it:
// symbolic links that lead out of root fail as if absent, and files open
// without blocking. Each call opens root anew and closes it, so that the
// file system holds no descriptor between calls; Hold keeps root open
// over a run of calls.
func FS(root string) fs.FS { return rootFS(root) }

type rootFS string

func (d rootFS) do(op, name string, f func(r *os.Root, name string) error) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	r, err := os.OpenRoot(string(d))
	if err != nil {
		return err
	}
	defer r.Close()
	return f(r, name)
}

// Hold returns the same file system with root opened once, for a run of
// reads, and the function that closes it, which the caller must call
// once the run is over; the file system must not be used after it.
func (d rootFS) Hold() (fs.FS, func(), error) {
	r, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, nil, err
	}
	return heldFS{r}, func() { r.Close() }, nil
}

// heldFS is a rootFS whose root is open.
type heldFS struct{ r *os.Root }

func (h heldFS) do(op, name string, f func(r *os.Root, name string) error) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return f(h.r, name)
}

// opener is how rootFS and heldFS reach their root.
type opener interface {
	do(op, name string, f func(r *os.Root, name string) error) error
}

func (d rootFS) Open(name string) (fs.File, error)          { return open(d, name) }
func (d rootFS) Stat(name string) (fs.FileInfo, error)      { return stat(d, name) }
func (d rootFS) ReadDir(name string) ([]fs.DirEntry, error) { return readDir(d, name) }
func (h heldFS) Open(name string) (fs.File, error)          { return open(h, name) }
func (h heldFS) Stat(name string) (fs.FileInfo, error)      { return stat(h, name) }
func (h heldFS) ReadDir(name string) ([]fs.DirEntry, error) { return readDir(h, name) }

func open(d opener, name string) (fs.File, error) {
	var f *os.File
	err := d.do("open", name, func(r *os.Root, name string) (err error) {
		f, err = r.OpenFile(name, os.O_RDONLY|openFlags, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

func stat(d opener, name string) (info fs.FileInfo, err error) {
	err = d.do("stat", name, func(r *os.Root, name string) (err error) {
		info, err = r.Stat(name)
		return err
	})
	return info, err
}

// readDir lists a folder in name order; a folder of more than MaxEntries
// entries gives ErrTooManyEntries and no entries.
func readDir(d opener, name string) (entries []fs.DirEntry, err error) {
	err = d.do("readdir", name, func(r *os.Root, name string) error {
		f, err := r.OpenFile(name, os.O_RDONLY|openFlags, 0) // a FIFO named like a folder
		if err != nil {
			return err
		}
		defer f.Close()
		entries, err = f.ReadDir(MaxEntries + 1)
		if err != nil && err != io.EOF {
			return err
		}
		if len(entries) > MaxEntries {
			return fmt.Errorf("%s: %w", name, ErrTooManyEntries)
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		return nil
	})
	return entries, err
}
