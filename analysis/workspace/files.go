package workspace

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// dockerfileNames are the file names that hold Dockerfiles, as globs; a
// `*` stands for any characters. They match without regard to case. The
// scan, `stagehand check DIR` and the server's file watchers all read this
// one list.
var dockerfileNames = []string{"Dockerfile", "Containerfile", "*.Dockerfile", "Dockerfile.*", "*.containerfile", "Containerfile.*"}

// IsDockerfile reports whether a file name is a Dockerfile's: Dockerfile,
// Containerfile, *.Dockerfile, Dockerfile.*, *.containerfile or
// Containerfile.*, in any case. Dockerfile.dockerignore, the ignore file
// BuildKit reads beside a Dockerfile of that name, is not one.
func IsDockerfile(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	if notDockerfile[filepath.Ext(base)] {
		return false
	}
	for _, pat := range dockerfileNames {
		pat = strings.ToLower(pat)
		switch {
		case strings.HasPrefix(pat, "*"):
			if strings.HasSuffix(base, pat[1:]) && len(base) > len(pat)-1 {
				return true
			}
		case strings.HasSuffix(pat, "*"):
			if strings.HasPrefix(base, pat[:len(pat)-1]) && len(base) > len(pat)-1 {
				return true
			}
		case base == pat:
			return true
		}
	}
	return false
}

// notDockerfile are extensions that make Dockerfile.* a file about
// Dockerfiles, not one: BuildKit's per-Dockerfile ignore file, source code
// and documents (frontend/dockerfile/dockerfile.go is Go).
var notDockerfile = map[string]bool{
	".dockerignore": true, ".go": true, ".md": true, ".txt": true, ".json": true, ".yaml": true, ".yml": true,
	".sh": true, ".py": true, ".js": true, ".ts": true, ".rs": true, ".orig": true, ".bak": true, ".swp": true,
}

// DockerfileGlob is the LSP file-watcher glob of IsDockerfile's names. Glob
// matching is case-sensitive in most clients, so it lists the usual
// spellings: as written and in lower case.
func DockerfileGlob() string {
	var alts []string
	for _, pat := range dockerfileNames {
		alts = append(alts, pat)
		if l := strings.ToLower(pat); l != pat {
			alts = append(alts, l)
		}
	}
	return "**/{" + strings.Join(alts, ",") + "}"
}

// skipDirs are never entered.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".hg": true, ".svn": true}

// walk visits the regular files under root in lexical order, leaving out
// skipDirs and what skip matches, without following symbolic links; visit
// returns false to stop. Unreadable folders are passed over.
func walk(root string, skip func(p string, dir bool) bool, visit func(p string, d fs.DirEntry) bool) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: skip it, keep going
		}
		if d.IsDir() {
			if p != root && (skipDirs[d.Name()] || skip(p, true)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || skip(p, false) {
			return nil
		}
		if !visit(p, d) {
			return filepath.SkipAll
		}
		return nil
	})
}

// Dockerfiles returns the Dockerfiles under dir, sorted, by the scan's rule
// and with no limit: what `stagehand check DIR` checks. ignore, when not
// nil, leaves out the paths it matches.
func Dockerfiles(dir string, ignore func(p string, dir bool) bool) []string {
	if ignore == nil {
		ignore = func(string, bool) bool { return false }
	}
	var out []string
	walk(dir, ignore, func(p string, _ fs.DirEntry) bool {
		if IsDockerfile(p) {
			out = append(out, p)
		}
		return true
	})
	sort.Strings(out)
	return out
}
