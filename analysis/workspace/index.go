package workspace

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/internal/confined"
)

// Limits bound a workspace scan, so that opening a home directory by
// mistake costs a moment and not the machine.
type Limits struct {
	MaxFiles int   // files looked at, of any kind
	MaxBytes int64 // bytes read from files that name targets
	MaxSize  int64 // a larger file is skipped
}

// DefaultLimits suit a large monorepo.
var DefaultLimits = Limits{MaxFiles: 200_000, MaxBytes: 256 << 20, MaxSize: 4 << 20}

// skipDirs are never entered.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".hg": true, ".svn": true}

// Index is what a workspace scan found: the Dockerfiles and the targets
// other files name. It is immutable; Update and Remove return new ones.
type Index struct {
	Roots       []string
	Dockerfiles []string            // sorted
	files       map[string][]Target // by the file naming them
	Truncated   bool                // a limit stopped the scan
}

// IsDockerfile reports whether a file name is a Dockerfile's.
func IsDockerfile(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	return base == "dockerfile" || base == "containerfile" ||
		strings.HasSuffix(base, ".dockerfile") || strings.HasSuffix(base, ".containerfile") ||
		strings.HasPrefix(base, "dockerfile.") || strings.HasPrefix(base, "containerfile.")
}

// Scan walks roots for Dockerfiles and the files that name targets. It
// does not follow symbolic links, so it cannot loop or leave the roots.
func Scan(roots []string, lim Limits) *Index {
	ix := &Index{Roots: roots, files: map[string][]Target{}}
	seen, read := 0, int64(0)
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable: skip it, keep going
			}
			if d.IsDir() {
				if p != root && skipDirs[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if seen++; seen > lim.MaxFiles {
				ix.Truncated = true
				return filepath.SkipAll
			}
			if IsDockerfile(p) {
				ix.Dockerfiles = append(ix.Dockerfiles, p)
				return nil
			}
			if Classify(p) == NotTargets {
				return nil
			}
			info, err := d.Info()
			if err != nil || info.Size() > lim.MaxSize {
				return nil
			}
			if read += info.Size(); read > lim.MaxBytes {
				ix.Truncated = true
				return filepath.SkipAll
			}
			data, err := confined.ReadFile(root, p, lim.MaxSize)
			if err != nil {
				return nil
			}
			if ts := Extract(p, string(data)); len(ts) > 0 {
				ix.files[p] = ts
			}
			return nil
		})
	}
	sort.Strings(ix.Dockerfiles)
	return ix
}

// Update returns the index with file p's content taken into account: its
// targets if it names any, or its place in the list of Dockerfiles.
func (ix *Index) Update(p, content string) *Index {
	next := ix.clone()
	delete(next.files, p)
	if IsDockerfile(p) {
		if i := sort.SearchStrings(next.Dockerfiles, p); i == len(next.Dockerfiles) || next.Dockerfiles[i] != p {
			next.Dockerfiles = append(next.Dockerfiles[:i:i], append([]string{p}, next.Dockerfiles[i:]...)...)
		}
		return next
	}
	if ts := Extract(p, content); len(ts) > 0 {
		next.files[p] = ts
	}
	return next
}

// Remove returns the index without file p.
func (ix *Index) Remove(p string) *Index {
	next := ix.clone()
	delete(next.files, p)
	if i := sort.SearchStrings(next.Dockerfiles, p); i < len(next.Dockerfiles) && next.Dockerfiles[i] == p {
		next.Dockerfiles = append(next.Dockerfiles[:i:i], next.Dockerfiles[i+1:]...)
	}
	return next
}

func (ix *Index) clone() *Index {
	next := &Index{Roots: ix.Roots, Dockerfiles: ix.Dockerfiles, Truncated: ix.Truncated, files: make(map[string][]Target, len(ix.files)+1)}
	for k, v := range ix.files {
		next.files[k] = v
	}
	return next
}

// TargetsFor returns every target naming a stage of the Dockerfile at p,
// ordered by file and position.
func (ix *Index) TargetsFor(p string) []Target {
	p = filepath.Clean(p)
	var out []Target
	for _, ts := range ix.files {
		for _, t := range ts {
			if t.Dockerfile == p {
				out = append(out, t)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Span.Start < out[j].Span.Start
	})
	return out
}

// TargetsIn returns the targets that file p names.
func (ix *Index) TargetsIn(p string) []Target { return ix.files[p] }

// TargetAt returns the target whose name in file p contains byte off.
func (ix *Index) TargetAt(p string, off int) (Target, bool) {
	for _, t := range ix.files[p] {
		if t.Span.Contains(off) {
			return t, true
		}
	}
	return Target{}, false
}
