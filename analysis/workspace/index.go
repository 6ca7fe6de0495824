package workspace

import (
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
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

// Index is what a workspace scan found: the Dockerfiles and the targets
// other files name. It is immutable; Update and Remove return new ones.
type Index struct {
	Roots       []string
	Dockerfiles []string                  // sorted
	files       map[string][]Target       // by the file naming them
	bake        map[string]*bakeFile      // Bake files' targets and groups, for --set
	builds      map[string][]Build        // Compose and Bake files' builds, for contexts
	contexts    map[string][]NamedContext // named build contexts, by the file giving them
	via         map[string][]string       // the other files each file was read through
	through     map[string][]BuildArg     // build arguments written in the files each file read through
	open        map[string]string         // files read through, open in the editor: their text
	Truncated   bool                      // a limit stopped the scan
}

// Scan walks roots for Dockerfiles and the files that name targets. It
// does not follow symbolic links, so it cannot loop or leave the roots.
func Scan(roots []string, lim Limits) *Index { return scan(roots, lim, nil) }

// scan is Scan leaving out the paths ignore matches.
func scan(roots []string, lim Limits, ignore func(p string, dir bool) bool) *Index {
	ix := &Index{Roots: roots, files: map[string][]Target{}, bake: map[string]*bakeFile{}, builds: map[string][]Build{}, contexts: map[string][]NamedContext{}, via: map[string][]string{}, through: map[string][]BuildArg{}, open: map[string]string{}}
	seen, read := 0, int64(0)
	for _, root := range roots {
		walk(root, func(p string, dir bool) bool { return ignore != nil && ignore(p, dir) }, func(p string, d fs.DirEntry) bool {
			if seen++; seen > lim.MaxFiles {
				ix.Truncated = true
				return false
			}
			size, kind := scanned(p, d, lim)
			if kind == scanDockerfile {
				ix.Dockerfiles = append(ix.Dockerfiles, p)
				return true
			}
			if kind == scanNone {
				return true
			}
			if read += size; read > lim.MaxBytes {
				ix.Truncated = true
				return false
			}
			data, err := confined.ReadFile(root, p, lim.MaxSize)
			if err != nil {
				return true
			}
			ix.add(p, string(data))
			return true
		})
	}
	sort.Strings(ix.Dockerfiles)
	return ix
}

// scanKind is what the scan does with a file it meets.
type scanKind int

const (
	scanNone       scanKind = iota // passed over
	scanDockerfile                 // listed
	scanTargets                    // read for the targets it names
)

// scanned tells what the scan does with file p, and its size when it is
// read: one rule for the scan and for List.
func scanned(p string, d fs.DirEntry, lim Limits) (int64, scanKind) {
	if IsDockerfile(p) {
		return 0, scanDockerfile
	}
	if Classify(p) == NotTargets {
		return 0, scanNone
	}
	info, err := d.Info()
	if err != nil || info.Size() > lim.MaxSize {
		return 0, scanNone
	}
	return info.Size(), scanTargets
}

// List walks the project's roots as Scan does, reading nothing: the
// Dockerfiles and the files that name targets it would take, sorted, and
// whether MaxFiles stopped it. A server whose client cannot watch files
// compares it with its index (Changes) to see files created and deleted.
func (p *Project) List(lim Limits) (files []string, truncated bool) {
	seen := 0
	for _, root := range p.Roots {
		walk(root, func(q string, dir bool) bool { return p.Ignored(q, dir) }, func(q string, d fs.DirEntry) bool {
			if seen++; seen > lim.MaxFiles {
				truncated = true
				return false
			}
			if _, kind := scanned(q, d, lim); kind != scanNone {
				files = append(files, q)
			}
			return true
		})
	}
	sort.Strings(files)
	return files, truncated
}

// Changes compares the files a List found with the index: those it holds
// nothing of (created since it was made) and, when the List was complete,
// those it holds that the List did not find (deleted).
func (ix *Index) Changes(listed []string, truncated bool) (created, deleted []string) {
	on := make(map[string]bool, len(listed))
	for _, p := range listed {
		on[p] = true
		if i := sort.SearchStrings(ix.Dockerfiles, p); !ix.Has(p) && (i == len(ix.Dockerfiles) || ix.Dockerfiles[i] != p) {
			created = append(created, p)
		}
	}
	if truncated {
		return created, nil
	}
	for _, p := range slices.Concat(ix.Files(), ix.Dockerfiles) {
		if !on[p] {
			deleted = append(deleted, p)
		}
	}
	sort.Strings(deleted)
	return created, deleted
}

// Update returns the index with file p's content taken into account: its
// targets if it names any, its place in the list of Dockerfiles, or, for a
// file others read through (IsReadThrough), the text they read instead of
// the disk's, as an editor's unsaved buffer: Remove goes back to the disk.
func (ix *Index) Update(p, content string) *Index {
	// A file that names no targets of its kind, and that no file reads
	// through, changes nothing: typing in any YAML file costs no copy.
	if !ix.Tracks(p) {
		return ix
	}
	through := Classify(p) == NotTargets && !IsDockerfile(p) && (IsReadThrough(p) || ix.readThrough(p))
	// A file of a kind that names targets may be read through another too
	// (make/config.mk a Makefile includes): that one reads this text.
	readBy := !through && !IsDockerfile(p) && ix.readThrough(p)
	next := ix.clone()
	delete(next.files, p)
	delete(next.bake, p)
	delete(next.builds, p)
	delete(next.contexts, p)
	delete(next.via, p)
	delete(next.through, p)
	delete(next.open, p)
	if through {
		next.open[p] = content
		return next
	}
	if IsDockerfile(p) {
		if i := sort.SearchStrings(next.Dockerfiles, p); i == len(next.Dockerfiles) || next.Dockerfiles[i] != p {
			next.Dockerfiles = append(next.Dockerfiles[:i:i], append([]string{p}, next.Dockerfiles[i:]...)...)
		}
		return next
	}
	if readBy {
		next.open[p] = content
	}
	next.add(p, content)
	return next
}

// Tracks reports whether the text of file p can change the index (Update
// returns the index itself for any other file): a file of a kind that
// names targets, a Dockerfile, a file read through another (a .env, an
// included Compose file), or one the index holds the text of.
func (ix *Index) Tracks(p string) bool {
	if Classify(p) != NotTargets || IsDockerfile(p) || IsReadThrough(p) || ix.readThrough(p) {
		return true
	}
	_, had := ix.open[p]
	return had
}

// add records what file p names and, for a Bake file, defines, from one
// read of it.
func (ix *Index) add(p, content string) {
	if Classify(p) == NotTargets {
		return
	}
	w := walkFile(ix.source(p), p, content)
	// Every file of a kind that names targets is kept, even when it names
	// none: it may pass build arguments, which check reports on too.
	ix.files[p] = w.targets
	if len(w.builds) > 0 {
		ix.builds[p] = w.builds
	}
	if w.bake != nil {
		ix.bake[p] = w.bake
	}
	if len(w.via) > 0 {
		ix.via[p] = w.via
	}
	if through := slices.DeleteFunc(slices.Clone(w.args), func(a BuildArg) bool { return a.File == p }); len(through) > 0 {
		ix.through[p] = through
	}
	if cs := namedContexts(ix.source(p), p, content, w); len(cs) > 0 {
		ix.contexts[p] = cs
	}
}

// source is where the walk of file p reads other files: inside its root,
// the open ones' text first.
func (ix *Index) source(p string) source { return source{root: ix.root(p), open: ix.open} }

// root is the folder that reads for file p are confined to: the innermost
// root holding p, else p's own folder.
func (ix *Index) root(p string) string {
	best := ""
	for _, r := range ix.Roots {
		if _, err := confined.Rel(r, p); err == nil && len(r) > len(best) {
			best = r
		}
	}
	if best == "" {
		return filepath.Dir(p)
	}
	return best
}

// Remove returns the index without file p.
func (ix *Index) Remove(p string) *Index {
	next := ix.clone()
	delete(next.files, p)
	delete(next.bake, p)
	delete(next.builds, p)
	delete(next.contexts, p)
	delete(next.via, p)
	delete(next.through, p)
	delete(next.open, p)
	if i := sort.SearchStrings(next.Dockerfiles, p); i < len(next.Dockerfiles) && next.Dockerfiles[i] == p {
		next.Dockerfiles = append(next.Dockerfiles[:i:i], next.Dockerfiles[i+1:]...)
	}
	return next
}

func (ix *Index) clone() *Index {
	next := &Index{Roots: ix.Roots, Dockerfiles: ix.Dockerfiles, Truncated: ix.Truncated,
		files: make(map[string][]Target, len(ix.files)+1), bake: make(map[string]*bakeFile, len(ix.bake)+1),
		builds: make(map[string][]Build, len(ix.builds)+1), contexts: make(map[string][]NamedContext, len(ix.contexts)+1),
		via: make(map[string][]string, len(ix.via)+1), through: make(map[string][]BuildArg, len(ix.through)+1),
		open: make(map[string]string, len(ix.open)+1)}
	for k, v := range ix.files {
		next.files[k] = v
	}
	for k, v := range ix.bake {
		next.bake[k] = v
	}
	for k, v := range ix.builds {
		next.builds[k] = v
	}
	maps.Copy(next.contexts, ix.contexts)
	maps.Copy(next.via, ix.via)
	maps.Copy(next.through, ix.through)
	maps.Copy(next.open, ix.open)
	return next
}

// TargetsFor returns every target naming a stage of the Dockerfile at p,
// ordered by file and position.
func (ix *Index) TargetsFor(p string) []Target {
	p = filepath.Clean(p)
	var out []Target
	for _, ts := range ix.files {
		for _, t := range ts {
			switch {
			case t.Bake != nil:
				if slices.Contains(ix.bakeDockerfiles(t.Bake), p) {
					t.Dockerfile = p
					out = append(out, t)
				}
			case t.Dockerfile == p:
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
	// A file read through two others (one Bake file two scripts name
	// with -f) names its targets once.
	type key struct {
		file, name string
		span       analysis.Span
	}
	seen := map[key]bool{}
	return slices.DeleteFunc(out, func(t Target) bool {
		k := key{t.File, t.Name, t.Span}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

// bakeDockerfiles resolves a --set through its Bake files, those the
// index holds and those read with the command (`-f ci/build.hcl`, which
// the scan does not index), merged in order, a later file's target or
// group winning, as buildx merges them.
func (ix *Index) bakeDockerfiles(ref *BakeRef) []string {
	var merged *bakeFile
	for _, f := range ref.Files {
		bf, ok := ix.bake[f]
		if !ok {
			bf, ok = ref.read[f]
		}
		if ok {
			if merged == nil {
				merged = &bakeFile{targets: map[string]string{}, groups: map[string][]string{}}
			}
			maps.Copy(merged.targets, bf.targets)
			maps.Copy(merged.groups, bf.groups)
		}
	}
	if merged == nil {
		return nil
	}
	return merged.dockerfiles(ref)
}

// Dependents returns the files read through file q (a Compose file an
// override or `extends` reads, the other default Bake file, a called
// workflow), sorted: what they name, pass and build may change with q,
// so they need reading again when q changes.
func (ix *Index) Dependents(q string) []string {
	var out []string
	for f, via := range ix.via {
		if f != q && viaHas(via, q) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// readThrough reports whether a file of the index reads file p through.
func (ix *Index) readThrough(p string) bool {
	for _, via := range ix.via {
		if viaHas(via, p) {
			return true
		}
	}
	return false
}

// viaHas reports whether the files a file reads through (via) hold p: by
// its path, or by a pattern it matches (a Makefile's `include
// make/*.make`, a GitLab include of ci/*.yml), which the file reads
// whatever matches, a file created later too.
func viaHas(via []string, p string) bool {
	for _, v := range via {
		if v == p || IsPattern(v) && globRegexp(filepath.ToSlash(v)).MatchString(filepath.ToSlash(p)) {
			return true
		}
	}
	return false
}

// Unread returns the files on disk inside root that pattern (a wildcard
// among ReadThrough's) matches and that no file of the index reads
// through: created since the files following it were read.
func (ix *Index) Unread(root, pattern string) []string {
	read := ix.ReadThrough()
	return slices.DeleteFunc(patternMatches(root, pattern), func(m string) bool {
		_, found := slices.BinarySearch(read, m)
		return found
	})
}

// IsPattern reports whether a path read through (ReadThrough) is a file
// pattern, which stands for the files matching it, created later too.
func IsPattern(p string) bool { return strings.ContainsAny(p, "*?[") }

// MayNameTargets reports whether file p may name targets read through
// another file, whatever its name: a YAML file a Compose file includes or
// extends, an HCL or JSON Bake file a command names with -f, a Makefile
// another includes (.mk is a Makefile of its own; .mak, .make,
// Makefile.local, docker.makefile, and a name without an extension, as
// `include make/docker` reads).
func MayNameTargets(p string) bool {
	base := strings.ToLower(filepath.Base(p))
	switch ext := filepath.Ext(base); ext {
	case ".yaml", ".yml", ".json", ".hcl", ".mak", ".make", ".makefile", "":
		return true
	}
	return strings.HasPrefix(base, "makefile.")
}

// TargetFiles returns the files that name targets in their own text,
// sorted: the files of the kinds that name targets (Files) and the files
// read through them that name some (an included Compose file, a Bake file
// a command names with -f, a .env a script sources, a Makefile another
// includes), of a name the editor takes as one (MayNameTargets,
// IsReadThrough).
func (ix *Index) TargetFiles() []string {
	out := ix.Files()
	for _, ts := range ix.files {
		for _, t := range ts {
			if _, own := ix.files[t.File]; !own && t.File != "" && (MayNameTargets(t.File) || IsReadThrough(t.File)) {
				out = append(out, t.File)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ReadThrough returns the files the index's files read through (a .env, a
// file Compose extends, the other default Bake file), whether they exist
// or not, sorted.
func (ix *Index) ReadThrough() []string {
	var out []string
	for _, via := range ix.via {
		out = append(out, via...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ReadThroughWatchGlobs returns LSP watcher globs, by name, for the files
// read through that neither TargetGlobs nor ReadThroughGlobs cover (a
// Compose file extending common-services.yml or base/svc.yaml), sorted.
// A name a glob cannot spell plainly is left out.
func (ix *Index) ReadThroughWatchGlobs() []string {
	var out []string
	for _, p := range ix.ReadThrough() {
		base := filepath.Base(p)
		if IsPattern(p) {
			// A pattern's names (make/*.make): the files created there.
			base = strings.ReplaceAll(base, "**", "*")
			if strings.ContainsAny(base, "{},/\\") {
				continue
			}
			out = append(out, "**/"+base)
			continue
		}
		if Classify(p) != NotTargets || IsDockerfile(p) || base == ".env" || strings.ContainsAny(base, "*?[]{},/\\") {
			continue
		}
		out = append(out, "**/"+base)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Has reports whether the index holds targets file p names.
func (ix *Index) Has(p string) bool {
	_, ok := ix.files[p]
	return ok
}

// Files returns the files of the kinds that name targets (Compose, Bake,
// workflows, scripts), sorted.
func (ix *Index) Files() []string {
	out := make([]string, 0, len(ix.files))
	for f := range ix.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// TargetCount is the number of targets the index holds.
func (ix *Index) TargetCount() int {
	n := 0
	for _, ts := range ix.files {
		n += len(ts)
	}
	return n
}

// TargetsIn returns the targets that file p names, in its own text: read
// from it, or through it by the files that read it (an included Compose
// file, a Bake file a command names with -f), each place once.
func (ix *Index) TargetsIn(p string) []Target {
	var out []Target
	for _, f := range append([]string{p}, ix.Dependents(p)...) {
		for _, t := range ix.files[f] {
			if t.File == p {
				out = append(out, t)
			}
		}
	}
	type key struct {
		span     analysis.Span
		name, df string
	}
	seen := map[key]bool{}
	return slices.DeleteFunc(out, func(t Target) bool {
		k := key{span: t.Span, name: t.Name, df: t.Dockerfile}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

// TargetAt returns the target whose name in file p contains byte off.
// ContextAt returns the named build context whose name the file at p
// gives at off.
func (ix *Index) ContextAt(p string, off int) (NamedContext, bool) {
	// Its own, or those the files reading it through find written in it
	// (an included Compose file, a Bake file a command names with -f).
	for _, f := range append([]string{p}, ix.Dependents(p)...) {
		for _, c := range ix.contexts[f] {
			if c.File == p && (c.Span.Contains(off) || c.Span.End == off) {
				return c, true
			}
		}
	}
	return NamedContext{}, false
}

func (ix *Index) TargetAt(p string, off int) (Target, bool) {
	for _, t := range ix.TargetsIn(p) {
		if t.Span.Contains(off) {
			return t, true
		}
	}
	return Target{}, false
}
