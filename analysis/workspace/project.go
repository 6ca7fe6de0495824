package workspace

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
)

// FindRoot returns the repository root of path: the nearest folder, from
// path (or its folder, for a file) upwards, that holds .git; path's own
// folder when there is none. The home folder and the file system's root
// are never taken, though a .git there (dotfiles kept in git) would say so:
// scanning them is never what was meant.
func FindRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		abs = filepath.Dir(abs)
	}
	home, _ := os.UserHomeDir()
	for dir := abs; ; {
		parent := filepath.Dir(dir)
		if parent == dir || (home != "" && dir == filepath.Clean(home)) {
			return abs
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		dir = parent
	}
}

// Project is a repository as both `stagehand check` and the server see it:
// its roots, the settings file at each, and the paths those settings
// ignore. Scan gives its Dockerfiles and targets.
type Project struct {
	Roots  []string
	roots  []projectRoot
	Errors []error // settings files that could not be read, wrong entries
}

type projectRoot struct {
	dir      string
	settings *Settings
	ignore   *patternmatcher.PatternMatcher
}

// LoadProject reads the settings file at each root (absolute, cleaned).
func LoadProject(roots []string) *Project {
	p := &Project{Roots: roots}
	for _, r := range roots {
		st, err := LoadSettings(r)
		if err != nil {
			p.Errors = append(p.Errors, err)
		}
		pr := projectRoot{dir: r, settings: st}
		if len(st.Ignore) > 0 {
			m, err := patternmatcher.New(st.Ignore)
			if err != nil {
				p.Errors = append(p.Errors, err)
			} else {
				pr.ignore = m
			}
		}
		p.roots = append(p.roots, pr)
	}
	return p
}

// Problems returns what is wrong in the settings files: those that could
// not be read, and unknown rules or severities in them.
func (p *Project) Problems() []error {
	errs := append([]error(nil), p.Errors...)
	for _, r := range p.roots {
		_, bad := r.settings.Layer(filepath.Join(r.dir, SettingsFile))
		errs = append(errs, bad...)
	}
	return errs
}

// root returns the project root holding path: the deepest one.
func (p *Project) root(path string) (projectRoot, string, bool) {
	var best projectRoot
	bestRel, found := "", false
	for _, r := range p.roots {
		rel, err := filepath.Rel(r.dir, path)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if !found || len(r.dir) > len(best.dir) {
			best, bestRel, found = r, rel, true
		}
	}
	return best, bestRel, found
}

// Settings returns the settings of the root holding path; empty ones
// outside the project.
func (p *Project) Settings(path string) *Settings {
	if r, _, ok := p.root(path); ok {
		return r.settings
	}
	return &Settings{}
}

// Ignored reports whether the settings file of path's root ignores path.
func (p *Project) Ignored(path string, dir bool) bool {
	r, rel, ok := p.root(path)
	if !ok || r.ignore == nil || rel == "." {
		return false
	}
	rel = filepath.ToSlash(rel)
	if dir {
		// A folder is passed over only when nothing inside can be
		// brought back by a `!` pattern.
		m, err := analysis.MatchIgnore(r.ignore, rel)
		return err == nil && m && !r.ignore.Exclusions()
	}
	m, err := analysis.MatchIgnore(r.ignore, rel)
	return err == nil && m
}

// Scan walks the project's roots as Scan does, leaving out ignored paths.
func (p *Project) Scan(lim Limits) *Index {
	return scan(p.Roots, lim, p.Ignored)
}
