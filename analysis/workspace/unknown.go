package workspace

import (
	"fmt"
	"path/filepath"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Unknown is a target that names no stage of the Dockerfile it builds.
type Unknown struct {
	Target  Target
	Message string
}

// UnknownRule is the rule name the CLI and the server report Unknown under.
const UnknownRule = "UnknownTarget"

// Unknown returns the targets file p names that name no stage of their
// Dockerfile, each with a message naming the closest stage when there is
// one. load gives a Dockerfile's index; a Dockerfile it cannot give, or
// one that does not parse, is not judged: the build tool will say.
func (ix *Index) Unknown(p string, load func(dockerfile string) (*analysis.Index, bool)) []Unknown {
	var out []Unknown
	for _, t := range ix.TargetsIn(p) {
		if t.Name == "" {
			continue // being typed
		}
		dfs := []string{t.Dockerfile}
		if t.Bake != nil {
			dfs = ix.bakeDockerfiles(t.Bake)
		}
		for _, df := range dfs {
			dix, ok := load(df)
			if !ok || dix.StageByName(t.Name) >= 0 || dix.ParseError != nil {
				continue
			}
			var names []string
			for _, st := range dix.Stages() {
				if st.Name != "" {
					names = append(names, st.Name)
				}
			}
			msg := fmt.Sprintf("%s has no stage named %q", filepath.Base(df), t.Name)
			if m := analysis.Suggest(t.Name, names, false); m != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", m)
			}
			out = append(out, Unknown{Target: t, Message: msg})
			break
		}
	}
	return out
}
