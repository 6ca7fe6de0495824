package workspace

import (
	"os"
	"slices"
	"sort"

	"github.com/stagehand-ls/stagehand/internal/confined"
)

// NamedDockerfiles returns the Dockerfiles that other files build (a
// Compose `dockerfile:`, a Bake target's `dockerfile`, `docker build -f`)
// under names the scan's rule does not list, such as docker/Dockerfile-dev
// or build/app: regular files inside the roots, sorted. They are
// Dockerfiles because a build reads them as such, whatever their name.
func (ix *Index) NamedDockerfiles() []string {
	var out []string
	add := func(p string) {
		if p == "" || IsDockerfile(p) || slices.Contains(out, p) {
			return
		}
		if i := sort.SearchStrings(ix.Dockerfiles, p); i < len(ix.Dockerfiles) && ix.Dockerfiles[i] == p {
			return
		}
		inside := false
		for _, r := range ix.Roots {
			if _, err := confined.Rel(r, p); err == nil {
				inside = true
				break
			}
		}
		if info, err := os.Lstat(p); err != nil || !inside || !info.Mode().IsRegular() {
			return
		}
		out = append(out, p)
	}
	for _, ts := range ix.files {
		for _, t := range ts {
			if t.Bake != nil {
				for _, df := range ix.bakeDockerfiles(t.Bake) {
					add(df)
				}
				continue
			}
			add(t.Dockerfile)
		}
	}
	for _, bs := range ix.builds {
		for _, b := range bs {
			add(b.Dockerfile)
		}
	}
	sort.Strings(out)
	return out
}
