package workspace

import (
	"path/filepath"
	"slices"
	"strings"
)

// Build is a Dockerfile that a Compose service or Bake target builds, with
// its context folder, whether or not it names a target.
type Build struct {
	Dockerfile string
	Context    string // "" for a remote context
	Owner      string // the Compose service or Bake target, as its targets' and contexts' Owner
	// File is the file the service or target is written in when it is not
	// the file read (a Compose file another includes, a Bake file a
	// command names with -f).
	File string
	// Contexts names the named contexts a Bake target gives, its own and
	// inherited: an inherited one is listed once, under the first target
	// giving it, among the file's contexts.
	Contexts []string
}

// ContextFor returns the build context folder of the Dockerfile at p: the
// one that the Compose services and Bake targets building it name when
// they all name the same folder inside the index's roots, else the
// Dockerfile's own folder.
func (ix *Index) ContextFor(p string) string {
	p = filepath.Clean(p)
	var found []string
	for _, bs := range ix.builds {
		for _, b := range bs {
			if b.Dockerfile == p && !slices.Contains(found, b.Context) {
				found = append(found, b.Context)
			}
		}
	}
	if len(found) == 1 && found[0] != "" && ix.inRoots(found[0]) {
		return found[0]
	}
	return filepath.Dir(p)
}

// inRoots reports whether folder dir is one of the roots or inside one.
func (ix *Index) inRoots(dir string) bool {
	for _, r := range ix.Roots {
		r = filepath.Clean(r)
		if dir == r || strings.HasPrefix(dir, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
